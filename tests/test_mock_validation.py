"""The simulator validates requests from the spec: properties over spec-derived valid and single-rule-broken bodies."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from mock_support import api
from strategies import Break, breaks, broken, of_ref
from veo3._spec import _document as _spec
from veo3.mock import MockConfig
from veo3.mock._rules import _MARKER

UNLIMITED = MockConfig(seed=7, rate_limit=None)
# A quarter of the profile's budget per rule ("ci": 10, "deep": 250): there are dozens of rules.
PER_RULE = settings(max_examples=max(5, settings().max_examples // 4))
BODY_OPERATIONS = [op.operation_id for op in _spec.iter_operations() if op.body_schema_ref]
BREAKS = [(op_id, b) for op_id in BODY_OPERATIONS for b in breaks(str(_spec.operation(op_id).body_schema_ref))]


def _no_marker(body: dict[str, Any]) -> bool:
    prompt = body.get("prompt", "")
    return not _MARKER.search(prompt) and "[4k-fail]" not in prompt


@pytest.mark.parametrize("operation_id", BODY_OPERATIONS)
def test_for_all_valid_bodies_validation_passes(operation_id: str) -> None:
    ref = str(_spec.operation(operation_id).body_schema_ref)
    with api(UNLIMITED) as a:

        @given(body=of_ref(ref))
        def check(body: dict[str, Any]) -> None:
            assume(_no_marker(body))
            body.pop("callBackUrl", None)  # nothing to deliver to
            answer = a.call(operation_id, json_body=body)
            assert "(rule: " not in answer["msg"], answer
            if operation_id == "generate-veo3-1-video":
                assert answer["code"] == 200
                stored = json.loads(a.state.tasks[answer["data"]["taskId"]].param_json)
                assert stored == {("waterMark" if k == "watermark" else k): v for k, v in body.items()}

        check()


@pytest.mark.parametrize(("operation_id", "brk"), BREAKS, ids=[f"{op}-{b}" for op, b in BREAKS])
def test_for_all_bodies_breaking_one_rule_the_answer_is_422_naming_that_field(operation_id: str, brk: Break) -> None:
    ref = str(_spec.operation(operation_id).body_schema_ref)
    with api(UNLIMITED) as a:
        # The Veo envelope answers in-band 422 "field: ..."; the File Upload API HTTP 400 in kie's wording.
        uploads = _spec.operation(operation_id).errors_in_http_status

        @PER_RULE
        @given(body=broken(ref, brk))
        def check(body: dict[str, Any]) -> None:
            answer = a.call(operation_id, json_body=body)
            assert answer["code"] == (400 if uploads else 422) and answer["data"] is None
            assert _named_field(answer["msg"], uploads) == brk.field, answer

        check()
        assert a.state.tasks == {}, "an invalid request never creates a task"


def _named_field(msg: str, uploads: bool) -> str:
    """The field an error message names: "field.sub: ..." (Veo), or "Missing required parameter: field" /
    "Invalid parameter field.sub: ..." (uploads)."""
    if uploads:
        msg = msg.removeprefix("Missing required parameter: ").removeprefix("Invalid parameter ")
    return msg.split(":", 1)[0].split(".")[0]


@given(task_id=st.text(min_size=1).filter(lambda s: s.strip() != ""))
def test_for_all_non_blank_task_ids_record_info_answers_404_for_unknown_tasks(task_id: str) -> None:
    assume(all(ord(c) >= 32 for c in task_id))
    with api(UNLIMITED) as a:
        assert a.details(task_id)["code"] == 404
