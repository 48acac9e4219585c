"""schemathesis checks that understand kie's in-band envelope (registered with ``@schemathesis.check``).

kie answers most errors with HTTP 200 and the outcome in the body's ``code``. schemathesis's status-based
built-ins (``negative_data_rejection``, ``positive_data_acceptance``, ``ignored_auth``) would call a perfectly
kie-like server broken, so they are excluded (:data:`EXCLUDED_BUILTINS`) and these checks take their place.
The remaining built-ins (response schema, content type, status code, server errors) still run.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import schemathesis

from veo3 import _spec
from veo3.conformance._envelope import Envelope, data_schema_ref, operation_for, parse_envelope, request_problems

if TYPE_CHECKING:
    from schemathesis import Case, CheckContext, Response

REFUSAL_CODES = frozenset({400, 422})
"""In-band codes that refuse an invalid request."""

PRECEDING_CODES = frozenset({401, 429, 455})
"""Codes a server may answer before it looks at the request's content (no key, rate limit, maintenance)."""

EXCLUDED_BUILTINS = ("negative_data_rejection", "positive_data_acceptance", "ignored_auth")
"""Built-in checks that judge by the HTTP status alone; the in-band checks below replace them."""

_INVALID_KEY_PREFIX = "veo3-conformance-invalid-"


def _envelope(response: Response) -> Envelope | None:
    return parse_envelope(response.content)


def _operation(case: Case[Any]) -> _spec.Operation | None:
    return operation_for(case.method, case.path)


@schemathesis.check
def inband_code_documented(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """An HTTP 200 answer is an envelope whose ``code`` is one the operation documents."""
    op = _operation(case)
    if op is None or response.status_code != 200:
        return None
    envelope = _envelope(response)
    if envelope is None:
        raise AssertionError("HTTP 200 answer is not a JSON envelope with an integer `code`")
    documented = op.documented_codes
    if envelope.code not in documented:
        raise AssertionError(
            f"in-band code {envelope.code} is not documented for {op.operation_id} (documented: {sorted(documented)})"
        )
    return None


@schemathesis.check
def inband_data_conformance(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """``data`` matches the schema for its ``code``: on in-band 200 it is present, non-null and valid."""
    op = _operation(case)
    envelope = _envelope(response)
    if op is None or envelope is None or envelope.code != 200:
        return None
    if envelope.data is None:
        raise AssertionError(f"in-band code 200 from {op.operation_id} carries no `data` (missing or null)")
    errors = list(_spec.validator(data_schema_ref(op)).iter_errors(envelope.data))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.path) or "(data)"
        raise AssertionError(
            f"`data` of an in-band 200 breaks the spec at `{where}`: {first.validator} - {first.message}"
        )
    return None


@schemathesis.check
def inband_invalid_request_refused(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """A request that breaks the spec is refused with an in-band 400/422 (never accepted, never a crash).

    The request is judged as it was sent (after serialisation), by the spec's own validator, so a "negative"
    case that happens to be valid on the wire is not held against the server.
    """
    op = _operation(case)
    request = response.request
    if op is None or request.url is None:
        return None
    body = request.body
    content_type: Any = request.headers.get("content-type") or request.headers.get("Content-Type")
    if isinstance(content_type, list):  # schemathesis keeps header values as lists
        content_type = content_type[0] if content_type else None
    if isinstance(content_type, bytes):
        content_type = content_type.decode("latin-1")
    problems = request_problems(op, str(request.url), body if isinstance(body, (bytes, str)) else None, content_type)
    if not problems:
        return None
    envelope = _envelope(response)
    code = envelope.code if envelope is not None else response.status_code
    if code in REFUSAL_CODES or code in PRECEDING_CODES:
        return None
    raise AssertionError(
        f"an invalid request was answered with code {code} (HTTP {response.status_code}); "
        f"expected an in-band {'/'.join(map(str, sorted(REFUSAL_CODES)))}. Invalid because: {problems[0]}"
    )


def _probed_once(ctx: CheckContext, case: Case[Any]) -> bool:
    """Whether auth was already probed for this operation in this run (and mark it probed)."""
    seen = ctx.auth_enforced_operations
    if seen is None:
        seen = _PROBED.setdefault(id(case.operation.schema), set())
    label = f"inband:{case.operation.label}"
    if label in seen:
        return True
    seen.add(label)
    return False


_PROBED: dict[int, set[str]] = {}


def _probe(case: Case[Any], authorization: str | None) -> tuple[Response, str]:
    headers: dict[str, Any] = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
    if authorization is not None:
        headers["Authorization"] = authorization
    probe = case.operation.Case(
        method=case.method,
        path_parameters=case.path_parameters,
        headers=headers,
        cookies=case.cookies,
        query=case.query,
        body=case.body,
        media_type=case.media_type,
    )
    return probe.call(), probe.as_curl_command()


@schemathesis.check
def inband_auth_enforced(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """A request the server accepted (in-band 200) is refused with in-band 401 without a key and with a bad key.

    Probed once per operation and run: the same request is sent again without ``Authorization``, then with a
    random key.
    """
    op = _operation(case)
    envelope = _envelope(response)
    if op is None or envelope is None or envelope.code != 200 or not op.definition.get("security", True):
        return None
    if _probed_once(ctx, case):
        return None
    scenarios: list[tuple[str, str | None]] = [
        ("without a key", None),
        ("with an invalid key", f"Bearer {_INVALID_KEY_PREFIX}{secrets.token_hex(8)}"),
    ]
    for label, authorization in scenarios:
        answer, curl = _probe(case, authorization)
        refusal = _envelope(answer)
        code = refusal.code if refusal is not None else answer.status_code
        if code != 401:
            raise AssertionError(
                f"the request {label} was answered with code {code} (HTTP {answer.status_code}); "
                f"expected in-band 401. Probe: {curl}"
            )
    return None


@schemathesis.check
def inband_not_a_server_error(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """The in-band ``code`` is not 500 (the server failed while handling the request)."""
    envelope = _envelope(response)
    if envelope is not None and envelope.code == 500:
        raise AssertionError(f"in-band server error (code 500): {envelope.msg!r}")
    return None


@schemathesis.check
def http_status_carries_code(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """An operation whose errors are real HTTP statuses (``x-errors: http-status``) answers with the HTTP
    status equal to its envelope's ``code``, and ``success`` true exactly on 200 when present."""
    op = _operation(case)
    envelope = _envelope(response)
    if op is None or envelope is None or not op.errors_in_http_status:
        return None
    if envelope.code != response.status_code:
        raise AssertionError(
            f"{op.operation_id} answered HTTP {response.status_code} with code {envelope.code}; "
            "its errors are documented as real HTTP statuses (the two must agree)"
        )
    if envelope.success is not None and envelope.success != (envelope.code == 200):
        raise AssertionError(f"`success` is {envelope.success} with code {envelope.code}")
    return None


INBAND_CHECKS: tuple[Callable[..., bool | None], ...] = (
    inband_code_documented,
    inband_data_conformance,
    inband_invalid_request_refused,
    inband_auth_enforced,
    inband_not_a_server_error,
    http_status_carries_code,
)
"""The envelope-aware checks, in the order they are reported."""
