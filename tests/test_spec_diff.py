"""veo3.spec_diff: one mutation of the committed spec gives exactly the expected, classified changes."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from veo3._spec import load_spec
from veo3.spec_diff import Change, diff_specs, format_report, main

Spec = dict[str, Any]
GENERATE = "POST /api/v1/veo/generate"
EXTEND = "POST /api/v1/veo/extend"
RECORD_INFO = "GET /api/v1/veo/record-info"
HD = "GET /api/v1/veo/get-1080p-video"


def spec() -> Spec:
    """A private deep copy of the committed spec, free to mutate."""
    return copy.deepcopy(dict(load_spec()))


def schemas(s: Spec) -> dict[str, Any]:
    return s["components"]["schemas"]  # type: ignore[no-any-return]


def outcome(changes: list[Change]) -> set[tuple[bool, str]]:
    return {(c.breaking, c.location) for c in changes}


def test_the_committed_spec_against_itself_has_no_changes() -> None:
    assert diff_specs(load_spec(), spec()) == []
    assert format_report([]) == "No changes."


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


# (mutation id, mutation, expected {(breaking, location)}, a word every message contains)
MUTATIONS: list[tuple[str, Callable[[Spec], None], set[tuple[bool, str]], str]] = [
    (
        "seeds maximum tightened",
        _schema("Seeds", lambda x: x.update(maximum=50000)),
        {(True, f"{GENERATE} request body seeds"), (True, f"{EXTEND} request body seeds")},
        "tightened",
    ),
    (
        "seeds maximum widened",
        _schema("Seeds", lambda x: x.update(maximum=999999)),
        {(False, f"{GENERATE} request body seeds"), (False, f"{EXTEND} request body seeds")},
        "loosened",
    ),
    (
        "seeds minimum raised",
        _schema("Seeds", lambda x: x.update(minimum=20000)),
        {(True, f"{GENERATE} request body seeds"), (True, f"{EXTEND} request body seeds")},
        "minimum",
    ),
    (
        "seeds maximum removed",
        _schema("Seeds", lambda x: x.pop("maximum")),
        {(False, f"{GENERATE} request body seeds"), (False, f"{EXTEND} request body seeds")},
        "removed",
    ),
    (
        "request enum value removed",
        _schema("AspectRatio", lambda x: x["enum"].remove("Auto")),
        {(True, f"{GENERATE} request body aspect_ratio")},
        '"Auto" removed',
    ),
    (
        "request enum value added",
        _schema("AspectRatio", lambda x: x["enum"].append("1:1")),
        {(False, f"{GENERATE} request body aspect_ratio")},
        '"1:1" added',
    ),
    (
        "imageUrls maxItems lowered",
        _schema("GenerateRequest", lambda x: x["properties"]["imageUrls"].update(maxItems=2)),
        {(True, f"{GENERATE} request body imageUrls")},
        "maxItems",
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
    ),
    (
        "request type narrowed",
        _schema("Seeds", lambda x: x.update(type="string")),
        {(True, f"{GENERATE} request body seeds"), (True, f"{EXTEND} request body seeds")},
        "type changed",
    ),
    (
        "request type widened integer to number",
        _schema("Seeds", lambda x: x.update(type="number")),
        {(False, f"{GENERATE} request body seeds"), (False, f"{EXTEND} request body seeds")},
        "type changed",
    ),
    (
        "required request field added",
        _schema(
            "GenerateRequest",
            lambda x: (x["properties"].update(style={"type": "string"}), x["required"].append("style")),
        ),
        {(True, f"{GENERATE} request body style")},
        "required field added",
    ),
    (
        "optional request field added",
        _schema("GenerateRequest", lambda x: x["properties"].update(style={"type": "string"})),
        {(False, f"{GENERATE} request body style")},
        "optional field added",
    ),
    (
        "request field removed",
        _schema("ExtendRequest", lambda x: x["properties"].pop("watermark")),
        {(True, f"{EXTEND} request body watermark")},
        "refused",
    ),
    (
        "optional request field made required",
        _schema("ExtendRequest", lambda x: x["required"].append("seeds")),
        {(True, f"{EXTEND} request body seeds")},
        "now required",
    ),
    (
        "required request field made optional",
        _schema("ExtendRequest", lambda x: x["required"].remove("prompt")),
        {(False, f"{EXTEND} request body prompt")},
        "no longer required",
    ),
    (
        "request opened to additional properties",
        _schema("Get4kRequest", lambda x: x.pop("additionalProperties")),
        {(False, "POST /api/v1/veo/get-4k-video request body")},
        "additional properties",
    ),
    (
        "operation removed",
        lambda s: s["paths"].pop("/api/v1/chat/credit"),
        {(True, "GET /api/v1/chat/credit")},
        "removed",
    ),
    (
        "operation added",
        lambda s: s["paths"]["/api/v1/chat/credit"].update(
            post=copy.deepcopy(s["paths"]["/api/v1/chat/credit"]["get"]) | {"operationId": "post-credits"}
        ),
        {(False, "POST /api/v1/chat/credit")},
        "added",
    ),
    (
        "operationId renamed",
        lambda s: s["paths"]["/api/v1/chat/credit"]["get"].update(operationId="credits"),
        {(True, "GET /api/v1/chat/credit")},
        "operationId",
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
    ),
    (
        "optional query parameter made required",
        _params("/api/v1/veo/get-1080p-video", "get", lambda p: p[1].update(required=True)),
        {(True, f"{HD} query parameter index")},
        "now required",
    ),
    (
        "query parameter removed",
        _params("/api/v1/veo/get-1080p-video", "get", lambda p: p.pop(1)),
        {(True, f"{HD} query parameter index")},
        "removed",
    ),
    (
        "response field removed",
        _schema("TaskDetails", lambda x: x["properties"].pop("errorMessage")),
        {(True, f"{RECORD_INFO} response 200 data.errorMessage")},
        "field removed",
    ),
    (
        "response field added",
        _schema("TaskDetails", lambda x: x["properties"].update(progress={"type": "number"})),
        {(False, f"{RECORD_INFO} response 200 data.progress")},
        "field added",
    ),
    (
        "response field made nullable",
        _schema("TaskDetails", lambda x: x["properties"]["taskId"].update(type=["string", "null"])),
        {(True, f"{RECORD_INFO} response 200 data.taskId")},
        "nullable",
    ),
    (
        "required response field no longer required",
        _schema("TaskDetails", lambda x: x["required"].remove("successFlag")),
        {(True, f"{RECORD_INFO} response 200 data.successFlag")},
        "may be absent",
    ),
    (
        "response field now required",
        _schema("TaskDetails", lambda x: x["required"].append("errorMessage")),
        {(False, f"{RECORD_INFO} response 200 data.errorMessage")},
        "always present",
    ),
    (
        "response enum widened",
        _schema("SuccessFlag", lambda x: x["enum"].append(4)),
        {(True, f"{RECORD_INFO} response 200 data.successFlag")},
        "closed enums",
    ),
    (
        "response enum narrowed",
        _schema("SuccessFlag", lambda x: x["enum"].remove(3)),
        {(False, f"{RECORD_INFO} response 200 data.successFlag")},
        "removed",
    ),
    (
        "documented in-band code added",
        _schema("GenerateCode", lambda x: x["enum"].append(418)),
        {(False, f"{GENERATE} response 200 code")},
        "in-band code(s) 418 added",
    ),
    (
        "documented in-band code removed",
        _schema("TaskDetailsCode", lambda x: x["enum"].remove(x["enum"][-1])),
        {(False, f"{RECORD_INFO} response 200 code")},
        "in-band code(s)",
    ),
    (
        "global security removed",
        lambda s: s.update(security=[]),
        {(False, f"{m} {p}") for p, item in load_spec()["paths"].items() for m in ("GET", "POST") if m.lower() in item},
        "security changed",
    ),
    (
        "security added to an operation that had none",
        lambda s: (
            s.update(security=[]),
            s["paths"]["/api/v1/chat/credit"]["get"].update(security=[{"BearerAuth": []}]),
        ),
        "relaxed-except-credits",  # computed below: every other operation relaxes, credits still needs the key
        "security changed",
    ),
    (
        "security scheme changed",
        lambda s: s["components"]["securitySchemes"]["BearerAuth"].update(
            type="apiKey", name="X-Key", **{"in": "header"}
        ),
        {(True, "components.securitySchemes.BearerAuth")},
        "changed",
    ),
    (
        "callback field removed",
        _schema("VideoCallbackInfo", lambda x: x["properties"].pop("resolution")),
        {
            (True, f"{GENERATE} callback onVideoGenerated callback body data.info.resolution"),
            (True, f"{EXTEND} callback onVideoExtended callback body data.info.resolution"),
        },
        "field removed",
    ),
    (
        "callback removed",
        lambda s: s["paths"]["/api/v1/veo/get-4k-video"]["post"].pop("callbacks"),
        {(True, "POST /api/v1/veo/get-4k-video callback on4KVideoGenerated")},
        "callback removed",
    ),
]


@pytest.mark.parametrize(("mutate", "expected", "word"), [m[1:] for m in MUTATIONS], ids=[m[0] for m in MUTATIONS])
def test_one_mutation_gives_exactly_the_expected_classification(
    mutate: Callable[[Spec], None], expected: set[tuple[bool, str]] | str, word: str
) -> None:
    new = spec()
    mutate(new)
    changes = diff_specs(load_spec(), new)
    if expected == "relaxed-except-credits":
        # Dropping the global requirement relaxes every operation except the one that now asks for it itself.
        expected = {
            (False, f"{m} {p}")
            for p, item in load_spec()["paths"].items()
            for m in ("GET", "POST")
            if m.lower() in item and p != "/api/v1/chat/credit"
        }
    assert outcome(changes) == expected, format_report(changes)
    assert all(word in c.message for c in changes), format_report(changes)
    assert len(changes) == len(expected)


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
    report = format_report(diff_specs(load_spec(), new))
    assert report.index("Breaking changes (2)") < report.index("Non-breaking changes (1)")
    assert report.endswith("2 breaking, 1 non-breaking.")


def test_main_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old_file, same_file, broken_file = tmp_path / "old.json", tmp_path / "same.json", tmp_path / "new.json"
    old_file.write_text(json.dumps(load_spec()))
    same_file.write_text(json.dumps(load_spec()))
    broken = spec()
    schemas(broken)["Seeds"]["maximum"] = 50000
    broken_file.write_text(json.dumps(broken))

    assert main([str(old_file), str(same_file)]) == 0
    assert "No changes." in capsys.readouterr().out
    assert main([str(old_file), str(broken_file)]) == 1
    assert "seeds: maximum changed: 99999 -> 50000 (tightened)" in capsys.readouterr().out
    assert main([str(old_file)]) == 2
    assert main([str(old_file), str(tmp_path / "missing.json")]) == 2


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
def test_for_every_bound_tightening_breaks_requests_only_and_loosening_breaks_nothing(
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
        assert change.breaking == (tighten and sent_by_client(change.location)), change
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
