"""The hot-path validity check agrees with jsonschema on the spec's request schemas."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from veo3._spec import _document as _spec
from veo3._spec import _fastcheck
from veo3._spec._validation import json_names
from veo3_api.models.extend_request import ExtendRequest
from veo3_api.models.generate_request import GenerateRequest

REQUEST_REFS = sorted(
    {op.body_schema_ref for op in _spec.iter_operations() if op.body_schema_ref}
    | {p["schema"]["$ref"] for op in _spec.iter_operations() for p in op.query_parameters}
)


def _interesting_scalars(ref: str) -> list[Any]:
    """Values near every rule of the schema: its enum values, bounds +-1, and odd types (read from the spec)."""
    out: list[Any] = [None, True, False, 0, -1, 1.5, "", " ", "x", "https://a.b/c", "http://", "ftp://x", [], {}]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "$ref" in node:
                walk(_spec.resolve(node["$ref"]))
            for key in ("minimum", "maximum", "minItems", "maxItems", "minLength", "maxLength"):
                if isinstance(node.get(key), int):
                    out.extend([node[key] - 1, node[key], node[key] + 1, float(node[key])])
            out.extend(node.get("enum", []))
            out.extend(node.get("examples", []))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk({"$ref": ref})
    return out


def _values(ref: str) -> st.SearchStrategy[Any]:
    scalars = st.sampled_from(_interesting_scalars(ref)) | st.text(max_size=5) | st.integers()
    return st.recursive(scalars, lambda inner: st.lists(inner, max_size=4), max_leaves=6)


def _instances(ref: str) -> st.SearchStrategy[Any]:
    schema = _spec.resolve(ref)
    keys = list(schema.get("properties", {}))
    if not keys:
        return _values(ref)
    return st.dictionaries(st.sampled_from([*keys, "unknownField"]), _values(ref), max_size=len(keys) + 1)


@pytest.mark.parametrize("ref", REQUEST_REFS)
def test_every_request_schema_compiles(ref: str) -> None:
    assert _fastcheck.compile_ref(ref) is not None


@pytest.mark.parametrize("ref", REQUEST_REFS)
@given(data=st.data())
def test_fast_check_agrees_with_jsonschema(ref: str, data: st.DataObject) -> None:
    """For all instances built from the schema's own keys and boundary values: both checks give the same answer."""
    instance = data.draw(_instances(ref))
    assert _fastcheck.compile_ref(ref)(instance) == _spec.validator(ref).is_valid(instance)  # type: ignore[misc]


def test_unsupported_keywords_are_refused_not_guessed() -> None:
    assert _fastcheck.compile_schema({"type": "string", "format": "uri"}) is not None
    assert _fastcheck.compile_schema({"oneOf": [{"type": "string"}]}) is None
    assert _fastcheck.compile_schema({"properties": {"a": {"uniqueItems": True}}}) is None


def test_keyword_names_come_from_the_generated_models() -> None:
    assert json_names(GenerateRequest)["call_back_url"] == "callBackUrl"
    assert json_names(GenerateRequest)["aspect_ratio"] == "aspect_ratio"
    assert json_names(GenerateRequest)["image_urls"] == "imageUrls"
    assert json_names(ExtendRequest)["task_id"] == "taskId"
