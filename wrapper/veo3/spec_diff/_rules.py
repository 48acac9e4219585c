"""The classification table of ``veo3 spec-diff``: one row per kind of change, one column per direction.

A change found by the differ is named by its *direction* (``request``: the client sends it; ``response``:
the client receives it, callbacks included), its *subject* (``property``, ``parameter``, ``header``,
``body``, ``status``, ``media-type``…; none for a whole operation) and its *kind* (``removed``,
``max-decreased``…). The rule id joins the three (``request-property-max-decreased``,
``response-header-removed``; ``api-…`` for operation-level changes), in oasdiff's naming style, and is
stable: ignore files and CI logs refer to it. Its *level* is looked up here, so a change of policy is a
one-line diff that a reviewer can hold against the module docstring of :mod:`veo3.spec_diff`:

- ``breaking`` (oasdiff's ERR): a client written against the old spec fails against the new one;
- ``warn`` (oasdiff's WARN): some clients may fail (a limit documented where there was none, a field the
  server now ignores); listed apart, and it fails the gate only with ``--fail-on warn``;
- ``info``: nothing a client relied on changed; listed for the reviewer.

The project can move any rule id to another level (``levels`` in the ignore file, see
:mod:`veo3.spec_diff._files`). Rows marked *stricter than oasdiff* judge a change more severely than
oasdiff does, on purpose; the comment says why.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, Literal

Direction = Literal["request", "response"]
Level = Literal["breaking", "warn", "info"]

BREAKS: Final = "breaking"
WARN: Final = "warn"
SAFE: Final = "info"
LEVELS: Final[tuple[Level, ...]] = ("info", "warn", "breaking")  # in rising order

# kind -> (level when the client sends it, level when the client receives it)
RULES: Final[dict[str, tuple[Level, Level]]] = {
    # existence: operations, fields, parameters, headers, statuses, media types, bodies, callbacks
    "removed": (BREAKS, BREAKS),
    # an operation or parameter removed after its deprecation (and its x-sunset date, if any): expected
    "removed-with-deprecation": (SAFE, SAFE),
    "removed-before-sunset": (BREAKS, BREAKS),  # deprecated, but its x-sunset date is still ahead
    "added": (SAFE, SAFE),  # something new the client may use, or ignore
    "now-ignored": (WARN, WARN),  # a request field removed from an open object: sent, and ignored
    "added-required": (BREAKS, SAFE),  # old clients do not send it
    "added-optional": (SAFE, SAFE),
    "became-required": (BREAKS, SAFE),
    "became-optional": (SAFE, BREAKS),  # receivers relying on it find it missing
    "deprecated": (SAFE, SAFE),
    "reactivated": (SAFE, SAFE),
    "sunset-invalid": (BREAKS, BREAKS),  # x-sunset that is not an RFC 3339 date: nobody can plan on it
    "sunset-removed": (BREAKS, BREAKS),  # still deprecated, but no longer says until when
    "sunset-brought-forward": (BREAKS, BREAKS),  # the new date is earlier and already past
    "sunset-changed": (SAFE, SAFE),
    # operations and security
    "operation-id-changed": (BREAKS, BREAKS),  # generated function and module names change
    # stricter than oasdiff (INFO for a requirement or scope added): clients without the new credential
    # or scope get 401/403 on every call
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
    # values. Stricter than oasdiff (WARN): a response enum that grows breaks closed enums (most
    # generators' default, hand-written `match` statements)
    "enum-value-added": (SAFE, BREAKS),
    "enum-value-removed": (BREAKS, SAFE),
    "became-enum": (BREAKS, SAFE),
    "extensible-enum-value-removed": (BREAKS, SAFE),  # x-extensible-enum: growing it is the point
    "became-not-enum": (SAFE, BREAKS),
    "in-band-code-added": (SAFE, SAFE),  # the envelope's `code`: every client handles unknown codes
    "in-band-code-removed": (SAFE, SAFE),
    "default-value-added": (SAFE, SAFE),  # body fields: generated models send the default explicitly
    "default-value-removed": (SAFE, SAFE),
    "default-value-changed": (SAFE, SAFE),
    # constraints that cannot be ordered: a new regex or format is not provably looser
    "pattern-added": (BREAKS, SAFE),
    "pattern-removed": (SAFE, SAFE),
    "pattern-changed": (WARN, SAFE),  # oasdiff: WARN; the new regex may accept every value sent so far
    "format-added": (BREAKS, SAFE),
    "format-removed": (SAFE, BREAKS),  # receivers parsing by format (date-time…) meet other strings
    "format-changed": (BREAKS, BREAKS),
    "multiple-of-set": (BREAKS, SAFE),
    "multiple-of-unset": (SAFE, SAFE),
    "multiple-of-changed": (BREAKS, SAFE),
    # if/then/else: a conditional rule (e.g. "this mode allows only one duration") is another constraint
    "conditional-added": (BREAKS, SAFE),
    "conditional-removed": (SAFE, BREAKS),  # responses may now carry what the rule excluded (oasdiff: ERR)
    "conditional-changed": (BREAKS, BREAKS),
    # structure
    # a new alternative: accepted in requests, unexpected in responses. Stricter than oasdiff for anyOf
    # (INFO): a client that switches on the shapes it knows meets one it does not.
    "one-of-added": (SAFE, BREAKS),
    "one-of-removed": (BREAKS, SAFE),
    "any-of-added": (SAFE, BREAKS),
    "wrapped-in-one-of": (BREAKS, SAFE),  # responses: reported as one-of-added
    "any-of-removed": (BREAKS, SAFE),
    "additional-properties-closed": (BREAKS, SAFE),
    "additional-properties-opened": (SAFE, SAFE),
    # schemas nested deeper than the differ compares (64 levels): a reviewer should look by hand
    "too-deep": (WARN, WARN),
    # components reaching each other by too many paths: the rest of that body is compared more coarsely
    "too-many-paths": (WARN, WARN),
}

# Numeric, length and size bounds (keyword, id word, lower bound?). In requests a tightened bound breaks
# and a bound set where there was none warns (oasdiff: WARN; it usually documents a limit the server
# already had). In responses a widened bound breaks (oasdiff: ERR): clients sized or validated for the
# old range (a buffer, a column, a UI) meet values outside it; a narrowed one is info. Stricter than
# oasdiff: a response minimum, maximum or minLength *removed*, maxItems raised or removed, and
# min/maxProperties widened break too (oasdiff has no rule for them; they widen the range just like a
# raised maximum).
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
    ("minContains", "min-contains", True),
    ("maxContains", "max-contains", False),
)

# JSON Schema keywords compared as written, each its own rule (``contains-added``…): a constraint added
# narrows requests, one removed widens responses, a changed one may do both; oasdiff rates them so.
KEYWORDS: Final[tuple[str, ...]] = (
    "not",
    "contains",
    "prefixItems",
    "patternProperties",
    "propertyNames",
    "dependentRequired",
    "dependentSchemas",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
    "contentMediaType",
    "contentEncoding",
)


def kebab(keyword: str) -> str:
    """``"prefixItems"`` -> ``"prefix-items"``: a schema keyword as a rule-id word."""
    return "".join(f"-{c.lower()}" if c.isupper() else c for c in keyword)


def _bound_rules() -> dict[str, tuple[Level, Level]]:
    rules: dict[str, tuple[Level, Level]] = {}
    for _, word, lower in BOUNDS:
        for how, tightens in (("set", True), ("unset", False), ("increased", lower), ("decreased", not lower)):
            request: Level = (WARN if how == "set" else BREAKS) if tightens else SAFE
            rules[f"{word}-{how}"] = (request, SAFE if tightens else BREAKS)
    return rules


RULES.update(_bound_rules())
for _keyword in KEYWORDS:
    RULES[f"{kebab(_keyword)}-added"] = (BREAKS, SAFE)
    RULES[f"{kebab(_keyword)}-removed"] = (SAFE, BREAKS)
    RULES[f"{kebab(_keyword)}-changed"] = (BREAKS, BREAKS)

# Exceptions by subject. A parameter's default is the server's behaviour when a client leaves it out
# (query strings are often typed by hand), so any change of it is breaking, as oasdiff rates it.
SUBJECT_RULES: Final[Mapping[tuple[str, str], tuple[Level, Level]]] = {
    ("parameter", "default-value-added"): (BREAKS, SAFE),
    ("parameter", "default-value-removed"): (BREAKS, SAFE),
    ("parameter", "default-value-changed"): (BREAKS, SAFE),
    # A parameter dropped from a request: the server ignores it from now on (oasdiff: WARN). A body field
    # dropped from an open object is "now-ignored" (WARN) for the same reason; from a closed object
    # (additionalProperties: false, as our request bodies are) it is refused: "removed", breaking (stricter than
    # oasdiff, which does not tell the two apart).
    ("parameter", "removed"): (WARN, BREAKS),
    # A response field or header that was not required removed: well-written clients already cope with
    # its absence (oasdiff: WARN); a required one removed stays breaking.
    ("optional-property", "removed"): (WARN, WARN),
    ("optional-header", "removed"): (WARN, WARN),
    # A status outside 2xx removed: the client simply never meets it (oasdiff: INFO); a success status
    # removed ("status") breaks.
    ("non-success-status", "removed"): (SAFE, SAFE),
    # A security scheme dropped from components: what matters is the operations' requirements, judged
    # there (oasdiff: INFO).
    ("security-scheme", "removed"): (SAFE, SAFE),
}


def level_of(kind: str, direction: Direction | None, subject: str = "") -> tuple[str, Level]:
    """(rule id, level) of one change; ``direction`` None for an operation-level (``api-``) change.

    An unknown ``kind`` is a programming error (``KeyError``): every kind the differ emits has a row.
    """
    request, response = SUBJECT_RULES.get((subject, kind)) or RULES[kind]
    level = response if direction == "response" else request
    rule = "-".join(part for part in (direction or "api", subject, kind) if part)
    return rule, level


def classify(kind: str, direction: Direction | None, subject: str = "") -> tuple[str, bool]:
    """(rule id, breaking) of one change: :func:`level_of` for callers that only ask "breaking?"."""
    rule, level = level_of(kind, direction, subject)
    return rule, level == BREAKS


def is_rule_id(rule: str) -> bool:
    """True when ``rule`` has the shape of an id this table can produce (used to check level overrides)."""
    parts = rule.split("-", 1)
    return (
        len(parts) == 2
        and parts[0] in ("api", "request", "response")
        and any(rule.endswith(f"-{kind}") for kind in RULES)
    )
