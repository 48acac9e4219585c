"""When to repeat a request, and how long to wait first: the whole policy is the ``POLICY`` table.

Reads (GET, and download-url) are repeated after timeouts, connection errors, unreadable answers, 429,
455 and 5xx. Paid creates (generate, extend, get-4k) are repeated only when the server provably did not
take them: the connection was never made (``ConnectError``/``ConnectTimeout``/``PoolTimeout``), or it
answered 429 or 455. After a read timeout, a connection dropped after sending, or a 5xx, a repeat could
pay twice, so the caller gets ``OutcomeUnknownError`` / ``ServerError`` instead.

``_requests`` classifies each failure once (``Failure``) and looks the decision up here, as h11 keeps its
state transitions in one table; ``tests/test_client_errors.py`` holds the same policy, written out by
fault, and checks the two agree.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Final

import httpx

from veo3.errors import APIError, ResponseFormatError, TransportError, Veo3Error

__all__ = [
    "POLICY",
    "Failure",
    "Outcome",
    "RetryPolicy",
    "classify_code",
    "classify_exception",
    "is_transient_read_error",
    "retry_after_seconds",
    "retryable_code",
]


class Failure(Enum):
    """What went wrong with one request, as far as repeating it is concerned."""

    NEVER_SENT = "the connection was never made"
    SETUP = "a set-up problem (unsupported URL scheme, proxy): nothing was sent, a repeat fails the same"
    REPLY_LOST = "sent, and the reply was lost (read timeout, connection dropped)"
    UNREADABLE = "a success status with an answer not in the spec's shape"
    REFUSED = "refused outright (429, 455): nothing was created"
    SERVER_ERROR = "a server error (5xx other than 501/505)"
    DEFINITE = "a definite answer about the request or the work (4xx, 501, 505): a repeat gets the same"


class Outcome(Enum):
    """What the caller gets when the request is not (or no longer) repeated."""

    API_ERROR = "the code's APIError subclass"
    TRANSPORT = "TransportError"
    FORMAT = "ResponseFormatError"
    OUTCOME_UNKNOWN = "OutcomeUnknownError: the paid work may exist, check before sending again"


#: (what went wrong, is the request paid?) -> (may it be repeated?, what the caller gets otherwise)
POLICY: Final[dict[tuple[Failure, bool], tuple[bool, Outcome]]] = {
    (Failure.NEVER_SENT, False): (True, Outcome.TRANSPORT),
    (Failure.NEVER_SENT, True): (True, Outcome.TRANSPORT),
    (Failure.SETUP, False): (False, Outcome.TRANSPORT),
    (Failure.SETUP, True): (False, Outcome.TRANSPORT),
    (Failure.REPLY_LOST, False): (True, Outcome.TRANSPORT),
    (Failure.REPLY_LOST, True): (False, Outcome.OUTCOME_UNKNOWN),
    (Failure.UNREADABLE, False): (True, Outcome.FORMAT),
    (Failure.UNREADABLE, True): (False, Outcome.OUTCOME_UNKNOWN),
    (Failure.REFUSED, False): (True, Outcome.API_ERROR),
    (Failure.REFUSED, True): (True, Outcome.API_ERROR),
    (Failure.SERVER_ERROR, False): (True, Outcome.API_ERROR),
    (Failure.SERVER_ERROR, True): (False, Outcome.API_ERROR),  # the work may have started: no blind repeat
    (Failure.DEFINITE, False): (False, Outcome.API_ERROR),
    (Failure.DEFINITE, True): (False, Outcome.API_ERROR),
}  # fmt: skip

# Never retried although 5xx: the server gave a definite answer about the work itself.
_DEFINITE_5XX = frozenset({501, 505})
# The server refused the request outright: nothing was created, a repeat is safe even for paid creates.
_REFUSED = frozenset({429, 455})
_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
_SETUP = (httpx.UnsupportedProtocol, httpx.ProxyError)


def classify_code(code: int) -> Failure:
    """The failure an error code (in-band, or the HTTP status) stands for."""
    if code in _REFUSED:
        return Failure.REFUSED
    if 500 <= code <= 599 and code not in _DEFINITE_5XX:
        return Failure.SERVER_ERROR
    return Failure.DEFINITE


def classify_exception(exc: httpx.HTTPError) -> Failure:
    """The failure a transport exception stands for."""
    if isinstance(exc, _SETUP):
        return Failure.SETUP
    if isinstance(exc, _NEVER_SENT):
        return Failure.NEVER_SENT
    return Failure.REPLY_LOST


def retryable_code(code: int, *, paid: bool) -> bool:
    """Whether an answer with this code may be repeated."""
    return POLICY[classify_code(code), paid][0]


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
