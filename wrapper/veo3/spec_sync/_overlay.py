"""Applying an OpenAPI Overlay 1.0 document, with RFC 9535 JSONPath targets.

Semantics (Overlay 1.0.0, "Action Object"), applied in document order:

- ``remove: true`` removes every node the target selects from its parent.
- ``update`` merges into every node the target selects: for an object target, the update's keys are
  merged recursively (objects into objects, a list onto a list is appended, anything else replaces);
  for an array target the update is appended as one entry.
- A target that selects nothing is no error (the Overlay spec allows it) but is reported: for our
  overlay it means kie's page changed under the action (:attr:`ActionResult.matched` is 0).

Targets are compiled by python-jsonpath's strict environment: RFC 9535 syntax only, no extensions.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jsonpath import JSONPathEnvironment
from jsonpath.exceptions import JSONPathError

from veo3.spec_sync._errors import SpecSyncError

_JSONPATH = JSONPathEnvironment(strict=True)


@dataclass(frozen=True)
class Action:
    """One overlay action, as read from the overlay file (``index`` counts from 1 in document order)."""

    index: int
    target: str
    reason: str
    update: Any = None
    remove: bool = False

    @property
    def label(self) -> str:
        """How reports name the action: its number, kind and target."""
        return f"#{self.index} {'remove' if self.remove else 'update'} {self.target}"


@dataclass(frozen=True)
class ActionResult:
    """What one action did: how many nodes its target selected, and whether it changed any."""

    action: Action
    matched: int
    changed: bool


def read_actions(overlay: Any, source: str) -> list[Action]:
    """The actions of an Overlay 1.0 document; ``SpecSyncError`` on anything not shaped like one."""
    if not isinstance(overlay, Mapping) or not str(overlay.get("overlay", "")).startswith("1."):
        raise SpecSyncError(f"{source}: not an Overlay 1.x document (no 'overlay: 1.0.0')")
    actions = overlay.get("actions")
    if not isinstance(actions, list) or not actions:
        raise SpecSyncError(f"{source}: no actions")
    out = []
    for index, raw in enumerate(actions, start=1):
        if not isinstance(raw, Mapping) or not isinstance(raw.get("target"), str):
            raise SpecSyncError(f"{source}: action {index} has no target")
        reason = raw.get("x-reason")
        if not isinstance(reason, str) or not reason.strip() or "\n" in reason.strip():
            raise SpecSyncError(f"{source}: action {index} ({raw['target']}) needs a one-line x-reason")
        if ("update" in raw) == bool(raw.get("remove")):
            raise SpecSyncError(f"{source}: action {index} must either update or remove")
        try:
            _JSONPATH.compile(raw["target"])
        except JSONPathError as exc:
            raise SpecSyncError(f"{source}: action {index}: target is not RFC 9535 JSONPath: {exc}") from None
        out.append(Action(index, raw["target"], reason.strip(), raw.get("update"), bool(raw.get("remove"))))
    return out


def select(document: Any, target: str) -> list[tuple[tuple[Any, ...], Any]]:
    """``(location, value)`` of each node ``target`` selects (locations as key/index tuples)."""
    return [(tuple(match.parts), match.obj) for match in _JSONPATH.finditer(target, document)]


def _merge(node: Any, update: Any) -> Any:
    if isinstance(node, dict) and isinstance(update, Mapping):
        for key, value in update.items():
            node[key] = _merge(node[key], value) if key in node else copy.deepcopy(value)
        return node
    if isinstance(node, list) and isinstance(update, list):
        node.extend(copy.deepcopy(update))
        return node
    return copy.deepcopy(update)


def _parent(document: Any, location: tuple[Any, ...]) -> Any:
    for part in location[:-1]:
        document = document[part]
    return document


def apply_action(document: Any, action: Action) -> ActionResult:
    """Apply one action to ``document`` in place."""
    selected = select(document, action.target)
    before = copy.deepcopy([value for _, value in selected]) if selected else []
    if action.remove:
        # Remove from the end so the indexes of earlier list entries stay valid.
        for location, _ in sorted(selected, key=lambda s: s[0], reverse=True):
            if not location:
                raise SpecSyncError(f"overlay action {action.label}: cannot remove the document root")
            del _parent(document, location)[location[-1]]
        return ActionResult(action, len(selected), bool(selected))
    for location, value in selected:
        if isinstance(value, list):
            value.append(copy.deepcopy(action.update))
        elif isinstance(value, dict) and isinstance(action.update, Mapping):
            _merge(value, action.update)
        elif location:
            _parent(document, location)[location[-1]] = copy.deepcopy(action.update)
        else:
            raise SpecSyncError(f"overlay action {action.label}: the root can only take an object update")
    after = [value for _, value in select(document, action.target)] if selected else []
    return ActionResult(action, len(selected), before != after)


def apply_overlay(document: Any, actions: list[Action]) -> tuple[Any, list[ActionResult]]:
    """A copy of ``document`` with every action applied in order, and what each did."""
    result = copy.deepcopy(document)
    return result, [apply_action(result, action) for action in actions]
