"""The walker of ``veo3 spec-diff``: two parsed OpenAPI documents in, classified changes out.

It follows document order (operations, parameters, request body, responses with their headers and
bodies, callbacks) and names each change by its kind; :mod:`veo3.spec_diff._rules` says whether that
kind breaks clients. ``$ref`` chains are followed (a cycle is compared once per path), ``allOf``
members are merged into one schema in which all of them hold (:func:`veo3.spec_diff._schema.merge`), and
``anyOf``/``oneOf`` branches are paired by structure (so a reordering is no change).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from veo3.spec_diff._rules import BOUNDS, BREAKS, KEYWORDS, Direction, Level, kebab, level_of
from veo3.spec_diff._schema import (
    SCHEMA_MAPS,
    WALKED,
    as_map,
    covers,
    enum_values,
    is_number,
    json_types,
    merge,
    pattern_of,
    show,
    show_types,
    strings,
    sunset_date,
    walked_keywords,
)

_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_SECURITY_SCHEME_FIELDS = ("type", "scheme", "in", "name", "bearerFormat", "openIdConnectUrl", "flows")
# (keyword, kind when added, kind when removed); a change of value is "<keyword>-changed": a new value is
# not provably looser than the old one.
_CONSTRAINTS = (("pattern", "added", "removed"), ("format", "added", "removed"), ("multipleOf", "set", "unset"))
_MAX_PATHS = 2_000  # schema pairs compared under one body before each $ref pair is compared only once
_MAX_DEPTH = 64  # deeper is a cycle the identity guard cannot see, or a hostile spec: stop comparing there

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Change:
    """One difference between two specs.

    ``id`` is the stable rule id (``"request-property-max-decreased"``); ``breaking`` is True when a
    client written against the old spec may fail against the new one; ``location`` says where
    (``"POST /api/v1/veo/generate request body seeds"``); ``message`` what and why.
    """

    id: str
    breaking: bool
    location: str
    message: str
    #: ``"breaking"``, ``"warn"`` (some clients may fail) or ``"info"``; ``breaking`` is ``level == "breaking"``.
    level: Level = "info"

    def __post_init__(self) -> None:
        # Either field may be given (``Change(id, True, ...)`` predates levels): keep the two in step.
        if self.breaking and self.level != BREAKS:
            object.__setattr__(self, "level", BREAKS)
        elif self.level == BREAKS and not self.breaking:
            object.__setattr__(self, "breaking", True)


def diff_specs(
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    *,
    levels: Mapping[str, Level] | None = None,
    today: dt.date | None = None,
) -> list[Change]:
    """Every change from ``old`` to ``new`` (parsed OpenAPI documents), in document order.

    ``$ref``s are resolved within each document, so moving a schema to a component (or splitting it
    into an ``allOf``) is not a change; an identical spec gives an empty list. ``levels`` moves rule ids
    to another level (the ignore file's ``levels``, :func:`veo3.spec_diff.load_level_overrides`);
    ``today`` is the date ``x-sunset`` dates are compared with (default: today, UTC).
    """
    differ = _Differ(old, new, today or dt.datetime.now(dt.UTC).date())
    differ.run()
    if not levels:
        return differ.changes
    return [
        replace(c, level=levels[c.id], breaking=levels[c.id] == BREAKS) if c.id in levels else c for c in differ.changes
    ]


def _split(old: Mapping[K, Any], new: Mapping[K, Any]) -> tuple[list[K], list[K], list[K]]:
    """(removed, common, added) keys, in the order of ``old`` (removed, common) and ``new`` (added)."""
    return [k for k in old if k not in new], [k for k in old if k in new], [k for k in new if k not in old]


@dataclass(frozen=True)
class _Normalized:
    """A schema with ``$ref`` followed, ``allOf`` flattened and its null forms folded into ``nullable``.

    ``alternatives`` holds the raw non-null ``anyOf``/``oneOf`` branches (``keyword`` says which)
    when there are several; one non-null branch is merged into ``schema`` instead.
    """

    schema: Mapping[str, Any]
    nullable: bool
    keyword: str
    alternatives: list[Any]


class _Differ:
    def __init__(self, old: Mapping[str, Any], new: Mapping[str, Any], today: dt.date) -> None:
        self.old = old
        self.new = new
        self.today = today
        self.changes: list[Change] = []
        # Schema pairs being compared right now: stops recursion through self-referencing schemas.
        self._active: set[tuple[str | int, str | int, str]] = set()
        # $ref pairs already compared under the current body, parameter or header, and how many schema
        # pairs it has taken so far: past _MAX_PATHS each $ref pair is compared once (see schema()).
        self._expanded: set[tuple[str | int, str | int, str]] = set()
        self._walked = 0

    def add(
        self, kind: str, location: str, message: str, direction: Direction | None = None, subject: str = ""
    ) -> None:
        rule, level = level_of(kind, direction, subject)
        self.changes.append(Change(rule, level == BREAKS, location, message, level))

    # references

    def deref(self, doc: Mapping[str, Any], node: object) -> Mapping[str, Any]:
        """``node`` with ``$ref`` chains followed; keywords next to a ``$ref`` (OpenAPI 3.1) override."""
        current = as_map(node)
        seen: set[str] = set()
        while isinstance(current.get("$ref"), str):
            ref = current["$ref"]
            if ref in seen or not ref.startswith("#/"):
                break  # a cycle or an external reference: compare the reference itself
            seen.add(ref)
            target: Any = doc
            for part in ref[2:].split("/"):
                key = part.replace("~1", "/").replace("~0", "~")
                target = target.get(key) if isinstance(target, Mapping) else None
            siblings = {k: v for k, v in current.items() if k != "$ref"}
            current = {**as_map(target), **siblings} if siblings else as_map(target)
        return current

    # top level

    def run(self) -> None:
        old_version = as_map(self.old.get("info")).get("version")
        new_version = as_map(self.new.get("info")).get("version")
        if old_version != new_version:
            self.add("version-changed", "info.version", f"version changed from {old_version!r} to {new_version!r}")
        self.security_schemes()
        old_ops, new_ops = self.operations(self.old), self.operations(self.new)
        removed, common, added = _split(old_ops, new_ops)
        for key in removed:
            self.removal(old_ops[key][0], key, None, "", "operation")
        for key in common:
            self.operation(key, old_ops[key], new_ops[key])
        for key in added:
            self.add("added", key, "operation added")
        self.webhooks(as_map(self.old.get("webhooks")), as_map(self.new.get("webhooks")))

    def removal(self, node: Mapping[str, Any], loc: str, direction: Direction | None, subject: str, what: str) -> None:
        """An operation or a parameter removed: breaking, unless it was deprecated first and its
        ``x-sunset`` date, if it has one, is past (oasdiff's rules, with no minimum deprecation period)."""
        if not node.get("deprecated"):
            why = " (the server ignores it from now on)" if subject == "parameter" else ""
            self.add("removed", loc, f"{what} removed{why}", direction, subject)
            return
        sunset = sunset_date(node)
        if isinstance(sunset, str):
            message = f"{what} removed; its x-sunset {sunset!r} is not a date"
            self.add("sunset-invalid", loc, message, direction, subject)
        elif sunset is not None and sunset > self.today:
            message = f"{what} removed before its sunset date {sunset.isoformat()}"
            self.add("removed-before-sunset", loc, message, direction, subject)
        else:
            self.add("removed-with-deprecation", loc, f"{what} removed after its deprecation", direction, subject)

    def webhooks(self, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        """OpenAPI 3.1 ``webhooks``: requests the API sends, judged like callbacks (the client receives them)."""
        removed, common, added = _split(old, new)
        for name in removed:
            message = "webhook removed (receivers are no longer notified)"
            self.add("removed", f"webhook {name}", message, subject="webhook")
        for name in common:
            old_item, new_item = self.deref(self.old, old[name]), self.deref(self.new, new[name])
            self.callback_item(f"webhook {name}", old_item, new_item)
        for name in added:
            self.add("added", f"webhook {name}", "webhook added", subject="webhook")

    @staticmethod
    def operations(doc: Mapping[str, Any]) -> dict[str, tuple[Mapping[str, Any], list[Any]]]:
        """``"METHOD /path"`` → (operation, path-level parameters)."""
        found: dict[str, tuple[Mapping[str, Any], list[Any]]] = {}
        for path, item in as_map(doc.get("paths")).items():
            item_map = as_map(item)
            shared = item_map.get("parameters")
            for method in _HTTP_METHODS:
                if method in item_map:
                    found[f"{method.upper()} {path}"] = (
                        as_map(item_map[method]),
                        shared if isinstance(shared, list) else [],
                    )
        return found

    def security_schemes(self) -> None:
        old_schemes = as_map(as_map(self.old.get("components")).get("securitySchemes"))
        new_schemes = as_map(as_map(self.new.get("components")).get("securitySchemes"))
        removed, common, added = _split(old_schemes, new_schemes)
        for name in removed:
            self.add(
                "removed", f"components.securitySchemes.{name}", "security scheme removed", subject="security-scheme"
            )
        for name in common:
            old_s, new_s = self.deref(self.old, old_schemes[name]), self.deref(self.new, new_schemes[name])
            changed = [
                f"{field} {show(old_s.get(field))} -> {show(new_s.get(field))}"
                for field in _SECURITY_SCHEME_FIELDS
                if old_s.get(field) != new_s.get(field)
            ]
            if changed:
                loc = f"components.securitySchemes.{name}"
                self.add("changed", loc, "security scheme changed: " + ", ".join(changed), subject="security-scheme")
        for name in added:
            self.add("added", f"components.securitySchemes.{name}", "security scheme added", subject="security-scheme")

    # operations

    def operation(
        self,
        key: str,
        old: tuple[Mapping[str, Any], list[Any]],
        new: tuple[Mapping[str, Any], list[Any]],
    ) -> None:
        old_op, old_shared = old
        new_op, new_shared = new
        if old_op.get("operationId") != new_op.get("operationId"):
            self.add(
                "operation-id-changed",
                key,
                f"operationId changed from {old_op.get('operationId')!r} to {new_op.get('operationId')!r}"
                " (generated function and module names change)",
            )
        self.deprecation(old_op, new_op, key, None, "", "operation ")
        self.security(key, old_op, new_op)
        self.parameters(
            key,
            self.merged_parameters(self.old, old_shared, old_op),
            self.merged_parameters(self.new, new_shared, new_op),
            "request",
        )
        self.request_body(key, old_op.get("requestBody"), new_op.get("requestBody"), "request")
        self.responses(key, as_map(old_op.get("responses")), as_map(new_op.get("responses")))
        self.callbacks(key, as_map(old_op.get("callbacks")), as_map(new_op.get("callbacks")))

    def security(self, key: str, old_op: Mapping[str, Any], new_op: Mapping[str, Any]) -> None:
        old_req = self.requirements(old_op.get("security", self.old.get("security")))
        new_req = self.requirements(new_op.get("security", self.new.get("security")))
        if old_req == new_req:
            return
        old_text, new_text = self.show_requirements(old_req), self.show_requirements(new_req)

        # A client meets one old alternative; it keeps working if some new alternative asks for no more
        # (no other scheme, no other scope).
        def asks_no_more(new_alt: frozenset[tuple[str, tuple[str, ...]]], old_alt: frozenset[Any]) -> bool:
            had = dict(old_alt)
            return all(name in had and set(scopes) <= set(had[name]) for name, scopes in new_alt)

        tightened = any(not any(asks_no_more(new_alt, old_alt) for new_alt in new_req) for old_alt in old_req)
        kind = "security-tightened" if tightened else "security-relaxed"
        self.add(kind, key, f"security changed from {old_text} to {new_text}")

    @staticmethod
    def requirements(value: object) -> frozenset[frozenset[tuple[str, tuple[str, ...]]]]:
        """Security requirement alternatives; the empty requirement stands for "no authentication"."""
        alternatives = value if isinstance(value, list) else []
        if not alternatives:
            return frozenset({frozenset()})
        return frozenset(
            frozenset((name, strings(scopes)) for name, scopes in as_map(alt).items()) for alt in alternatives
        )

    @staticmethod
    def show_requirements(req: Iterable[frozenset[tuple[str, tuple[str, ...]]]]) -> str:
        shown = sorted(" + ".join(sorted(name for name, _ in alt)) or "none" for alt in req)
        return " or ".join(shown)

    def merged_parameters(
        self, doc: Mapping[str, Any], shared: list[Any], op: Mapping[str, Any]
    ) -> dict[tuple[str, str], Mapping[str, Any]]:
        """``(in, name)`` → parameter; header names are case-insensitive, so they are compared lowered."""
        own = op.get("parameters")
        params: dict[tuple[str, str], Mapping[str, Any]] = {}
        for raw in [*shared, *(own if isinstance(own, list) else [])]:  # operation-level ones override
            p = self.deref(doc, raw)
            where, name = str(p.get("in")), str(p.get("name"))
            params[(where, name.lower() if where == "header" else name)] = p
        return params

    def parameters(
        self,
        key: str,
        old: Mapping[tuple[str, str], Mapping[str, Any]],
        new: Mapping[tuple[str, str], Mapping[str, Any]],
        direction: Direction,
    ) -> None:
        self.named(old, new, direction, "parameter", lambda k: f"{key} {k[0]} parameter {k[1]}")

    def headers(self, where: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        old_h = {name.lower(): self.deref(self.old, h) for name, h in old.items()}
        new_h = {name.lower(): self.deref(self.new, h) for name, h in new.items()}
        self.named(old_h, new_h, "response", "header", lambda name: f"{where} header {name}")

    def named(
        self,
        old: Mapping[K, Mapping[str, Any]],
        new: Mapping[K, Mapping[str, Any]],
        direction: Direction,
        subject: str,
        locate: Callable[[K], str],
    ) -> None:
        """Parameters and headers: each has ``required``, ``deprecated`` and a ``schema``."""
        sending = direction == "request"
        removed, common, added = _split(old, new)
        for name in removed:
            if sending:
                self.removal(old[name], locate(name), direction, subject, subject)
            elif old[name].get("required"):
                message = f"{subject} removed (receivers relying on it break)"
                self.add("removed", locate(name), message, direction, subject)
            else:
                self.add("removed", locate(name), f"optional {subject} removed", direction, f"optional-{subject}")
        for name in common:
            old_p, new_p, loc = old[name], new[name], locate(name)
            old_required, new_required = bool(old_p.get("required")), bool(new_p.get("required"))
            if old_required != new_required:
                kind = "became-required" if new_required else "became-optional"
                self.add(kind, loc, "now required" if new_required else "no longer required", direction, subject)
            self.deprecation(old_p, new_p, loc, direction, subject)
            if not (sending and self.scalar_to_array(old_p.get("schema"), new_p.get("schema"), loc, subject)):
                self.schema(old_p.get("schema"), new_p.get("schema"), loc, "", direction, subject)
        for name in added:
            required = bool(new[name].get("required"))
            if sending:
                kind, message = ("added-required", "required") if required else ("added-optional", "optional")
                self.add(kind, locate(name), f"{message} {subject} added", direction, subject)
            else:
                self.add("added", locate(name), f"{subject} added", direction, subject)

    def scalar_to_array(self, old_raw: object, new_raw: object, loc: str, subject: str) -> bool:
        """A sent parameter turned from a scalar into an array that still takes it: True once reported.

        Parameters travel as text and the default styles (form, simple) read one value as a one-item
        array, so ``?q=5`` stays valid when ``q`` becomes an array of strings (or of the old types); the
        old schema is then compared with the items. oasdiff rates it so (request-parameter-type-generalized).
        """
        old, new = self.flattened(self.old, old_raw), self.flattened(self.new, new_raw)
        old_types, new_types = json_types(old), json_types(new)
        if not old_types or "array" in old_types or new_types != frozenset({"array"}):
            return False
        items = new.get("items", {})
        item_types = json_types(self.flattened(self.new, items))
        if not (covers(item_types, old_types) or item_types == frozenset({"string"})):
            return False
        shown = f"type changed from {show_types(old_types)} to an array of {show_types(item_types)}"
        self.add("type-generalized", loc, f"{shown} (one value still reads as a one-item array)", "request", subject)
        as_items = {**old, "type": sorted(item_types)} if item_types else old
        self.schema(as_items, items, loc, "", "request", subject)
        return True

    def deprecation(
        self,
        old: Mapping[str, Any],
        new: Mapping[str, Any],
        loc: str,
        direction: Direction | None,
        subject: str,
        what: str = "",
    ) -> None:
        was, now = bool(old.get("deprecated")), bool(new.get("deprecated"))
        before, after = sunset_date(old), sunset_date(new)
        if isinstance(after, str) and now and after != before:
            self.add("sunset-invalid", loc, f"{what}x-sunset {after!r} is not an RFC 3339 date", direction, subject)
        elif was != now:
            until = f" (sunset {after.isoformat()})" if now and isinstance(after, dt.date) else ""
            message = f"{what}{'deprecated' + until if now else 'no longer deprecated'}"
            self.add("deprecated" if now else "reactivated", loc, message, direction, subject)
        elif now and before != after:
            if after is None:
                message = f"{what}x-sunset {before} removed (still deprecated)"
                self.add("sunset-removed", loc, message, direction, subject)
            elif isinstance(before, dt.date) and isinstance(after, dt.date) and after < before and after < self.today:
                message = f"{what}x-sunset brought forward from {before} to {after}, already past"
                self.add("sunset-brought-forward", loc, message, direction, subject)
            else:
                self.add("sunset-changed", loc, f"{what}x-sunset changed from {before} to {after}", direction, subject)

    def request_body(self, key: str, old_raw: object, new_raw: object, direction: Direction) -> None:
        sending = direction == "request"
        where = f"{key} request body" if sending else f"{key} callback body"
        if old_raw is None and new_raw is None:
            return
        if new_raw is None:
            self.add("removed", where, "request body removed", direction, "body")
            return
        new_body = self.deref(self.new, new_raw)
        new_required = bool(new_body.get("required"))
        if old_raw is None:
            kind = "added-required" if new_required else "added-optional"
            self.add(
                kind, where, "required request body added" if new_required else "request body added", direction, "body"
            )
            return
        old_body = self.deref(self.old, old_raw)
        if sending and bool(old_body.get("required")) != new_required:
            kind = "became-required" if new_required else "became-optional"
            self.add(kind, where, "now required" if new_required else "no longer required", direction, "body")
        self.content(where, as_map(old_body.get("content")), as_map(new_body.get("content")), direction)

    def content(self, where: str, old: Mapping[str, Any], new: Mapping[str, Any], direction: Direction) -> None:
        removed, common, added = _split(old, new)
        for media_type in removed:
            self.add("removed", where, f"media type {media_type} removed", direction, "media-type")
        for media_type in common:
            loc = where if len(old) == 1 and len(new) == 1 else f"{where} ({media_type})"
            self.schema(
                as_map(old[media_type]).get("schema"),
                as_map(new[media_type]).get("schema"),
                loc,
                "",
                direction,
                "body",
            )
        for media_type in added:
            self.add("added", where, f"media type {media_type} added", direction, "media-type")

    def responses(self, key: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        removed, common, added = _split(old, new)
        for status in removed:
            # 2xx is what the client asked for; an error status removed is one it never meets again.
            if str(status).startswith("2"):
                self.add("removed", f"{key} response {status}", "success response removed", "response", "status")
            else:
                where, message = f"{key} response {status}", "error response removed (clients no longer meet it)"
                self.add("removed", where, message, "response", "non-success-status")
        for status in common:
            where = f"{key} response {status}"
            old_resp, new_resp = self.deref(self.old, old[status]), self.deref(self.new, new[status])
            self.headers(where, as_map(old_resp.get("headers")), as_map(new_resp.get("headers")))
            self.content(where, as_map(old_resp.get("content")), as_map(new_resp.get("content")), "response")
        for status in added:
            self.add("added", f"{key} response {status}", "response added", "response", "status")

    def callbacks(self, key: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        removed, common, added = _split(old, new)
        for name in removed:
            self.add(
                "removed",
                f"{key} callback {name}",
                "callback removed (receivers are no longer notified)",
                subject="callback",
            )
        for name in common:
            where = f"{key} callback {name}"
            old_paths, new_paths = self.deref(self.old, old[name]), self.deref(self.new, new[name])
            gone, kept, new_expressions = _split(old_paths, new_paths)
            for expression in gone:
                self.add("removed", where, f"callback URL expression {expression} removed", subject="callback-url")
            for expression in kept:
                self.callback_item(where, as_map(old_paths[expression]), as_map(new_paths[expression]))
            for expression in new_expressions:
                self.add("added", where, f"callback URL expression {expression} added", subject="callback-url")
        for name in added:
            self.add("added", f"{key} callback {name}", "callback added", subject="callback")

    def callback_item(self, where: str, old_item: Mapping[str, Any], new_item: Mapping[str, Any]) -> None:
        for method in _HTTP_METHODS:
            if method not in old_item:
                continue
            if method not in new_item:
                self.add("removed", where, f"callback {method.upper()} removed", subject="callback-operation")
                continue
            old_op, new_op = as_map(old_item[method]), as_map(new_item[method])
            # The client *receives* callbacks: their parameters and body follow the response rules.
            self.parameters(
                where,
                self.merged_parameters(self.old, [], old_op),
                self.merged_parameters(self.new, [], new_op),
                "response",
            )
            self.request_body(where, old_op.get("requestBody"), new_op.get("requestBody"), "response")

    # schemas

    def flattened(
        self, doc: Mapping[str, Any], raw: object, seen: frozenset[str] = frozenset(), depth: int = 0
    ) -> Mapping[str, Any]:
        """``raw`` dereferenced, with its ``allOf`` members merged in so that every member's constraints
        hold (:func:`merge`). A member that leads back to a schema being merged (a ``$ref`` cycle) adds
        nothing more; members nested deeper than the depth cap are left as they are."""
        ref = as_map(raw).get("$ref")
        if isinstance(ref, str):
            if ref in seen:
                return {}
            seen = seen | {ref}
        schema = self.deref(doc, raw)
        members = schema.get("allOf")
        if not isinstance(members, list) or depth > _MAX_DEPTH:
            return schema
        merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
        for member in members:
            merged = merge(merged, self.flattened(doc, member, seen, depth + 1))
        return merged

    def normalized(
        self, doc: Mapping[str, Any], raw: object, seen: frozenset[str] = frozenset(), depth: int = 0
    ) -> _Normalized:
        """``anyOf``/``oneOf`` with a ``null`` branch and one other branch is that branch made nullable;
        several non-null branches are kept as alternatives. A lone branch that leads back to a schema
        being unwrapped (``A = oneOf[A, null]``) stops the unwrapping."""
        ref = as_map(raw).get("$ref")
        if isinstance(ref, str):
            if ref in seen:
                return _Normalized({}, True, "", [])
            seen = seen | {ref}
        schema = self.flattened(doc, raw)
        nullable = bool(schema.get("nullable"))
        type_value = schema.get("type")
        if type_value == "null" or (isinstance(type_value, list) and "null" in type_value):
            nullable = True
        for keyword in ("anyOf", "oneOf"):
            branches = schema.get(keyword)
            if not isinstance(branches, list):
                continue
            non_null = [b for b in branches if self.deref(doc, b).get("type") != "null"]
            if len(non_null) < len(branches):
                nullable = True
            if len(non_null) == 1 and depth <= _MAX_DEPTH:
                outer = {k: v for k, v in schema.items() if k != keyword}
                inner = self.normalized(doc, non_null[0], seen, depth + 1)
                return _Normalized(
                    {**outer, **inner.schema}, nullable or inner.nullable, inner.keyword, inner.alternatives
                )
            return _Normalized(schema, nullable, keyword, non_null)
        return _Normalized(schema, nullable, "", [])

    def schema(
        self, old_raw: object, new_raw: object, where: str, field: str, direction: Direction, subject: str
    ) -> None:
        """Compare two schemas found at the same place; ``subject`` names what they describe."""
        old_schema, new_schema = self.deref(self.old, old_raw), self.deref(self.new, new_raw)
        # A schema that contains itself is met again under the same $ref (or, inline, the same object):
        # its changes were reported the first time. The depth cap is a backstop for anything else.
        guard = (self.identity(old_raw, old_schema), self.identity(new_raw, new_schema), direction)
        if not self._active:
            self._expanded, self._walked = set(), 0  # a new body, parameter or header
        if guard in self._active or (self._walked > _MAX_PATHS and guard in self._expanded):
            return
        self._walked += 1
        if self._walked == _MAX_PATHS + 1:
            # Components that refer to each other can be reached by exponentially many paths (a hostile
            # or a very tangled spec): from here on each pair of $refs is compared once, its changes
            # reported where it was first met. A shared component in an ordinary spec never gets here,
            # and is reported at every place that uses it.
            loc = f"{where} {field}" if field else where
            message = f"over {_MAX_PATHS} schema paths: from here on each $ref pair is compared once"
            self.add("too-many-paths", loc, message, direction, subject)
        if isinstance(guard[0], str) and isinstance(guard[1], str):
            self._expanded.add(guard)
        if len(self._active) > _MAX_DEPTH:
            try:
                same = old_schema == new_schema
            except RecursionError:
                same = False
            if not same:  # say so rather than pass over it in silence
                loc = f"{where} {field}" if field else where
                message = f"schemas nested deeper than {_MAX_DEPTH} levels: not compared further"
                self.add("too-deep", loc, message, direction, subject)
            return
        self._active.add(guard)
        try:
            old, new = self.normalized(self.old, old_schema), self.normalized(self.new, new_schema)
            self.compare(old, new, where, field, direction, subject)
        finally:
            self._active.discard(guard)

    @staticmethod
    def identity(raw: object, schema: Mapping[str, Any]) -> str | int:
        ref = as_map(raw).get("$ref")
        return ref if isinstance(ref, str) else id(schema)

    def compare(
        self, old_n: _Normalized, new_n: _Normalized, where: str, field: str, direction: Direction, subject: str
    ) -> None:
        loc = f"{where} {field}" if field else where
        sending = direction == "request"
        old, new = old_n.schema, new_n.schema

        def add(kind: str, message: str) -> None:
            self.add(kind, loc, message, direction, subject)

        if old_n.nullable != new_n.nullable:
            if new_n.nullable:
                add("became-nullable", "now nullable" + ("" if sending else " (clients must handle null)"))
            else:
                add("became-not-nullable", "no longer nullable" + (" (null is refused)" if sending else ""))

        if old_n.alternatives or new_n.alternatives:
            self.alternatives(old_n, new_n, where, field, direction, subject)
            if not (old_n.alternatives and new_n.alternatives):
                return  # one side is plain: it was paired with the other side's branches

        old_types, new_types = json_types(old), json_types(new)
        if old_types != new_types:
            shown = f"type changed from {show_types(old_types)} to {show_types(new_types)}"
            if covers(new_types, old_types):
                add("type-generalized", shown)
            elif covers(old_types, new_types):
                add("type-specialized", shown)
            else:
                add("type-changed", shown)

        if field:
            self.deprecation(old, new, loc, direction, subject)
        if old.get("default") != new.get("default") or ("default" in old) != ("default" in new):
            before, after = old.get("default"), new.get("default")
            if "default" not in old:
                add("default-value-added", f"default {show(after)} added")
            elif "default" not in new:
                add("default-value-removed", f"default {show(before)} removed")
            else:
                add("default-value-changed", f"default changed from {show(before)} to {show(after)}")

        self.enum(old, new, loc, field, direction, subject)
        self.bounds(old, new, loc, direction, subject)
        self.constraints(old, new, loc, direction, subject)
        self.subschemas(old, new, where, field, direction, subject)
        self.object(old, new, where, field, direction, subject)
        if "items" in old or "items" in new:
            self.schema(old.get("items", {}), new.get("items", {}), where, f"{field}[]", direction, subject)

    def alternatives(
        self, old: _Normalized, new: _Normalized, where: str, field: str, direction: Direction, subject: str
    ) -> None:
        """Pair the branches of ``anyOf``/``oneOf`` by structure; a plain side counts as one branch."""
        loc = f"{where} {field}" if field else where
        old_alts = old.alternatives or [old.schema]
        new_alts = new.alternatives or [new.schema]
        keyword = new.keyword or old.keyword
        kind = "one-of" if keyword == "oneOf" else "any-of"
        removed, pairs, added = self.pair(old_alts, new_alts)
        if keyword == "oneOf" and not old.alternatives and direction == "request":
            # A plain schema wrapped in oneOf: a value the old schema accepted and that fits two branches
            # now fails ("exactly one"); oasdiff rates request-body-wrapped-in-one-of ERR.
            fits = [alt for alt in new_alts if self.likeness(old.schema, alt) > 0]
            if len(fits) > 1:
                message = f"wrapped in oneOf: {len(fits)} alternatives may both match what was valid before"
                self.add("wrapped-in-one-of", loc, message, direction, subject)
        for index in removed:
            self.add(
                f"{kind}-removed",
                loc,
                f"{keyword} alternative {self.label(self.old, old_alts[index])} removed",
                direction,
                subject,
            )
        for old_index, new_index in pairs:
            label = f"{field}<{keyword} {new_index}>" if len(new_alts) > 1 else field
            self.schema(old_alts[old_index], new_alts[new_index], where, label, direction, subject)
        for index in added:
            self.add(
                f"{kind}-added",
                loc,
                f"{keyword} alternative {self.label(self.new, new_alts[index])} added",
                direction,
                subject,
            )

    def label(self, doc: Mapping[str, Any], raw: object) -> str:
        ref = as_map(raw).get("$ref")
        if isinstance(ref, str):
            return ref.rsplit("/", 1)[-1]
        schema = self.flattened(doc, raw)
        title = schema.get("title")
        return title if isinstance(title, str) else show_types(json_types(schema))

    def pair(self, old: list[Any], new: list[Any]) -> tuple[list[int], list[tuple[int, int]], list[int]]:
        """(unpaired old, pairs, unpaired new) branch indexes: identical branches pair first, then the
        closest by structure (compatible types; for objects, shared property names)."""
        free_old, free_new = list(range(len(old))), list(range(len(new)))
        pairs: list[tuple[int, int]] = []
        for i in list(free_old):
            same = next((j for j in free_new if show(old[i]) == show(new[j])), None)
            if same is not None:
                pairs.append((i, same))
                free_old.remove(i)
                free_new.remove(same)
        scored = sorted(
            ((score, i, j) for i in free_old for j in free_new if (score := self.likeness(old[i], new[j])) > 0),
            key=lambda t: (-t[0], t[1], t[2]),
        )
        for _, i, j in scored:
            if i in free_old and j in free_new:
                pairs.append((i, j))
                free_old.remove(i)
                free_new.remove(j)
        return free_old, sorted(pairs, key=lambda p: p[1]), free_new

    def likeness(self, old_raw: object, new_raw: object) -> float:
        """0 when two branches cannot be versions of each other, else higher the closer they are."""
        old, new = self.flattened(self.old, old_raw), self.flattened(self.new, new_raw)
        old_types, new_types = json_types(old), json_types(new)
        if not (covers(old_types, new_types) or covers(new_types, old_types)):
            return 0.0
        score = 1.0 + (old_types == new_types)
        old_props, new_props = set(as_map(old.get("properties"))), set(as_map(new.get("properties")))
        if old_props and new_props:
            shared = len(old_props & new_props) / len(old_props | new_props)
            if not shared:
                return 0.0  # two objects with nothing in common are two different branches
            score += shared
        old_ref, new_ref = as_map(old_raw).get("$ref"), as_map(new_raw).get("$ref")
        same_ref = old_ref is not None and old_ref == new_ref
        same_title = old.get("title") is not None and old.get("title") == new.get("title")
        return score + same_ref + same_title

    def enum(
        self, old: Mapping[str, Any], new: Mapping[str, Any], loc: str, field: str, direction: Direction, subject: str
    ) -> None:
        old_known, new_known = (s.get("x-extensible-enum") for s in (old, new))
        if isinstance(old_known, list) and isinstance(new_known, list):
            # Zalando's open enum: values are known, not exclusive; one dropped may be refused when sent.
            gone = [v for v in old_known if v not in new_known]
            if gone:
                message = f"x-extensible-enum value(s) {', '.join(map(show, gone))} removed"
                self.add("extensible-enum-value-removed", loc, message, direction, subject)
        old_values, new_values = enum_values(old), enum_values(new)
        if old_values == new_values:
            return
        sending = direction == "request"
        if old_values is None or new_values is None:
            if new_values is not None:  # an enum introduced: fewer values accepted
                self.add("became-enum", loc, f"restricted to [{', '.join(sorted(new_values))}]", direction, subject)
            else:
                self.add("became-not-enum", loc, "no longer restricted to an enum", direction, subject)
            return
        removed, _, added = _split(old_values, new_values)
        # The envelope's in-band `code` is the error channel every client already handles generically.
        in_band = direction == "response" and field == "code"
        for kind, keys, values in (("added", added, new_values), ("removed", removed, old_values)):
            if not keys:
                continue
            shown = ", ".join(show(values[k]) for k in keys)
            if in_band:
                self.add(f"in-band-code-{kind}", loc, f"documented in-band code(s) {shown} {kind}", direction)
            elif kind == "added" and not sending:
                self.add(
                    "enum-value-added",
                    loc,
                    f"enum value(s) {shown} added (clients with closed enums fail on them)",
                    direction,
                    subject,
                )
            else:
                self.add(f"enum-value-{kind}", loc, f"enum value(s) {shown} {kind}", direction, subject)

    def bounds(
        self, old: Mapping[str, Any], new: Mapping[str, Any], loc: str, direction: Direction, subject: str
    ) -> None:
        for keyword, word, lower in BOUNDS:
            before, after = old.get(keyword), new.get(keyword)
            if before == after or not (before is None or is_number(before)) or not (after is None or is_number(after)):
                continue  # unchanged, or an OpenAPI 3.0 boolean exclusiveMinimum
            if after is None:
                how, tightened = "unset", False
            elif before is None:
                how, tightened = "set", True
            else:
                how = "increased" if after > before else "decreased"
                tightened = (how == "increased") == lower
            what = f"{keyword} {'added' if before is None else 'removed' if after is None else 'changed'}"
            shown_before = "-" if before is None else show(before)
            shown_after = "-" if after is None else show(after)
            message = f"{what}: {shown_before} -> {shown_after} ({'tightened' if tightened else 'loosened'})"
            self.add(f"{word}-{how}", loc, message, direction, subject)

    def constraints(
        self, old: Mapping[str, Any], new: Mapping[str, Any], loc: str, direction: Direction, subject: str
    ) -> None:
        """``pattern``, ``format`` and ``multipleOf``: added, removed or changed."""
        for keyword, added, removed in _CONSTRAINTS:
            before, after = (pattern_of(s) if keyword == "pattern" else s.get(keyword) for s in (old, new))
            if before == after:
                continue
            how = added if before is None else removed if after is None else "changed"
            message = f"{keyword} changed from {show(before)} to {show(after)}"
            self.add(f"{kebab(keyword)}-{how}", loc, message, direction, subject)
        walked = walked_keywords(old, new)
        conditionals = (
            {k: s[k] for k in ("if", "then", "else") if k in s and k not in walked} or None for s in (old, new)
        )
        # Compared as written: a conditional, a `contains` or a `propertyNames` cannot be ordered looser or
        # tighter by looking at it.
        for keyword, (before, after) in [("conditional", tuple(conditionals))] + [
            (keyword, (old.get(keyword), new.get(keyword))) for keyword in KEYWORDS
        ]:
            if show(before) == show(after) or keyword in walked:
                continue
            word = kebab(keyword)
            how = "added" if before is None else "removed" if after is None else "changed"
            what = "if/then/else rule" if word == "conditional" else f"{word.replace('-', ' ')} constraint"
            self.add(f"{word}-{how}", loc, f"{what} {how}", direction, subject)

    def subschemas(
        self, old: Mapping[str, Any], new: Mapping[str, Any], where: str, field: str, direction: Direction, subject: str
    ) -> None:
        """Schemas inside ``then``/``else``, ``contains``, ``prefixItems``, ``patternProperties``… present on
        both sides are compared inside (a field removed from a ``contains`` is that, not "contains changed")."""
        walked = walked_keywords(old, new)
        for keyword in WALKED:
            if keyword not in walked:
                continue
            before: Any = old[keyword]
            after: Any = new[keyword]
            if keyword in SCHEMA_MAPS:
                inner = [(f"<{keyword} {key}>", before[key], after[key]) for key in before]
            elif keyword == "prefixItems":
                inner = [(f"<{keyword} {i}>", b, a) for i, (b, a) in enumerate(zip(before, after, strict=True))]
            else:
                inner = [(f"<{keyword}>", before, after)]
            for label, b, a in inner:
                self.schema(b, a, where, f"{field}{label}", direction, subject)

    def object(
        self, old: Mapping[str, Any], new: Mapping[str, Any], where: str, field: str, direction: Direction, subject: str
    ) -> None:
        sending = direction == "request"
        old_props, new_props = as_map(old.get("properties")), as_map(new.get("properties"))
        old_required, new_required = set(strings(old.get("required"))), set(strings(new.get("required")))
        closed = new.get("additionalProperties") is False

        def at(name: str) -> str:
            return f"{field}.{name}" if field else name

        def add(kind: str, name: str, message: str) -> None:
            self.add(kind, f"{where} {at(name)}", message, direction, "property")

        removed, common, added = _split(old_props, new_props)
        for name in removed:
            if sending and closed:
                add("removed", name, "field removed (clients sending it are refused)")
            elif sending:
                add("now-ignored", name, "field removed (the server ignores it from now on)")
            elif name in old_required:
                add("removed", name, "field removed (it was always present)")
            else:
                self.add("removed", f"{where} {at(name)}", "optional field removed", direction, "optional-property")
        for name in added:
            required = name in new_required
            if sending:
                kind = "added-required" if required else "added-optional"
                add(kind, name, "required field added" if required else "optional field added")
            else:
                add("added", name, "field added")
        for name in common:
            was, now = name in old_required, name in new_required
            if was != now:
                if sending:
                    message = "now required" if now else "no longer required"
                else:
                    message = "now always present" if now else "no longer required (may be absent)"
                add("became-required" if now else "became-optional", name, message)
            self.schema(old_props[name], new_props[name], where, at(name), direction, "property")

        old_extra, new_extra = old.get("additionalProperties"), new.get("additionalProperties")
        if isinstance(old_extra, Mapping) and isinstance(new_extra, Mapping):  # a map's values: `{name}.*`
            self.schema(old_extra, new_extra, where, at("*"), direction, subject)
        if (old.get("additionalProperties") is False) != closed:
            loc = f"{where} {field}" if field else where
            if closed:
                self.add(
                    "additional-properties-closed", loc, "additional properties no longer allowed", direction, subject
                )
            else:
                self.add("additional-properties-opened", loc, "additional properties now allowed", direction, subject)
