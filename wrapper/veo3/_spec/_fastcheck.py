"""A fast yes/no check of a JSON value against a spec schema, for the hot path.

``jsonschema`` costs ~0.2 ms per request body (reference lookups dominate); this compiles the subset of
JSON Schema the spec's request schemas use into closures (~microseconds). It only answers "valid?":
on "no", the caller asks ``jsonschema`` (``veo3._spec.validator``) for the error to report, and a schema
using any keyword outside the subset is not compiled at all (``compile_schema`` returns ``None``).
``tests/test_client_validation.py`` checks both agree on generated values.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from . import _document as _spec

__all__ = ["compile_ref", "compile_schema"]

Check = Callable[[Any], bool]

# Keywords that never affect validity (``format`` is an annotation by default in 2020-12).
_ANNOTATIONS = frozenset(
    {"description", "examples", "default", "deprecated", "title", "format", "readOnly", "writeOnly", "$comment"}
)
_HANDLED = frozenset(
    {
        "$ref", "type", "enum", "const", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
        "pattern", "minLength", "maxLength", "minItems", "maxItems", "items", "properties", "required",
        "additionalProperties", "anyOf", "if", "then", "else",
    }
)  # fmt: skip


class _Unsupported(Exception):
    pass


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


_TYPES: dict[str, Check] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer()),
    "number": _is_number,
    "boolean": lambda v: isinstance(v, bool),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
    "null": lambda v: v is None,
}


_BOUNDS: dict[str, Callable[[Any, Any], bool]] = {
    "minimum": operator.ge,
    "maximum": operator.le,
    "exclusiveMinimum": operator.gt,
    "exclusiveMaximum": operator.lt,
}
_LENGTHS: dict[str, tuple[type, Callable[[Any, Any], bool]]] = {
    "minLength": (str, operator.ge),
    "maxLength": (str, operator.le),
    "minItems": (list, operator.ge),
    "maxItems": (list, operator.le),
}


def _bound(compare: Callable[[Any, Any], bool], limit: Any) -> Check:
    return lambda v: not _is_number(v) or compare(v, limit)


def _length(kind: type, compare: Callable[[Any, Any], bool], limit: int) -> Check:
    def check(v: Any) -> bool:  # jsonschema counts code points, as len() does
        return not isinstance(v, kind) or compare(len(v), limit)  # type: ignore[arg-type]

    return check


def _same(a: Any, b: Any) -> bool:
    """JSON equality: ``True`` is not ``1``."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    return bool(a == b)


def _keyword_checks(schema: Mapping[str, Any]) -> list[Check]:
    unknown = set(schema) - _HANDLED - _ANNOTATIONS
    if any(not k.startswith("x-") for k in unknown):
        raise _Unsupported(sorted(unknown))
    checks: list[Check] = []
    if "$ref" in schema:
        checks.append(_compile(_spec.resolve(schema["$ref"])))
    if "type" in schema:
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        preds = [_TYPES[n] for n in names]
        checks.append(lambda v: any(p(v) for p in preds))
    if "enum" in schema:
        options = list(schema["enum"])
        checks.append(lambda v: any(_same(v, o) for o in options))
    if "const" in schema:
        const = schema["const"]
        checks.append(lambda v: _same(v, const))
    for key, compare in _BOUNDS.items():
        if key in schema:
            checks.append(_bound(compare, schema[key]))
    if "pattern" in schema:
        regex = re.compile(schema["pattern"])
        checks.append(lambda v: not isinstance(v, str) or regex.search(v) is not None)
    for key, (kind, compare) in _LENGTHS.items():
        if key in schema:
            checks.append(_length(kind, compare, schema[key]))
    if "items" in schema:
        item = _compile(schema["items"])
        checks.append(lambda v: not isinstance(v, list) or all(item(x) for x in v))
    if "anyOf" in schema:
        alternatives = [_compile(s) for s in schema["anyOf"]]
        checks.append(lambda v: any(a(v) for a in alternatives))
    if "if" in schema:  # a conditional rule (e.g. a mode that allows only one duration)
        condition = _compile(schema["if"])
        then = _compile(schema.get("then", True))
        otherwise = _compile(schema.get("else", True))
        checks.append(lambda v: then(v) if condition(v) else otherwise(v))
    checks.extend(_object_checks(schema))
    return checks


def _object_checks(schema: Mapping[str, Any]) -> list[Check]:
    checks: list[Check] = []
    props = {name: _compile(s) for name, s in schema.get("properties", {}).items()}
    if props:
        checks.append(lambda v: not isinstance(v, dict) or all(props[k](x) for k, x in v.items() if k in props))
    if "required" in schema:
        required = list(schema["required"])
        checks.append(lambda v: not isinstance(v, dict) or all(k in v for k in required))
    extra = schema.get("additionalProperties", True)
    if extra is False:
        checks.append(lambda v: not isinstance(v, dict) or all(k in props for k in v))
    elif extra is not True:
        other = _compile(extra)
        checks.append(lambda v: not isinstance(v, dict) or all(other(x) for k, x in v.items() if k not in props))
    return checks


def _compile(schema: Any) -> Check:
    if schema is True or schema == {}:
        return lambda v: True
    if schema is False:
        return lambda v: False
    if not isinstance(schema, Mapping):
        raise _Unsupported(schema)
    checks = _keyword_checks(schema)
    if len(checks) == 1:
        return checks[0]
    return lambda v: all(c(v) for c in checks)


def compile_schema(schema: Mapping[str, Any]) -> Check | None:
    """A fast validity check for ``schema``, or ``None`` if it uses a keyword outside the subset."""
    try:
        return _compile(schema)
    except (_Unsupported, KeyError, TypeError, re.error):
        return None


@cache
def compile_ref(ref: str) -> Check | None:
    """``compile_schema`` for the spec's schema at ``ref`` (cached)."""
    return compile_schema({"$ref": ref})
