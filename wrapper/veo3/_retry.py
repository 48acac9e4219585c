"""When to repeat a request, and how long to wait first.

Reads (GET, and download-url) are repeated after timeouts, connection errors, unreadable answers, 429,
455 and 5xx. Paid creates (generate, extend, get-4k) are repeated only when the server provably did not
take them: the connection was never made (``ConnectError``/``ConnectTimeout``/``PoolTimeout``), or it
answered 429 or 455. After a read timeout, a connection dropped after sending, or a 5xx, a repeat could
pay twice, so the caller gets ``OutcomeUnknownError`` / ``ServerError`` instead.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass

import httpx

from .errors import APIError, ResponseFormatError, TransportError, Veo3Error

__all__ = ["RetryPolicy", "is_transient_read_error", "never_sent", "retry_after_seconds", "retryable_code"]

# Never retried although 5xx: the server gave a definite answer about the work itself.
_DEFINITE_5XX = frozenset({501, 505})
# The server refused the request outright: nothing was created, a repeat is safe even for paid creates.
_REFUSED = frozenset({429, 455})

_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def never_sent(exc: BaseException) -> bool:
    """Whether the request provably never reached the server."""
    return isinstance(exc, _NEVER_SENT)


def retryable_code(code: int, *, paid: bool) -> bool:
    """Whether an answer with this code may be repeated."""
    if code in _REFUSED:
        return True
    return not paid and 500 <= code <= 599 and code not in _DEFINITE_5XX


def is_transient_read_error(exc: Veo3Error) -> bool:
    """Whether a read that raised ``exc`` may succeed later (used by the polling loops)."""
    if isinstance(exc, APIError):
        return retryable_code(exc.code, paid=False)
    return isinstance(exc, TransportError | ResponseFormatError)


def retry_after_seconds(headers: Mapping[str, str] | None, *, now: float | None = None) -> float | None:
    """The ``Retry-After`` header in seconds (delta-seconds or an HTTP date), ``None`` if absent or garbled."""
    if not headers:
        return None
    value = headers.get("retry-after") or headers.get("Retry-After")
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


@dataclass(slots=True)
class RetryPolicy:
    """Exponential backoff with full jitter, capped; ``Retry-After`` wins when the server sends one."""

    max_retries: int = 3
    base: float = 0.5
    cap: float = 10.0
    retry_after_cap: float = 60.0
    rng: random.Random | None = None

    def delay(self, retry_number: int, retry_after: float | None = None) -> float:
        """Seconds to sleep before retry ``retry_number`` (0-based)."""
        if retry_after is not None:
            return min(retry_after, self.retry_after_cap)
        ceiling = min(self.cap, self.base * (2**retry_number))
        return (self.rng or random).uniform(0, ceiling)
