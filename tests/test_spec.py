"""The spec and the generated client: documented examples, single-rule violations, forward compatibility."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
import veo3_api.models as models
from veo3._spec import _document as _spec
from veo3_api import AuthenticatedClient
from veo3_api.api.veo import get_veo3_1_video_details

DATA = Path(__file__).parent / "data"
EXAMPLES = json.loads((DATA / "documented_examples.json").read_text())


def errors(schema: str, instance: Any) -> list[str]:
    return [e.message for e in _spec.validator(f"#/components/schemas/{schema}").iter_errors(instance)]


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["name"] for e in EXAMPLES])
def test_documented_example_validates_and_round_trips(example: dict[str, Any]) -> None:
    assert errors(example["schema"], example["value"]) == []
    model = getattr(models, example["model"])
    assert model.from_dict(example["value"]).to_dict() == example["value"]


GENERATE_OK = {"prompt": "A dog playing in a park", "imageUrls": ["https://example.com/a.jpg"], "seeds": 12345}
EXTEND_OK = {"taskId": "veo_task_1", "prompt": "Keep going", "seeds": 12345, "model": "fast"}
FOURK_OK = {"taskId": "veo_task_1", "index": 0}


def _set(base: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    out = copy.deepcopy(base)
    out[key] = value
    return out


def _drop(base: dict[str, Any], key: str) -> dict[str, Any]:
    out = copy.deepcopy(base)
    del out[key]
    return out


# (schema, valid body, broken body, the rule that must be named)
VIOLATIONS = [
    ("GenerateRequest", GENERATE_OK, _set(GENERATE_OK, "seeds", 9999), "minimum"),
    ("GenerateRequest", GENERATE_OK, _set(GENERATE_OK, "seeds", 100000), "maximum"),
    ("GenerateRequest", GENERATE_OK, _set(GENERATE_OK, "seeds", 10**12), "maximum"),
    ("GenerateRequest", GENERATE_OK, _set(GENERATE_OK, "seeds", "12345"), "type"),
    ("GenerateRequest", GENERATE_OK, _drop(GENERATE_OK, "prompt"), "required"),
    ("GenerateRequest", GENERATE_OK, _set(GENERATE_OK, "prompt", ""), "pattern"),
    ("GenerateRequest", GENERATE_OK, _set(GENERATE_OK, "prompt", "   "), "pattern"),
    ("GenerateRequest", GENERATE_OK, _set(GENERATE_OK, "prompt", None), "type"),
    ("GenerateRequest", GENERATE_OK, _set(GENERATE_OK, "model", "veo2"), "enum"),
    ("GenerateRequest", GENERATE_OK, _set(GENERATE_OK, "aspect_ratio", "4:3"), "enum"),
    ("GenerateRequest", GENERATE_OK, _set(GENERATE_OK, "resolution", "8k"), "enum"),
    ("GenerateRequest", GENERATE_OK, _set(GENERATE_OK, "generationType", "IMAGE_2_VIDEO"), "enum"),
    ("GenerateRequest", GENERATE_OK, _set(GENERATE_OK, "imageUrls", []), "minItems"),
    ("GenerateRequest", GENERATE_OK, _set(GENERATE_OK, "imageUrls", ["https://e.com/x.jpg"] * 4), "maxItems"),
    ("GenerateRequest", GENERATE_OK, _set(GENERATE_OK, "imageUrls", ["not a url"]), "pattern"),
    ("GenerateRequest", GENERATE_OK, _set(GENERATE_OK, "callBackUrl", "ftp://example.com/cb"), "pattern"),
    ("GenerateRequest", GENERATE_OK, _set(GENERATE_OK, "enableTranslation", "yes"), "type"),
    ("GenerateRequest", GENERATE_OK, _set(GENERATE_OK, "aspectRatio", "16:9"), "additionalProperties"),
    ("ExtendRequest", EXTEND_OK, _drop(EXTEND_OK, "taskId"), "required"),
    ("ExtendRequest", EXTEND_OK, _drop(EXTEND_OK, "prompt"), "required"),
    ("ExtendRequest", EXTEND_OK, _set(EXTEND_OK, "taskId", ""), "pattern"),
    ("ExtendRequest", EXTEND_OK, _set(EXTEND_OK, "prompt", ""), "pattern"),
    ("ExtendRequest", EXTEND_OK, _set(EXTEND_OK, "seeds", 9999), "minimum"),
    ("ExtendRequest", EXTEND_OK, _set(EXTEND_OK, "seeds", 100000), "maximum"),
    ("ExtendRequest", EXTEND_OK, _set(EXTEND_OK, "model", "veo3_fast"), "enum"),
    ("Get4kRequest", FOURK_OK, _set(FOURK_OK, "index", -1), "minimum"),
    ("Get4kRequest", FOURK_OK, _drop(FOURK_OK, "taskId"), "required"),
    ("DownloadUrlRequest", {"url": "https://tempfile.aiquickdraw.com/p/x.mp4"}, {"url": "x"}, "pattern"),
]


@pytest.mark.parametrize(("schema", "valid", "broken", "rule"), VIOLATIONS)
def test_single_rule_violation_is_rejected(schema: str, valid: dict[str, Any], broken: Any, rule: str) -> None:
    assert errors(schema, valid) == []
    found = list(_spec.validator(f"#/components/schemas/{schema}").iter_errors(broken))
    assert [e.validator for e in found] == [rule]


def test_bounds_are_read_from_the_spec_not_copied() -> None:
    seeds = _spec.resolve("#/components/schemas/Seeds")
    assert (seeds["minimum"], seeds["maximum"]) == (10000, 99999)


def test_unknown_code_and_success_flag_parse() -> None:
    parsed = models.TaskDetailsResponse.from_dict(
        {"code": 418, "msg": "teapot", "data": {"taskId": "t", "successFlag": 7, "brandNew": [1]}}
    )
    assert parsed.code == 418 and not parsed.code.is_known
    assert isinstance(parsed.data, models.TaskDetails)
    assert parsed.data.success_flag == 7 and parsed.data.success_flag.name == "UNKNOWN_7"
    assert parsed.data.additional_properties == {"brandNew": [1]}
    assert models.SuccessFlag(1) is models.SuccessFlag.SUCCESS and models.SuccessFlag(1).is_known


def test_unknown_string_enum_value_parses() -> None:
    assert models.Resolution("8k").value == "8k" and not models.Resolution("8k").is_known
    assert models.Resolution("720p").is_known


def test_unset_and_none_stay_distinct() -> None:
    absent = models.TaskDetails.from_dict({"taskId": "t", "successFlag": 0})
    null = models.TaskDetails.from_dict({"taskId": "t", "successFlag": 0, "errorCode": None})
    assert absent.to_dict() == {"taskId": "t", "successFlag": 0}
    assert null.to_dict() == {"taskId": "t", "successFlag": 0, "errorCode": None}


@pytest.mark.parametrize("status", [455, 599, 200, 429, 500])
def test_any_http_status_yields_a_response(status: int) -> None:
    body = {"code": status, "msg": "maintenance", "data": None}
    with respx.mock(base_url="https://api.kie.ai") as mock:
        mock.get("/api/v1/veo/record-info").mock(return_value=httpx.Response(status, json=body))
        client = AuthenticatedClient(base_url="https://api.kie.ai", token="k")
        response = get_veo3_1_video_details.sync_detailed(client=client, task_id="t")
    assert response.status_code == status
    assert response.parsed is not None and response.parsed.code == status


def test_the_create_rate_limit_is_read_from_the_spec_by_client_and_simulator() -> None:
    from veo3 import Veo3Client
    from veo3.mock import MockConfig

    documented = _spec.create_rate_limit()
    assert documented.operations == {"generate-veo3-1-video", "extend-veo3-1-video"}
    config = MockConfig()
    assert (config.rate_limit, config.rate_window, config.rate_limited_operations) == (
        documented.creates,
        documented.seconds,
        documented.operations,
    )
    with (
        Veo3Client("k", base_url="http://127.0.0.1:9") as paced,
        Veo3Client("k", base_url="http://127.0.0.1:9", rate_limit=None) as unpaced,
    ):
        assert paced._core.ctx.rate_limit == (documented.creates, documented.seconds)
        assert unpaced._core.ctx.rate_limit is None
