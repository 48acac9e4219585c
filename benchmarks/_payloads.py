"""Requests and replies taken from the spec's own examples (nothing copied into the benchmarks)."""

from __future__ import annotations

import json
from typing import Any

from veo3._spec import _document as _spec

API_KEY = "bench-key-not-secret"
TASK_ID = "veo_task_abcdef123456"
RECORD_INFO = _spec.operation("get-veo3-1-video-details").path
EXTEND = _spec.operation("extend-veo3-1-video").path
GENERATE = _spec.operation("generate-veo3-1-video").path


def _example(op_id: str, name: str, *, request: bool = False) -> Any:
    definition = _spec.operation(op_id).definition
    if request:
        content = definition["requestBody"]["content"]["application/json"]
    else:
        content = definition["responses"]["200"]["content"]["application/json"]
    return content["examples"][name]["value"]


def record_info_success() -> bytes:
    """The spec's example reply of record-info for a successful task."""
    return json.dumps(_example("get-veo3-1-video-details", "success")).encode()


def extend_created() -> bytes:
    """The spec's example reply of extend when the task was created."""
    return json.dumps(_example("extend-veo3-1-video", "created")).encode()


def extend_request() -> dict[str, Any]:
    """The spec's example body of an extend request."""
    body: dict[str, Any] = dict(_example("extend-veo3-1-video", "docsExample", request=True))
    return body
