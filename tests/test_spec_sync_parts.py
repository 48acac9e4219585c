"""The parts of the spec build, one by one: fragment extraction, normalisation, the overlay applier, YAML limits."""

from __future__ import annotations

import pytest
from veo3.spec_sync import (
    SpecSyncError,
    apply_overlay,
    extract_fragment,
    fragment_paths,
    merge_fragments,
    read_actions,
)
from veo3.spec_sync._yaml import load_yaml

FRAGMENT = (
    "paths:\n  /api/x:\n    get:\n      description: |\n        ```\n        code in a description\n        ```\n"
)


@pytest.mark.parametrize(
    "page",
    [
        f"# Old\n\n## OpenAPI Specification\n\n```yaml\n{FRAGMENT}```\n\n## After\n",
        f"# New\n\n## OpenAPI\n\n````yaml veo3-api/veo3-api.json get /api/x\n{FRAGMENT}````\n",
    ],
    ids=["three-backtick", "four-backtick"],
)
def test_both_fence_styles_give_the_fragment_verbatim(page: str) -> None:
    assert extract_fragment(page, "page") == FRAGMENT  # the indented ``` inside YAML does not close it


def test_a_fence_that_never_closes_or_a_page_without_one_is_refused() -> None:
    with pytest.raises(SpecSyncError, match="never closed"):
        extract_fragment("## OpenAPI\n\n```yaml\npaths: {}\n", "p")
    with pytest.raises(SpecSyncError, match="no OpenAPI YAML block"):
        extract_fragment("# A guide\n\n```yaml\npaths: {}\n```\n", "p")  # a yaml block, but no OpenAPI heading


MINTLIFY = {
    "paths": {
        "path": "/api/v1/veo/get-1080p-video",
        "method": "get",
        "servers": [{"url": "https://api.kie.ai"}],
        "request": {
            "security": [{"title": "BearerAuth", "parameters": {}}],
            "parameters": {
                "query": {
                    "taskId": {"schema": [{"type": "string", "required": True, "description": "Task ID"}]},
                    "index": {"schema": [{"type": "integer", "default": 0}]},
                }
            },
            "body": {},
        },
        "response": {
            "200": {
                "application/json": {
                    "schemaArray": [
                        {
                            "type": "object",
                            "properties": {"code": {"allOf": [{"type": "integer", "enum": [200, 422]}]}},
                            "requiredProperties": ["code"],
                        }
                    ],
                    "examples": {},
                },
                "description": "ok",
            }
        },
        "deprecated": False,
        "type": "path",
    }
}


def test_mintlify_shape_becomes_plain_openapi() -> None:
    assert fragment_paths(MINTLIFY, "p") == {
        "/api/v1/veo/get-1080p-video": {
            "servers": [{"url": "https://api.kie.ai"}],
            "get": {
                "parameters": [
                    {
                        "name": "taskId",
                        "in": "query",
                        "required": True,
                        "description": "Task ID",
                        "schema": {"type": "string"},
                    },
                    {"name": "index", "in": "query", "schema": {"type": "integer", "default": 0}},
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {"code": {"type": "integer", "enum": [200, 422]}},
                                    "required": ["code"],
                                }
                            }
                        },
                    }
                },
                "security": [{"BearerAuth": []}],
            },
        }
    }


def test_plain_fragments_lose_vendor_keys_get_their_servers_and_merge() -> None:
    one = {
        "openapi": "3.0.1",
        "servers": [{"url": "https://a"}],
        "paths": {"/a": {"get": {"x-apidog-folder": "f", "summary": "s"}}},
    }
    two = {"paths": {"/a": {"post": {"summary": "t"}}}}
    assert merge_fragments([("one", one), ("two", two)]) == {
        "openapi": "3.0.1",
        "paths": {"/a": {"servers": [{"url": "https://a"}], "get": {"summary": "s"}, "post": {"summary": "t"}}},
    }
    with pytest.raises(SpecSyncError, match="defined by two pages"):
        merge_fragments([("one", one), ("again", one)])
    with pytest.raises(SpecSyncError, match="has no 'paths'"):
        merge_fragments([("none", {"openapi": "3.0.1", "components": {}})])


def overlay(*actions: dict) -> dict:  # type: ignore[type-arg]
    return {
        "overlay": "1.0.0",
        "info": {"title": "t", "version": "1"},
        "actions": [{"x-reason": "why", **a} for a in actions],
    }


def test_overlay_update_merges_appends_and_remove_removes() -> None:
    doc = {"paths": {"/a": {"get": {"tags": ["x"], "summary": "old"}}, "/b": {"get": {}}}}
    actions = read_actions(
        overlay(
            {"target": "$.paths['/a'].get", "update": {"summary": "new", "tags": ["y"], "deprecated": True}},
            {"target": "$.paths['/a'].get.tags", "update": "z"},
            {"target": "$.paths['/b']", "remove": True},
            {"target": "$.paths['/nothing']", "remove": True},
            {"target": "$.paths['/a'].get.summary", "update": "new"},
        ),
        "o",
    )
    result, report = apply_overlay(doc, actions)
    assert result == {"paths": {"/a": {"get": {"tags": ["x", "y", "z"], "summary": "new", "deprecated": True}}}}
    assert doc["paths"]["/b"] == {"get": {}}  # the input is not modified
    assert [(r.matched, r.changed) for r in report] == [(1, True), (1, True), (1, True), (0, False), (1, False)]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"target": "$.paths[?@.x =~ 'a']", "update": {}}, "RFC 9535"),  # a python-jsonpath extension
        ({"target": "$", "update": {}, "x-reason": "two\nlines"}, "one-line x-reason"),
        ({"target": "$", "update": {}, "remove": True}, "either update or remove"),
    ],
)
def test_overlay_actions_are_checked(bad: dict, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(SpecSyncError, match=message):
        read_actions({"overlay": "1.0.0", "actions": [{"x-reason": "why", **bad}]}, "o")


def test_yaml_limits() -> None:
    assert load_yaml("a: &x [1]\nb: *x\n", "p") == {"a": [1], "b": [1]}  # kie's pages use aliases
    with pytest.raises(SpecSyncError, match="larger than"):
        load_yaml("a: " + "x" * 100, "p", max_bytes=50)
    with pytest.raises(SpecSyncError, match="malformed"):
        load_yaml("a: !!python/object:os.system ls\n", "p")  # safe loader only
