"""Pairing a node of kie's fragments with ours: ``$ref`` followed, ``anyOf``/``oneOf``/``allOf`` entered.

Shared by the carry step (additions) and the follow step (removals and narrowings): our spec names its
schemas and refers to them, kie's pages inline them, so "the same place" is found through our references.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

_MAX_REFS = 32  # a chain longer than this is a loop


def resolve(document: dict[str, Any], node: Any) -> Any:
    """``node`` with local ``$ref`` chains followed through ``document`` (an unresolvable one gives ``{}``)."""
    for _ in range(_MAX_REFS):
        ref = node.get("$ref") if isinstance(node, dict) else None
        if not (isinstance(ref, str) and ref.startswith("#/")):
            return node
        target: Any = document
        for part in ref[2:].split("/"):
            target = target.get(part.replace("~1", "/").replace("~0", "~"), {}) if isinstance(target, dict) else {}
        node = target
    return node


def branches(document: dict[str, Any], node: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """The schemas a value may match: ``node`` itself, or the members of its ``anyOf``/``oneOf``/``allOf``."""
    node = resolve(document, node)
    if not isinstance(node, dict) or depth > _MAX_REFS:
        return
    members = [m for key in ("anyOf", "oneOf", "allOf") for m in node.get(key) or []]
    if members and "properties" not in node and "enum" not in node:
        for member in members:
            yield from branches(document, member, depth + 1)
    else:
        yield node


class Walk:
    """``resolve`` and ``branches`` bound to the document of ours that a step walks."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document

    def resolve(self, node: Any) -> Any:
        return resolve(self.document, node)

    def branches(self, node: Any) -> Iterator[dict[str, Any]]:
        return branches(self.document, node)
