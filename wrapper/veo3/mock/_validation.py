"""Request validation read from the spec: the body schema and the query parameters of each operation.

Everything is looked up once per operation (``OperationRules.for_operation``); a request only runs
the cached jsonschema validators.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from jsonschema.exceptions import best_match

from .. import _spec

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator


class InvalidRequest(Exception):
    """A request the spec refuses; ``str()`` names the field and the rule."""

    def __init__(self, field: str, rule: str, detail: str) -> None:
        super().__init__(f"{field}: {detail} (rule: {rule})")
        self.field = field
        self.rule = rule


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


@dataclass(frozen=True)
class QueryParameter:
    """One query parameter: its name, whether it is required, its JSON type and its validator."""

    name: str
    required: bool
    json_type: str | None
    validator: Validator


@dataclass(frozen=True)
class OperationRules:
    """What a request to one operation must satisfy."""

    operation: _spec.Operation
    body: Validator | None
    query: tuple[QueryParameter, ...]

    @staticmethod
    @cache
    def for_operation(operation_id: str) -> OperationRules:
        """The rules of ``operation_id`` (cached)."""
        op = _spec.operation(operation_id)
        params = []
        for index, param in enumerate(op.definition.get("parameters", [])):
            if param.get("in") != "query":
                continue
            schema = param.get("schema", {})
            ref = schema.get("$ref") or (f"#/paths/{_escape(op.path)}/{op.method.lower()}/parameters/{index}/schema")
            json_type = _spec.resolve(ref).get("type") if "$ref" in schema else schema.get("type")
            params.append(QueryParameter(param["name"], bool(param.get("required")), json_type, _spec.validator(ref)))
        body = _spec.validator(op.body_schema_ref) if op.body_schema_ref else None
        return OperationRules(op, body, tuple(params))

    def check_query(self, query: Mapping[str, str]) -> dict[str, Any]:
        """The typed query values; ``InvalidRequest`` for a missing or invalid parameter."""
        values: dict[str, Any] = {}
        for param in self.query:
            raw = query.get(param.name)
            if raw is None:
                if param.required:
                    raise InvalidRequest(param.name, "required", "is required")
                continue
            value: Any = raw
            if param.json_type == "integer":
                try:
                    value = int(raw)
                except ValueError:
                    raise InvalidRequest(param.name, "type", f"{raw!r} is not an integer") from None
            error = best_match(param.validator.iter_errors(value))
            if error is not None:
                raise InvalidRequest(param.name, str(error.validator), error.message)
            values[param.name] = value
        return values

    def check_body(self, body: Any) -> None:
        """``InvalidRequest`` when ``body`` does not match the operation's request schema."""
        if self.body is None:
            return
        error = best_match(self.body.iter_errors(body))
        if error is not None:
            raise InvalidRequest(_field_of(error), str(error.validator), error.message)


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
