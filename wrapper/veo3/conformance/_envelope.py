"""Reading kie's envelopes and judging a request against the spec, as a conformance check needs them.

The Veo operations answer in-band (HTTP 200, outcome in ``code``); the File Upload API's operations (the
spec's ``x-errors: http-status``) send ``code`` as the HTTP status too. ``parse_envelope`` reads both.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from veo3._spec import _document as _spec


@dataclass(frozen=True)
class Envelope:
    """A parsed ``{code, msg, data}`` answer."""

    code: int
    msg: Any
    data: Any
    has_data: bool
    success: bool | None = None  # the File Upload API's envelope also says ``success``


def parse_envelope(body: bytes | str | None) -> Envelope | None:
    """The envelope in ``body``, or ``None`` when it is not a JSON object with an integer ``code``."""
    if not body:
        return None
    try:
        value = json.loads(body)
    except ValueError:
        return None
    if not isinstance(value, dict):
        return None
    code = value.get("code")
    if not isinstance(code, int) or isinstance(code, bool):
        return None
    success = value.get("success")
    return Envelope(
        code=code,
        msg=value.get("msg"),
        data=value.get("data"),
        has_data="data" in value,
        success=success if isinstance(success, bool) else None,
    )


def operation_for(method: str, path: str) -> _spec.Operation | None:
    """The spec operation a request went to (``path`` may carry a base-URL prefix), or ``None``."""
    for op in _spec.iter_operations():
        if op.method == method.upper() and (path == op.path or path.endswith(op.path)):
            return op
    return None


def request_problems(
    op: _spec.Operation, url: str, body: bytes | str | None, content_type: str | None = None
) -> list[str]:
    """Every way the request as sent breaks the spec (empty when it is valid): the rule and the field.

    A ``multipart/form-data`` body (the stream upload) is judged by its fields, the file part standing in
    as a string; ``content_type`` carries its boundary.
    """
    problems: list[str] = []
    query = parse_qs(urlsplit(url).query, keep_blank_values=True)
    for param in op.query_parameters:
        name = str(param["name"])
        sent = query.get(name)
        if sent is None:
            if param.get("required"):
                problems.append(f"query parameter `{name}` is required but missing")
            continue
        if len(sent) > 1:
            problems.append(f"query parameter `{name}` is sent {len(sent)} times")
            continue
        value = _spec.coerce_query(sent[0], _spec.resolved(param["schema"]).get("type"))
        ref = param["schema"].get("$ref")
        validator = _spec.validator(str(ref)) if ref else None
        if validator is not None:
            for error in validator.iter_errors(value):
                problems.append(f"query parameter `{name}`: {error.validator} - {error.message}")
    form_ref = op.request_schema_ref("multipart/form-data")
    if form_ref is not None and op.body_schema_ref is None:
        problems += _form_problems(form_ref, body, content_type or "")
    ref = op.body_schema_ref
    if ref is not None:
        if not body:
            problems.append("the request body is required but empty")
            return problems
        try:
            instance = json.loads(body)
        except ValueError:
            problems.append("the request body is not JSON")
            return problems
        for error in _spec.validator(ref).iter_errors(instance):
            where = "/".join(str(p) for p in error.path) or "(body)"
            problems.append(f"body `{where}`: {error.validator} - {error.message}")
    return problems


def _form_problems(ref: str, body: bytes | str | None, content_type: str) -> list[str]:
    from veo3._utils._multipart import form_fields, parse_multipart

    raw = body.encode("utf-8", "surrogateescape") if isinstance(body, str) else body or b""
    try:
        fields = form_fields(parse_multipart(raw, content_type))
    except ValueError as exc:
        return [f"the request body is not a multipart form: {exc}"]
    return [
        f"form field `{'/'.join(str(p) for p in error.path) or '(form)'}`: {error.validator} - {error.message}"
        for error in _spec.validator(ref).iter_errors(fields)
    ]


def data_schema_ref(op: _spec.Operation) -> str:
    """The ``$ref`` of the ``data`` member of the operation's HTTP 200 envelope (a JSON pointer into the spec)."""
    return f"{op.success_schema_ref}/properties/data"
