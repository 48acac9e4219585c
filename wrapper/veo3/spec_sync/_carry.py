"""Upstream additions reach the built spec: the step after the overlay.

The overlay states our operations and schemas in our own layout (named components, ``$ref``), so kie's
inline schemas cannot simply be merged into them. Instead, after the overlay, the normalised upstream and
the built spec are walked side by side, operation by operation (``$ref`` followed, ``anyOf``/``oneOf``
entered), and whatever kie publishes that the build lacks is **added**, never dropped:

- a property under an object schema the build has (request bodies, responses, callbacks),
- an ``enum`` value where the build's schema has an enum,
- a query/path/header parameter,
- an operation under a path the manifest covers.

Each addition is reported as a :class:`Carried` entry. An overlay can still refuse something kie
publishes, but only in the open: by a ``remove`` action that targets the upstream node itself (its
``x-reason`` says why), never by leaving it out.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

from veo3.spec_sync._normalise import METHODS
from veo3.spec_sync._walk import Walk


@dataclass(frozen=True)
class Carried:
    """One thing kie publishes that the overlay did not state, added to the build at ``location``."""

    location: str
    what: str


def to_openapi_31(schema: Any) -> Any:
    """kie's OpenAPI 3.0 schema in 3.1 terms: ``nullable: true`` becomes ``"null"`` in ``type``."""
    if isinstance(schema, list):
        return [to_openapi_31(v) for v in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: to_openapi_31(v) for k, v in schema.items() if k != "nullable"}
    if schema.get("nullable") is True and isinstance(out.get("type"), str):
        out["type"] = [out["type"], "null"]
    return out


def enum_varname(value: Any) -> str:
    """A generated-code name for an enum value kie added (``veo3_ultra``: ``VEO3_ULTRA``; ``408``: ``VALUE_408``)."""
    name = re.sub(r"\W+", "_", str(value)).strip("_").upper()
    return name if name and not name[0].isdigit() else f"VALUE_{name}"


class _Carry(Walk):
    def __init__(self, built: dict[str, Any]) -> None:
        super().__init__(built)
        self.carried: list[Carried] = []

    def schema(self, upstream: Any, built: Any, where: str) -> None:
        if not isinstance(upstream, dict):
            return
        targets = [b for b in self.branches(built) if isinstance(b, dict)]
        enum = upstream.get("enum")
        if isinstance(enum, list):
            for target in targets:
                if isinstance(target.get("enum"), list):
                    for value in enum:
                        if value not in target["enum"]:
                            target["enum"].append(value)
                            names = target.get("x-enum-varnames")
                            if isinstance(names, list):  # the generator needs one name per value
                                names.append(enum_varname(value))
                            self.carried.append(Carried(where, f"enum value {value!r} added"))
                    break
        props = upstream.get("properties")
        if isinstance(props, dict):
            with_props = [t for t in targets if isinstance(t.get("properties"), dict)]
            for name, sub in props.items():
                holders = [t for t in with_props if name in t["properties"]]
                if holders:
                    for holder in holders:
                        self.schema(sub, holder["properties"][name], f"{where}.{name}")
                elif with_props:
                    with_props[0]["properties"][name] = to_openapi_31(copy.deepcopy(sub))
                    self.carried.append(Carried(where, f"property {name!r} added"))
        if isinstance(upstream.get("items"), dict):
            for target in targets:
                if "items" in target:
                    self.schema(upstream["items"], target["items"], f"{where}[]")

    def content(self, upstream: Any, built: Any, where: str) -> None:
        if not isinstance(upstream, dict) or not isinstance(built, dict):
            return
        for media, entry in (upstream.get("content") or {}).items():
            mine = (built.get("content") or {}).get(media)
            if isinstance(entry, dict) and isinstance(mine, dict):
                self.schema(entry.get("schema"), mine.get("schema"), f"{where} {media}")

    def operation(self, upstream: dict[str, Any], built: dict[str, Any], where: str) -> None:
        mine_params = built.setdefault("parameters", []) if upstream.get("parameters") else built.get("parameters")
        for param in upstream.get("parameters") or []:
            if not isinstance(param, dict):
                continue
            same = [
                p for p in mine_params or [] if p.get("name") == param.get("name") and p.get("in") == param.get("in")
            ]
            if same:
                self.schema(
                    param.get("schema"), same[0].get("schema"), f"{where} {param.get('in')} {param.get('name')}"
                )
            elif mine_params is not None:
                mine_params.append(to_openapi_31(copy.deepcopy(param)))
                self.carried.append(Carried(where, f"parameter {param.get('name')!r} ({param.get('in')}) added"))
        if not built.get("parameters"):
            built.pop("parameters", None)
        self.content(upstream.get("requestBody"), self.resolve(built.get("requestBody")), f"{where} request")
        for status, answer in (upstream.get("responses") or {}).items():
            mine = (built.get("responses") or {}).get(str(status))
            self.content(answer, self.resolve(mine), f"{where} response {status}")
        for name, callback in (upstream.get("callbacks") or {}).items():
            mine_cb = (built.get("callbacks") or {}).get(name)
            if not isinstance(callback, dict) or not isinstance(mine_cb, dict):
                continue
            for expression, item in callback.items():
                for method, op in (item or {}).items():
                    theirs = ((mine_cb.get(expression) or {}).get(method)) if isinstance(mine_cb, dict) else None
                    if isinstance(op, dict) and isinstance(theirs, dict):
                        self.content(
                            op.get("requestBody"), self.resolve(theirs.get("requestBody")), f"{where} callback {name}"
                        )


def carry_upstream(upstream: dict[str, Any], built: dict[str, Any]) -> list[Carried]:
    """Add to ``built`` (in place) what ``upstream`` publishes and ``built`` lacks; say what was added."""
    walk = _Carry(built)
    paths = built.setdefault("paths", {})
    for path, item in (upstream.get("paths") or {}).items():
        for method in METHODS:
            op = item.get(method) if isinstance(item, dict) else None
            if not isinstance(op, dict):
                continue
            mine = paths.get(path, {}).get(method) if isinstance(paths.get(path), dict) else None
            if isinstance(mine, dict):
                walk.operation(op, mine, f"{method.upper()} {path}")
            else:
                paths.setdefault(path, {})[method] = to_openapi_31(copy.deepcopy(op))
                walk.carried.append(Carried(f"{method.upper()} {path}", "operation added"))
    return walk.carried
