"""Option help texts that quote the spec (enums, defaults, bounds) instead of repeating it."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any


@cache
def _schemas() -> Mapping[str, Any]:
    """The spec's component schemas, read without importing ``veo3_api``.

    ``veo3._spec`` finds the spec through ``import veo3_api``, which loads httpx: that alone would
    triple the time ``veo3 --help`` takes. ``find_spec`` locates the package without running it.
    """
    found = find_spec("veo3_api")
    if found is None or not found.submodule_search_locations:
        from veo3 import _spec

        spec = _spec.load_spec()
    else:
        path = Path(next(iter(found.submodule_search_locations))) / "openapi.json"
        spec = json.loads(path.read_text(encoding="utf-8"))
    schemas: Mapping[str, Any] = spec["components"]["schemas"]
    return schemas


def _property(schema: str, name: str) -> Mapping[str, Any]:
    node: Mapping[str, Any] = _schemas()[schema]["properties"][name]
    while "$ref" in node:
        node = _schemas()[str(node["$ref"]).rsplit("/", 1)[-1]]
    return node


def spec_help(schema: str, name: str, lead: str) -> str:
    """``lead`` followed by the values, bounds and default the spec gives for ``schema.name``."""
    node = _property(schema, name)
    parts = [lead]
    if "enum" in node:
        parts.append("One of: " + ", ".join(str(v) for v in node["enum"]) + ".")
    if "minimum" in node and "maximum" in node:
        parts.append(f"From {node['minimum']} to {node['maximum']}.")
    if "maxItems" in node:
        parts.append(f"At most {node['maxItems']}.")
    if "default" in node:
        parts.append(f"API default: {node['default']}.")
    return " ".join(parts)
