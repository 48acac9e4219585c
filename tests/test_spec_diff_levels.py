"""``veo3 spec-diff``: recursive schemas, allOf merging, the warn level, level overrides and exit codes."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner, Result
from veo3.cli._app import app
from veo3.spec_diff import diff_specs, load_level_overrides, render_markdown, report_document, triage

Spec = dict[str, Any]
WHERE = "POST /t"


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def api(schemas: dict[str, Any], body: dict[str, Any] | None = None) -> Spec:
    """One operation whose request body and 200 response are ``body`` (default: the ``Node`` schema)."""
    schema = body or ref("Node")  # the same object on both sides: a deep one need not be copied
    operation = {
        "operationId": "t",
        "requestBody": {"required": True, "content": {"application/json": {"schema": schema}}},
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}},
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/t": {"post": operation}},
        "components": {"schemas": schemas},
    }


# Schemas that refer to themselves through each keyword the differ follows, with a bounded field "n".
N = {"type": "string", "maxLength": 10}
RECURSIVE: dict[str, dict[str, Any]] = {
    "oneOf itself and null": {"Node": {"oneOf": [ref("Node"), {"type": "null"}]}},
    "oneOf itself alone": {"Node": {"oneOf": [ref("Node")]}},
    "anyOf itself": {"Node": {"anyOf": [ref("Node"), {"type": "object", "properties": {"n": N}}]}},
    "oneOf with a self branch": {"Node": {"oneOf": [{"type": "object", "properties": {"n": N}}, ref("Node")]}},
    "allOf itself": {"Node": {"allOf": [ref("Node"), {"type": "object", "properties": {"n": N}}]}},
    "allOf through another": {"Node": {"allOf": [ref("B")]}, "B": {"allOf": [ref("Node"), {"properties": {"n": N}}]}},
    "items": {"Node": {"type": "array", "items": ref("Node")}},
    "properties": {"Node": {"type": "object", "properties": {"n": N, "a": ref("Node"), "b": ref("Node")}}},
    "a tree": {
        "Node": {
            "type": "object",
            "properties": {"n": N, "kids": {"type": "array", "items": ref("Node")}, "x": {"allOf": [ref("Node")]}},
        }
    },
    "mutual oneOf": {"Node": {"oneOf": [ref("B"), {"type": "null"}]}, "B": {"anyOf": [ref("Node")]}},
}


@pytest.mark.parametrize("schemas", RECURSIVE.values(), ids=RECURSIVE.keys())
def test_recursive_schemas_never_crash_and_changes_inside_them_are_found(schemas: dict[str, Any]) -> None:
    old = api(schemas)
    assert diff_specs(old, copy.deepcopy(old)) == []
    new = copy.deepcopy(old)
    text = json.dumps(new["components"])
    tightened = json.loads(text.replace('"maxLength": 10', '"maxLength": 5'))
    new["components"] = tightened
    changes = diff_specs(old, new)
    if "maxLength" in text:  # the bounded field is reachable: its tightening is a break of the request
        assert any(c.id.endswith("max-length-decreased") and c.breaking for c in changes), changes


def test_a_constraint_an_added_all_of_member_puts_on_an_existing_field_is_kept() -> None:
    """The field keeps its own schema and gains the member's bound: both hold, so the tighter one counts."""
    base = {"type": "object", "properties": {"prompt": {"type": "string", "maxLength": 100}}}
    old = api({"Node": base})
    new = api({"Node": {"allOf": [base, {"properties": {"prompt": {"maxLength": 10, "enum": ["a", "b"]}}}]}})
    changes = {c.id: c for c in diff_specs(old, new) if c.id.startswith("request")}
    assert changes["request-property-max-length-decreased"].breaking
    assert changes["request-property-became-enum"].breaking
    assert changes["request-property-max-length-decreased"].location == f"{WHERE} request body prompt"


def test_all_of_members_merge_keyword_by_keyword() -> None:
    """Tighter bounds win, enums and types intersect, required unites, a closed member closes the object."""
    plain = {
        "type": "object",
        "properties": {"n": {"type": "integer", "minimum": 5, "maximum": 10}, "e": {"enum": ["a", "b"]}},
        "required": ["n", "e"],
        "additionalProperties": False,
    }
    split = {
        "allOf": [
            {"type": "object", "properties": {"n": {"type": ["integer", "string"], "minimum": 1, "maximum": 10}}},
            {"properties": {"n": {"type": "integer", "minimum": 5}, "e": {"enum": ["a", "b", "c"]}}},
            {"properties": {"e": {"enum": ["b", "a"]}}, "required": ["n"]},
            {"required": ["e"], "additionalProperties": False},
        ]
    }
    assert diff_specs(api({"Node": plain}), api({"Node": split})) == []


def test_a_plain_request_schema_wrapped_in_overlapping_one_of_breaks() -> None:
    """A value that fits both new branches fails "exactly one" (oasdiff: request-body-wrapped-in-one-of)."""
    obj = {"type": "object", "properties": {"a": {"type": "string"}}}
    changes = diff_specs(api({}, obj), api({}, {"oneOf": [obj, {**obj, "required": ["a"]}]}))
    ids = {c.id: c.level for c in changes}
    assert ids["request-body-wrapped-in-one-of"] == "breaking"
    disjoint = {"oneOf": [obj, {"type": "string"}]}  # a string never fits the object branch: no new failure
    assert "request-body-wrapped-in-one-of" not in {c.id for c in diff_specs(api({}, obj), api({}, disjoint))}


def test_a_response_with_a_raised_maximum_breaks_and_a_request_bound_set_warns() -> None:
    old = api({"Node": {"type": "object", "properties": {"n": {"type": "integer", "maximum": 10}, "m": N}}})
    new = copy.deepcopy(old)
    new["components"]["schemas"]["Node"]["properties"]["n"]["maximum"] = 20
    new["components"]["schemas"]["Node"]["properties"]["m"] = {**N, "minLength": 1}
    levels = {(c.id, c.level) for c in diff_specs(old, new)}
    assert levels == {
        ("request-property-max-increased", "info"),
        ("response-property-max-increased", "breaking"),
        ("request-property-min-length-set", "warn"),
        ("response-property-min-length-set", "info"),
    }


# --- levels: overrides, reports, exit codes ---------------------------------------------------------------


def pair(tmp_path: Path) -> tuple[Path, Path]:
    """Two spec files: a response enum grows (breaking), a request bound is set (warn)."""
    old = api({"Node": {"type": "object", "properties": {"s": {"enum": ["a"]}, "m": {"type": "string"}}}})
    new = copy.deepcopy(old)
    new["components"]["schemas"]["Node"]["properties"]["s"]["enum"].append("b")
    new["components"]["schemas"]["Node"]["properties"]["m"]["maxLength"] = 9
    paths = tmp_path / "old.json", tmp_path / "new.json"
    for path, document in zip(paths, (old, new), strict=True):
        path.write_text(json.dumps(document))
    return paths


def policy(tmp_path: Path, levels: Any) -> Path:
    path = tmp_path / "ignore.json"
    path.write_text(json.dumps({"accepted": [], "levels": levels}))
    return path


def run_cli(*args: str | Path) -> Result:
    return CliRunner().invoke(app, ["spec-diff", *map(str, args)])


ENUM_ADDED = "response-property-enum-value-added"
MAX_SET = "request-property-max-length-set"


def test_warnings_are_listed_apart_and_fail_only_with_fail_on_warn(tmp_path: Path) -> None:
    old, new = pair(tmp_path)
    lowered = policy(tmp_path, {ENUM_ADDED: {"level": "warn", "reason": "our clients' enums are open"}})
    result = run_cli(old, new, "--ignore", lowered)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "Warnings (may break some clients) (2):" in result.stdout
    assert result.stdout.rstrip().endswith("0 breaking, 2 warnings, 2 non-breaking.")
    assert run_cli(old, new, "--ignore", lowered, "--fail-on", "warn").exit_code == 1
    document = json.loads(run_cli(old, new, "--ignore", lowered, "--json").stdout)
    assert document["breaking"] is False and document["warnings"] is True
    assert {(c["id"], c["level"]) for c in document["changes"]} >= {(ENUM_ADDED, "warn"), (MAX_SET, "warn")}


def test_an_override_can_raise_a_rule_to_breaking(tmp_path: Path) -> None:
    old, new = pair(tmp_path)
    raised = policy(
        tmp_path,
        {
            MAX_SET: {"level": "breaking", "reason": "kie enforces new limits at once"},
            ENUM_ADDED: {"level": "info", "reason": "open enums"},
        },
    )
    result = run_cli(old, new, "--ignore", raised, "--json")
    assert result.exit_code == 1
    levels = {c["id"]: (c["level"], c["breaking"]) for c in json.loads(result.stdout)["changes"]}
    assert levels[MAX_SET] == ("breaking", True) and levels[ENUM_ADDED] == ("info", False)
    assert run_cli(old, new).exit_code == 1  # without the file the enum growth breaks


@pytest.mark.parametrize(
    ("levels", "complaint"),
    [
        ({"request-property-teleported": {"level": "warn", "reason": "x"}}, "not a spec-diff rule id"),
        ({MAX_SET: {"level": "fatal", "reason": "x"}}, "level must be one of info, warn, breaking"),
        ({MAX_SET: {"level": "warn"}}, "'reason' must be a non-empty string"),
        ({MAX_SET: {"level": "warn", "reason": "x", "until": "2027"}}, 'expected {"level", "reason"}'),
        ([MAX_SET], '"levels" must be an object'),
    ],
    ids=["unknown rule", "unknown level", "no reason", "unknown key", "not an object"],
)
def test_a_bad_override_is_refused_with_exit_2(tmp_path: Path, levels: Any, complaint: str) -> None:
    path = policy(tmp_path, levels)
    with pytest.raises(ValueError, match=re.escape(complaint)):
        load_level_overrides(path)
    old, new = pair(tmp_path)
    result = run_cli(old, new, "--ignore", path)
    assert result.exit_code == 2 and complaint in result.stderr, result.stderr


def test_the_committed_ignore_file_levels_are_valid() -> None:
    load_level_overrides(Path(__file__).parent.parent / "openapi" / "spec-diff-ignore.json")


def test_an_internal_error_exits_2_never_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """1 means "breaking" to a gate (make spec-gate, veo3 spec sync): a crash must not read as a verdict."""
    old, new = pair(tmp_path)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr("veo3.spec_diff.diff_specs", broken)
    result = run_cli(old, new)
    assert result.exit_code == 2
    assert "RecursionError" in result.stderr or "recursion" in result.stderr
    assert "bug in veo3 spec-diff" in result.stderr
    document = json.loads(run_cli(old, new, "--json").stdout)
    assert document["error"]["type"] == "RecursionError" and document["error"]["exit_code"] == 2


def test_markdown_and_json_carry_the_level(tmp_path: Path) -> None:
    old, new = (json.loads(p.read_text()) for p in pair(tmp_path))
    report = triage(diff_specs(old, new))
    markdown = render_markdown(report)
    assert markdown.index("#### Breaking changes (1)") < markdown.index("#### Warnings (may break some clients) (1)")
    assert {c["level"] for c in report_document(report)["changes"]} == {"breaking", "warn", "info"}


def query_api(schema: dict[str, Any]) -> Spec:
    spec = api({"Node": {"type": "object"}})
    spec["paths"]["/t"]["post"]["parameters"] = [{"name": "q", "in": "query", "schema": schema}]
    return spec


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ({"type": ["string", "integer"]}, {"type": "array", "items": {"type": "string"}}, {"type-generalized"}),
        ({"type": "integer"}, {"type": "array", "items": {"type": "number"}}, {"type-generalized"}),
        (
            {"type": ["string", "integer"]},
            {"type": "array", "items": {"type": "integer"}},
            {"type-changed", "type-specialized"},  # the parameter, then its items (from any type)
        ),
        (
            {"type": "string"},
            {"type": "array", "items": {"type": "string", "maxLength": 3}},
            {"type-generalized", "max-length-set"},
        ),
    ],
    ids=["to strings", "to a wider type", "to a narrower type", "to constrained items"],
)
def test_a_query_parameter_turned_into_an_array_still_takes_one_value(
    old: dict[str, Any], new: dict[str, Any], expected: set[str]
) -> None:
    """``?q=5`` reads as ``[5]`` in the form style: the old values stay valid if the items take them."""
    changes = diff_specs(query_api(old), query_api(new))
    assert {c.id.removeprefix("request-parameter-") for c in changes} == expected, changes
    assert all(c.location.startswith(f"{WHERE} query parameter q") for c in changes)
    assert all(c.breaking for c in changes) == ("type-generalized" not in expected)


def nested(depth: int, leaf: dict[str, Any], wrap: str) -> dict[str, Any]:
    schema = leaf
    for _ in range(depth):
        if wrap == "properties":
            schema = {"type": "object", "properties": {"x": schema}}
        elif wrap == "allOf":
            schema = {"allOf": [{"type": "object", "properties": {"x": schema}}]}
        else:
            schema = {"oneOf": [schema, {"type": "null"}]}
    return schema


@pytest.mark.parametrize("wrap", ["properties", "allOf", "oneOf"])
def test_a_hostile_depth_is_a_warning_never_a_crash(wrap: str) -> None:
    """Past 64 nested schemas the differ stops and says so (too-deep, warn) instead of passing in silence."""
    old, new = (api({}, nested(300, {"type": t}, wrap)) for t in ("string", "integer"))
    changes = diff_specs(old, new)
    assert changes, "a change 300 levels down went unreported"
    if wrap != "oneOf":  # oneOf[x, null] unwraps into fewer levels: the walk may reach the leaf
        assert {(c.id, c.level) for c in changes} == {
            ("request-property-too-deep", "warn"),
            ("response-property-too-deep", "warn"),
        }
    deeper = api({}, nested(3000, {"type": "string"}, wrap))  # deeper than Python's own recursion limit
    assert diff_specs(deeper, api({}, nested(3000, {"type": "integer"}, wrap)))


def test_a_spec_file_too_deep_to_parse_exits_2(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text('{"openapi": "3.1.0", "x": ' + "[" * 100_000 + "]" * 100_000 + "}")
    result = run_cli(deep, deep)
    assert result.exit_code == 2 and "nested too deeply" in result.stderr, result.stderr


# Any graph of component schemas that refer to each other through every keyword the differ follows.
NAMES = ("S0", "S1", "S2")
leaf_schemas = st.sampled_from([ref(n) for n in NAMES] + [{"type": "string", "maxLength": 3}, {"type": "null"}, {}])
graph_schemas = st.recursive(
    leaf_schemas,
    lambda inner: st.one_of(
        st.builds(lambda xs: {"oneOf": xs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda xs: {"anyOf": xs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda xs: {"allOf": xs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda x: {"type": "array", "items": x}, inner),
        st.builds(lambda x: {"not": x}, inner),
        st.builds(lambda x: {"contains": x}, inner),
        st.builds(lambda x: {"if": {"type": "string"}, "then": x}, inner),
        st.builds(lambda x: {"type": "object", "additionalProperties": x}, inner),
        st.builds(lambda ps: {"type": "object", "properties": ps}, st.dictionaries(st.sampled_from("abc"), inner)),
    ),
    max_leaves=8,
)
graphs = st.fixed_dictionaries({name: graph_schemas for name in NAMES})


@given(old=graphs, new=graphs)
def test_for_all_graphs_of_schemas_referring_to_each_other_the_differ_ends_without_crashing(
    old: dict[str, Any], new: dict[str, Any]
) -> None:
    for a, b in ((old, new), (old, copy.deepcopy(old))):
        changes = diff_specs(api(a), api(b))
        assert all(c.level in ("breaking", "warn", "info") for c in changes)
    assert diff_specs(api(old), api(copy.deepcopy(old))) == []


def test_components_reaching_each_other_by_exponentially_many_paths_are_compared_once_each_past_a_cap() -> None:
    """Four components, each with four fields pointing at the others, paired off by one in the new spec:
    4^16 paths. Past 2000 schema pairs in one body the differ says so and compares each $ref pair once."""
    names = [f"S{i}" for i in range(4)]

    def tangle(shift: int) -> dict[str, Any]:
        return {
            name: {
                "type": "object",
                "properties": {
                    **{key: ref(names[(i + j + shift) % 4]) for j, key in enumerate("abcd")},
                    "v": {"type": "string", "maxLength": 3 + shift},
                },
            }
            for i, name in enumerate(names)
        }

    changes = diff_specs(api(tangle(0), ref("S0")), api(tangle(1), ref("S0")))
    warnings = {c.id for c in changes if c.level == "warn"}
    assert warnings == {"request-property-too-many-paths", "response-property-too-many-paths"}
    assert len(changes) < 5000
    assert any(c.id == "request-property-max-length-increased" for c in changes)
