"""Reading one schema, or two members of an ``allOf``, without comparing anything: the small helpers of
:mod:`veo3.spec_diff._differ` (types, enums, ``allOf`` merging, which subschemas pair, patterns that
match everything, ``x-sunset`` dates)."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Mapping
from typing import Any

from veo3.spec_diff._rules import BOUNDS

# Bounds merged across allOf members: the tightest wins (lower bounds: the largest; upper: the smallest).
_LOWER = {keyword for keyword, _, lower in BOUNDS if lower}

_UPPER = {keyword for keyword, _, lower in BOUNDS if not lower}

_ANY_STRING = re.compile(r"\^?(\.\*|\[\\s\\S\]\*|\[\\S\\s\]\*)?\$?")  # "", ".*", "^.*$": no constraint


def as_map(value: object) -> Mapping[str, Any]:
    """``value`` when it is a JSON object, else an empty one (specs are untrusted: anything may be anywhere)."""
    return value if isinstance(value, Mapping) else {}


def show(value: object) -> str:
    """A JSON value as canonical text: for messages, and to compare values of any type.

    A value nested too deeply to encode (a hostile spec) shows as a marker of its own identity: two such
    values compare equal only when they are the same object, so the differ reports rather than crashes.
    """
    try:
        return json.dumps(value, sort_keys=True)
    except RecursionError:
        return f"<nested too deeply to show: {id(value):x}>"


def strings(value: object) -> tuple[str, ...]:
    """The strings of a JSON list (``required``, scopes), sorted; anything else is ignored."""
    return tuple(sorted(v for v in value if isinstance(v, str))) if isinstance(value, list) else ()


def is_number(value: object) -> bool:
    """True for a JSON number (``true`` is not one, although Python's ``bool`` is an ``int``)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def sunset_date(node: Mapping[str, Any]) -> dt.date | str | None:
    """The ``x-sunset`` date of an operation or parameter (oasdiff's extension: an RFC 3339 date or
    date-time); the raw text when it is not one; None when there is none."""
    raw = node.get("x-sunset")
    if raw is None:
        return None
    text = str(raw)
    try:
        return dt.date.fromisoformat(text[:10]) if re.fullmatch(r"\d{4}-\d{2}-\d{2}([Tt ].+)?", text) else text
    except ValueError:
        return text


_SUBSCHEMAS = (
    "then",
    "else",
    "contains",
    "propertyNames",
    "contentSchema",
    "unevaluatedItems",
    "unevaluatedProperties",
)

SCHEMA_MAPS = ("patternProperties", "dependentSchemas")

WALKED = (*_SUBSCHEMAS, *SCHEMA_MAPS, "prefixItems")


def walked_keywords(old: Mapping[str, Any], new: Mapping[str, Any]) -> set[str]:
    """The keywords of :data:`WALKED` whose schemas pair one to one on both sides: compared inside rather
    than as written. ``if`` and ``not`` never are (a change inside them turns meaning around), and
    ``then``/``else`` only under the same ``if``."""
    same_if = show(old.get("if")) == show(new.get("if"))
    return {k for k in WALKED if _walkable(k, old.get(k), new.get(k)) and (same_if or k not in ("then", "else"))}


def _walkable(keyword: str, before: object, after: object) -> bool:
    if keyword in _SUBSCHEMAS:
        return isinstance(before, Mapping) and isinstance(after, Mapping)
    if keyword in SCHEMA_MAPS:
        return isinstance(before, Mapping) and isinstance(after, Mapping) and set(before) == set(after)
    if keyword == "prefixItems":
        return isinstance(before, list) and isinstance(after, list) and len(before) == len(after)
    return False


def pattern_of(schema: Mapping[str, Any]) -> object:
    """A schema's ``pattern``; one that matches every string ("", ".*", "^.*$") counts as none."""
    value = schema.get("pattern")
    return None if isinstance(value, str) and _ANY_STRING.fullmatch(value) else value


def merge(base: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """Two ``allOf`` members as one schema in which both hold: properties named in both become an
    ``allOf`` of the two, ``required`` is united, bounds take the tighter value, ``enum`` and ``type``
    intersect, ``additionalProperties: false`` wins; annotations (title, description…) keep the first."""
    out = dict(base)
    for key, value in extra.items():
        mine = out.get(key)
        if key not in out or show(mine) == show(value):
            out[key] = value if key not in out else mine
        elif key == "properties":
            props = dict(as_map(mine))
            for name, schema in as_map(value).items():
                props[name] = {"allOf": [props[name], schema]} if name in props else schema
            out[key] = props
        elif key == "required":
            out[key] = sorted(set(strings(mine)) | set(strings(value)))
        elif key in _LOWER | _UPPER and is_number(mine) and is_number(value):
            out[key] = max(mine, value) if key in _LOWER else min(mine, value)
        elif key == "enum" and isinstance(mine, list) and isinstance(value, list):
            out[key] = [v for v in mine if show(v) in {show(w) for w in value}]
        elif key == "type":
            a, b = ({t for t in (x if isinstance(x, list) else [x]) if isinstance(t, str)} for x in (mine, value))
            both = sorted(a & b | ({"integer"} if "integer" in a | b and "number" in a | b else set()))
            out[key] = both[0] if len(both) == 1 else both
        elif key in ("items", "not"):
            out[key] = {"allOf": [mine, value]} if key == "items" else {"anyOf": [mine, value]}
        elif key == "additionalProperties":
            out[key] = False if False in (mine, value) else {"allOf": [mine, value]}
        elif key == "pattern" and isinstance(mine, str) and isinstance(value, str):
            out[key] = "".join(f"(?=.*?(?:{p}))" for p in sorted({mine, value}))  # both must match somewhere
        elif key == "multipleOf" and isinstance(mine, int) and isinstance(value, int):
            out[key] = math.lcm(mine, value)
        elif key in ("nullable", "deprecated"):
            out[key] = bool(mine and value) if key == "nullable" else bool(mine or value)
    return out


def json_types(schema: Mapping[str, Any]) -> frozenset[str] | None:
    """The non-null JSON types a schema allows; None when it does not say (any type)."""
    value = schema.get("type")
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return None
    return frozenset(t for t in value if isinstance(t, str) and t != "null")


def covers(wider: frozenset[str] | None, narrower: frozenset[str] | None) -> bool:
    """True when every type in ``narrower`` is allowed by ``wider`` (None: any type; integer is a number)."""
    if wider is None:
        return True
    if narrower is None:
        return False
    return all(t in wider or (t == "integer" and "number" in wider) for t in narrower)


def show_types(types: frozenset[str] | None) -> str:
    """``"integer/string"``, ``"any"`` or ``"null"``: a set of types for a message."""
    return "any" if types is None else "/".join(sorted(types)) or "null"


def enum_values(schema: Mapping[str, Any]) -> dict[str, Any] | None:
    """The values an ``enum`` (or a ``const``) allows, keyed by :func:`show`; None when there is none."""
    if isinstance(schema.get("enum"), list):
        return {show(v): v for v in schema["enum"]}
    if "const" in schema:
        return {show(schema["const"]): schema["const"]}
    return None
