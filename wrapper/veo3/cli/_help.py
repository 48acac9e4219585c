"""Option help texts that quote the spec (enums, defaults, bounds) instead of repeating it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from veo3 import _spec


def _property(schema: str, name: str) -> Mapping[str, Any]:
    node: Mapping[str, Any] = _spec.resolve(f"#/components/schemas/{schema}")["properties"][name]
    while "$ref" in node:
        node = _spec.resolve(node["$ref"])
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
