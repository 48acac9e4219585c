"""Request validation against the packaged spec, before any I/O.

No bound, enum or required-field list lives here: bodies are checked with the spec's own JSON Schema
(``veo3._spec.validator``). The Python keyword -> JSON name mapping is read off the generated request
models' ``to_dict()``, so the error can name the keyword the caller actually used.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

import attrs

from . import _fastcheck, _spec
from .errors import RequestValidationError

__all__ = ["build_body", "check_body", "check_query", "json_names"]


class _Marker:
    """Stands in for every field value so ``to_dict()`` shows which JSON key each attribute lands on."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    @property
    def value(self) -> _Marker:  # enum fields are serialised through ``.value``
        return self

    def to_dict(self) -> _Marker:  # nested models through ``.to_dict()``
        return self

    def to_tuple(self) -> _Marker:  # multipart file parts through ``.to_tuple()``
        return self


@cache
def json_names(model: Any) -> Mapping[str, str]:
    """``{python_attribute: json_key}`` for a generated request model (computed once per model)."""
    markers = {f.alias or f.name: _Marker(f.name) for f in attrs.fields(model) if f.init}
    serialised = model(**markers).to_dict()
    return {v.name: k for k, v in serialised.items() if isinstance(v, _Marker)}


# Where the client's keyword differs from the generated model's attribute (a naming choice of the wrapper).
_PUBLIC_KEYWORDS = {"call_back_url": "callback_url", "file_url": "url"}


@cache
def _python_names(model: Any) -> Mapping[str, str]:
    return {json: _PUBLIC_KEYWORDS.get(python, python) for python, json in json_names(model).items()}


def _field_label(path: Any, names: Mapping[str, str]) -> str:
    parts = list(path)
    if not parts:
        return "request"
    label = names.get(str(parts[0]), str(parts[0]))
    for part in parts[1:]:
        label += f"[{part}]" if isinstance(part, int) else f".{part}"
    return label


def _raise_first_error(validator: Any, instance: object, names: Mapping[str, str], root: str | None) -> None:
    from jsonschema.exceptions import best_match

    error = best_match(validator.iter_errors(instance))
    if error is None:  # is_valid said no; iter_errors must agree, but never raise nothing
        raise RequestValidationError(root or "request", "schema", instance)
    field = _field_label(error.path, names)
    if error.validator == "required" and isinstance(error.validator_value, list):
        missing = [k for k in error.validator_value if isinstance(instance, dict) and k not in instance]
        field = names.get(missing[0], missing[0]) if missing else field
        raise RequestValidationError(field, "required", None, error.message)
    if root is not None:
        field = root + field.removeprefix("request")
    raise RequestValidationError(field, str(error.validator), error.instance, error.message)


def build_body(model: Any, ref: str, values: Mapping[str, Any]) -> tuple[Any, dict[str, Any]]:
    """Validate ``values`` (Python keywords; ``None`` = omitted) against the schema at ``ref``.

    Returns the generated model and the JSON body it will send; raises ``RequestValidationError``.
    """
    body = check_body(model, ref, values)
    return model.from_dict(body), body


def check_body(model: Any, ref: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """Validate ``values`` like ``build_body`` and return the body as JSON names, without building the model
    (a multipart body's file part is not JSON: the caller builds that model itself)."""
    names = json_names(model)
    required = _required(ref)
    # None means "leave it to the server" -- except for a required field, where it is a wrong value.
    body = {names[k]: v for k, v in values.items() if v is not None or names[k] in required}
    if not _is_valid(ref, body):
        _raise_first_error(_spec.validator(ref), body, _python_names(model), None)
    return body


@cache
def _required(ref: str) -> frozenset[str]:
    return frozenset(_spec.resolve(ref).get("required", ()))


def _is_valid(ref: str, instance: Any) -> bool:
    """The fast check when the schema compiles, else jsonschema; jsonschema has the last word on "no"."""
    fast = _fastcheck.compile_ref(ref)
    if fast is not None and fast(instance):
        return True
    return bool(_spec.validator(ref).is_valid(instance))


@cache
def _query_schemas(operation_id: str) -> Mapping[str, tuple[str, bool]]:
    """``{query_name: (schema_ref, required)}`` for an operation, from the spec."""
    return {
        str(p["name"]): (str(p["schema"]["$ref"]), bool(p.get("required", False)))
        for p in _spec.operation(operation_id).query_parameters
    }


def check_query(operation_id: str, values: Mapping[str, tuple[str, Any]]) -> None:
    """Validate query values ``{query_name: (python_name, value)}`` against the operation's parameters."""
    for name, (ref, required) in _query_schemas(operation_id).items():
        python_name, value = values.get(name, (name, None))
        if value is None and not required:
            continue
        if not _is_valid(ref, value):
            _raise_first_error(_spec.validator(ref), value, {}, python_name)
