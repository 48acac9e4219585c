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

from veo3._spec import _document as _spec
from veo3.conformance import _rules
from veo3.conformance._envelope import Envelope, operation_for, parse_envelope

from ._report import INVALID_KEY_PREFIX

if TYPE_CHECKING:
    from schemathesis import Case, CheckContext, Response

EXCLUDED_BUILTINS = ("negative_data_rejection", "positive_data_acceptance", "ignored_auth")
"""Built-in checks that judge by the HTTP status alone; the in-band checks below replace them."""


def _envelope(response: Response) -> Envelope | None:
    return parse_envelope(response.content)


def _operation(case: Case[Any]) -> _spec.Operation | None:
    return operation_for(case.method, case.path)


def _fail(problem: _rules.Problem | None) -> None:
    if problem is not None:
        raise AssertionError(problem.message)


@schemathesis.check
def inband_code_documented(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """An HTTP 200 answer is an envelope whose ``code`` is one the operation documents."""
    op = _operation(case)
    if op is not None:
        _fail(_rules.code_documented(op, response.status_code, response.content))
    return None


@schemathesis.check
def inband_data_conformance(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """``data`` matches the schema for its ``code``: on in-band 200 it is present, non-null and valid."""
    op = _operation(case)
    if op is not None:
        _fail(_rules.data_conforms(op, _envelope(response)))
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
    sent = body if isinstance(body, (bytes, str)) else None
    content_type: Any = request.headers.get("content-type") or request.headers.get("Content-Type")
    if isinstance(content_type, list):  # schemathesis keeps header values as lists
        content_type = content_type[0] if content_type else None
    if isinstance(content_type, bytes):
        content_type = content_type.decode("latin-1")
    refused = _rules.invalid_request_refused(
        op, str(request.url), sent, response.status_code, _envelope(response), content_type
    )
    _fail(refused)
    return None


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
        ("with an invalid key", f"Bearer {INVALID_KEY_PREFIX}{secrets.token_hex(8)}"),
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
    _fail(_rules.not_a_server_error(_envelope(response)))
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
