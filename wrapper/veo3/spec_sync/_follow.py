"""When kie narrows or removes something, the overlay's restatement follows, unless it differed on purpose.

A three-way step run by ``veo3 spec sync`` (never by ``make spec``): the old upstream (as stored), the new
upstream (as fetched) and the overlay's own restatement are walked side by side, like the carry step. For
each thing kie changed between the two upstreams:

- a property or parameter kie removed is removed from our restatement too;
- a constraint keyword (bounds, pattern, format, type, default, deprecated) kie changed is changed in ours
  **only where ours still said what kie used to say**; where ours differed (a deliberate difference), ours
  is kept and the change is reported as an override for review;
- an enum value kie removed is removed (with its ``x-enum-varnames`` entry), a field kie made required or
  optional is made so in ours.

The edits are made in the overlay file's own action values, so ``make spec`` on the new upstream and the
edited overlay gives the same spec the sync reports. Additions are not handled here: the carry step adds
them at every build.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from veo3.spec_sync._normalise import METHODS
from veo3.spec_sync._walk import Walk

FOLLOWED = (
    "type",
    "format",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "pattern",
    "default",
    "deprecated",
)
_ABSENT = object()


@dataclass(frozen=True)
class Followed:
    """One upstream change: applied to our restatement, or ``kept`` (ours differs on purpose), or one where
    kie now ``agrees`` with what ours already said (a deliberate difference that may no longer be needed)."""

    location: str
    what: str
    kept: bool = False
    agrees: bool = False


class _Follow(Walk):
    def __init__(self, ours: dict[str, Any]) -> None:
        super().__init__(ours)
        self.done: list[Followed] = []

    def keywords(self, old: dict[str, Any], new: dict[str, Any], ours: dict[str, Any], where: str) -> None:
        for key in FOLLOWED:
            before, after = old.get(key, _ABSENT), new.get(key, _ABSENT)
            if before == after:
                continue
            if ours.get(key, _ABSENT) == after:
                self.done.append(Followed(where, f"kie now says {key} {_show(after)}, as ours does", agrees=True))
                continue
            if ours.get(key, _ABSENT) != before:
                self.done.append(Followed(where, f"kie changed {key} {_show(before)} -> {_show(after)}", kept=True))
                continue
            if after is _ABSENT:
                del ours[key]
            else:
                ours[key] = after
            self.done.append(Followed(where, f"{key} {_show(before)} -> {_show(after)} (as kie)"))

    def schema(self, old: Any, new: Any, ours: Any, where: str) -> None:
        if not isinstance(old, dict) or not isinstance(new, dict):
            return
        targets = list(self.branches(ours))
        if not targets:
            return
        self.keywords(old, new, targets[0], where)
        gone = [v for v in old.get("enum") or [] if v not in (new.get("enum") or [])] if "enum" in new else []
        came = [v for v in new.get("enum") or [] if v not in (old.get("enum") or [])] if "enum" in old else []
        for target in targets:
            if isinstance(target.get("enum"), list):
                for value in came:
                    if value in target["enum"]:
                        self.done.append(
                            Followed(where, f"kie now lists enum value {value!r}, as ours does", agrees=True)
                        )
                for value in gone:
                    if value in target["enum"]:
                        index = target["enum"].index(value)
                        del target["enum"][index]
                        names = target.get("x-enum-varnames")
                        if isinstance(names, list) and index < len(names):
                            del names[index]
                        self.done.append(Followed(where, f"enum value {value!r} removed (as kie)"))
                break
        old_req, new_req = set(old.get("required") or []), set(new.get("required") or [])
        old_props, new_props = old.get("properties") or {}, new.get("properties") or {}
        for target in targets:
            props = target.get("properties")
            if not isinstance(props, dict):
                continue
            required = target.setdefault("required", [])
            for name in sorted(new_req - old_req):
                if name in props and name not in required:
                    required.append(name)
                    self.done.append(Followed(where, f"{name!r} now required (as kie)"))
            for name in sorted(old_req - new_req):
                if name in required:
                    required.remove(name)
                    self.done.append(Followed(where, f"{name!r} now optional (as kie)"))
            for name in new_props:
                if name not in old_props and name in props:
                    self.done.append(Followed(where, f"kie now documents {name!r}, as ours does", agrees=True))
            for name, sub in old_props.items():
                if name not in props:
                    continue
                if name not in new_props:
                    del props[name]
                    if name in required:
                        required.remove(name)
                    self.done.append(Followed(where, f"property {name!r} removed (as kie)"))
                else:
                    self.schema(sub, new_props[name], props[name], f"{where}.{name}")
            if not required:
                del target["required"]
        if isinstance(old.get("items"), dict) and isinstance(new.get("items"), dict):
            for target in targets:
                if "items" in target:
                    self.schema(old["items"], new["items"], target["items"], f"{where}[]")

    def content(self, old: Any, new: Any, ours: Any, where: str) -> None:
        ours = self.resolve(ours)
        if not all(isinstance(x, dict) for x in (old, new, ours)):
            return
        for media, entry in (old.get("content") or {}).items():
            theirs, mine = (new.get("content") or {}).get(media), (ours.get("content") or {}).get(media)
            if isinstance(entry, dict) and isinstance(theirs, dict) and isinstance(mine, dict):
                self.schema(entry.get("schema"), theirs.get("schema"), mine.get("schema"), f"{where} {media}")

    def operation(self, old: dict[str, Any], new: dict[str, Any], ours: dict[str, Any], where: str) -> None:
        def key(p: Any) -> tuple[Any, Any]:
            return (p.get("name"), p.get("in")) if isinstance(p, dict) else (None, None)

        new_params = {key(p): p for p in new.get("parameters") or []}
        for param in old.get("parameters") or []:
            mine = [p for p in ours.get("parameters") or [] if key(p) == key(param)]
            if not mine:
                continue
            if key(param) not in new_params:
                ours["parameters"].remove(mine[0])
                self.done.append(Followed(where, f"parameter {key(param)[0]!r} removed (as kie)"))
                continue
            theirs = new_params[key(param)]
            if bool(param.get("required")) != bool(theirs.get("required")) and bool(mine[0].get("required")) == bool(
                param.get("required")
            ):
                mine[0]["required"] = bool(theirs.get("required"))
                self.done.append(
                    Followed(where, f"parameter {key(param)[0]!r} required={mine[0]['required']} (as kie)")
                )
            self.schema(param.get("schema"), theirs.get("schema"), mine[0].get("schema"), f"{where} {key(param)[0]}")
        self.content(old.get("requestBody"), new.get("requestBody"), ours.get("requestBody"), f"{where} request")
        for status, answer in (old.get("responses") or {}).items():
            self.content(
                answer,
                (new.get("responses") or {}).get(status),
                (ours.get("responses") or {}).get(str(status)),
                f"{where} response {status}",
            )


def _show(value: Any) -> str:
    return "(none)" if value is _ABSENT else repr(value)


def follow_upstream(old: dict[str, Any], new: dict[str, Any], ours: dict[str, Any]) -> list[Followed]:
    """Apply kie's removals and narrowings (old -> new upstream) to ``ours`` in place; say what was done."""
    walk = _Follow(ours)
    for path, item in (old.get("paths") or {}).items():
        for method in METHODS:
            before = item.get(method) if isinstance(item, dict) else None
            after = (new.get("paths") or {}).get(path, {}).get(method)
            mine = (ours.get("paths") or {}).get(path, {}).get(method)
            if isinstance(before, dict) and isinstance(after, dict) and isinstance(mine, dict):
                walk.operation(before, after, mine, f"{method.upper()} {path}")
            elif isinstance(before, dict) and after is None and isinstance(mine, dict):
                walk.done.append(Followed(f"{method.upper()} {path}", "kie no longer documents it", kept=True))
    return walk.done


def restated_view(actions: list[Any]) -> dict[str, Any]:
    """Our restated operations and schemas, as a document whose nodes *are* the overlay's action values.

    Only actions that update ``$.paths`` or ``$.components.schemas`` (the overlay's restatements) take part;
    the containers are fresh, the operations and schemas inside them are the overlay's own objects, so an
    edit made by :func:`follow_upstream` on this view is an edit of the overlay.
    """
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for action in actions:
        if action.remove or not isinstance(action.update, dict):
            continue
        if action.target == "$.paths":
            paths.update(action.update)
        elif action.target == "$.components.schemas":
            schemas.update(action.update)
    return {"paths": paths, "components": {"schemas": schemas}}
