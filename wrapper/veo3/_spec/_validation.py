"""Request validation against the packaged spec, before any I/O.

No bound, enum or required-field list lives here: bodies are checked with the spec's own JSON Schema
(``veo3._spec.validator``). The Python keyword -> JSON name mapping is read off the generated request
models' ``to_dict()``, so the error can name the keyword the caller actually used.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

import attrs

from veo3._utils._logging import logger
from veo3.errors import RequestValidationError

from . import _document as _spec
from . import _fastcheck

__all__ = [
    "ALIASES",
    "EXTRA_KEYWORDS",
    "Extra",
    "Prepared",
    "build_body",
    "check_body",
    "json_names",
    "prepare",
    "split_extras",
]


@dataclass(frozen=True, slots=True)
class Extra:
    """What a caller sends beyond what the spec knows (``extra_body``, ``extra_query``, ``extra_headers``).

    The generated operations cannot carry it, so the transport adds it to the request they build.
    """

    body: dict[str, Any] | None = None
    query: dict[str, Any] | None = None
    headers: dict[str, str] | None = None


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


#: Keywords kept working after a rename (old -> spec-derived name); each use warns. ``callback_url`` was
#: the keyword before keywords were derived from the spec (``callBackUrl`` -> ``call_back_url``).
ALIASES = {"callback_url": "call_back_url"}
#: The keywords every request takes besides the spec's fields (openai-python's names).
EXTRA_KEYWORDS = ("extra_body", "extra_query", "extra_headers")


@dataclass(frozen=True, slots=True)
class Prepared:
    """A request checked against the spec: the generated operation's ``kwargs``, the JSON body as it will
    be sent (with ``extra_body``), and what travels beside the spec (``Extra``)."""

    kwargs: dict[str, Any]
    sent: dict[str, Any] | None
    extra: Extra | None


def _field_label(path: Any, names: Mapping[str, str]) -> str:
    parts = list(path)
    if not parts:
        return "request"
    label = names.get(str(parts[0]), str(parts[0]))
    for part in parts[1:]:
        label += f"[{part}]" if isinstance(part, int) else f".{part}"
    return label


def _raise_first_error(validator: Any, instance: object, names: Mapping[str, str], root: str | None) -> None:
    from jsonschema.exceptions import best_match, relevance

    def key(error: Any) -> tuple[Any, ...]:
        # Among equally specific errors, a field's own rule (enum) says more than a conditional one (then).
        own_rule = not ({"then", "else"} & set(error.schema_path))
        depth, path, *rest = cast(tuple[Any, ...], relevance(error))
        return (depth, path, own_rule, *rest)

    error = best_match(validator.iter_errors(instance), key=key)
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


def split_extras(params: Mapping[str, Any]) -> tuple[dict[str, Any], Extra | None]:
    """``params`` without ``extra_body``/``extra_query``/``extra_headers``, and those three, checked."""
    if not any(keyword in params for keyword in EXTRA_KEYWORDS):
        return dict(params), None
    options = {k: v for k, v in params.items() if k not in EXTRA_KEYWORDS}
    parts: dict[str, dict[str, Any] | None] = {}
    for keyword in EXTRA_KEYWORDS:
        value = params.get(keyword)
        if value is None:
            parts[keyword] = None
            continue
        if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
            raise RequestValidationError(keyword, "type", value, "give a mapping with string keys")
        parts[keyword] = dict(value)
    headers = parts["extra_headers"]
    if headers is not None:
        if any(k.lower() == "authorization" for k in headers):
            raise RequestValidationError(
                "extra_headers", "forbidden", "Authorization", "the client sets it from api_key"
            )
        if not all(isinstance(v, str) for v in headers.values()):
            raise RequestValidationError("extra_headers", "type", headers, "header values must be strings")
    if not any(parts.values()):
        return options, None
    return options, Extra(parts["extra_body"] or None, parts["extra_query"] or None, headers or None)


def _unexpected(what: str, keyword: str, fields: Mapping[str, _spec.RequestField]) -> TypeError:
    hint = next((f" (did you mean {f.python_name!r}?)" for f in fields.values() if f.json_name == keyword), "")
    if keyword in fields and fields[keyword].required:
        hint = f" ({keyword!r} is a positional argument)"
    return TypeError(
        f"{what}() got an unexpected keyword argument {keyword!r}{hint}; "
        "to send a field the spec does not know yet, pass extra_body={...} (or extra_query=...)"
    )


def _options(what: str, options: Mapping[str, Any], fields: Mapping[str, _spec.RequestField]) -> dict[str, Any]:
    """``options`` keyed by spec field (aliases resolved); refuses keywords the operation does not have."""
    out: dict[str, Any] = {}
    for keyword, value in options.items():
        name = ALIASES.get(keyword, keyword)
        if name != keyword and name in fields:
            warnings.warn(f"{keyword}= is deprecated; use {name}=", DeprecationWarning, stacklevel=5)
        field = fields.get(name)
        if field is None or field.required:
            raise _unexpected(what, keyword, fields)
        if name in out:
            raise TypeError(f"{what}() got {name!r} twice (once as {keyword!r})")
        out[name] = value
    return out


def _merge_extra(
    where: dict[str, Any], extra: dict[str, Any] | None, known: Mapping[str, _spec.RequestField], keyword: str
) -> dict[str, Any] | None:
    """Moves the spec's own fields from ``extra`` into ``where`` (so they are validated); returns the rest."""
    if not extra:
        return None
    unknown: dict[str, Any] = {}
    for name, value in extra.items():
        if name in known:
            if name in where:
                raise TypeError(f"{known[name].python_name!r} given both as a keyword and in {keyword}")
            where[name] = value
        else:
            unknown[name] = value
    if unknown:
        logger.debug("%s: sending fields the spec does not know: %s", keyword, ", ".join(sorted(unknown)))
    return unknown or None


@dataclass(frozen=True, slots=True)
class _Shape:
    """An operation's fields, looked up once (``prepare`` runs on every call: it must stay cheap)."""

    by_python: Mapping[str, _spec.RequestField]
    body: Mapping[str, _spec.RequestField]  # by JSON name
    query: Mapping[str, _spec.RequestField]  # by JSON name
    labels: Mapping[str, str]  # JSON name -> Python name, for error messages
    body_ref: str | None


@cache
def _shape(operation_id: str) -> _Shape:
    op = _spec.operation(operation_id)
    fields = op.request_fields
    return _Shape(
        by_python={f.python_name: f for f in fields},
        body={f.json_name: f for f in fields if f.location == "body"},
        query={f.json_name: f for f in fields if f.location == "query"},
        labels={f.json_name: f.python_name for f in fields},
        body_ref=op.body_schema_ref,
    )


def prepare(
    operation_id: str, model: Any, required: Mapping[str, Any], params: Mapping[str, Any], *, what: str
) -> Prepared:
    """Check one request against the spec before any I/O; raises ``RequestValidationError`` or ``TypeError``.

    ``required`` holds the operation's required fields by Python name (the methods' positional arguments);
    ``params`` the caller's keywords: the spec's optional fields by Python name (``None`` = not sent, the
    server's default) and ``extra_body``/``extra_query``/``extra_headers``. ``model`` is the generated body
    model (``None`` for an operation without a body).
    """
    shape = _shape(operation_id)
    options, extra = split_extras(params) if params else ({}, None)
    values = {**_options(what, options, shape.by_python), **required} if options else required
    body: dict[str, Any] = {}
    query: dict[str, Any] = {}
    for name, value in values.items():
        field = shape.by_python[name]
        if value is None and not field.required:
            continue  # None leaves the field to the server's default
        (body if field.location == "body" else query)[field.json_name] = _as_list(value)
    unknown_body = unknown_query = None
    if extra is not None:
        unknown_body = _merge_extra(body, extra.body, shape.body, "extra_body")
        unknown_query = _merge_extra(query, extra.query, shape.query, "extra_query")
    kwargs: dict[str, Any] = {}
    for json_name, field in shape.query.items():
        value = query.get(json_name)
        _check_query_value(field, value, shape.labels)
        if json_name in query:
            kwargs[field.python_name] = value
    sent: dict[str, Any] | None = None
    if model is not None:
        assert shape.body_ref is not None, operation_id
        if not _is_valid(shape.body_ref, body):
            _raise_first_error(_spec.validator(shape.body_ref), body, shape.labels, None)
        kwargs["body"] = model.from_dict(body)
        sent = {**body, **unknown_body} if unknown_body else body
    if extra is None or not (unknown_body or unknown_query or extra.headers):
        return Prepared(kwargs, sent, None)
    return Prepared(kwargs, sent, Extra(unknown_body, unknown_query, extra.headers))


def check_body(model: Any, ref: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a body given by the generated model's attribute names (``None`` = omitted) against the schema
    at ``ref``; the body under JSON names. For bodies built by hand (a multipart form's text fields, whose
    file part is not JSON), where ``prepare`` cannot build the model."""
    names = json_names(model)
    required = frozenset(_spec.resolve(ref).get("required", ()))
    # None means "leave it to the server" -- except for a required field, where it is a wrong value.
    body = {names[k]: v for k, v in values.items() if v is not None or names[k] in required}
    if not _is_valid(ref, body):
        _raise_first_error(_spec.validator(ref), body, {v: k for k, v in names.items()}, None)
    return body


def build_body(model: Any, ref: str, values: Mapping[str, Any]) -> tuple[Any, dict[str, Any]]:
    """``check_body``, then the generated model built from it."""
    body = check_body(model, ref, values)
    return model.from_dict(body), body


_PLAIN = (str, int, float, bool, list, type(None))


def _as_list(value: Any) -> Any:
    """Tuples and other sequences travel as JSON arrays; anything else is left for validation to judge."""
    if type(value) in _PLAIN:  # the usual case, without the ABC check's cost (this runs on every call)
        return value
    if isinstance(value, Sequence) and not isinstance(value, str | bytes | list):
        return list(value)
    return value


def _is_valid(ref: str, instance: Any) -> bool:
    """The fast check when the schema compiles, else jsonschema; jsonschema has the last word on "no"."""
    fast = _fastcheck.compile_ref(ref)
    if fast is not None and fast(instance):
        return True
    return bool(_spec.validator(ref).is_valid(instance))


def _check_query_value(field: _spec.RequestField, value: Any, labels: Mapping[str, str]) -> None:
    if value is None and not field.required:
        return
    if not _is_valid(field.pointer, value):
        _raise_first_error(_spec.validator(field.pointer), value, {}, labels.get(field.json_name, field.json_name))
