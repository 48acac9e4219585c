"""The in-band rules as plain functions of one request and its answer: each returns the violation, or ``None``.

``checks`` wraps them as schemathesis checks (live runs); ``traffic`` applies them to recorded exchanges. One
copy of each rule, so a live run and a recording are judged alike. ``field`` names where the problem is
(``code``, ``data/response/resultUrls``, ``query taskId``, ``(body)``...).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from veo3._spec import _document as _spec
from veo3.conformance._envelope import Envelope, data_schema_ref, parse_envelope, request_problems

REFUSAL_CODES = frozenset({400, 422})
"""In-band codes that refuse an invalid request."""

PRECEDING_CODES = frozenset({401, 429, 455})
"""Codes a server may answer before it looks at the request's content (no key, rate limit, maintenance)."""


@dataclass(frozen=True)
class Problem:
    """A broken rule: where, and what happened."""

    field: str
    message: str


def _where(path: Any, default: str) -> str:
    return "/".join(str(p) for p in path) or default


def _deepest(errors: list[Any]) -> Any:
    """The error that points deepest into the instance (inside ``anyOf``/``oneOf`` too): it names the field."""
    best, stack = errors[0], list(errors)
    while stack:
        error = stack.pop(0)
        if len(error.absolute_path) > len(best.absolute_path):
            best = error
        stack.extend(error.context or ())
    return best


def code_documented(op: _spec.Operation, status: int, content: bytes | str | None) -> Problem | None:
    """An HTTP 200 answer is an envelope whose ``code`` is one the operation documents."""
    if status != 200:
        return None
    envelope = parse_envelope(content)
    if envelope is None:
        return Problem("(body)", "HTTP 200 answer is not a JSON envelope with an integer `code`")
    documented = op.documented_codes
    if envelope.code not in documented:
        return Problem(
            "code",
            f"in-band code {envelope.code} is not documented for {op.operation_id} (documented: {sorted(documented)})",
        )
    return None


def data_conforms(op: _spec.Operation, envelope: Envelope | None) -> Problem | None:
    """``data`` matches the schema for its ``code``: on in-band 200 it is present, non-null and valid."""
    if envelope is None or envelope.code != 200:
        return None
    if envelope.data is None:
        return Problem("data", f"in-band code 200 from {op.operation_id} carries no `data` (missing or null)")
    errors = list(_spec.validator(data_schema_ref(op)).iter_errors(envelope.data))
    if not errors:
        return None
    first = _deepest(errors)
    where = _where(first.path, "(data)")
    field = "data" if where == "(data)" else f"data/{where}"
    return Problem(field, f"`data` of an in-band 200 breaks the spec at `{where}`: {first.validator} - {first.message}")


def invalid_request_refused(
    op: _spec.Operation,
    url: str,
    body: bytes | str | None,
    status: int,
    envelope: Envelope | None,
    content_type: str | None = None,
) -> Problem | None:
    """A request that breaks the spec is refused with an in-band 400/422 (never accepted, never a crash)."""
    problems = request_problems(op, url, body, content_type)
    if not problems:
        return None
    code = envelope.code if envelope is not None else status
    if code in REFUSAL_CODES or code in PRECEDING_CODES:
        return None
    return Problem(
        "request",
        f"an invalid request was answered with code {code} (HTTP {status}); "
        f"expected an in-band {'/'.join(map(str, sorted(REFUSAL_CODES)))}. Invalid because: {problems[0]}",
    )


def unauthenticated_refused(
    op: _spec.Operation, authorization: str | None, envelope: Envelope | None
) -> Problem | None:
    """A request without a key is refused with in-band 401 (recorded traffic: never answered with data)."""
    if authorization or envelope is None or envelope.code != 200 or not op.definition.get("security", True):
        return None
    return Problem("Authorization", "the request without a key was answered with code 200; expected in-band 401")


def not_a_server_error(envelope: Envelope | None) -> Problem | None:
    """The in-band ``code`` is not 500 (the server failed while handling the request)."""
    if envelope is not None and envelope.code == 500:
        return Problem("code", f"in-band server error (code 500): {envelope.msg!r}")
    return None


def _response_entry(op: _spec.Operation, status: int) -> Mapping[str, Any] | None:
    responses = op.definition.get("responses", {})
    for key in (str(status), f"{str(status)[0]}XX", "default"):
        if key in responses:
            return responses[key]  # type: ignore[no-any-return]
    return None


def status_documented(op: _spec.Operation, status: int) -> Problem | None:
    """The HTTP status is one the operation documents (or covered by its ``4XX``/``5XX``/``default``)."""
    if _response_entry(op, status) is None:
        return Problem("status", f"HTTP {status} is not documented for {op.operation_id}")
    return None


def response_conforms(op: _spec.Operation, status: int, content: bytes | str | None) -> Problem | None:
    """A JSON answer is valid against the schema the spec gives for its HTTP status."""
    entry = _response_entry(op, status)
    schema = (entry or {}).get("content", {}).get("application/json", {}).get("schema", {})
    ref = schema.get("$ref")
    if not ref:
        return None
    try:
        body = json.loads(content or b"")
    except ValueError:
        return Problem("(body)", f"HTTP {status} answer is not JSON")
    errors = list(_spec.validator(str(ref)).iter_errors(body))
    if not errors:
        return None
    first = _deepest(errors)
    where = _where(first.path, "(body)")
    return Problem(where, f"the HTTP {status} answer breaks the spec at `{where}`: {first.validator} - {first.message}")
