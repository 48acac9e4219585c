"""Hypothesis strategies derived from the spec's schemas (nothing here lists a bound, enum or field by hand).

Valid values come from schemathesis's JSON Schema generator: each schema is wrapped as the request body of a
throwaway OpenAPI document whose ``components`` are the spec's own, so every ``$ref`` resolves from
``veo3._spec`` exactly as the real spec does. (hypothesis-jsonschema 0.23.1, the last release, breaks on objects
under hypothesis >= 6.150: ``'many' object has no attribute 'more'``, so schemathesis's generator is used.)
Every drawn value is re-checked with the spec's own jsonschema validator, so the Rust and Python regex engines
disagreeing on an edge (``\\x85`` is ``\\S`` for one, whitespace for the other) never yields a false "valid".

Invalid values break exactly one rule at a time, and the rules are read from the schema: each ``minimum`` and
``maximum`` by one and far beyond, each ``type`` with a value of another JSON type (``null`` included), each
``enum`` with a value outside it, each ``pattern`` with a non-matching string (empty/blank prompts, malformed
URLs), ``maxLength`` + 1, ``minItems`` - 1 and ``maxItems`` + 1 items, one bad item in an array, and each
``required`` field missing. A drawn mutation is kept only if the spec's validator reports errors at that field
and nowhere else.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import schemathesis
from hypothesis import strategies as st
from schemathesis import GenerationMode
from veo3._spec import _document as _spec

JSON = Any


def _text_ok(value: JSON) -> bool:
    """Whether every string in ``value`` can travel as UTF-8 JSON (lone surrogates cannot)."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except (UnicodeEncodeError, ValueError):
        return False
    return True


def resolved(schema: Mapping[str, Any]) -> dict[str, Any]:
    """``schema`` with a top-level ``$ref`` merged in (siblings such as ``description`` win)."""
    return dict(_spec.resolved(schema))


@cache
def _values_for(schema_json: str) -> st.SearchStrategy[JSON]:
    schema = json.loads(schema_json)
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "strategies", "version": "1"},
        "paths": {
            "/value": {
                "post": {
                    "requestBody": {"required": True, "content": {"application/json": {"schema": schema}}},
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
        "components": json.loads(json.dumps(_spec.load_spec()["components"])),
    }
    operation = schemathesis.openapi.from_dict(doc)["/value"]["POST"]
    check = _checker(schema_json)
    strategy = operation.as_strategy(generation_mode=GenerationMode.POSITIVE).map(lambda case: case.body)
    return strategy.filter(lambda v: _text_ok(v) and check(v))


@cache
def _validator_for(schema_json: str) -> Any:
    """A Draft 2020-12 validator for an inline schema whose ``$ref``s point into the spec."""
    schema = json.loads(schema_json)
    if set(schema) == {"$ref"}:
        return _spec.validator(schema["$ref"])
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    resource = Resource.from_contents(dict(_spec.load_spec()), default_specification=DRAFT202012)
    registry: Any = Registry().with_resource(_spec.SPEC_URI, resource)
    rebased = json.loads(schema_json.replace('"#/components/', f'"{_spec.SPEC_URI}#/components/'))
    return Draft202012Validator(rebased, registry=registry)


def _checker(schema_json: str) -> Callable[[JSON], bool]:
    validator = _validator_for(schema_json)
    return lambda v: bool(validator.is_valid(v))


def values(schema: Mapping[str, Any]) -> st.SearchStrategy[JSON]:
    """Every instance valid against ``schema`` (which may ``$ref`` the spec's components)."""
    return _values_for(json.dumps(schema, sort_keys=True))


def of_ref(ref: str) -> st.SearchStrategy[JSON]:
    """Every instance valid against the spec's schema at ``ref`` (e.g. ``#/components/schemas/Seeds``)."""
    return values({"$ref": ref})


# ---------------------------------------------------------------------------------------------- single-rule breaks


@dataclass(frozen=True)
class Break:
    """One rule of one field, and how to break it: ``make(valid_instance) -> strategy of broken instances``."""

    field: str
    rule: str
    make: Callable[[dict[str, Any]], st.SearchStrategy[dict[str, Any]]]

    def __str__(self) -> str:
        return f"{self.field}:{self.rule}"


_JSON_TYPES: dict[str, st.SearchStrategy[JSON]] = {
    "null": st.none(),
    "boolean": st.booleans(),
    "integer": st.integers(),
    "number": st.floats(allow_nan=False, allow_infinity=False).filter(lambda f: not f.is_integer()),
    "string": st.text(max_size=8),
    "array": st.lists(st.integers(), max_size=2),
    "object": st.dictionaries(st.text(string.ascii_letters, max_size=3), st.integers(), max_size=2),
}


def _types_of(schema: Mapping[str, Any]) -> set[str] | None:
    """The JSON types ``schema`` allows, or ``None`` when it does not say (e.g. an ``anyOf``)."""
    declared = schema.get("type")
    if declared is None:
        return None
    allowed = {declared} if isinstance(declared, str) else set(declared)
    if "integer" in allowed:
        allowed.add("number")  # 2.0 is an integer to JSON Schema; only fractions are "wrong type"
    if "number" in allowed:
        allowed.add("integer")
    return allowed


def _set(field: str, values: st.SearchStrategy[JSON]) -> Callable[[dict[str, Any]], st.SearchStrategy[dict[str, Any]]]:
    def make(instance: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
        return values.map(lambda v: {**instance, field: v})

    return make


def _value_breaks(field: str, schema: Mapping[str, Any]) -> Iterator[Break]:
    """The rules of one property's schema, each with a strategy of values that break only that rule."""
    schema = resolved(schema)
    allowed = _types_of(schema)
    if allowed is not None:
        wrong = [s for name, s in _JSON_TYPES.items() if name not in allowed]
        yield Break(field, "type", _set(field, st.one_of(wrong)))
    if "minimum" in schema:
        low = schema["minimum"]
        yield Break(field, "minimum", _set(field, st.one_of(st.just(low - 1), st.integers(max_value=low - 2))))
    if "maximum" in schema:
        high = schema["maximum"]
        far = st.one_of(st.integers(min_value=high + 2), st.just(high * 10**6))
        yield Break(field, "maximum", _set(field, st.one_of(st.just(high + 1), far)))
    if "enum" in schema:
        members = schema["enum"]
        if all(isinstance(m, str) for m in members):
            near = st.sampled_from(members).map(lambda m: m.swapcase() if m.swapcase() != m else m + "_")
            outside: st.SearchStrategy[JSON] = st.one_of(near, st.text(max_size=12))
        else:
            outside = st.one_of(st.just(max(members) + 1), st.integers())
        yield Break(field, "enum", _set(field, outside.filter(lambda v: v not in members)))
    if "pattern" in schema:
        pattern = re.compile(schema["pattern"])
        blank = st.text(alphabet=" \t\r\n", max_size=4)
        # A URL with its scheme or host mangled: derived from valid values rather than listed.
        mangled = values(schema).map(lambda v: v.replace("://", ":/", 1) if isinstance(v, str) else v)
        candidates = st.one_of(blank, st.text(max_size=30), mangled)
        yield Break(field, "pattern", _set(field, candidates.filter(lambda v: _text_ok(v) and not pattern.search(v))))
    if "maxLength" in schema:
        limit = schema["maxLength"]
        padded = values(schema).map(lambda v: v + "a" * (limit + 1 - len(v)))
        yield Break(field, "maxLength", _set(field, padded))
    if "minItems" in schema and schema["minItems"] > 0:
        items = values(schema.get("items", {}))
        size = schema["minItems"] - 1
        yield Break(field, "minItems", _set(field, st.lists(items, min_size=size, max_size=size)))
    if "maxItems" in schema:
        items = values(schema.get("items", {}))
        size = schema["maxItems"] + 1
        yield Break(field, "maxItems", _set(field, st.lists(items, min_size=size, max_size=size + 2)))
    if "items" in schema:
        # One bad element (e.g. a malformed URL) in an otherwise valid, in-bounds list.
        lower = max(schema.get("minItems", 0), 1)
        good = st.lists(values(schema["items"]), min_size=lower - 1, max_size=lower - 1)
        for inner in _value_breaks("item", schema["items"]):
            bad_item = inner.make({}).map(lambda d: d["item"])
            lists = st.tuples(good, bad_item).map(lambda t: [*t[0], t[1]])
            yield Break(field, f"items.{inner.rule}", _set(field, lists))


def _missing(field: str) -> Callable[[dict[str, Any]], st.SearchStrategy[dict[str, Any]]]:
    def make(instance: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
        return st.just({k: v for k, v in instance.items() if k != field})

    return make


def breaks(ref: str, *, fields: frozenset[str] | None = None) -> list[Break]:
    """Every single-rule break of the object schema at ``ref``, optionally only for ``fields``."""
    return _object_breaks(resolved({"$ref": ref}), fields)


def _object_breaks(schema: Mapping[str, Any], fields: frozenset[str] | None) -> list[Break]:
    out: list[Break] = []
    for name, prop in schema.get("properties", {}).items():
        if fields is not None and name not in fields:
            continue
        if name in schema.get("required", []):
            out.append(Break(name, "required", _missing(name)))
        out.extend(_value_breaks(name, prop))
    return out


def errors_at(schema: str | Mapping[str, Any], instance: JSON) -> set[str]:
    """The top-level fields the validator of ``schema`` (a ``$ref`` or an inline schema) blames for ``instance``.

    ``""`` stands for the object itself.
    """
    as_schema = {"$ref": schema} if isinstance(schema, str) else schema
    blamed: set[str] = set()
    for error in _validator_for(json.dumps(as_schema, sort_keys=True)).iter_errors(instance):
        if error.path:
            blamed.add(str(error.path[0]))
        elif error.validator == "required":
            blamed.update(m for m in re.findall(r"'([^']+)' is a required property", error.message))
        else:
            blamed.add("")
    return blamed


def broken(
    schema: str | Mapping[str, Any], brk: Break, *, base: st.SearchStrategy[dict[str, Any]] | None = None
) -> st.SearchStrategy[dict[str, Any]]:
    """Instances valid against ``schema`` but for the one rule ``brk`` breaks (checked with the validator)."""
    if base is None:
        base = of_ref(schema) if isinstance(schema, str) else values(schema)
    return base.flatmap(brk.make).filter(lambda inst: _text_ok(inst) and errors_at(schema, inst) == {brk.field})


# -------------------------------------------------------------------------------------- operations and the wrapper


@dataclass(frozen=True)
class WrapperCall:
    """How one operation is reached through ``Veo3Client``: the method, and the spec's fields as its arguments.

    Read from the spec, as the library reads it: the required fields are the method's positional arguments
    (in spec order), every optional field is a keyword named ``_spec.python_name`` of it (the generated
    client's snake_case). ``fixed`` are extra keyword arguments (``wait=False``: exactly one request).
    """

    operation_id: str
    method: str
    fixed: Mapping[str, Any] | None = None
    #: Spec fields the wrapper fills in when not given (``uploadPath``): leaving them out is not an error.
    defaulted: frozenset[str] = frozenset()
    #: Spec fields the wrapper fills in when not given (``uploadPath``): leaving them out is not an error.
    defaulted: frozenset[str] = frozenset()

    @property
    def positional(self) -> tuple[tuple[str, str], ...]:
        """Spec fields passed positionally, in order, with their Python names."""
        return tuple(
            (f.json_name, f.python_name)
            for f in _fields(self.operation_id)
            if f.required and f.json_name not in self.defaulted
        )

    @property
    def keywords(self) -> Mapping[str, str]:
        """Spec field -> keyword, for every optional field."""
        positional = dict(self.positional)
        return {f.json_name: f.python_name for f in _fields(self.operation_id) if f.json_name not in positional}

    @property
    def names(self) -> dict[str, str]:
        """Spec field -> the Python name the wrapper uses for it."""
        return {**dict(self.positional), **self.keywords}

    @property
    def fields(self) -> frozenset[str]:
        """The spec fields the wrapper exposes for this operation (all of them)."""
        return frozenset(self.names)

    @property
    def required(self) -> frozenset[str]:
        """Spec fields the wrapper takes positionally (so ``None`` is not "omit" for them)."""
        return frozenset(name for name, _ in self.positional)

    def invoke(self, client: Any, inputs: Mapping[str, Any]) -> Any:
        """Call the wrapper with ``inputs`` (spec field names); a missing positional field is passed as ``None``."""
        args = [inputs.get(name) for name, _ in self.positional]
        kwargs = {py: inputs[name] for name, py in self.keywords.items() if name in inputs}
        return getattr(client, self.method)(*args, **kwargs, **(self.fixed or {}))


def _fields(operation_id: str) -> tuple[_spec.RequestField, ...]:
    return _spec.operation(operation_id).request_fields


# Which client method sends each operation: the wrapper's method names (docs/guides/library.md). The arguments
# come from the spec; every value a test sends is drawn from it too.
WRAPPER_CALLS: dict[str, WrapperCall] = {
    call.operation_id: call
    for call in (
        WrapperCall("generate-veo3-1-video", "generate"),
        WrapperCall("extend-veo3-1-video", "extend"),
        WrapperCall("get-veo3-1-video-details", "get_task"),
        WrapperCall("get-veo3-1-1080p-video", "get_1080p", {"wait": False}),
        WrapperCall("get-veo3-1-4k-video", "get_4k", {"wait": False}),
        WrapperCall("get-account-credits", "credits"),
        WrapperCall("download-url", "download_url"),
        # The stream upload's input is a file, not JSON: tests/test_client_upload.py covers it.
        WrapperCall("upload-file-url", "upload_url", defaulted=frozenset({"uploadPath"})),
    )
}


def host_of(operation_id: str, base_url: str) -> str:
    """Where a client configured with the default ``base_url`` sends the operation: the upload operations go to
    their own ``servers`` entry, the rest to ``base_url``."""
    op = _spec.operation(operation_id)
    return op.server_url if op.has_own_server else base_url


def input_schema_ref(operation_id: str) -> str | None:
    """The ``$ref`` describing an operation's inputs: its body schema, or ``None`` for query-only operations."""
    return _spec.operation(operation_id).body_schema_ref


def query_schema(operation_id: str) -> dict[str, Any]:
    """An object schema made from the operation's query parameters, as the spec declares them."""
    params = _spec.operation(operation_id).query_parameters
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": {p["name"]: p["schema"] for p in params},
        "required": [p["name"] for p in params if p.get("required")],
    }


def _only(fields: frozenset[str]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda inst: {k: v for k, v in inst.items() if k in fields}


def _integral(inst: dict[str, Any]) -> dict[str, Any]:
    # JSON Schema counts 2.0 as an integer; the wrapper's signature says int, so pass ints.
    return {k: int(v) if isinstance(v, float) and v.is_integer() else v for k, v in inst.items()}


def valid_inputs(operation_id: str) -> st.SearchStrategy[dict[str, Any]]:
    """Every valid input of an operation, restricted to the fields the wrapper exposes (spec names)."""
    fields = WRAPPER_CALLS[operation_id].fields
    ref = input_schema_ref(operation_id)
    whole = of_ref(ref) if ref else values(query_schema(operation_id))
    return whole.map(_only(fields)).map(_integral)


def invalid_inputs(operation_id: str) -> list[tuple[Break, st.SearchStrategy[dict[str, Any]]]]:
    """For each single-rule break of an operation's wrapper-exposed fields, a strategy of such inputs."""
    fields = WRAPPER_CALLS[operation_id].fields
    ref = input_schema_ref(operation_id)
    schema: str | dict[str, Any] = ref if ref is not None else query_schema(operation_id)
    rules = breaks(ref, fields=fields) if ref is not None else _object_breaks(query_schema(operation_id), fields)
    base = valid_inputs(operation_id)
    optional = fields - WRAPPER_CALLS[operation_id].required

    def meaningful(brk: Break) -> Callable[[dict[str, Any]], bool]:
        # For an optional keyword, None means "leave it to the server": not an invalid input for the wrapper.
        return lambda inst: not (brk.field in optional and inst.get(brk.field, 0) is None)

    defaulted = WRAPPER_CALLS[operation_id].defaulted
    rules = [b for b in rules if not (b.rule == "required" and b.field in defaulted)]
    return [(b, broken(schema, b, base=base).filter(meaningful(b))) for b in rules]


# ------------------------------------------------------------------------------------------------------- replies


def envelope_ref(operation_id: str) -> str:
    """The ``$ref`` of the operation's HTTP 200 envelope schema."""
    return _spec.operation(operation_id).success_schema_ref


def error_envelope_ref(operation_id: str) -> str:
    """The ``$ref`` of the envelope the operation's non-200 answers use (the Veo one, or the upload one)."""
    responses = _spec.operation(operation_id).definition["responses"]
    status = next(s for s in responses if s != "200")
    return str(responses[status]["content"]["application/json"]["schema"]["$ref"])


def success_replies(operation_id: str) -> st.SearchStrategy[dict[str, Any]]:
    """In-band 200 envelopes with a present, valid ``data`` (what a created task or a ready result looks like)."""
    data = values({"$ref": f"{envelope_ref(operation_id)}/properties/data"}).filter(lambda d: d is not None)
    msg = values({"$ref": f"{envelope_ref(operation_id)}/properties/msg"})
    return st.builds(lambda m, d: {"code": 200, "msg": m, "data": d}, msg, data).filter(
        lambda body: not errors_at(envelope_ref(operation_id), body)  # e.g. the upload result's anyOf
    )


def allowed_replies(operation_id: str) -> st.SearchStrategy[tuple[int, JSON]]:
    """(HTTP status, body) pairs the spec allows: a 200 envelope, or an error envelope with a 4xx/5xx/other status."""
    ok = of_ref(envelope_ref(operation_id)).map(lambda body: (200, body))
    error_body = of_ref(error_envelope_ref(operation_id))
    statuses = st.one_of(st.integers(400, 599), st.sampled_from([455, 599]))
    return st.one_of(ok, st.tuples(statuses, error_body))


_ANY_JSON: st.SearchStrategy[JSON] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)


def _not_json(raw: bytes) -> bool:
    try:
        json.loads(raw)
    except ValueError:
        return True
    return False


def disallowed_bodies(operation_id: str) -> st.SearchStrategy[bytes]:
    """HTTP 200 bodies the spec does not allow: random JSON, single-rule breaks of the envelope, non-JSON."""
    ref = envelope_ref(operation_id)

    def blamed(v: JSON) -> bool:
        return bool(errors_at(ref, v))

    random_json = _ANY_JSON.filter(blamed)
    one_rule = st.one_of([broken(ref, b) for b in breaks(ref)])
    # `data` of the wrong shape inside an otherwise valid in-band 200.
    wrong_data = st.builds(lambda m, d: {"code": 200, "msg": m, "data": d}, st.text(max_size=5), _ANY_JSON).filter(
        blamed
    )
    documents = st.one_of(random_json, one_rule, wrong_data).map(lambda v: json.dumps(v).encode())
    garbage = st.one_of(
        st.binary(max_size=40),
        st.text(max_size=40).map(str.encode),
        st.just(b"<html><body><h1>502 Bad Gateway</h1></body></html>"),
        # A valid answer cut short, as a dropped connection leaves it.
        success_replies(operation_id).map(lambda v: json.dumps(v).encode()).map(lambda b: b[: len(b) // 2]),
    ).filter(_not_json)
    return st.one_of(documents, garbage)


ODD_STATUSES = st.one_of(st.sampled_from([455, 599, 302, 201, 204, 418]), st.integers(200, 599))
"""HTTP statuses a wrapper must survive (non-standard ones included)."""


def documented_inputs(operation_id: str) -> dict[str, Any]:
    """The spec's own documented example input of an operation, restricted to the wrapper's fields."""
    op = _spec.operation(operation_id)
    if op.body_schema_ref:
        examples = op.definition["requestBody"]["content"]["application/json"]["examples"]
        example = dict(next(iter(examples.values()))["value"])
    else:
        example = {p["name"]: p["example"] for p in op.query_parameters if "example" in p}
    fields = WRAPPER_CALLS[operation_id].fields
    return {k: v for k, v in example.items() if k in fields}


def is_not_an_envelope(body: bytes) -> bool:
    """Whether ``body`` is not even a ``{code, msg}`` envelope (any operation's, any code)."""
    try:
        value = json.loads(body)
    except ValueError:
        return True
    return bool(errors_at("#/components/schemas/ErrorResponse", value))
