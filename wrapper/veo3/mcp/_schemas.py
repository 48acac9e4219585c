"""The tools' input schemas, read from the spec; this module does no I/O and names no API field.

A job of ``generate_videos`` is the spec's generate request with the library's keyword names (``aspect_ratio``,
``image_urls``: the names ``Veo3Client.generate`` takes and the CLI spells in kebab-case), its ``$ref``s
inlined so a client needs no other document; ``extend_video`` is the extend request; task ids, indexes and
upload names are the spec's own schemas. A field, bound or enum value added to the spec reaches these
schemas through ``make generate`` alone (``tests/test_api_change_drill.py``). Deprecated fields are left
out, as the CLI hides them: still accepted by kie, no longer advertised.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from veo3._spec import _document as _spec
from veo3._spec._operations import DETAILS, EXTEND, GENERATE, GET_4K, GET_1080P, UPLOAD_STREAM, Operation

__all__ = [
    "MAX_JOBS",
    "MAX_TASK_IDS",
    "MAX_WAIT_SECONDS",
    "RESOLUTIONS",
    "request_object",
    "tool_schemas",
]

#: Jobs per ``generate_videos`` call and ids per ``get_tasks``/``wait_for_tasks`` call (alfman99/kie-ai-mcp's
#: limits: large enough that an agent never loops, small enough that one call stays cheap to check).
MAX_JOBS = 16
MAX_TASK_IDS = 32
#: A wait longer than a client's request timeout fails in the client however well the server behaves;
#: ten minutes is what clients that raised their limits use (peers-ecosystem.md). Resume with another call.
MAX_WAIT_SECONDS = 600
DEFAULT_WAIT_SECONDS = 120
#: ``upgrade_video``'s ``resolution``: the two upgrade operations.
RESOLUTIONS: Mapping[str, Operation] = {"1080p": GET_1080P, "4k": GET_4K}

# OpenAPI annotations a JSON Schema client has no use for: they cost an agent tokens and say nothing it acts on.
_DROPPED = ("examples", "example", "deprecated", "readOnly", "writeOnly", "xml", "externalDocs")


def _inline(schema: Any) -> Any:
    """``schema`` with every ``$ref`` followed (siblings win) and OpenAPI-only keys dropped."""
    if isinstance(schema, list):
        return [_inline(item) for item in schema]
    if not isinstance(schema, Mapping):
        return schema
    merged = _spec.resolved(schema)
    out: dict[str, Any] = {}
    for key, value in merged.items():
        if key in _DROPPED or key.startswith("x-"):
            continue
        if key == "description" and isinstance(value, str):
            out[key] = _first_sentence(value)
        elif key == "properties" and isinstance(value, Mapping):
            out[key] = {name: _inline(sub) for name, sub in value.items()}
        else:
            out[key] = _inline(value)
    return out


def _first_sentence(text: str) -> str:
    words = " ".join(text.split())
    return words.split(". ")[0].rstrip(".") + "."


def _fields(op: Operation, skip: Iterable[str] = ()) -> list[_spec.RequestField]:
    skipped = set(skip)
    return [f for f in op.request_fields if not f.deprecated and f.python_name not in skipped]


def request_object(op: Operation, *, skip: Iterable[str] = (), description: str | None = None) -> dict[str, Any]:
    """The request of ``op`` as one JSON object keyed by the library's keyword names."""
    fields = _fields(op, skip)
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {f.python_name: _inline(f.declared) for f in fields},
        "required": [f.python_name for f in fields if f.required],
        "additionalProperties": False,
    }
    if description:
        schema["description"] = description
    return schema


def _field(op: Operation, python_name: str) -> dict[str, Any]:
    field = next(f for f in op.request_fields if f.python_name == python_name)
    return _inline(field.declared)  # type: ignore[no-any-return]


def _task_ids(description: str) -> dict[str, Any]:
    return {
        "type": "array",
        "items": _field(DETAILS, "task_id"),
        "minItems": 1,
        "maxItems": MAX_TASK_IDS,
        "uniqueItems": True,
        "description": description,
    }


def _upgrade() -> dict[str, Any]:
    """Both upgrade requests in one object: the fields of either (the first spelling of a shared one)."""
    properties: dict[str, Any] = {
        "resolution": {
            "type": "string",
            "enum": list(RESOLUTIONS),
            "description": "1080p (the task can no longer be extended afterwards) or 4k.",
        }
    }
    required = ["resolution"]
    for op in RESOLUTIONS.values():
        for f in _fields(op):
            properties.setdefault(f.python_name, _inline(f.declared))
            if f.required and f.python_name not in required:
                required.append(f.python_name)
    properties["timeout_seconds"] = _timeout("Seconds to wait for the upgraded video before answering")
    return {"type": "object", "properties": properties, "required": required, "additionalProperties": False}


def _timeout(description: str) -> dict[str, Any]:
    return {
        "type": "number",
        "exclusiveMinimum": 0,
        "maximum": MAX_WAIT_SECONDS,
        "default": DEFAULT_WAIT_SECONDS,
        "description": f"{description} (the task goes on after a timeout: call again to resume).",
    }


def _object(properties: Mapping[str, Any], required: Iterable[str] = ()) -> dict[str, Any]:
    return {"type": "object", "properties": dict(properties), "required": list(required), "additionalProperties": False}


def tool_schemas() -> dict[str, dict[str, Any]]:
    """Every tool's input schema, by tool name."""
    generate_job = request_object(GENERATE, description="One video: the fields of Veo3Client.generate.")
    return {
        "generate_videos": _object(
            {
                "jobs": {
                    "type": "array",
                    "items": generate_job,
                    "minItems": 1,
                    "maxItems": MAX_JOBS,
                    "description": "The videos to make; every job is checked and priced before the first is sent.",
                }
            },
            ["jobs"],
        ),
        "extend_video": request_object(EXTEND),
        "upgrade_video": _upgrade(),
        "get_tasks": _object({"task_ids": _task_ids("Tasks to look up (one request each).")}, ["task_ids"]),
        "wait_for_tasks": _object(
            {
                "task_ids": _task_ids("Tasks to wait for, all at once."),
                "timeout_seconds": _timeout("Seconds to wait for all of them"),
            },
            ["task_ids"],
        ),
        "download_video": {
            **_object(
                {
                    "task_id": {**_field(DETAILS, "task_id"), "description": "A finished task: its video."},
                    "url": {
                        "type": "string",
                        "pattern": "^https?://",
                        "description": "A result URL (e.g. of upgrade_video) instead of a task id.",
                    },
                    "file_name": {
                        **_field(UPLOAD_STREAM, "file_name"),
                        "description": "Name of the file in the server's folder (default: the URL's).",
                    },
                }
            ),
            "oneOf": [{"required": ["task_id"]}, {"required": ["url"]}],
        },
        "upload_file": _object(
            {
                "path": {
                    "type": "string",
                    "minLength": 1,
                    "description": "A file inside the server's folder (relative to it, or absolute).",
                }
            },
            ["path"],
        ),
        "get_credits": _object({}),
    }
