"""The classification table of ``veo3 spec-diff``: one row per kind of change, one column per direction.

A change found by the differ is named by its *direction* (``request``: the client sends it; ``response``:
the client receives it, callbacks included), its *subject* (``property``, ``parameter``, ``header``,
``body``, ``status``, ``media-type``…; none for a whole operation) and its *kind* (``removed``,
``max-decreased``…). The rule id joins the three (``request-property-max-decreased``,
``response-header-removed``; ``api-…`` for operation-level changes), in oasdiff's naming style, and is
stable: ignore files and CI logs refer to it. Whether the change is breaking is looked up here, so a
change of policy is a one-line diff that a reviewer can hold against the module docstring of
:mod:`veo3.spec_diff`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, Literal

Direction = Literal["request", "response"]

BREAKS: Final = True
SAFE: Final = False

# kind -> (breaking when the client sends it, breaking when the client receives it)
RULES: Final[dict[str, tuple[bool, bool]]] = {
    # existence: operations, fields, parameters, headers, statuses, media types, bodies, callbacks
    "removed": (BREAKS, BREAKS),
    "added": (SAFE, SAFE),  # something new the client may use, or ignore
    "added-required": (BREAKS, SAFE),  # old clients do not send it
    "added-optional": (SAFE, SAFE),
    "became-required": (BREAKS, SAFE),
    "became-optional": (SAFE, BREAKS),  # receivers relying on it find it missing
    "deprecated": (SAFE, SAFE),
    "reactivated": (SAFE, SAFE),
    # operations and security
    "operation-id-changed": (BREAKS, BREAKS),  # generated function and module names change
    "security-tightened": (BREAKS, BREAKS),
    "security-relaxed": (SAFE, SAFE),
    "changed": (BREAKS, BREAKS),  # a security scheme's type, location or name
    "version-changed": (SAFE, SAFE),
    # types and null
    "type-generalized": (SAFE, BREAKS),  # more types accepted / sent
    "type-specialized": (BREAKS, SAFE),
    "type-changed": (BREAKS, BREAKS),
    "became-nullable": (SAFE, BREAKS),
    "became-not-nullable": (BREAKS, SAFE),
    # values; a response enum that grows breaks closed enums (most generators, `match` statements)
    "enum-value-added": (SAFE, BREAKS),
    "enum-value-removed": (BREAKS, SAFE),
    "became-enum": (BREAKS, SAFE),
    "became-not-enum": (SAFE, BREAKS),
    "in-band-code-added": (SAFE, SAFE),  # the envelope's `code`: every client handles unknown codes
    "in-band-code-removed": (SAFE, SAFE),
    "default-value-added": (SAFE, SAFE),  # body fields: generated models send the default explicitly
    "default-value-removed": (SAFE, SAFE),
    "default-value-changed": (SAFE, SAFE),
    # constraints that cannot be ordered: a new regex or format is not provably looser
    "pattern-added": (BREAKS, SAFE),
    "pattern-removed": (SAFE, SAFE),
    "pattern-changed": (BREAKS, SAFE),
    "format-added": (BREAKS, SAFE),
    "format-removed": (SAFE, BREAKS),  # receivers parsing by format (date-time…) meet other strings
    "format-changed": (BREAKS, BREAKS),
    "multiple-of-set": (BREAKS, SAFE),
    "multiple-of-unset": (SAFE, SAFE),
    "multiple-of-changed": (BREAKS, SAFE),
    # if/then/else: a conditional rule (e.g. "this mode allows only one duration") is another constraint
    "conditional-added": (BREAKS, SAFE),
    "conditional-removed": (SAFE, SAFE),
    "conditional-changed": (BREAKS, SAFE),
    # structure
    "one-of-added": (SAFE, BREAKS),  # a new alternative: accepted in requests, unexpected in responses
    "one-of-removed": (BREAKS, SAFE),
    "any-of-added": (SAFE, BREAKS),
    "any-of-removed": (BREAKS, SAFE),
    "additional-properties-closed": (BREAKS, SAFE),
    "additional-properties-opened": (SAFE, SAFE),
}

# Numeric, length and size bounds (keyword, id word, lower bound?). Tightening breaks requests; in
# responses every bound change is listed but safe (clients rarely validate what they receive).
BOUNDS: Final[tuple[tuple[str, str, bool], ...]] = (
    ("minimum", "min", True),
    ("exclusiveMinimum", "exclusive-min", True),
    ("minLength", "min-length", True),
    ("minItems", "min-items", True),
    ("minProperties", "min-properties", True),
    ("maximum", "max", False),
    ("exclusiveMaximum", "exclusive-max", False),
    ("maxLength", "max-length", False),
    ("maxItems", "max-items", False),
    ("maxProperties", "max-properties", False),
)


def _bound_rules() -> dict[str, tuple[bool, bool]]:
    rules: dict[str, tuple[bool, bool]] = {}
    for _, word, lower in BOUNDS:
        for how, tightens in (("set", True), ("unset", False), ("increased", lower), ("decreased", not lower)):
            rules[f"{word}-{how}"] = (tightens, SAFE)
    return rules


RULES.update(_bound_rules())

# Exceptions by subject. A parameter's default is the server's behaviour when a client leaves it out
# (query strings are often typed by hand), so any change of it is breaking, as oasdiff rates it.
SUBJECT_RULES: Final[Mapping[tuple[str, str], tuple[bool, bool]]] = {
    ("parameter", "default-value-added"): (BREAKS, SAFE),
    ("parameter", "default-value-removed"): (BREAKS, SAFE),
    ("parameter", "default-value-changed"): (BREAKS, SAFE),
}


def classify(kind: str, direction: Direction | None, subject: str = "") -> tuple[str, bool]:
    """(rule id, breaking) of one change; ``direction`` None for an operation-level (``api-``) change.

    An unknown ``kind`` is a programming error (``KeyError``): every kind the differ emits has a row.
    """
    request, response = SUBJECT_RULES.get((subject, kind)) or RULES[kind]
    breaking = response if direction == "response" else request
    rule = "-".join(part for part in (direction or "api", subject, kind) if part)
    return rule, breaking
