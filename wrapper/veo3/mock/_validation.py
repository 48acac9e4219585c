"""Request validation read from the spec: the body schema and the query parameters of each operation.

Everything is looked up once per operation (``OperationRules.for_operation``); a request only runs
the cached jsonschema validators, and the verdict for the same raw input (a polled ``taskId``, a
repeated body) is remembered, since the same bytes always get the same verdict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from jsonschema.exceptions import best_match

from .. import _spec

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator


class InvalidRequest(Exception):
    """A request the spec refuses; ``str()`` names the field and the rule."""

    def __init__(self, field: str, rule: str, detail: str) -> None:
        super().__init__(f"{field}: {detail} (rule: {rule})")
        self.field, self.rule, self.detail = field, rule, detail

    def fresh(self) -> InvalidRequest:
        """A new exception with the same content (cached verdicts are re-raised as copies)."""
        return InvalidRequest(self.field, self.rule, self.detail)


@dataclass(frozen=True)
class QueryParameter:
    """One query parameter: its name, whether it is required, its JSON type and its validator."""

    name: str
    required: bool
    json_type: str | None
    validator: Validator


@dataclass(frozen=True, eq=False)
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
        params = [
            QueryParameter(f.json_name, f.required, f.json_type, _spec.validator(f.pointer))
            for f in op.request_fields
            if f.location == "query"
        ]
        body = _spec.validator(op.body_schema_ref) if op.body_schema_ref else None
        return OperationRules(op, body, tuple(params))

    def check_query_string(self, query_string: bytes) -> dict[str, Any]:
        """``check_query`` of a raw query string (verdicts cached by the bytes)."""
        values = _query_verdict(self, query_string)
        if isinstance(values, InvalidRequest):
            raise values.fresh()
        return dict(values)

    def check_body_cached(self, raw: bytes, body: Any) -> None:
        """``check_body`` of ``body``, parsed from ``raw`` (verdicts cached by the raw bytes)."""
        error = _body_verdict(self, raw, body)
        if error is not None:
            raise error.fresh()

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


@lru_cache(maxsize=4096)
def _query_verdict(rules: OperationRules, query_string: bytes) -> Mapping[str, Any] | InvalidRequest:
    query = {k: v for k, v in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)}
    try:
        return rules.check_query(query)
    except InvalidRequest as exc:
        return exc.fresh()


def _body_verdict(rules: OperationRules, raw: bytes, body: Any) -> InvalidRequest | None:
    # The cache is keyed by the raw bytes only; the parsed body is checked on a miss.
    key = (rules.operation.operation_id, raw)
    if key in _BODY_VERDICTS:
        return _BODY_VERDICTS[key]
    try:
        rules.check_body(body)
        verdict = None
    except InvalidRequest as exc:
        verdict = exc.fresh()
    if len(_BODY_VERDICTS) >= 4096:
        _BODY_VERDICTS.clear()
    _BODY_VERDICTS[key] = verdict
    return verdict


_BODY_VERDICTS: dict[tuple[str, bytes], InvalidRequest | None] = {}


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
