"""One API request: send through the generated client, read the envelope, map errors, retry per policy."""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx

from ._effects import Call, Flow, Reply, Sleep
from ._error_map import api_error, effective_code, error_class
from ._logging import logger, redact
from ._operations import Operation
from ._ratelimit import SlidingWindowLimiter
from ._retry import RetryPolicy, never_sent, retry_after_seconds, retryable_code
from .errors import OutcomeUnknownError, ResponseFormatError, TransportError, Veo3Error

__all__ = ["Answer", "Context", "Unreadable", "request"]

T = TypeVar("T")

# What the generated parsers raise on a body that is not JSON or not the spec's shape.
_PARSE_ERRORS = (ValueError, KeyError, TypeError, AttributeError)


class Unreadable(Exception):
    """Raised by an ``extract`` function: the answer says success but its data is not the spec's shape."""


@dataclass(slots=True)
class Context:
    """What every flow needs: the retry policy, a monotonic clock (both replaceable in tests), and the
    client-side create limit (``(creates, seconds)``, or ``None`` for none)."""

    policy: RetryPolicy
    clock: Callable[[], float]
    rate_limit: tuple[int, float] | None = None
    _limiter: SlidingWindowLimiter | None = None

    def limiter(self) -> SlidingWindowLimiter | None:
        """The create limiter, built on first use (on ``clock``, so tests' fake time drives it too)."""
        if self._limiter is None and self.rate_limit is not None:
            self._limiter = SlidingWindowLimiter(*self.rate_limit, clock=self.clock)
        return self._limiter


@dataclass(frozen=True, slots=True)
class Answer:
    """A readable envelope: success (code 200) or one of the codes the caller accepts (progress answers)."""

    code: int
    message: str
    data: Any
    http_status: int
    retries_taken: int
    #: The whole parsed envelope (a generated model), for answers whose ``data`` the generator types loosely.
    envelope: Any = None


@dataclass(frozen=True, slots=True)
class _Failure:
    error: Veo3Error
    retryable: bool
    retry_after: float | None = None


def _excerpt(raw: httpx.Response | None) -> str:
    if raw is None:
        return ""
    try:
        return redact(raw.content[:200].decode("utf-8", "replace"))
    except httpx.HTTPError:
        return ""


def _unreadable(
    op: Operation,
    reason: str,
    raw: httpx.Response | None,
    http_status: int | None,
    *,
    paid: bool,
    sent: Mapping[str, Any] | None,
    task_id: str | None,
    retries: int,
) -> _Failure:
    status = http_status if http_status is not None else (raw.status_code if raw is not None else None)
    headers = raw.headers if raw is not None else None
    if status is not None and status >= 400:  # the status alone says what went wrong
        message = f"HTTP {status} with an unreadable body: {_excerpt(raw) or reason}"
        error = api_error(
            status,
            message,
            http_status=status,
            task_id=task_id,
            operation=op.operation_id,
            retries_taken=retries,
            upload=op.errors_in_http_status,
        )
        return _Failure(error, retryable_code(status, paid=paid), retry_after_seconds(headers))
    if paid:
        lost = OutcomeUnknownError(
            f"unreadable answer to {op.operation_id} ({reason})",
            operation=op.operation_id,
            request_body=sent,
            retries_taken=retries,
        )
        return _Failure(lost, False)
    error_ = ResponseFormatError(
        f"answer is not in the spec's shape: {reason}",
        http_status=status,
        operation=op.operation_id,
        retries_taken=retries,
        body_excerpt=_excerpt(raw),
    )
    return _Failure(error_, True)


def _transport_failure(
    op: Operation, exc: httpx.HTTPError, *, paid: bool, sent: Mapping[str, Any] | None, retries: int
) -> _Failure:
    what = f"{type(exc).__name__}: {redact(str(exc)) or 'no detail'}"
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.ProxyError):  # a set-up problem: nothing was sent
        return _Failure(TransportError(what, operation=op.operation_id, retries_taken=retries), False)
    if never_sent(exc):
        return _Failure(TransportError(what, operation=op.operation_id, retries_taken=retries), True)
    if paid:
        lost = OutcomeUnknownError(what, operation=op.operation_id, request_body=sent, retries_taken=retries)
        return _Failure(lost, False)
    return _Failure(TransportError(what, operation=op.operation_id, retries_taken=retries), True)


def _interpret(
    op: Operation,
    reply: Reply,
    extract: Callable[[Answer], T],
    *,
    paid: bool,
    sent: Mapping[str, Any] | None,
    task_id: str | None,
    accept: Collection[int],
    retries: int,
) -> T | _Failure:
    exc = reply.error
    if exc is not None:
        if isinstance(exc, httpx.HTTPError):
            return _transport_failure(op, exc, paid=paid, sent=sent, retries=retries)
        if isinstance(exc, _PARSE_ERRORS):
            reason = f"{type(exc).__name__}: {exc}"
            return _unreadable(op, reason, reply.raw, None, paid=paid, sent=sent, task_id=task_id, retries=retries)
        raise exc
    response = reply.response
    assert response is not None
    status = int(response.status_code)
    parsed = response.parsed
    try:
        in_band = int(parsed.code)  # type: ignore[union-attr]
        raw_message = parsed.msg  # type: ignore[union-attr]
        if not isinstance(raw_message, str):
            raise TypeError("msg is not a string")
        message = redact(raw_message)
    except (AttributeError, TypeError, ValueError) as bad:
        return _unreadable(
            op, f"bad envelope: {bad}", reply.raw, status, paid=paid, sent=sent, task_id=task_id, retries=retries
        )
    code = effective_code(in_band, status)
    # A progress answer ("still processing") counts only when the HTTP status does not say otherwise.
    if code == 200 or (code in accept and status in (200, code)):
        answer = Answer(code, message, getattr(parsed, "data", None), status, retries, parsed)
        try:
            return extract(answer)
        except Unreadable as shape:
            return _unreadable(
                op, str(shape), reply.raw, status, paid=paid, sent=sent, task_id=task_id, retries=retries
            )
    error = error_class(code, upload=op.errors_in_http_status)(
        code, message, http_status=status, task_id=task_id, operation=op.operation_id, retries_taken=retries
    )
    return _Failure(error, retryable_code(code, paid=paid), retry_after_seconds(response.headers))


def _log_reply(op: Operation, reply: Reply, retries: int) -> None:
    if reply.response is not None:
        parsed = reply.response.parsed
        what = f"HTTP {int(reply.response.status_code)} code {getattr(parsed, 'code', '?')}"
    else:
        what = f"{type(reply.error).__name__}"
    logger.debug("%s (attempt %d): %s", op.operation_id, retries + 1, what)


def request(
    ctx: Context,
    op: Operation,
    kwargs: dict[str, Any],
    extract: Callable[[Answer], T],
    *,
    paid: bool | None = None,
    sent: Mapping[str, Any] | None = None,
    task_id: str | None = None,
    accept: Collection[int] = (),
    deadline: float | None = None,
) -> Flow[T]:
    """Send ``op`` with ``kwargs`` and return ``extract(answer)``, retrying as the policy allows.

    ``deadline`` (clock time) stops retries that would sleep past it.
    """
    is_paid = op.paid if paid is None else paid
    policy = ctx.policy
    retries = 0
    limiter = ctx.limiter() if op.paid else None
    while True:
        if limiter is None:
            reply: Reply = yield Call(op, kwargs)
        else:  # stay under kie's create limit instead of earning 429s
            ticket, wait = limiter.try_acquire()
            while ticket is None:
                yield Sleep(wait)
                ticket, wait = limiter.try_acquire()
            try:
                reply = yield Call(op, kwargs)
            finally:
                limiter.release(ticket)
        outcome = _interpret(
            op, reply, extract, paid=is_paid, sent=sent, task_id=task_id, accept=accept, retries=retries
        )
        if logger.isEnabledFor(logging.DEBUG):
            _log_reply(op, reply, retries)
        if not isinstance(outcome, _Failure):
            return outcome
        if outcome.retryable and retries < policy.max_retries:
            delay = policy.delay(retries, outcome.retry_after)
            if deadline is None or ctx.clock() + delay < deadline:
                logger.warning(
                    "%s failed (%s); retry %d of %d in %.2fs",
                    op.operation_id,
                    outcome.error,
                    retries + 1,
                    policy.max_retries,
                    delay,
                )
                yield Sleep(delay)
                retries += 1
                continue
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("%s gave up: %s", op.operation_id, outcome.error)
        raise outcome.error
