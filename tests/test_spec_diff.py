"""veo3.spec_diff: each mutation gives exactly the expected rule ids and classes; ignore file, formats, CLI, gate."""

from __future__ import annotations

import copy
import datetime
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner
from veo3._spec._document import load_spec
from veo3.cli._app import app
from veo3.spec_diff import IGNORE_FILE, AcceptedBreak, Change, diff_specs, load_ignore_file, render_text, triage

Spec = dict[str, Any]
GENERATE = "POST /api/v1/veo/generate"
EXTEND = "POST /api/v1/veo/extend"
RECORD_INFO = "GET /api/v1/veo/record-info"
HD = "GET /api/v1/veo/get-1080p-video"
SPEC_PATH = "openapi/veo3-api.json"


def spec() -> Spec:
    """A private deep copy of the committed spec, free to mutate."""
    return copy.deepcopy(dict(load_spec()))


def schemas(s: Spec) -> dict[str, Any]:
    return s["components"]["schemas"]  # type: ignore[no-any-return]


def outcome(changes: list[Change]) -> set[tuple[bool, str]]:
    return {(c.breaking, c.location) for c in changes}


def test_the_committed_spec_against_itself_has_no_changes() -> None:
    assert diff_specs(load_spec(), spec()) == []


def test_inlining_a_ref_is_not_a_change() -> None:
    new = spec()
    props = schemas(new)["GenerateRequest"]["properties"]
    props["seeds"] = copy.deepcopy(schemas(new)["Seeds"])
    assert diff_specs(load_spec(), new) == []


def _set(path: list[str], value: Any) -> Callable[[Spec], None]:
    def mutate(s: Spec) -> None:
        node: Any = s
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value

    return mutate


def _schema(name: str, fn: Callable[[dict[str, Any]], Any]) -> Callable[[Spec], None]:
    return lambda s: fn(schemas(s)[name])


def _params(path: str, method: str, fn: Callable[[list[dict[str, Any]]], Any]) -> Callable[[Spec], None]:
    return lambda s: fn(s["paths"][path][method].setdefault("parameters", []))


def _with(s: Spec, path: list[str], value: Any) -> Spec:
    """``s`` with ``value`` set at ``path`` (created as needed)."""
    node: Any = s
    for part in path[:-1]:
        node = node.setdefault(part, {})
    node[path[-1]] = value
    return s


def _without(s: Spec, path: list[str]) -> Spec:
    node: Any = s
    for part in path[:-1]:
        node = node[part]
    del node[path[-1]]
    return s


# (mutation id, mutation, expected {(breaking, location)}, a word every message contains, the rule id of them all)
MUTATIONS: list[tuple[str, Callable[[Spec], None], set[tuple[bool, str]] | str, str, str]] = [
    (
        "seeds maximum tightened",
        _schema("Seeds", lambda x: x.update(maximum=50000)),
        {(True, f"{GENERATE} request body seeds"), (True, f"{EXTEND} request body seeds")},
        "tightened",
        "request-property-max-decreased",
    ),
    (
        "seeds maximum widened",
        _schema("Seeds", lambda x: x.update(maximum=999999)),
        {(False, f"{GENERATE} request body seeds"), (False, f"{EXTEND} request body seeds")},
        "loosened",
        "request-property-max-increased",
    ),
    (
        "seeds minimum raised",
        _schema("Seeds", lambda x: x.update(minimum=20000)),
        {(True, f"{GENERATE} request body seeds"), (True, f"{EXTEND} request body seeds")},
        "minimum",
        "request-property-min-increased",
    ),
    (
        "seeds maximum removed",
        _schema("Seeds", lambda x: x.pop("maximum")),
        {(False, f"{GENERATE} request body seeds"), (False, f"{EXTEND} request body seeds")},
        "removed",
        "request-property-max-unset",
    ),
    (
        "request enum value removed",
        _schema("AspectRatio", lambda x: x["enum"].remove("Auto")),
        {(True, f"{GENERATE} request body aspect_ratio")},
        '"Auto" removed',
        "request-property-enum-value-removed",
    ),
    (
        "request enum value added",
        _schema("AspectRatio", lambda x: x["enum"].append("1:1")),
        {(False, f"{GENERATE} request body aspect_ratio")},
        '"1:1" added',
        "request-property-enum-value-added",
    ),
    (
        "imageUrls maxItems lowered",
        _schema("GenerateRequest", lambda x: x["properties"]["imageUrls"].update(maxItems=2)),
        {(True, f"{GENERATE} request body imageUrls")},
        "maxItems",
        "request-property-max-items-decreased",
    ),
    (
        "url maxLength added-shorter on every url field",
        _schema("HttpUrl", lambda x: x.update(maxLength=100)),
        {
            (True, f"{GENERATE} request body imageUrls[]"),
            (True, f"{GENERATE} request body callBackUrl"),
            (True, f"{EXTEND} request body callBackUrl"),
            (True, "POST /api/v1/veo/get-4k-video request body callBackUrl"),
            (True, "POST /api/v1/common/download-url request body url"),
            (True, "POST /api/file-url-upload request body fileUrl"),
            # The upload result's URLs are HttpUrls too: a tighter answer is no break for clients.
            *(
                (False, f"POST /api/{path} response 200 data.{field}")
                for path in ("file-stream-upload", "file-url-upload", "file-base64-upload")
                for field in ("downloadUrl", "fileUrl")
            ),
        },
        "maxLength",
        "request-property-max-length-decreased|response-property-max-length-decreased",
    ),
    (
        "request type narrowed",
        _schema("Seeds", lambda x: x.update(type="string")),
        {(True, f"{GENERATE} request body seeds"), (True, f"{EXTEND} request body seeds")},
        "type changed",
        "request-property-type-changed",
    ),
    (
        "request type widened integer to number",
        _schema("Seeds", lambda x: x.update(type="number")),
        {(False, f"{GENERATE} request body seeds"), (False, f"{EXTEND} request body seeds")},
        "type changed",
        "request-property-type-generalized",
    ),
    (
        "required request field added",
        _schema(
            "GenerateRequest",
            lambda x: (x["properties"].update(style={"type": "string"}), x["required"].append("style")),
        ),
        {(True, f"{GENERATE} request body style")},
        "required field added",
        "request-property-added-required",
    ),
    (
        "optional request field added",
        _schema("GenerateRequest", lambda x: x["properties"].update(style={"type": "string"})),
        {(False, f"{GENERATE} request body style")},
        "optional field added",
        "request-property-added-optional",
    ),
    (
        "request field removed",
        _schema("ExtendRequest", lambda x: x["properties"].pop("watermark")),
        {(True, f"{EXTEND} request body watermark")},
        "refused",
        "request-property-removed",
    ),
    (
        "optional request field made required",
        _schema("ExtendRequest", lambda x: x["required"].append("seeds")),
        {(True, f"{EXTEND} request body seeds")},
        "now required",
        "request-property-became-required",
    ),
    (
        "required request field made optional",
        _schema("ExtendRequest", lambda x: x["required"].remove("prompt")),
        {(False, f"{EXTEND} request body prompt")},
        "no longer required",
        "request-property-became-optional",
    ),
    (
        "request opened to additional properties",
        _schema("Get4kRequest", lambda x: x.pop("additionalProperties")),
        {(False, "POST /api/v1/veo/get-4k-video request body")},
        "additional properties",
        "request-body-additional-properties-opened",
    ),
    (
        "operation removed",
        lambda s: s["paths"].pop("/api/v1/chat/credit"),
        {(True, "GET /api/v1/chat/credit")},
        "removed",
        "api-removed",
    ),
    (
        "operation added",
        lambda s: s["paths"]["/api/v1/chat/credit"].update(
            post=copy.deepcopy(s["paths"]["/api/v1/chat/credit"]["get"]) | {"operationId": "post-credits"}
        ),
        {(False, "POST /api/v1/chat/credit")},
        "added",
        "api-added",
    ),
    (
        "operationId renamed",
        lambda s: s["paths"]["/api/v1/chat/credit"]["get"].update(operationId="credits"),
        {(True, "GET /api/v1/chat/credit")},
        "operationId",
        "api-operation-id-changed",
    ),
    (
        "required query parameter added",
        _params(
            "/api/v1/veo/record-info",
            "get",
            lambda p: p.append({"name": "lang", "in": "query", "required": True, "schema": {"type": "string"}}),
        ),
        {(True, f"{RECORD_INFO} query parameter lang")},
        "required parameter added",
        "request-parameter-added-required",
    ),
    (
        "optional query parameter added",
        _params(
            "/api/v1/veo/record-info",
            "get",
            lambda p: p.append({"name": "lang", "in": "query", "schema": {"type": "string"}}),
        ),
        {(False, f"{RECORD_INFO} query parameter lang")},
        "optional parameter added",
        "request-parameter-added-optional",
    ),
    (
        "optional query parameter made required",
        _params("/api/v1/veo/get-1080p-video", "get", lambda p: p[1].update(required=True)),
        {(True, f"{HD} query parameter index")},
        "now required",
        "request-parameter-became-required",
    ),
    (
        "query parameter removed (the server ignores it: a warning)",
        _params("/api/v1/veo/get-1080p-video", "get", lambda p: p.pop(1)),
        {(False, f"{HD} query parameter index")},
        "removed",
        "request-parameter-removed",
    ),
    (
        "response optional field removed (clients cope with its absence: a warning)",
        _schema("TaskDetails", lambda x: x["properties"].pop("errorMessage")),
        {(False, f"{RECORD_INFO} response 200 data.errorMessage")},
        "field removed",
        "response-optional-property-removed",
    ),
    (
        "response field added",
        _schema("TaskDetails", lambda x: x["properties"].update(progress={"type": "number"})),
        {(False, f"{RECORD_INFO} response 200 data.progress")},
        "field added",
        "response-property-added",
    ),
    (
        "response field made nullable",
        _schema("TaskDetails", lambda x: x["properties"]["taskId"].update(type=["string", "null"])),
        {(True, f"{RECORD_INFO} response 200 data.taskId")},
        "nullable",
        "response-property-became-nullable",
    ),
    (
        "required response field no longer required",
        _schema("TaskDetails", lambda x: x["required"].remove("successFlag")),
        {(True, f"{RECORD_INFO} response 200 data.successFlag")},
        "may be absent",
        "response-property-became-optional",
    ),
    (
        "response field now required",
        _schema("TaskDetails", lambda x: x["required"].append("errorMessage")),
        {(False, f"{RECORD_INFO} response 200 data.errorMessage")},
        "always present",
        "response-property-became-required",
    ),
    (
        "response enum widened",
        _schema("SuccessFlag", lambda x: x["enum"].append(4)),
        {(True, f"{RECORD_INFO} response 200 data.successFlag")},
        "closed enums",
        "response-property-enum-value-added",
    ),
    (
        "response enum narrowed",
        _schema("SuccessFlag", lambda x: x["enum"].remove(3)),
        {(False, f"{RECORD_INFO} response 200 data.successFlag")},
        "removed",
        "response-property-enum-value-removed",
    ),
    (
        "documented in-band code added",
        _schema("GenerateCode", lambda x: x["enum"].append(418)),
        {(False, f"{GENERATE} response 200 code")},
        "in-band code(s) 418 added",
        "response-in-band-code-added",
    ),
    (
        "documented in-band code removed",
        _schema("TaskDetailsCode", lambda x: x["enum"].remove(x["enum"][-1])),
        {(False, f"{RECORD_INFO} response 200 code")},
        "in-band code(s)",
        "response-in-band-code-removed",
    ),
    (
        "global security removed",
        lambda s: s.update(security=[]),
        {(False, f"{m} {p}") for p, item in load_spec()["paths"].items() for m in ("GET", "POST") if m.lower() in item},
        "security changed",
        "api-security-relaxed",
    ),
    (
        "security added to an operation that had none",
        lambda s: (
            s.update(security=[]),
            s["paths"]["/api/v1/chat/credit"]["get"].update(security=[{"BearerAuth": []}]),
        ),
        "relaxed-except-credits",  # computed below: every other operation relaxes, credits still needs the key
        "security changed",
        "api-security-relaxed",
    ),
    (
        "security scheme changed",
        lambda s: s["components"]["securitySchemes"]["BearerAuth"].update(
            type="apiKey", name="X-Key", **{"in": "header"}
        ),
        {(True, "components.securitySchemes.BearerAuth")},
        "changed",
        "api-security-scheme-changed",
    ),
    (
        "callback field removed",
        _schema("VideoCallbackInfo", lambda x: x["properties"].pop("resolution")),
        {
            (False, f"{GENERATE} callback onVideoGenerated callback body data.info.resolution"),
            (False, f"{EXTEND} callback onVideoExtended callback body data.info.resolution"),
        },
        "field removed",
        "response-optional-property-removed",
    ),
    (
        "callback removed",
        lambda s: s["paths"]["/api/v1/veo/get-4k-video"]["post"].pop("callbacks"),
        {(True, "POST /api/v1/veo/get-4k-video callback on4KVideoGenerated")},
        "callback removed",
        "api-callback-removed",
    ),
    (
        "request field deprecated",
        _schema("GenerateRequest", lambda x: x["properties"]["watermark"].update(deprecated=True)),
        {(False, f"{GENERATE} request body watermark")},
        "deprecated",
        "request-property-deprecated",
    ),
    (
        "operation deprecated",
        lambda s: s["paths"]["/api/v1/chat/credit"]["get"].update(deprecated=True),
        {(False, "GET /api/v1/chat/credit")},
        "deprecated",
        "api-deprecated",
    ),
    (
        "spec version changed",
        lambda s: s["info"].update(version="999.0.0"),
        {(False, "info.version")},
        "999.0.0",
        "api-version-changed",
    ),
    (
        "request pattern removed (loosened)",
        _schema("Prompt", lambda x: x.pop("pattern")),
        {(False, f"{GENERATE} request body prompt"), (False, f"{EXTEND} request body prompt")},
        "pattern",
        "request-property-pattern-removed",
    ),
    (
        "request pattern changed (not provably looser: a warning)",
        _schema("Prompt", lambda x: x.update(pattern="\\S.*")),
        {(False, f"{GENERATE} request body prompt"), (False, f"{EXTEND} request body prompt")},
        "pattern",
        "request-property-pattern-changed",
    ),
    (
        "request pattern added (tightened)",
        _schema("GenerateRequest", lambda x: x["properties"]["watermark"].update(pattern="^[A-Za-z]+$")),
        {(True, f"{GENERATE} request body watermark")},
        "pattern",
        "request-property-pattern-added",
    ),
    (
        "request format removed (loosened)",
        _schema("DownloadUrlRequest", lambda x: x["properties"].update(url={"type": "string"})),
        "url-format-and-friends",  # the url loses its pattern, format and maxLength at once: checked below
        "",
        "",
    ),
    (
        "response format added",
        _schema("TaskDetails", lambda x: x["properties"]["taskId"].update(format="uuid")),
        {(False, f"{RECORD_INFO} response 200 data.taskId")},
        "format",
        "response-property-format-added",
    ),
    (
        "parameter default removed",
        _schema("VideoIndex", lambda x: x.pop("default")),
        {(True, f"{HD} query parameter index"), (False, "POST /api/v1/veo/get-4k-video request body index")},
        "default 0 removed",
        "",  # two rules: the parameter's (breaking) and the body field's (not): checked below
    ),
    (
        "parameter default added",
        _params("/api/v1/veo/record-info", "get", lambda p: p[0]["schema"].update(default="veo_task_x")),
        {(True, f"{RECORD_INFO} query parameter taskId")},
        "default",
        "request-parameter-default-value-added",
    ),
    (
        "body field default changed",
        _schema("AspectRatio", lambda x: x.update(default="9:16")),
        {(False, f"{GENERATE} request body aspect_ratio")},
        "default changed",
        "request-property-default-value-changed",
    ),
    (
        "response header added",
        lambda s: s["paths"]["/api/v1/chat/credit"]["get"]["responses"]["200"].update(
            headers={"X-RateLimit-Remaining": {"schema": {"type": "integer"}}}
        ),
        {(False, "GET /api/v1/chat/credit response 200 header x-ratelimit-remaining")},
        "header added",
        "response-header-added",
    ),
    (
        "request header parameter added",
        _params(
            "/api/v1/chat/credit",
            "get",
            lambda p: p.append({"name": "X-Trace", "in": "header", "required": True, "schema": {"type": "string"}}),
        ),
        {(True, "GET /api/v1/chat/credit header parameter x-trace")},
        "required parameter added",
        "request-parameter-added-required",
    ),
    (
        "security scheme added",
        lambda s: s["components"]["securitySchemes"].update(Other={"type": "http", "scheme": "basic"}),
        {(False, "components.securitySchemes.Other")},
        "added",
        "api-security-scheme-added",
    ),
    (
        "callback added",
        lambda s: s["paths"]["/api/v1/chat/credit"]["get"].update(
            callbacks=copy.deepcopy(s["paths"]["/api/v1/veo/get-4k-video"]["post"]["callbacks"])
        ),
        {(False, "GET /api/v1/chat/credit callback on4KVideoGenerated")},
        "callback added",
        "api-callback-added",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "expected", "word", "rule"), [m[1:] for m in MUTATIONS], ids=[m[0] for m in MUTATIONS]
)
def test_one_mutation_gives_exactly_the_expected_classification(
    mutate: Callable[[Spec], None], expected: set[tuple[bool, str]] | str, word: str, rule: str
) -> None:
    new = spec()
    mutate(new)
    changes = diff_specs(load_spec(), new)
    if expected == "url-format-and-friends":
        expected = {(False, "POST /api/v1/common/download-url request body url")}
        rules = {c.id for c in changes}
        assert rules == {f"request-property-{k}" for k in ("format-removed", "pattern-removed", "max-length-unset")}
    if expected == "relaxed-except-credits":
        # Dropping the global requirement relaxes every operation except the one that now asks for it itself.
        expected = {
            (False, f"{m} {p}")
            for p, item in load_spec()["paths"].items()
            for m in ("GET", "POST")
            if m.lower() in item and p != "/api/v1/chat/credit"
        }
    report = render_text(triage(changes))
    assert outcome(changes) == expected, report
    assert all(word in c.message for c in changes), report
    if rule:
        assert {c.id for c in changes} == set(rule.split("|")), report
        assert len(changes) == len(expected)


def test_a_parameter_default_change_breaks_and_a_body_field_default_change_does_not() -> None:
    new = spec()
    schemas(new)["VideoIndex"].pop("default")  # the same schema is a query parameter and a body field
    changes = {c.id: c for c in diff_specs(load_spec(), new)}
    assert set(changes) == {"request-parameter-default-value-removed", "request-property-default-value-removed"}
    assert changes["request-parameter-default-value-removed"].breaking
    assert not changes["request-property-default-value-removed"].breaking


def test_security_added_where_there_was_none_is_breaking() -> None:
    old, new = spec(), spec()
    old["security"] = []
    changes = diff_specs(old, new)
    assert changes and all(c.breaking and "security changed from none to BearerAuth" in c.message for c in changes)


@given(maximum=st.integers(min_value=-(10**9), max_value=10**9))
def test_for_every_new_seeds_maximum_breaking_iff_lowered(maximum: int) -> None:
    old_max = load_spec()["components"]["schemas"]["Seeds"]["maximum"]
    new = spec()
    schemas(new)["Seeds"]["maximum"] = maximum
    changes = diff_specs(load_spec(), new)
    if maximum == old_max:
        assert changes == []
    else:
        assert {c.location for c in changes} == {f"{GENERATE} request body seeds", f"{EXTEND} request body seeds"}
        assert all(c.breaking == (maximum < old_max) for c in changes)


@given(data=st.data())
def test_for_every_subset_of_models_removed_the_change_is_breaking_and_names_them(data: st.DataObject) -> None:
    models: list[str] = list(load_spec()["components"]["schemas"]["GenerateModel"]["enum"])
    removed = data.draw(st.lists(st.sampled_from(models), min_size=1, max_size=len(models) - 1, unique=True))
    new = spec()
    schemas(new)["GenerateModel"]["enum"] = [m for m in models if m not in removed]
    changes = diff_specs(load_spec(), new)
    assert len(changes) == 1 and changes[0].breaking
    assert all(json.dumps(m) in changes[0].message for m in removed)


@given(extra=st.lists(st.integers(min_value=600, max_value=999), min_size=1, max_size=3, unique=True))
def test_for_every_new_in_band_code_the_change_is_listed_and_not_breaking(extra: list[int]) -> None:
    new = spec()
    schemas(new)["Video1080pCode"]["enum"].extend(extra)
    changes = diff_specs(load_spec(), new)
    assert len(changes) == 1 and not changes[0].breaking
    assert all(str(code) in changes[0].message for code in extra)


def test_report_lists_breaking_first_and_counts() -> None:
    new = spec()
    schemas(new)["Seeds"]["maximum"] = 50000
    schemas(new)["AspectRatio"]["enum"].append("1:1")
    report = render_text(triage(diff_specs(load_spec(), new)))
    assert report.index("Breaking changes (2)") < report.index("Non-breaking changes (1)")
    assert "seeds: maximum changed: 99999 -> 50000 (tightened) [request-property-max-decreased]" in report
    assert report.endswith("2 breaking, 1 non-breaking.")
    assert render_text(triage([])) == "No changes."


# --- rules on a one-operation spec: every kind of change, both directions -------------------------------

MINI = "POST /t"


def mini(
    field: dict[str, Any] | None = None,
    answer: dict[str, Any] | None = None,
    headers: dict[str, Any] | None = None,
    parameters: list[dict[str, Any]] | None = None,
) -> Spec:
    """A spec with one operation: ``field`` is the request body's property ``f``, ``answer`` the response's."""

    def body(schema: dict[str, Any] | None) -> dict[str, Any]:
        return {"application/json": {"schema": {"type": "object", "properties": {"f": schema or {}}}}}

    operation = {
        "operationId": "t",
        "parameters": parameters or [],
        "requestBody": {"required": True, "content": body(field)},
        "responses": {"200": {"description": "ok", "headers": headers or {}, "content": body(answer)}},
    }
    return {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {"/t": {"post": operation}}}


OPERATION = ["paths", "/t", "post"]
BODY_SCHEMA = [*OPERATION, "requestBody", "content", "application/json", "schema"]
ANSWER_SCHEMA = [*OPERATION, "responses", "200", "content", "application/json", "schema"]


def deprecated(sunset: str | None = None) -> Spec:
    """:func:`mini` with its operation deprecated, until ``sunset`` when given."""
    s = _with(mini(), [*OPERATION, "deprecated"], True)
    return s if sunset is None else _with(s, [*OPERATION, "x-sunset"], sunset)


def sent(old: dict[str, Any], new: dict[str, Any]) -> tuple[Spec, Spec, str]:
    return mini(field=old), mini(field=new), f"{MINI} request body f"


def received(old: dict[str, Any], new: dict[str, Any]) -> tuple[Spec, Spec, str]:
    return mini(answer=old), mini(answer=new), f"{MINI} response 200 f"


def header(old: dict[str, Any] | None, new: dict[str, Any] | None) -> tuple[Spec, Spec, str]:
    def spec_with(h: dict[str, Any] | None) -> Spec:
        return mini(headers={"X-RateLimit-Remaining": h} if h is not None else {})

    return spec_with(old), spec_with(new), f"{MINI} response 200 header x-ratelimit-remaining"


def query(old: dict[str, Any], new: dict[str, Any]) -> tuple[Spec, Spec, str]:
    def spec_with(p: dict[str, Any]) -> Spec:
        return mini(parameters=[{"name": "q", "in": "query", **p}])

    return spec_with(old), spec_with(new), f"{MINI} query parameter q"


STR, INT, NUM = {"type": "string"}, {"type": "integer"}, {"type": "number"}
TODAY = datetime.date(2026, 12, 4)  # x-sunset dates are judged against it
OBJ_A = {"type": "object", "properties": {"a": STR, "b": INT}}
OBJ_C = {"type": "object", "properties": {"c": STR}}
INT_HEADER = {"required": True, "schema": INT}
IF_A = {"if": {"const": "a"}, "then": {"maxLength": 1}}

# (name, (old spec, new spec, location), rule id, breaking or the level): the oracle is written out, not read
# from the table.
RULE_CASES: list[tuple[str, tuple[Spec, Spec, str], str, bool | str]] = [
    ("request number narrowed to integer", sent(NUM, INT), "request-property-type-specialized", True),
    ("response integer widened to number", received(INT, NUM), "response-property-type-generalized", True),
    ("response number narrowed to integer", received(NUM, INT), "response-property-type-specialized", False),
    ("request null refused", sent({"type": ["string", "null"]}, STR), "request-property-became-not-nullable", True),
    ("request null accepted", sent(STR, {"type": ["string", "null"]}), "request-property-became-nullable", False),
    ("request became enum", sent(STR, {**STR, "enum": ["a"]}), "request-property-became-enum", True),
    ("response became enum", received(STR, {**STR, "enum": ["a"]}), "response-property-became-enum", False),
    ("response enum dropped", received({**STR, "enum": ["a"]}, STR), "response-property-became-not-enum", True),
    ("request const dropped", sent({**STR, "const": "a"}, STR), "request-property-became-not-enum", False),
    ("request field undeprecated", sent({**STR, "deprecated": True}, STR), "request-property-reactivated", False),
    ("request conditional added", sent(STR, {**STR, **IF_A}), "request-property-conditional-added", True),
    ("request conditional removed", sent({**STR, **IF_A}, STR), "request-property-conditional-removed", False),
    (
        "request conditional changed",
        sent({**STR, **IF_A}, {**STR, "if": {"const": "b"}, "then": {"maxLength": 1}}),
        "request-property-conditional-changed",
        True,
    ),
    ("response conditional added", received(STR, {**STR, **IF_A}), "response-property-conditional-added", False),
    ("request pattern added", sent(STR, {**STR, "pattern": "^a"}), "request-property-pattern-added", True),
    ("request pattern removed", sent({**STR, "pattern": "^a"}, STR), "request-property-pattern-removed", False),
    ("response pattern added", received(STR, {**STR, "pattern": "^a"}), "response-property-pattern-added", False),
    (
        "response pattern changed",
        received({**STR, "pattern": "^a"}, {**STR, "pattern": "^b"}),
        "response-property-pattern-changed",
        False,
    ),
    ("request format added", sent(STR, {**STR, "format": "uuid"}), "request-property-format-added", True),
    (
        "request format changed",
        sent({**STR, "format": "date"}, {**STR, "format": "date-time"}),
        "request-property-format-changed",
        True,
    ),
    (
        "response format removed",
        received({**STR, "format": "date-time"}, STR),
        "response-property-format-removed",
        True,
    ),
    (
        "response format changed",
        received({**STR, "format": "date"}, {**STR, "format": "date-time"}),
        "response-property-format-changed",
        True,
    ),
    ("response format added", received(STR, {**STR, "format": "date-time"}), "response-property-format-added", False),
    ("request multipleOf set", sent(INT, {**INT, "multipleOf": 2}), "request-property-multiple-of-set", True),
    ("request multipleOf unset", sent({**INT, "multipleOf": 2}, INT), "request-property-multiple-of-unset", False),
    (
        "request multipleOf changed",
        sent({**INT, "multipleOf": 2}, {**INT, "multipleOf": 3}),
        "request-property-multiple-of-changed",
        True,
    ),
    (
        "response multipleOf changed",
        received({**INT, "multipleOf": 2}, {**INT, "multipleOf": 3}),
        "response-property-multiple-of-changed",
        False,
    ),
    ("request default added", sent(STR, {**STR, "default": "a"}), "request-property-default-value-added", False),
    (
        "response default removed",
        received({**STR, "default": "a"}, STR),
        "response-property-default-value-removed",
        False,
    ),
    (
        "query default added",
        query({"schema": INT}, {"schema": {**INT, "default": 1}}),
        "request-parameter-default-value-added",
        True,
    ),
    (
        "query default removed",
        query({"schema": {**INT, "default": 1}}, {"schema": INT}),
        "request-parameter-default-value-removed",
        True,
    ),
    (
        "query default changed",
        query({"schema": {**INT, "default": 1}}, {"schema": {**INT, "default": 2}}),
        "request-parameter-default-value-changed",
        True,
    ),
    (
        "query parameter made optional",
        query({"required": True, "schema": INT}, {"schema": INT}),
        "request-parameter-became-optional",
        False,
    ),
    (
        "query parameter deprecated",
        query({"schema": INT}, {"schema": INT, "deprecated": True}),
        "request-parameter-deprecated",
        False,
    ),
    (
        "request closed",
        sent({"type": "object"}, {"type": "object", "additionalProperties": False}),
        "request-property-additional-properties-closed",
        True,
    ),
    (
        "response closed",
        received({"type": "object"}, {"type": "object", "additionalProperties": False}),
        "response-property-additional-properties-closed",
        False,
    ),
    (
        "request oneOf alternative added",
        sent({"oneOf": [STR, INT]}, {"oneOf": [STR, INT, OBJ_A]}),
        "request-property-one-of-added",
        False,
    ),
    (
        "request oneOf alternative removed",
        sent({"oneOf": [STR, INT]}, {"oneOf": [INT]}),
        "request-property-one-of-removed",
        True,
    ),
    ("request plain string became oneOf", sent(STR, {"oneOf": [INT, STR]}), "request-property-one-of-added", False),
    (
        "response oneOf alternative added",
        received({"oneOf": [STR, INT]}, {"oneOf": [OBJ_A, INT, STR]}),
        "response-property-one-of-added",
        True,
    ),
    (
        "response anyOf alternative removed",
        received({"anyOf": [STR, INT]}, {"anyOf": [INT]}),
        "response-property-any-of-removed",
        False,
    ),
    (
        "request anyOf alternative removed",
        sent({"anyOf": [STR, OBJ_A, OBJ_C]}, {"anyOf": [OBJ_C, STR]}),
        "request-property-any-of-removed",
        True,
    ),
    (
        "response anyOf alternative added",
        received({"anyOf": [STR, INT]}, {"anyOf": [INT, STR, OBJ_C]}),
        "response-property-any-of-added",
        True,
    ),
    ("response header added", header(None, INT_HEADER), "response-header-added", False),
    ("response header removed", header(INT_HEADER, None), "response-header-removed", True),
    ("response header made optional", header(INT_HEADER, {"schema": INT}), "response-header-became-optional", True),
    ("response header made required", header({"schema": INT}, INT_HEADER), "response-header-became-required", False),
    (
        "response header type changed",
        header(INT_HEADER, {**INT_HEADER, "schema": STR}),
        "response-header-type-changed",
        True,
    ),
    (
        "response header deprecated",
        header(INT_HEADER, {**INT_HEADER, "deprecated": True}),
        "response-header-deprecated",
        False,
    ),
    (
        "response header undeprecated",
        header({**INT_HEADER, "deprecated": True}, INT_HEADER),
        "response-header-reactivated",
        False,
    ),
    (
        "response status added",
        (
            mini(),
            _with(mini(), ["paths", "/t", "post", "responses", "201"], {"description": "x"}),
            f"{MINI} response 201",
        ),
        "response-status-added",
        False,
    ),
    (
        "response status removed",
        (mini(), _without(mini(), ["paths", "/t", "post", "responses", "200"]), f"{MINI} response 200"),
        "response-status-removed",
        True,
    ),
    (
        "request media type added",
        (
            mini(),
            _with(mini(), ["paths", "/t", "post", "requestBody", "content", "text/plain"], {}),
            f"{MINI} request body",
        ),
        "request-media-type-added",
        False,
    ),
    (
        "response media type removed",
        (mini(), _with(mini(), ["paths", "/t", "post", "responses", "200", "content"], {}), f"{MINI} response 200"),
        "response-media-type-removed",
        True,
    ),
    (
        "request body made optional",
        (mini(), _with(mini(), ["paths", "/t", "post", "requestBody", "required"], False), f"{MINI} request body"),
        "request-body-became-optional",
        False,
    ),
    (
        "request body removed",
        (mini(), _without(mini(), ["paths", "/t", "post", "requestBody"]), f"{MINI} request body"),
        "request-body-removed",
        True,
    ),
    (
        "required request body added",
        (_without(mini(), ["paths", "/t", "post", "requestBody"]), mini(), f"{MINI} request body"),
        "request-body-added-required",
        True,
    ),
    (
        "request body type widened",
        (
            mini(),
            _with(
                mini(),
                ["paths", "/t", "post", "requestBody", "content", "application/json", "schema", "type"],
                ["object", "array"],
            ),
            f"{MINI} request body",
        ),
        "request-body-type-generalized",
        False,
    ),
    (
        "operation undeprecated",
        (_with(mini(), ["paths", "/t", "post", "deprecated"], True), mini(), MINI),
        "api-reactivated",
        False,
    ),
    (
        "security scheme removed",
        (
            _with(mini(), ["components"], {"securitySchemes": {"K": {"type": "http", "scheme": "bearer"}}}),
            mini(),
            "components.securitySchemes.K",
        ),
        "api-security-scheme-removed",
        False,
    ),
    ("security tightened", (mini(), _with(mini(), ["security"], [{"K": []}]), MINI), "api-security-tightened", True),
    (
        "request then tightened",
        (
            *sent({**STR, **IF_A}, {**STR, "if": IF_A["if"], "then": {"maxLength": 0}})[:2],
            f"{MINI} request body f<then>",
        ),
        "request-property-max-length-decreased",
        True,
    ),
    (
        "request extensible enum value dropped",
        sent({**STR, "x-extensible-enum": ["a", "b"]}, {**STR, "x-extensible-enum": ["a"]}),
        "request-property-extensible-enum-value-removed",
        True,
    ),
    (
        "request field dropped from an open object (ignored from now on)",
        (mini(field=STR), _without(mini(field=STR), [*BODY_SCHEMA, "properties", "f"]), f"{MINI} request body f"),
        "request-property-now-ignored",
        "warn",
    ),
    (
        "request field dropped from a closed object (refused)",
        (
            _with(mini(field=STR), [*BODY_SCHEMA, "additionalProperties"], False),
            _with(
                _without(mini(field=STR), [*BODY_SCHEMA, "properties", "f"]),
                [*BODY_SCHEMA, "additionalProperties"],
                False,
            ),
            f"{MINI} request body f",
        ),
        "request-property-removed",
        True,
    ),
    (
        "response required field removed",
        (
            _with(mini(answer=STR), [*ANSWER_SCHEMA, "required"], ["f"]),
            _without(mini(answer=STR), [*ANSWER_SCHEMA, "properties", "f"]),
            f"{MINI} response 200 f",
        ),
        "response-property-removed",
        True,
    ),
    (
        "response optional field removed",
        (mini(answer=STR), _without(mini(answer=STR), [*ANSWER_SCHEMA, "properties", "f"]), f"{MINI} response 200 f"),
        "response-optional-property-removed",
        "warn",
    ),
    ("response optional header removed", header({"schema": INT}, None), "response-optional-header-removed", "warn"),
    ("response required header removed", header(INT_HEADER, None), "response-header-removed", True),
    (
        "error status removed",
        (_with(mini(), [*OPERATION, "responses", "404"], {"description": "no"}), mini(), f"{MINI} response 404"),
        "response-non-success-status-removed",
        False,
    ),
    (
        "success status removed",
        (_with(mini(), [*OPERATION, "responses", "201"], {"description": "ok"}), mini(), f"{MINI} response 201"),
        "response-status-removed",
        True,
    ),
    ("operation removed without deprecation", (mini(), _without(mini(), OPERATION), MINI), "api-removed", True),
    (
        "operation removed after deprecation",
        (deprecated(), _without(mini(), OPERATION), MINI),
        "api-removed-with-deprecation",
        False,
    ),
    (
        "operation removed after its sunset",
        (deprecated("2026-01-01"), _without(mini(), OPERATION), MINI),
        "api-removed-with-deprecation",
        False,
    ),
    (
        "operation removed before its sunset",
        (deprecated("2027-06-30"), _without(mini(), OPERATION), MINI),
        "api-removed-before-sunset",
        True,
    ),
    ("operation deprecated with a sunset", (mini(), deprecated("2027-06-30"), MINI), "api-deprecated", False),
    ("operation deprecated with a bad sunset", (mini(), deprecated("next spring"), MINI), "api-sunset-invalid", True),
    (
        "sunset dropped from a deprecated operation",
        (deprecated("2027-06-30"), deprecated(), MINI),
        "api-sunset-removed",
        True,
    ),
    (
        "sunset brought forward into the past",
        (deprecated("2027-06-30"), deprecated("2026-11-30"), MINI),
        "api-sunset-brought-forward",
        True,
    ),
    (
        "sunset brought forward, still ahead",
        (deprecated("2027-06-30"), deprecated("2027-01-31"), MINI),
        "api-sunset-changed",
        False,
    ),
    (
        "sunset postponed",
        (deprecated("2027-06-30"), deprecated("2027-12-31T00:00:00Z"), MINI),
        "api-sunset-changed",
        False,
    ),
    (
        "query parameter removed after deprecation",
        (query({"deprecated": True, "schema": STR}, {})[0], mini(), f"{MINI} query parameter q"),
        "request-parameter-removed-with-deprecation",
        False,
    ),
    (
        "query parameter removed before its sunset",
        (
            query({"deprecated": True, "x-sunset": "2027-01-01", "schema": STR}, {})[0],
            mini(),
            f"{MINI} query parameter q",
        ),
        "request-parameter-removed-before-sunset",
        True,
    ),
]
BOUND_KEYWORDS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
BOUND_KEYWORDS += (
    "maximum",
    "exclusiveMaximum",
    "maxLength",
    "maxItems",
    "maxProperties",
    "minContains",
    "maxContains",
)


def bound_cases() -> list[tuple[str, tuple[Spec, Spec, str], str, bool | str]]:
    """Every bound keyword set, unset, raised and lowered, sent and received: in requests a tightened bound
    breaks and a new one warns; in responses a widened one breaks (oasdiff's levels)."""
    cases: list[tuple[str, tuple[Spec, Spec, str], str, bool | str]] = []
    for keyword in BOUND_KEYWORDS:
        word = keyword.replace("exclusiveM", "exclusive-m").replace("imum", "").replace("Length", "-length")
        word = word.replace("Items", "-items").replace("Properties", "-properties").replace("Contains", "-contains")
        lower = "inimum" in keyword or keyword.startswith("min")
        for how, before, after in (("set", None, 5), ("unset", 5, None), ("increased", 5, 6), ("decreased", 6, 5)):
            tightened = {"set": True, "unset": False, "increased": lower, "decreased": not lower}[how]
            levels = {
                "request": ("warn" if how == "set" else "breaking") if tightened else "info",
                "response": "info" if tightened else "breaking",
            }
            for direction, build in (("request", sent), ("response", received)):
                old = {} if before is None else {keyword: before}
                new = {} if after is None else {keyword: after}
                rule = f"{direction}-property-{word}-{how}"
                cases.append((f"{direction} {keyword} {how}", build(old, new), rule, levels[direction]))
    return cases


# JSON Schema keywords compared as written: (keyword, a value, another value neither can be walked into)
KEYWORD_VALUES: list[tuple[str, Any, Any]] = [
    ("not", {"const": "a"}, {"const": "b"}),
    ("contains", True, STR),
    ("prefixItems", [STR], [STR, INT]),
    ("patternProperties", {"^a": STR}, {"^b": STR}),
    ("propertyNames", True, {"maxLength": 3}),
    ("dependentRequired", {"a": ["b"]}, {"a": ["c"]}),
    ("dependentSchemas", {"a": STR}, {"b": STR}),
    ("unevaluatedItems", False, STR),
    ("unevaluatedProperties", False, STR),
    ("contentSchema", True, STR),
    ("contentMediaType", "application/json", "image/png"),
    ("contentEncoding", "base64", "base32"),
]


def keyword_cases() -> list[tuple[str, tuple[Spec, Spec, str], str, bool | str]]:
    """Each keyword added (narrows requests), removed (widens responses) and changed (may do both)."""
    cases: list[tuple[str, tuple[Spec, Spec, str], str, bool | str]] = []
    for keyword, a, b in KEYWORD_VALUES:
        word = "".join(f"-{c.lower()}" if c.isupper() else c for c in keyword)
        for how, old, new, request, response in (
            ("added", {}, {keyword: b}, "breaking", "info"),
            ("removed", {keyword: a}, {}, "info", "breaking"),
            ("changed", {keyword: a}, {keyword: b}, "breaking", "breaking"),
        ):
            for direction, build, level in (("request", sent, request), ("response", received, response)):
                rule = f"{direction}-property-{word}-{how}"
                cases.append((f"{direction} {keyword} {how}", build(old, new), rule, level))
    return cases


ALL_RULE_CASES = RULE_CASES + bound_cases() + keyword_cases()


@pytest.mark.parametrize(
    ("specs", "rule", "expected"), [c[1:] for c in ALL_RULE_CASES], ids=[c[0] for c in ALL_RULE_CASES]
)
def test_each_rule_on_a_one_operation_spec(specs: tuple[Spec, Spec, str], rule: str, expected: bool | str) -> None:
    old, new, location = specs
    level = expected if isinstance(expected, str) else "breaking" if expected else "info"
    changes = diff_specs(old, new, today=TODAY)
    assert [(c.id, c.level, c.location) for c in changes] == [(rule, level, location)], render_text(triage(changes))
    assert all(c.breaking == (c.level == "breaking") for c in changes)


def test_every_rule_of_the_table_has_a_mutation_test() -> None:
    from veo3.spec_diff._rules import RULES, SUBJECT_RULES

    tested = {m[4] for m in MUTATIONS} | {c[2] for c in ALL_RULE_CASES}
    tested |= {"request-parameter-default-value-removed", "request-property-default-value-removed"}  # test above
    tested |= {"request-body-wrapped-in-one-of"}  # test_a_plain_request_schema_wrapped_in_overlapping_one_of
    tested |= {"request-property-too-deep"}  # test_a_hostile_depth_is_a_warning_never_a_crash
    tested |= {"request-property-too-many-paths"}  # test_components_reaching_each_other_by_exponentially_many_paths...
    untested = [kind for kind in RULES if not any(rule.endswith(f"-{kind}") for rule in tested)]
    untested += [f"{s}-{k}" for s, k in SUBJECT_RULES if not any(r.endswith(f"-{s}-{k}") for r in tested)]
    assert untested == []


def test_rule_ids_are_kebab_case_and_the_same_on_every_run() -> None:
    new = spec()
    schemas(new)["Seeds"]["maximum"] = 5
    schemas(new)["TaskDetails"]["properties"].pop("errorMessage")
    first, second = diff_specs(load_spec(), new), diff_specs(load_spec(), copy.deepcopy(new))
    assert [c.id for c in first] == [c.id for c in second]
    assert all(
        re.fullmatch(r"(api|request|response)(-[a-z0-9]+)+", c.id)
        for c in first + [c for _, (o, n, _), *_ in ALL_RULE_CASES for c in diff_specs(o, n)]
    )


# --- allOf, response headers and alternatives on the real spec ------------------------------------------


def split_task_details_into_all_of(s: Spec) -> None:
    """TaskDetails as ``allOf`` of its error fields (a component) and the rest: the same schema."""
    details = schemas(s)["TaskDetails"]
    errors = {name: details["properties"].pop(name) for name in ("errorCode", "errorMessage")}
    schemas(s)["TaskErrors"] = {"type": "object", "properties": errors, "required": ["errorMessage"]}
    schemas(s)["TaskDetails"] = {"allOf": [details, {"$ref": "#/components/schemas/TaskErrors"}]}


def test_splitting_a_schema_into_all_of_is_no_change_when_the_fields_stay() -> None:
    old = spec()
    old_details = schemas(old)["TaskDetails"]
    old_details["required"] = [*old_details["required"], "errorMessage"]
    new = copy.deepcopy(old)
    split_task_details_into_all_of(new)
    assert diff_specs(old, new) == []


@pytest.mark.parametrize(
    ("mutate", "rule", "breaking"),
    [
        (lambda s: schemas(s)["TaskErrors"]["properties"].pop("errorMessage"), "response-property-removed", True),
        (lambda s: schemas(s)["TaskErrors"]["required"].clear(), "response-property-became-optional", True),
        (lambda s: schemas(s)["TaskErrors"]["properties"].update(hint=STR), "response-property-added", False),
        (
            lambda s: schemas(s)["TaskErrors"]["properties"].update(errorCode={"type": ["boolean", "null"]}),
            "response-property-type-changed",
            True,
        ),
    ],
    ids=["member field removed", "member field optional", "member field added", "member field type changed"],
)
def test_a_change_inside_an_all_of_member_is_reported(mutate: Callable[[Spec], Any], rule: str, breaking: bool) -> None:
    old = spec()
    split_task_details_into_all_of(old)
    new = copy.deepcopy(old)
    mutate(new)
    changes = diff_specs(old, new)
    assert len(changes) == 1 and changes[0].id == rule and changes[0].breaking == breaking, changes
    assert changes[0].location.startswith(f"{RECORD_INFO} response 200 data.")


@pytest.mark.parametrize("annotated", [False, True], ids=["plain $ref", "$ref with a sibling keyword"])
def test_a_self_referencing_all_of_schema_is_compared_once(annotated: bool) -> None:
    def tree(extra: dict[str, Any]) -> Spec:
        child: dict[str, Any] = {"$ref": "#/components/schemas/Node"} | ({"description": "x"} if annotated else {})
        node = {"allOf": [{"$ref": "#/components/schemas/Base"}], "properties": {"child": child, **extra}}
        s = mini(answer={"$ref": "#/components/schemas/Node"})
        s["components"] = {"schemas": {"Base": {"type": "object"}, "Node": node}}
        return s

    changes = diff_specs(tree({}), tree({"x": STR}))
    assert [(c.id, c.location) for c in changes] == [("response-property-added", f"{MINI} response 200 f.x")]


def test_reordering_one_of_branches_is_no_change() -> None:
    new = spec()
    schemas(new)["CallbackUrls"]["oneOf"].reverse()
    promptjson = next(s for s in schemas(new).values() if "promptJson" in s.get("properties", {}))
    promptjson["properties"]["promptJson"]["oneOf"].reverse()
    assert diff_specs(load_spec(), new) == []
    old_mini, new_mini, _ = sent({"oneOf": [STR, INT, OBJ_A, OBJ_C]}, {"oneOf": [OBJ_C, INT, OBJ_A, STR]})
    assert diff_specs(old_mini, new_mini) == []


def test_a_changed_branch_is_compared_with_its_counterpart_wherever_it_moved() -> None:
    old, new, _ = received({"oneOf": [STR, {**OBJ_A, "required": ["a"]}]}, {"oneOf": [OBJ_A, {**STR, "maxLength": 3}]})
    changes = diff_specs(old, new)
    assert {(c.id, c.breaking) for c in changes} == {
        ("response-property-became-optional", True),  # the object branch lost its required field
        ("response-property-max-length-set", False),
    }


def test_response_header_names_are_case_insensitive() -> None:
    old, _, _ = header(INT_HEADER, None)
    new = copy.deepcopy(old)
    headers = new["paths"]["/t"]["post"]["responses"]["200"]["headers"]
    headers["x-ratelimit-remaining"] = headers.pop("X-RateLimit-Remaining")
    assert diff_specs(old, new) == []


# --- spec-wide properties: every bound and every enum of the committed spec ------------------------------

BOUNDS = ("minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems")


def sites(keyword_test: Callable[[dict[str, Any]], list[str]]) -> list[tuple[tuple[str, ...], str]]:
    """(path inside components.schemas, keyword) for every schema node the test picks keywords from."""
    found: list[tuple[tuple[str, ...], str]] = []

    def walk(node: Any, path: tuple[str, ...]) -> None:
        if isinstance(node, dict):
            found.extend((path, k) for k in keyword_test(node))
            for key, value in node.items():
                walk(value, (*path, key))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, (*path, str(index)))

    walk(load_spec()["components"]["schemas"], ())
    return found


BOUND_SITES = sites(lambda n: [k for k in BOUNDS if isinstance(n.get(k), int) and not isinstance(n.get(k), bool)])
ENUM_SITES = sites(lambda n: ["enum"] if isinstance(n.get("enum"), list) and len(n["enum"]) > 1 else [])


def node_at(s: Spec, path: tuple[str, ...]) -> dict[str, Any]:
    node: Any = schemas(s)
    for part in path:
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node  # type: ignore[no-any-return]


def sent_by_client(location: str) -> bool:
    """Request bodies and parameters are sent by the client; responses and callbacks are received."""
    return "callback" not in location and (" request body" in location or " parameter " in location)


def test_the_spec_has_bounds_and_enums_to_mutate() -> None:
    assert len(BOUND_SITES) >= 5 and len(ENUM_SITES) >= 5


@given(site=st.sampled_from(BOUND_SITES), tighten=st.booleans())
def test_for_every_bound_tightening_breaks_requests_and_loosening_breaks_responses(
    site: tuple[tuple[str, ...], str], tighten: bool
) -> None:
    path, keyword = site
    new = spec()
    node = node_at(new, path)
    lower = keyword.startswith("min")
    node[keyword] += 1 if lower == tighten else -1
    changes = diff_specs(load_spec(), new)
    assert changes, f"{'/'.join(path)} {keyword} is used nowhere"
    for change in changes:
        # a tightened bound breaks what clients send; a widened one breaks what they receive (oasdiff: ERR)
        assert change.breaking == (tighten == sent_by_client(change.location)), change
        assert keyword in change.message


@given(site=st.sampled_from(ENUM_SITES), data=st.data())
def test_for_every_enum_removing_a_value_breaks_requests_and_adding_one_breaks_strict_responses(
    site: tuple[tuple[str, ...], str], data: st.DataObject
) -> None:
    path, _ = site
    values: list[Any] = node_at(load_spec(), path)["enum"]
    remove = data.draw(st.booleans())
    new = spec()
    node = node_at(new, path)
    if remove:
        node["enum"].remove(data.draw(st.sampled_from(values)))
    else:
        node["enum"].append(7777 if isinstance(values[0], int) else "new-value")
    changes = diff_specs(load_spec(), new)
    assert changes
    for change in changes:
        sent, in_band = sent_by_client(change.location), change.location.endswith(" code")
        expected = sent if remove else (not sent and not in_band)
        assert change.breaking == expected, change


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=25,
)
schema_keys = st.sampled_from(
    ["type", "enum", "required", "properties", "items", "anyOf", "maximum", "$ref", "security"]
)


@given(old=json_values, new=json_values, key=schema_keys, value=json_values)
def test_for_all_malformed_documents_diff_specs_returns_changes_without_crashing(
    old: Any, new: Any, key: str, value: Any
) -> None:
    base = spec()
    # Garbage at the top level, and garbage in one schema keyword of a real spec.
    schemas(base)["GenerateRequest"][key] = value
    garbage_security = {**load_spec(), "security": value, "components": {"securitySchemes": value}}
    for a, b in ((old, new), (load_spec(), base), (base, load_spec()), (garbage_security, load_spec())):
        a_doc = a if isinstance(a, dict) else {"paths": a}
        b_doc = b if isinstance(b, dict) else {"paths": b}
        assert all(isinstance(c, Change) for c in diff_specs(a_doc, b_doc))


# --- the ignore file, the report formats and the command ---------------------------------------------------

TIGHTENED = "request-property-max-decreased"


def breaking_pair(tmp_path: Path) -> tuple[Path, Path]:
    """Two spec files: seeds' maximum lowered (2 breaking changes) and an optional field added (1 not)."""
    new = spec()
    schemas(new)["Seeds"]["maximum"] = 50000
    schemas(new)["GenerateRequest"]["properties"]["style"] = {"type": "string"}
    old_file, new_file = tmp_path / "old.json", tmp_path / "new.json"
    old_file.write_text(json.dumps(load_spec()))
    new_file.write_text(json.dumps(new))
    return old_file, new_file


def ignore_file(tmp_path: Path, *entries: dict[str, Any], name: str = "ignore.json") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"$comment": "test", "accepted": list(entries)}))
    return path


def accept(location: str, rule: str = TIGHTENED) -> dict[str, str]:
    return {"id": rule, "location": location, "reason": "accepted in a test"}


def run_cli(*args: str | Path) -> Result:
    return CliRunner().invoke(app, ["spec-diff", *map(str, args)])


def test_triage_accepts_listed_breaks_and_reports_entries_that_match_nothing() -> None:
    new = spec()
    schemas(new)["Seeds"]["maximum"] = 50000
    changes = diff_specs(load_spec(), new)
    stale = AcceptedBreak("request-property-removed", f"{GENERATE} request body seeds", "nothing matches this")
    one = AcceptedBreak(TIGHTENED, f"{GENERATE} request body seeds", "kie lowered it")
    report = triage(changes, [one, stale])
    assert report.breaking  # extend's seeds is not accepted
    assert [e.accepted for e in report.entries] == [one, None]
    assert report.stale == (stale,)
    both = triage(changes, [one, AcceptedBreak(TIGHTENED, f"{EXTEND} request body seeds", "kie lowered it")])
    assert not both.breaking and both.stale == ()
    assert "accepted: kie lowered it" in render_text(both)
    assert render_text(both).endswith("0 breaking, 2 accepted, 0 non-breaking.")


@pytest.mark.parametrize(
    ("content", "complaint"),
    [
        ("[]", "expected"),
        ('{"accepted": {}}', "expected"),
        ('{"accepted": [], "ignored": []}', "unknown key(s) ignored"),
        ('{"accepted": ["x"]}', "accepted[0]: not an object"),
        ('{"accepted": [{"id": "a", "location": "b"}]}', "'reason' must be a non-empty string"),
        ('{"accepted": [{"id": "a", "location": "b", "reason": "  "}]}', "'reason' must be a non-empty string"),
        ('{"accepted": [{"id": "a", "location": "b", "reason": "r", "until": "1.0"}]}', "unknown key(s) until"),
        (
            '{"accepted": [{"id": "a", "location": "b", "reason": "r"}, {"id": "a", "location": "b", "reason": "s"}]}',
            "twice",
        ),
        ("{not json", "not valid JSON"),
    ],
)
def test_a_malformed_ignore_file_is_refused_with_the_entry_named(tmp_path: Path, content: str, complaint: str) -> None:
    path = tmp_path / "ignore.json"
    path.write_text(content)
    with pytest.raises(ValueError, match=re.escape(complaint)):
        load_ignore_file(path)
    old, new = breaking_pair(tmp_path)
    result = run_cli(old, new, "--ignore", path)
    assert result.exit_code == 2 and complaint in result.stderr


def test_the_committed_ignore_file_is_valid_and_its_entries_name_known_rules() -> None:
    from veo3.spec_diff._rules import RULES

    path = Path(__file__).parent.parent / IGNORE_FILE
    for entry in load_ignore_file(path):
        assert any(entry.id.endswith(f"-{kind}") for kind in RULES), entry


def test_cli_exit_1_on_an_unaccepted_break_with_the_rule_ids_in_text(tmp_path: Path) -> None:
    old, new = breaking_pair(tmp_path)
    result = run_cli(old, new, "--ignore", ignore_file(tmp_path))
    assert result.exit_code == 1, result.stderr
    assert f"{GENERATE} request body seeds: maximum changed: 99999 -> 50000 (tightened) [{TIGHTENED}]" in result.stdout
    assert "[request-property-added-optional]" in result.stdout
    assert result.stdout.rstrip().endswith("2 breaking, 1 non-breaking.")
    assert run_cli(old, old).exit_code == 0


def test_cli_exit_0_when_every_break_is_accepted_and_json_marks_them(tmp_path: Path) -> None:
    old, new = breaking_pair(tmp_path)
    accepted = ignore_file(tmp_path, accept(f"{GENERATE} request body seeds"), accept(f"{EXTEND} request body seeds"))
    result = run_cli(old, new, "--ignore", accepted, "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["breaking"] is False and document["stale_ignores"] == []
    assert {(c["id"], c["breaking"], c["ignored"]) for c in document["changes"]} == {
        (TIGHTENED, True, True),
        ("request-property-added-optional", False, False),
    }
    assert all(c.get("reason") == "accepted in a test" for c in document["changes"] if c["ignored"])
    assert set(document["changes"][0]) >= {"id", "breaking", "location", "message", "ignored"}
    # --json is an alias of --format json: the same document.
    assert json.loads(run_cli(old, new, "--ignore", accepted, "--json").stdout) == document


def test_cli_stale_entries_are_a_warning_not_a_failure(tmp_path: Path) -> None:
    old, _ = breaking_pair(tmp_path)
    stale = ignore_file(tmp_path, accept(f"{GENERATE} request body seeds"))
    result = run_cli(old, old, "--ignore", stale)
    assert result.exit_code == 0
    assert "warning" in result.stderr and TIGHTENED in result.stderr and "matches no change" in result.stderr
    assert result.stdout.strip() == "No changes."
    document = json.loads(run_cli(old, old, "--ignore", stale, "--json").stdout)
    assert document == {
        "breaking": False,
        "warnings": False,
        "changes": [],
        "stale_ignores": [{**accept(f"{GENERATE} request body seeds")}],
    }


def test_cli_markdown_has_one_table_per_group(tmp_path: Path) -> None:
    old, new = breaking_pair(tmp_path)
    accepted = ignore_file(tmp_path, accept(f"{GENERATE} request body seeds"), accept("nowhere", "api-removed"))
    result = run_cli(old, new, "--ignore", accepted, "--format", "markdown")
    assert result.exit_code == 1
    out = result.stdout
    assert out.startswith("### API changes: 1 breaking, 1 accepted, 1 non-breaking.")
    assert out.index("#### Breaking changes (1)") < out.index("#### Accepted changes") < out.index("#### Non-breaking")
    assert f"| `{TIGHTENED}` | {EXTEND} request body seeds | maximum changed: 99999 -> 50000 (tightened) |" in out
    assert "| accepted in a test |" in out
    assert "Stale ignore entries (1)" in out and "`api-removed` at nowhere" in out


def test_cli_reads_the_project_ignore_file_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old, new = breaking_pair(tmp_path)
    ignore_file(
        tmp_path,
        accept(f"{GENERATE} request body seeds"),
        accept(f"{EXTEND} request body seeds"),
        name=str(IGNORE_FILE),
    )
    monkeypatch.chdir(tmp_path)
    assert run_cli(old, new).exit_code == 0
    (tmp_path / IGNORE_FILE).unlink()
    assert run_cli(old, new).exit_code == 1


@pytest.mark.parametrize(
    "args",
    [
        ("{old}",),
        ("{old}", "{tmp}/missing.json"),
        ("{old}", "{tmp}/garbage.json"),
        ("{old}", "{tmp}/list.json"),
        ("{old}", "{old}", "--format", "xml"),
        ("{old}", "{old}", "--json", "--format", "text"),
        ("{old}", "{old}", "--ignore", "{tmp}/missing.json"),
    ],
    ids=[
        "one spec",
        "missing file",
        "not JSON",
        "not an object",
        "unknown format",
        "--json with text",
        "no ignore file",
    ],
)
def test_cli_exit_2_on_a_usage_error_or_an_unreadable_file(tmp_path: Path, args: tuple[str, ...]) -> None:
    old, _ = breaking_pair(tmp_path)
    (tmp_path / "garbage.json").write_text("{not json")
    (tmp_path / "list.json").write_text("[]")
    result = run_cli(*(a.format(old=old, tmp=tmp_path) for a in args))
    assert result.exit_code == 2, (result.stdout, result.stderr)


def test_python_m_veo3_spec_diff_is_the_same_command(tmp_path: Path) -> None:
    old, new = breaking_pair(tmp_path)
    empty = ignore_file(tmp_path)
    command = [sys.executable, "-m", "veo3.spec_diff", str(old), str(new), "--ignore", str(empty), "--json"]
    ran = subprocess.run(command, capture_output=True, text=True, check=False)
    assert ran.returncode == 1, ran.stderr
    assert json.loads(ran.stdout) == json.loads(run_cli(old, new, "--ignore", empty, "--json").stdout)


# --- make spec-gate (scripts/spec_diff.sh gate) ---------------------------------------------------------------

ROOT = Path(__file__).parent.parent


def gate(tmp_path: Path, baseline: str, *args: str | Path, new: Path | None = None) -> subprocess.CompletedProcess[str]:
    # `python -m veo3.cli` instead of `uv run veo3`: the same command, without a second environment check.
    env = {**os.environ, "SPEC_BASELINE": baseline, "VEO3": f"{sys.executable} -m veo3.cli"}
    if new is not None:
        env["NEW"] = str(new)
    command = ["bash", str(ROOT / "scripts" / "spec_diff.sh"), "gate", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=tmp_path, check=False)


def test_spec_gate_skips_with_a_warning_when_the_baseline_is_not_in_the_clone(tmp_path: Path) -> None:
    ran = gate(tmp_path, "0" * 40)
    assert ran.returncode == 0
    assert "SKIPPED" in ran.stderr and "git fetch --unshallow" in ran.stderr


def test_spec_gate_fails_on_an_unaccepted_break_since_the_baseline(tmp_path: Path) -> None:
    if subprocess.run(["git", "-C", str(ROOT), "cat-file", "-e", "HEAD"], capture_output=True).returncode:
        pytest.skip("not a git checkout")
    head = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"HEAD:{SPEC_PATH}"], capture_output=True, text=True, check=True
    )
    new = json.loads(head.stdout)
    new["components"]["schemas"]["Seeds"]["maximum"] = 50000
    new_file = tmp_path / "new.json"
    new_file.write_text(json.dumps(new))
    failed = gate(tmp_path, "HEAD", "--ignore", ignore_file(tmp_path), new=new_file)
    assert failed.returncode == 1, failed.stderr
    assert TIGHTENED in failed.stdout
    accepted = ignore_file(tmp_path, accept(f"{GENERATE} request body seeds"), accept(f"{EXTEND} request body seeds"))
    assert gate(tmp_path, "HEAD", "--ignore", accepted, new=new_file).returncode == 0
