"""How the conformance checks read an answer and judge a request as sent (``veo3.conformance._envelope``)."""

from __future__ import annotations

import json

import pytest
from veo3._spec import _document as _spec
from veo3.conformance._envelope import data_schema_ref, operation_for, parse_envelope, request_problems

DETAILS = _spec.operation("get-veo3-1-video-details")
HD = _spec.operation("get-veo3-1-1080p-video")
GENERATE = _spec.operation("generate-veo3-1-video")


@pytest.mark.parametrize(
    "body",
    [b"", b"not json", b"[1, 2]", b'{"msg": "no code"}', b'{"code": "200"}', b'{"code": true}', b'{"code": 1.5}'],
)
def test_what_is_not_an_envelope(body: bytes) -> None:
    assert parse_envelope(body) is None


def test_an_envelope_with_and_without_data() -> None:
    with_data = parse_envelope(b'{"code": 422, "msg": "x", "data": null}')
    assert with_data is not None and (with_data.code, with_data.has_data) == (422, True)
    without = parse_envelope(b'{"code": 200, "msg": "x"}')
    assert without is not None and not without.has_data


def test_operations_are_found_by_method_and_path_even_behind_a_prefix() -> None:
    assert operation_for("GET", "/api/v1/veo/record-info") == DETAILS
    assert operation_for("get", "/proxy/kie/api/v1/veo/record-info") == DETAILS
    assert operation_for("POST", "/api/v1/veo/record-info") is None
    assert operation_for("GET", "/elsewhere") is None


def test_a_valid_request_has_no_problems() -> None:
    assert request_problems(HD, "http://h/api/v1/veo/get-1080p-video?taskId=t1&index=0", None) == []
    body = json.dumps({"prompt": "a dog", "seeds": 12345}).encode()
    assert request_problems(GENERATE, "http://h/api/v1/veo/generate", body) == []


@pytest.mark.parametrize(
    ("query", "rule"),
    [
        ("", "required"),
        ("taskId=", "pattern"),
        ("taskId=t1&index=-1", "minimum"),
        ("taskId=t1&index=one", "type"),
        ("taskId=t1&taskId=t2", "sent 2 times"),
    ],
)
def test_query_parameters_are_judged_as_the_spec_types_them(query: str, rule: str) -> None:
    problems = request_problems(HD, f"http://h/api/v1/veo/get-1080p-video?{query}", None)
    assert len(problems) == 1 and rule in problems[0], problems


@pytest.mark.parametrize(
    ("body", "rule"),
    [
        (None, "required but empty"),
        (b"{not json", "not JSON"),
        (json.dumps({"prompt": "a", "seeds": 9999}).encode(), "minimum"),
        (json.dumps({"prompt": "a", "aspectRatio": "16:9"}).encode(), "additionalProperties"),
        (json.dumps({"seeds": 12345}).encode(), "required"),
    ],
)
def test_bodies_are_judged_by_the_specs_schema(body: bytes | None, rule: str) -> None:
    problems = request_problems(GENERATE, "http://h/api/v1/veo/generate", body)
    assert problems and rule in problems[0], problems


def test_the_data_schema_of_each_operation_resolves() -> None:
    for op in _spec.iter_operations():
        validator = _spec.validator(data_schema_ref(op))
        assert validator.is_valid(None)  # every envelope's data is nullable (errors carry no data)
