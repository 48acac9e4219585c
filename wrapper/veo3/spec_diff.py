"""Breaking and non-breaking changes between two versions of the OpenAPI spec.

Updating ``openapi/veo3-api.json`` (and then ``make generate``) should be a reviewed step: this module
lists what changed for a *client* of the API, each change classified as breaking or not, so the review
starts from "seeds maximum lowered from 99999 to 50000 (breaking)" rather than from a JSON diff.

Why a small hand-written differ and not a library: the tool that does this well, oasdiff, is written in Go
and is not on PyPI (adding it would mean a Go toolchain or a downloaded binary in ``make``, against the
fresh-clone rule); the Python packages that exist (``openapi-spec-diff``, ``openapispecdiff``,
``impoasdiff``) are abandoned, predate OpenAPI 3.1 (``type`` lists, ``anyOf`` with ``null`` instead of
``nullable``) and know nothing of callbacks. The rules needed for this one spec fit in a few hundred lines.

How changes are classified (the *client's* point of view):

- **Requests** (bodies and parameters the client sends): anything that makes a previously valid request
  invalid is breaking — an operation removed, a required field or parameter added, an optional one made
  required, a field removed, an enum value removed, a bound tightened (``maximum`` lowered, ``minLength``
  raised…), a type narrowed, ``null`` no longer accepted, a ``pattern``/``format`` added or changed,
  ``additionalProperties`` closed, a security requirement added. The reverse changes are non-breaking.
- **Responses and callbacks** (bodies the client receives; a callback's request body is received by the
  client's receiver, so it is treated like a response): anything a client may not be ready to read is
  breaking — a field removed, a field that was always present no longer required, a field made nullable,
  a type widened, a status or media type removed. *Enum widening in a response is classified breaking*:
  clients with closed enums (most generators, and hand-written ``match`` statements) fail on the new
  value, even though ``veo3``'s own generated enums are open and keep unknown values. The exception is
  the envelope's in-band ``code``: new documented codes are non-breaking, because ``code`` is the error
  channel every client must already handle generically (``veo3`` maps an unknown code to a plain
  ``APIError``); they are still listed so a reviewer can decide whether the code deserves its own error
  class. Bounds loosened in a response are non-breaking (clients rarely validate responses; the change
  is listed for those that do).
- Changes the differ cannot classify (say, a schema turned from one alternative into several) are
  reported as breaking, so a human looks at them.

Run ``python -m veo3.spec_diff OLD NEW`` (or ``make spec-diff``): prints the report and exits 1 when
anything is breaking, 0 otherwise, 2 on a usage error.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

__all__ = ["Change", "diff_specs", "format_report", "load_spec_file", "main"]

Direction = Literal["request", "response"]

_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Keywords that, when raised (lower bounds) or lowered (upper bounds), accept fewer values.
_LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
_UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
# Keywords whose any change restricts requests in ways we cannot order (a new regex is not "tighter").
_CONSTRAINTS = ("pattern", "format", "multipleOf")
_SECURITY_SCHEME_FIELDS = ("type", "scheme", "in", "name", "bearerFormat", "openIdConnectUrl", "flows")


@dataclass(frozen=True)
class Change:
    """One difference between two specs.

    ``breaking`` is True when a client written against the old spec may fail against the new one;
    ``location`` says where (``"POST /api/v1/veo/generate request body seeds"``); ``message`` what and why.
    """

    breaking: bool
    location: str
    message: str


def diff_specs(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """Every change from ``old`` to ``new`` (parsed OpenAPI documents), in document order.

    ``$ref``s are resolved within each document, so moving a schema to a component is not a change;
    an identical spec gives an empty list.
    """
    differ = _Differ(old, new)
    differ.run()
    return differ.changes


def format_report(changes: Sequence[Change]) -> str:
    """A human-readable report: breaking changes first, then the rest, then a one-line summary."""
    if not changes:
        return "No changes."
    breaking = [c for c in changes if c.breaking]
    other = [c for c in changes if not c.breaking]
    lines: list[str] = []
    for title, group in (("Breaking changes", breaking), ("Non-breaking changes", other)):
        if group:
            lines.append(f"{title} ({len(group)}):")
            lines.extend(f"  - {c.location}: {c.message}" for c in group)
            lines.append("")
    lines.append(f"{len(breaking)} breaking, {len(other)} non-breaking.")
    return "\n".join(lines)


def load_spec_file(path: str | Path) -> Mapping[str, Any]:
    """Read a spec from a JSON file (or YAML, when PyYAML is installed and the name ends in .yaml/.yml)."""
    p = Path(path)
    text = p.read_text(encoding="utf-8")
    if p.suffix in (".yaml", ".yml"):
        import yaml  # type: ignore[import-untyped,unused-ignore]  # only for YAML specs

        try:
            loaded = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ValueError(f"{p}: not valid YAML: {exc}") from None
    else:
        try:
            loaded = json.loads(text)
        except ValueError as exc:
            raise ValueError(f"{p}: not valid JSON: {exc}") from None
    if not isinstance(loaded, Mapping):
        raise ValueError(f"{p}: not an OpenAPI document (top level is not an object)")
    return loaded


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m veo3.spec_diff OLD NEW``: print the report; exit 1 if anything is breaking."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2 or any(a in ("-h", "--help") for a in args):
        print("usage: python -m veo3.spec_diff OLD_SPEC NEW_SPEC", file=sys.stderr)
        return 2
    try:
        old, new = (load_spec_file(a) for a in args)
    except (OSError, ValueError) as exc:
        print(f"spec-diff: {exc}", file=sys.stderr)
        return 2
    changes = diff_specs(old, new)
    print(format_report(changes))
    return 1 if any(c.breaking for c in changes) else 0


# --- the differ ---------------------------------------------------------------------------------------


def _as_map(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _show(value: object) -> str:
    return json.dumps(value, sort_keys=True)


def _strings(value: object) -> tuple[str, ...]:
    """The strings of a JSON list (``required``, scopes), sorted; anything else is ignored."""
    return tuple(sorted(v for v in value if isinstance(v, str))) if isinstance(value, list) else ()


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class _Differ:
    def __init__(self, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        self.old = old
        self.new = new
        self.changes: list[Change] = []
        # Schema pairs being compared right now: stops recursion through self-referencing schemas.
        self._active: set[tuple[int, int, str]] = set()

    def add(self, breaking: bool, location: str, message: str) -> None:
        self.changes.append(Change(breaking, location, message))

    # references

    def deref(self, doc: Mapping[str, Any], node: object) -> Mapping[str, Any]:
        """``node`` with ``$ref`` chains followed; keywords next to a ``$ref`` (OpenAPI 3.1) override."""
        current = _as_map(node)
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
            current = {**_as_map(target), **siblings} if siblings else _as_map(target)
        return current

    # top level

    def run(self) -> None:
        old_version = _as_map(self.old.get("info")).get("version")
        new_version = _as_map(self.new.get("info")).get("version")
        if old_version != new_version:
            self.add(False, "info.version", f"version changed from {old_version!r} to {new_version!r}")
        self.security_schemes()
        old_ops, new_ops = self.operations(self.old), self.operations(self.new)
        for key, old_op in old_ops.items():
            if key not in new_ops:
                self.add(True, key, "operation removed")
            else:
                self.operation(key, old_op, new_ops[key])
        for key in new_ops:
            if key not in old_ops:
                self.add(False, key, "operation added")

    @staticmethod
    def operations(doc: Mapping[str, Any]) -> dict[str, tuple[Mapping[str, Any], list[Any]]]:
        """``"METHOD /path"`` → (operation, path-level parameters)."""
        found: dict[str, tuple[Mapping[str, Any], list[Any]]] = {}
        for path, item in _as_map(doc.get("paths")).items():
            item_map = _as_map(item)
            shared = list(item_map.get("parameters") or [])
            for method in _HTTP_METHODS:
                if method in item_map:
                    found[f"{method.upper()} {path}"] = (_as_map(item_map[method]), shared)
        return found

    def security_schemes(self) -> None:
        old_schemes = _as_map(_as_map(self.old.get("components")).get("securitySchemes"))
        new_schemes = _as_map(_as_map(self.new.get("components")).get("securitySchemes"))
        for name, old_scheme in old_schemes.items():
            loc = f"components.securitySchemes.{name}"
            if name not in new_schemes:
                self.add(True, loc, "security scheme removed")
                continue
            old_s, new_s = self.deref(self.old, old_scheme), self.deref(self.new, new_schemes[name])
            changed = [
                f"{field} {_show(old_s.get(field))} -> {_show(new_s.get(field))}"
                for field in _SECURITY_SCHEME_FIELDS
                if old_s.get(field) != new_s.get(field)
            ]
            if changed:
                self.add(True, loc, "security scheme changed: " + ", ".join(changed))
        for name in new_schemes:
            if name not in old_schemes:
                self.add(False, f"components.securitySchemes.{name}", "security scheme added")

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
                True,
                key,
                f"operationId changed from {old_op.get('operationId')!r} to {new_op.get('operationId')!r}"
                " (generated function and module names change)",
            )
        if not old_op.get("deprecated") and new_op.get("deprecated"):
            self.add(False, key, "operation deprecated")
        self.security(key, old_op, new_op)
        self.parameters(
            key,
            self.merged_parameters(self.old, old_shared, old_op),
            self.merged_parameters(self.new, new_shared, new_op),
            "request",
        )
        self.request_body(key, old_op.get("requestBody"), new_op.get("requestBody"), "request")
        self.responses(key, _as_map(old_op.get("responses")), _as_map(new_op.get("responses")))
        self.callbacks(key, _as_map(old_op.get("callbacks")), _as_map(new_op.get("callbacks")))

    def security(self, key: str, old_op: Mapping[str, Any], new_op: Mapping[str, Any]) -> None:
        old_req = self.requirements(old_op.get("security", self.old.get("security")))
        new_req = self.requirements(new_op.get("security", self.new.get("security")))
        if old_req == new_req:
            return
        old_text, new_text = self.show_requirements(old_req), self.show_requirements(new_req)
        # A client meets one old alternative; it keeps working if some new alternative asks for no more.
        breaking = any(not any(new_alt <= old_alt for new_alt in new_req) for old_alt in old_req)
        self.add(breaking, key, f"security changed from {old_text} to {new_text}")

    @staticmethod
    def requirements(value: object) -> frozenset[frozenset[tuple[str, tuple[str, ...]]]]:
        """Security requirement alternatives; the empty requirement stands for "no authentication"."""
        alternatives = value if isinstance(value, list) else []
        if not alternatives:
            return frozenset({frozenset()})
        return frozenset(
            frozenset((name, _strings(scopes)) for name, scopes in _as_map(alt).items()) for alt in alternatives
        )

    @staticmethod
    def show_requirements(req: Iterable[frozenset[tuple[str, tuple[str, ...]]]]) -> str:
        shown = sorted(" + ".join(sorted(name for name, _ in alt)) or "none" for alt in req)
        return " or ".join(shown)

    def merged_parameters(
        self, doc: Mapping[str, Any], shared: list[Any], op: Mapping[str, Any]
    ) -> dict[tuple[str, str], Mapping[str, Any]]:
        params: dict[tuple[str, str], Mapping[str, Any]] = {}
        for raw in [*shared, *(op.get("parameters") or [])]:  # operation-level ones override
            p = self.deref(doc, raw)
            params[(str(p.get("in")), str(p.get("name")))] = p
        return params

    def parameters(
        self,
        key: str,
        old: Mapping[tuple[str, str], Mapping[str, Any]],
        new: Mapping[tuple[str, str], Mapping[str, Any]],
        direction: Direction,
    ) -> None:
        sending = direction == "request"
        for (where, name), old_p in old.items():
            loc = f"{key} {where} parameter {name}"
            if (where, name) not in new:
                why = "clients passing it break" if sending else "receivers relying on it break"
                self.add(True, loc, f"parameter removed ({why})")
                continue
            new_p = new[(where, name)]
            old_required, new_required = bool(old_p.get("required")), bool(new_p.get("required"))
            if old_required != new_required:
                tightened = new_required if sending else not new_required
                self.add(tightened, loc, "now required" if new_required else "no longer required")
            if not old_p.get("deprecated") and new_p.get("deprecated"):
                self.add(False, loc, "deprecated")
            self.schema(self.old, old_p.get("schema"), self.new, new_p.get("schema"), loc, "", direction)
        for (where, name), new_p in new.items():
            if (where, name) not in old:
                required = bool(new_p.get("required"))
                loc = f"{key} {where} parameter {name}"
                if sending:
                    self.add(required, loc, "required parameter added" if required else "optional parameter added")
                else:
                    self.add(False, loc, "parameter added")

    def request_body(self, key: str, old_raw: object, new_raw: object, direction: Direction) -> None:
        sending = direction == "request"
        where = f"{key} request body" if sending else f"{key} callback body"
        if old_raw is None and new_raw is None:
            return
        if new_raw is None:
            self.add(True, where, "request body removed")
            return
        new_body = self.deref(self.new, new_raw)
        if old_raw is None:
            required = bool(new_body.get("required"))
            self.add(required and sending, where, "required request body added" if required else "request body added")
            return
        old_body = self.deref(self.old, old_raw)
        old_required, new_required = bool(old_body.get("required")), bool(new_body.get("required"))
        if sending and old_required != new_required:
            self.add(new_required, where, "now required" if new_required else "no longer required")
        self.content(where, _as_map(old_body.get("content")), _as_map(new_body.get("content")), direction)

    def content(self, where: str, old: Mapping[str, Any], new: Mapping[str, Any], direction: Direction) -> None:
        for media_type, old_media in old.items():
            if media_type not in new:
                self.add(True, where, f"media type {media_type} removed")
                continue
            loc = where if len(old) == 1 and len(new) == 1 else f"{where} ({media_type})"
            self.schema(
                self.old,
                _as_map(old_media).get("schema"),
                self.new,
                _as_map(new[media_type]).get("schema"),
                loc,
                "",
                direction,
            )
        for media_type in new:
            if media_type not in old:
                self.add(False, where, f"media type {media_type} added")

    def responses(self, key: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        for status, old_raw in old.items():
            where = f"{key} response {status}"
            if status not in new:
                self.add(True, where, "response removed")
                continue
            old_resp, new_resp = self.deref(self.old, old_raw), self.deref(self.new, new[status])
            self.content(where, _as_map(old_resp.get("content")), _as_map(new_resp.get("content")), "response")
        for status in new:
            if status not in old:
                self.add(False, f"{key} response {status}", "response added")

    def callbacks(self, key: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        for name, old_cb in old.items():
            where = f"{key} callback {name}"
            if name not in new:
                self.add(True, where, "callback removed (receivers are no longer notified)")
                continue
            old_paths, new_paths = _as_map(self.deref(self.old, old_cb)), _as_map(self.deref(self.new, new[name]))
            for expression, old_item in old_paths.items():
                if expression not in new_paths:
                    self.add(True, where, f"callback URL expression {expression} removed")
                    continue
                old_item_map, new_item_map = _as_map(old_item), _as_map(new_paths[expression])
                for method in _HTTP_METHODS:
                    if method not in old_item_map:
                        continue
                    if method not in new_item_map:
                        self.add(True, where, f"callback {method.upper()} removed")
                        continue
                    old_op, new_op = _as_map(old_item_map[method]), _as_map(new_item_map[method])
                    # The client *receives* callbacks: their parameters and body follow the response rules.
                    self.parameters(
                        where,
                        self.merged_parameters(self.old, [], old_op),
                        self.merged_parameters(self.new, [], new_op),
                        "response",
                    )
                    self.request_body(where, old_op.get("requestBody"), new_op.get("requestBody"), "response")
        for name in new:
            if name not in old:
                self.add(False, f"{key} callback {name}", "callback added")

    # schemas

    def normalized(self, doc: Mapping[str, Any], raw: object) -> tuple[Mapping[str, Any], bool, list[Any]]:
        """(schema, accepts null, alternatives): ``anyOf``/``oneOf`` with a ``null`` branch and one other
        branch is that branch made nullable; several non-null branches are returned as alternatives."""
        schema = self.deref(doc, raw)
        nullable = bool(schema.get("nullable"))
        type_value = schema.get("type")
        if type_value == "null" or (isinstance(type_value, list) and "null" in type_value):
            nullable = True
        for keyword in ("anyOf", "oneOf"):
            branches = schema.get(keyword)
            if not isinstance(branches, list):
                continue
            resolved = [self.deref(doc, b) for b in branches]
            non_null = [b for b in resolved if b.get("type") != "null"]
            if len(non_null) < len(resolved):
                nullable = True
            if len(non_null) == 1:
                outer = {k: v for k, v in schema.items() if k != keyword}
                inner, inner_nullable, alternatives = self.normalized(doc, non_null[0])
                return {**outer, **inner}, nullable or inner_nullable, alternatives
            return schema, nullable, non_null
        return schema, nullable, []

    @staticmethod
    def types(schema: Mapping[str, Any]) -> frozenset[str] | None:
        """The non-null JSON types a schema allows; None when it does not say (any type)."""
        value = schema.get("type")
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            return None
        return frozenset(t for t in value if isinstance(t, str) and t != "null")

    @staticmethod
    def covers(wider: frozenset[str] | None, narrower: frozenset[str] | None) -> bool:
        if wider is None:
            return True
        if narrower is None:
            return False
        return all(t in wider or (t == "integer" and "number" in wider) for t in narrower)

    def schema(
        self,
        old_doc: Mapping[str, Any],
        old_raw: object,
        new_doc: Mapping[str, Any],
        new_raw: object,
        where: str,
        field: str,
        direction: Direction,
    ) -> None:
        old, old_nullable, old_alts = self.normalized(old_doc, old_raw)
        new, new_nullable, new_alts = self.normalized(new_doc, new_raw)
        guard = (id(old), id(new), direction)
        if guard in self._active:
            return
        self._active.add(guard)
        try:
            self.compare(old, old_nullable, old_alts, new, new_nullable, new_alts, where, field, direction)
        finally:
            self._active.discard(guard)

    def compare(
        self,
        old: Mapping[str, Any],
        old_nullable: bool,
        old_alts: list[Any],
        new: Mapping[str, Any],
        new_nullable: bool,
        new_alts: list[Any],
        where: str,
        field: str,
        direction: Direction,
    ) -> None:
        loc = f"{where} {field}" if field else where
        sending = direction == "request"

        if old_alts or new_alts:
            self.alternatives(old_alts, new_alts, where, field, direction)
            if not (old_alts and new_alts):
                return  # one side is plain: the alternatives message says all there is

        old_types, new_types = self.types(old), self.types(new)
        if old_types != new_types:
            shown = f"type changed from {self.show_types(old_types)} to {self.show_types(new_types)}"
            if sending:
                self.add(not self.covers(new_types, old_types), loc, shown)
            else:
                self.add(not self.covers(old_types, new_types), loc, shown)

        if old_nullable != new_nullable:
            if new_nullable:
                self.add(not sending, loc, "now nullable" + ("" if sending else " (clients must handle null)"))
            else:
                self.add(sending, loc, "no longer nullable" + (" (null is refused)" if sending else ""))

        if not old.get("deprecated") and new.get("deprecated") and field:
            self.add(False, loc, "deprecated")
        if sending and old.get("default") != new.get("default") and "default" in old and "default" in new:
            self.add(False, loc, f"default changed from {_show(old['default'])} to {_show(new['default'])}")

        self.enum(old, new, loc, field, direction)
        self.bounds(old, new, loc, direction)
        self.object(old, new, where, field, direction)
        if "items" in old or "items" in new:
            self.schema(self.old, old.get("items", {}), self.new, new.get("items", {}), where, f"{field}[]", direction)

    @staticmethod
    def show_types(types: frozenset[str] | None) -> str:
        return "any" if types is None else "/".join(sorted(types)) or "null"

    def alternatives(self, old: list[Any], new: list[Any], where: str, field: str, direction: Direction) -> None:
        loc = f"{where} {field}" if field else where
        if old and new:
            for index, (old_alt, new_alt) in enumerate(zip(old, new, strict=False)):
                self.schema(self.old, old_alt, self.new, new_alt, where, f"{field}<alternative {index}>", direction)
            if len(new) > len(old):
                self.add(direction == "response", loc, f"{len(new) - len(old)} alternative schema(s) added")
            elif len(new) < len(old):
                self.add(direction == "request", loc, f"{len(old) - len(new)} alternative schema(s) removed")
            return
        # One side has alternatives, the other does not: too structural to classify safely.
        self.add(True, loc, f"schema changed from {len(old) or 1} alternative(s) to {len(new) or 1}; review it")

    def enum(self, old: Mapping[str, Any], new: Mapping[str, Any], loc: str, field: str, direction: Direction) -> None:
        old_values = self.enum_values(old)
        new_values = self.enum_values(new)
        if old_values == new_values:
            return
        sending = direction == "request"
        if old_values is None or new_values is None:
            if new_values is not None:  # an enum introduced: fewer values accepted
                self.add(sending, loc, f"restricted to [{', '.join(sorted(new_values))}]")
            else:
                self.add(not sending, loc, "no longer restricted to an enum")
            return
        added = [v for k, v in new_values.items() if k not in old_values]
        removed = [v for k, v in old_values.items() if k not in new_values]
        in_band_code = direction == "response" and field == "code"
        if added:
            values = ", ".join(_show(v) for v in added)
            if in_band_code:
                self.add(False, loc, f"documented in-band code(s) {values} added")
            elif sending:
                self.add(False, loc, f"enum value(s) {values} added")
            else:
                self.add(True, loc, f"enum value(s) {values} added (clients with closed enums fail on them)")
        if removed:
            values = ", ".join(_show(v) for v in removed)
            if in_band_code:
                self.add(False, loc, f"documented in-band code(s) {values} removed")
            else:
                self.add(sending, loc, f"enum value(s) {values} removed")

    @staticmethod
    def enum_values(schema: Mapping[str, Any]) -> dict[str, Any] | None:
        if isinstance(schema.get("enum"), list):
            return {_show(v): v for v in schema["enum"]}
        if "const" in schema:
            return {_show(schema["const"]): schema["const"]}
        return None

    def bounds(self, old: Mapping[str, Any], new: Mapping[str, Any], loc: str, direction: Direction) -> None:
        sending = direction == "request"
        for keyword in (*_LOWER_BOUNDS, *_UPPER_BOUNDS):
            before, after = old.get(keyword), new.get(keyword)
            if (
                before == after
                or not (before is None or _is_number(before))
                or not (after is None or _is_number(after))
            ):
                continue  # unchanged, or an OpenAPI 3.0 boolean exclusiveMinimum
            lower = keyword in _LOWER_BOUNDS
            if after is None:
                tightened = False
            elif before is None:
                tightened = True
            else:
                tightened = after > before if lower else after < before
            what = f"{keyword} {'added' if before is None else 'removed' if after is None else 'changed'}"
            shown_before = "-" if before is None else _show(before)
            shown_after = "-" if after is None else _show(after)
            detail = f"{what}: {shown_before} -> {shown_after}"
            if sending:
                self.add(tightened, loc, f"{detail} ({'tightened' if tightened else 'loosened'})")
            else:
                self.add(False, loc, f"{detail} ({'tightened' if tightened else 'loosened'})")
        for keyword in _CONSTRAINTS:
            before, after = old.get(keyword), new.get(keyword)
            if before != after:
                self.add(
                    sending and after is not None, loc, f"{keyword} changed from {_show(before)} to {_show(after)}"
                )

    def object(
        self, old: Mapping[str, Any], new: Mapping[str, Any], where: str, field: str, direction: Direction
    ) -> None:
        sending = direction == "request"
        old_props, new_props = _as_map(old.get("properties")), _as_map(new.get("properties"))
        old_required, new_required = set(_strings(old.get("required"))), set(_strings(new.get("required")))
        closed = new.get("additionalProperties") is False

        def at(name: str) -> str:
            path = f"{field}.{name}" if field else name
            return f"{where} {path}"

        for name in old_props:
            if name not in new_props:
                if sending:
                    why = "clients sending it are refused" if closed else "the server ignores it from now on"
                    self.add(True, at(name), f"field removed ({why})")
                else:
                    self.add(True, at(name), "field removed")
        for name in new_props:
            if name not in old_props:
                required = name in new_required
                if sending:
                    self.add(required, at(name), "required field added" if required else "optional field added")
                else:
                    self.add(False, at(name), "field added")
        for name in old_props:
            if name not in new_props:
                continue
            was, now = name in old_required, name in new_required
            if was != now:
                if sending:
                    self.add(now, at(name), "now required" if now else "no longer required")
                else:
                    self.add(not now, at(name), "now always present" if now else "no longer required (may be absent)")
            path = f"{field}.{name}" if field else name
            self.schema(self.old, old_props[name], self.new, new_props[name], where, path, direction)

        old_extra, new_extra = old.get("additionalProperties"), new.get("additionalProperties")
        if (old_extra is False) != (new_extra is False):
            loc = f"{where} {field}" if field else where
            if new_extra is False:
                self.add(sending, loc, "additional properties no longer allowed")
            else:
                self.add(False, loc, "additional properties now allowed")


if __name__ == "__main__":
    sys.exit(main())
