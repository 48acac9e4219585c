"""Request validation read from the spec: the body schema and the query parameters of each operation.

Everything is looked up once per operation (``OperationRules.for_operation``). A request is judged as the
client judges its own: the compiled fast check (``veo3._fastcheck``, microseconds) says "valid", and only
a "no" asks jsonschema which rule broke.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from jsonschema.exceptions import best_match

from veo3._spec import _document as _spec
from veo3._spec import _fastcheck

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator


class InvalidRequest(Exception):
    """A request the spec refuses; ``str()`` names the field and the rule."""

    def __init__(self, field: str, rule: str, detail: str) -> None:
        super().__init__(f"{field}: {detail} (rule: {rule})")
        self.field, self.rule, self.detail = field, rule, detail


@dataclass(frozen=True)
class QueryParameter:
    """One query parameter: its name, whether it is required, its JSON type and its validator."""

    name: str
    required: bool
    json_type: str | None
    validator: Validator
    pointer: str


@dataclass(frozen=True, eq=False)
class OperationRules:
    """What a request to one operation must satisfy."""

    operation: _spec.Operation
    body: Validator | None
    query: tuple[QueryParameter, ...]
    body_pointer: str | None = None

    @staticmethod
    @cache
    def for_operation(operation_id: str) -> OperationRules:
        """The rules of ``operation_id`` (cached)."""
        op = _spec.operation(operation_id)
        params = [
            QueryParameter(f.json_name, f.required, f.json_type, _spec.validator(f.pointer), f.pointer)
            for f in op.request_fields
            if f.location == "query"
        ]
        body = _spec.validator(op.body_schema_ref) if op.body_schema_ref else None
        return OperationRules(op, body, tuple(params), op.body_schema_ref)

    def check_query_string(self, query_string: bytes) -> dict[str, Any]:
        """``check_query`` of a raw query string."""
        return self.check_query(dict(parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)))

    def check_query(self, query: Mapping[str, str]) -> dict[str, Any]:
        """The typed query values; ``InvalidRequest`` for a missing or invalid parameter."""
        values: dict[str, Any] = {}
        for param in self.query:
            raw = query.get(param.name)
            if raw is None:
                if param.required:
                    raise InvalidRequest(param.name, "required", "is required")
                continue
            value = _spec.coerce_query(raw, param.json_type)
            if not _fast_ok(param.pointer, value):
                error = best_match(param.validator.iter_errors(value))
                if error is not None:
                    raise InvalidRequest(param.name, str(error.validator), error.message)
            values[param.name] = value
        return values

    def check_body(self, body: Any) -> None:
        """``InvalidRequest`` when ``body`` does not match the operation's request schema."""
        if self.body is None or _fast_ok(self.body_pointer, body):
            return
        error = best_match(self.body.iter_errors(body))
        if error is not None:
            raise InvalidRequest(_field_of(error), str(error.validator), error.message)


def _fast_ok(pointer: str | None, value: Any) -> bool:
    """The fast check's "valid" (``False`` also when the schema is outside its subset: jsonschema decides)."""
    check = _fastcheck.compile_ref(pointer) if pointer else None
    return check is not None and check(value)


def _field_of(error: ValidationError) -> str:
    """The dotted name of the offending field (for required/additionalProperties: the property itself)."""
    parts = [str(p) for p in error.absolute_path]
    instance, schema, rule_value = error.instance, error.schema, error.validator_value
    if error.validator == "required" and isinstance(instance, dict) and isinstance(rule_value, list):
        missing = [str(name) for name in rule_value if name not in instance]
        parts += missing[:1]
    elif error.validator == "additionalProperties" and isinstance(instance, dict):
        known = schema.get("properties", {}) if isinstance(schema, dict) else {}
        extra = [name for name in instance if name not in known]
        parts += [str(name) for name in extra[:1]]
    return ".".join(parts) or "body"
