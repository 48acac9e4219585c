"""One API request: send through the generated client, read the envelope, map errors, retry per policy."""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, TypeVar

from veo3._spec._operations import Operation
from veo3._utils._logging import logger, redact
from veo3.errors import OutcomeUnknownError, ResponseFormatError, TransportError, Veo3Error

from ._effects import Call, Extra, Flow, RawReply, Reply, Sleep, TransportFailed
from ._policy import (
    POLICY,
    Failure,
    Outcome,
    RetryPolicy,
    api_error,
    classify_code,
    effective_code,
    retry_after_seconds,
)
from ._ratelimit import SlidingWindowLimiter

__all__ = ["Answer", "Context", "Unreadable", "request"]

T = TypeVar("T")

# What the generated parsers raise on a body that is not JSON or not the spec's shape.
_PARSE_ERRORS = (ValueError, KeyError, TypeError, AttributeError)


class Unreadable(Exception):
    """Raised by an ``extract`` function: the answer says success but its data is not the spec's shape."""


@dataclass(slots=True)
class Context:
    """What every flow needs: the retry policy, a monotonic clock (both replaceable in tests), and the
    client-side create limit (``(creates, seconds)``, or ``None`` for none), guarded by a lock from
    ``make_lock`` (the clients hand in ``threading.Lock``: the core imports no threading)."""

    policy: RetryPolicy
    clock: Callable[[], float]
    rate_limit: tuple[int, float] | None = None
    make_lock: Callable[[], AbstractContextManager[Any]] | None = None
    _limiter: SlidingWindowLimiter | None = None

    def limiter(self) -> SlidingWindowLimiter | None:
        """The create limiter, built on first use (on ``clock``, so tests' fake time drives it too)."""
        if self._limiter is None and self.rate_limit is not None:
            lock = self.make_lock() if self.make_lock is not None else None
            self._limiter = SlidingWindowLimiter(*self.rate_limit, clock=self.clock, lock=lock)
        return self._limiter

    def set_clock(self, clock: Callable[[], float]) -> None:
        """Measure deadlines and pacing on ``clock`` from now on (the limiter is rebuilt on it)."""
        self.clock = clock
        self._limiter = None

    def share_limiter(self, other: Context) -> None:
        """Pace creates with ``other``'s limiter: one budget for two clients of the same key."""
        self.rate_limit = other.rate_limit
        self._limiter = other.limiter()


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


def _excerpt(raw: RawReply | None) -> str:
    if raw is None:
        return ""
    try:
        return redact(raw.content[:200].decode("utf-8", "replace"))
    except Exception:  # a body never read (httpx.ResponseNotRead): nothing to show
        return ""


@dataclass(frozen=True, slots=True)
class _Request:
    """What every failure of one request needs to be reported."""

    op: Operation
    paid: bool
    sent: Mapping[str, Any] | None
    task_id: str | None
    retries: int


def _decide(
    kind: Failure,
    req: _Request,
    what: str,
    *,
    code: int | None = None,
    http_status: int | None = None,
    retry_after: float | None = None,
    raw: RawReply | None = None,
) -> _Failure:
    """The error the caller gets for ``kind`` and whether the request may be repeated, from ``POLICY``."""
    retryable, outcome = POLICY[kind, req.paid]
    op_id = req.op.operation_id
    error: Veo3Error
    if outcome is Outcome.API_ERROR:
        assert code is not None
        error = api_error(
            code, what, http_status=http_status, task_id=req.task_id, operation=op_id, retries_taken=req.retries,
            upload=req.op.errors_in_http_status,
        )  # fmt: skip
    elif outcome is Outcome.OUTCOME_UNKNOWN:
        error = OutcomeUnknownError(what, operation=op_id, request_body=req.sent, retries_taken=req.retries)
    elif outcome is Outcome.FORMAT:
        error = ResponseFormatError(
            f"answer is not in the spec's shape: {what}",
            http_status=http_status,
            operation=op_id,
            retries_taken=req.retries,
            body_excerpt=_excerpt(raw),
        )
    else:
        error = TransportError(what, operation=op_id, retries_taken=req.retries)
    return _Failure(error, retryable, retry_after)


def _unreadable(req: _Request, reason: str, raw: RawReply | None, http_status: int | None) -> _Failure:
    status = http_status if http_status is not None else (raw.status_code if raw is not None else None)
    if status is not None and status >= 400:  # the status alone says what went wrong
        message = f"HTTP {status} with an unreadable body: {_excerpt(raw) or reason}"
        headers = raw.headers if raw is not None else None
        return _decide(
            classify_code(status), req, message, code=status, http_status=status,
            retry_after=retry_after_seconds(headers),
        )  # fmt: skip
    what = f"unreadable answer to {req.op.operation_id} ({reason})" if req.paid else reason
    return _decide(Failure.UNREADABLE, req, what, http_status=status, raw=raw)


def _interpret(req: _Request, reply: Reply, extract: Callable[[Answer], T], accept: Collection[int]) -> T | _Failure:
    exc = reply.error
    if exc is not None:
        if isinstance(exc, TransportFailed):
            what = f"{exc.name}: {redact(str(exc)) or 'no detail'}"
            return _decide(exc.failure, req, what)
        if isinstance(exc, _PARSE_ERRORS):
            return _unreadable(req, f"{type(exc).__name__}: {exc}", reply.raw, None)
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
        return _unreadable(req, f"bad envelope: {bad}", reply.raw, status)
    code = effective_code(in_band, status)
    # A progress answer ("still processing") counts only when the HTTP status does not say otherwise.
    if code == 200 or (code in accept and status in (200, code)):
        answer = Answer(code, message, getattr(parsed, "data", None), status, req.retries, parsed)
        try:
            return extract(answer)
        except Unreadable as shape:
            return _unreadable(req, str(shape), reply.raw, status)
    retry_after = retry_after_seconds(response.headers)
    return _decide(classify_code(code), req, message, code=code, http_status=status, retry_after=retry_after)


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
    extra: Extra | None = None,
) -> Flow[T]:
    """Send ``op`` with ``kwargs`` (and ``extra``) and return ``extract(answer)``, retrying as the policy allows.

    ``paid=False`` marks a call of a paid operation that starts nothing new (a 4K progress check).
    ``deadline`` (clock time) stops retries that would sleep past it.
    """
    is_paid = op.paid if paid is None else paid
    policy = ctx.policy
    retries = 0
    # Exactly the operations the spec's x-rate-limit names, and only calls that start work.
    limiter = ctx.limiter() if op.paced and is_paid else None
    call = Call(op, kwargs, extra)
    while True:
        if limiter is None:
            reply: Reply = yield call
        else:  # stay under kie's create limit instead of earning 429s
            ticket, wait = limiter.try_acquire()
            while ticket is None:
                yield Sleep(wait)
                ticket, wait = limiter.try_acquire()
            try:
                reply = yield call
            finally:
                limiter.release(ticket)
        outcome = _interpret(_Request(op, is_paid, sent, task_id, retries), reply, extract, accept)
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
