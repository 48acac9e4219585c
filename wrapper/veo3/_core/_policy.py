"""When to repeat a request, and how long to wait first: the whole policy is the ``POLICY`` table.

Reads (GET, and download-url) are repeated after timeouts, connection errors, unreadable answers, 429,
455 and 5xx. Paid creates (generate, extend, get-4k) are repeated only when the server provably did not
take them: the connection was never made (the driver reports ``Failure.NEVER_SENT`` for httpx's
``ConnectError``/``ConnectTimeout``/``PoolTimeout``), or it answered 429 or 455. After a read timeout, a
connection dropped after sending, or a 5xx, a repeat could pay twice, so the caller gets
``OutcomeUnknownError`` / ``ServerError`` instead.

Everything that decides what a failed request means lives in this file, as h11 keeps its state machine
in ``_state.py``: ``POLICY`` (repeat or not, and what the caller gets), ``ERROR_CLASSES`` (which error
class a kie code raises) and ``effective_code`` (which of the in-band code and the HTTP status counts).
``_request`` classifies each failure once (``Failure``) and looks the decision up here;
``tests/test_client_errors.py`` holds the same policy, written out by fault, and checks the two agree.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Final

from veo3.errors import (
    APIError,
    AuthenticationError,
    ContentPolicyError,
    FeatureDisabledError,
    GenerationFailedError,
    ImageFetchError,
    InsufficientCreditsError,
    MaintenanceError,
    NotFoundError,
    RateLimitError,
    ResponseFormatError,
    ServerError,
    TransportError,
    UnprocessableError,
    UploadAuthenticationError,
    UploadError,
    UploadRequestError,
    UploadServerError,
    Veo3Error,
)

__all__ = [
    "ERROR_CLASSES",
    "POLICY",
    "PROCESSING_MARKERS",
    "UPLOAD_ERROR_CLASSES",
    "Failure",
    "Outcome",
    "Progress",
    "RetryPolicy",
    "api_error",
    "classify_code",
    "effective_code",
    "error_class",
    "hd_progress",
    "is_transient_read_error",
    "retry_after_seconds",
    "retryable_code",
    "uhd_progress",
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

# -- kie's codes: which error class each raises ----------------------------------------------------
ERROR_CLASSES: dict[int, type[APIError]] = {
    400: ContentPolicyError,
    401: AuthenticationError,
    402: InsufficientCreditsError,
    404: NotFoundError,
    422: UnprocessableError,
    429: RateLimitError,
    451: ImageFetchError,
    455: MaintenanceError,
    500: ServerError,
    501: GenerationFailedError,
    505: FeatureDisabledError,
}


# The File Upload API (operations marked ``x-errors: http-status``): its own codes, which are HTTP statuses.
UPLOAD_ERROR_CLASSES: dict[int, type[APIError]] = {
    400: UploadRequestError,
    401: UploadAuthenticationError,
    405: UploadRequestError,
    500: UploadServerError,
}


def error_class(code: int, *, upload: bool = False) -> type[APIError]:
    """The class for ``code``; other 5xx codes are server errors, anything else a plain ``APIError``.

    ``upload``: the code comes from the File Upload API (``UploadError`` and its subclasses).
    """
    cls = (UPLOAD_ERROR_CLASSES if upload else ERROR_CLASSES).get(code)
    if cls is not None:
        return cls
    if 500 <= code <= 599:
        return UploadServerError if upload else ServerError
    return UploadError if upload else APIError


def effective_code(in_band: int | None, http_status: int) -> int:
    """The code that decides the outcome: the in-band code unless it says 200 while the HTTP status does not.

    kie answers most errors as HTTP 200 with the code in the body, and documents an HTTP 500 whose body
    carries a more specific code (408), so a non-200 body code is the more precise of the two.
    """
    if in_band is not None and in_band != 200:
        return in_band
    return http_status


def api_error(
    code: int,
    message: str,
    *,
    http_status: int | None,
    task_id: str | None,
    operation: str,
    retries_taken: int,
    upload: bool = False,
) -> APIError:
    """An instance of the right ``APIError`` subclass for ``code``."""
    return error_class(code, upload=upload)(
        code,
        message,
        http_status=http_status,
        task_id=task_id,
        operation=operation,
        retries_taken=retries_taken,
    )


# -- classifying a failure --------------------------------------------------------------------------

# Never retried although 5xx: the server gave a definite answer about the work itself.
_DEFINITE_5XX = frozenset({501, 505})
# The server refused the request outright: nothing was created, a repeat is safe even for paid creates.
_REFUSED = frozenset({429, 455})


def classify_code(code: int) -> Failure:
    """The failure an error code (in-band, or the HTTP status) stands for."""
    if code in _REFUSED:
        return Failure.REFUSED
    if 500 <= code <= 599 and code not in _DEFINITE_5XX:
        return Failure.SERVER_ERROR
    return Failure.DEFINITE


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


# -- kie's progress answers: when an error code means "not ready yet" ---------------------------------------
# get-1080p and get-4k answer while the upgraded video is still being made, and kie says so with error codes
# (400, 422) whose only distinguishing mark is the message text. Each quirk the client handles is here, once,
# with what kie documents; the flows (``_flows.get_1080p``/``get_4k``) only read the data's shape.


class Progress(Enum):
    """How to take an answer to a 1080p/4K request that carries no video URL."""

    PENDING = "not ready yet: ask again after the schedule's next interval"
    ERROR = "a real error: raise the code's APIError"


#: Message texts kie sends while a version is still being made (matched case-insensitively): "1080P is
#: processing. It should be ready in 1-2 minutes..." and "4k is processing. It should be ready in 5-10
#: minutes...", and the 422 "record status is not success." (asked before the original task has finished,
#: which a wait straight after the generation does). Message texts, not spec rules: kie documents them in
#: prose only.
PROCESSING_MARKERS = ("processing", "record status is not success")


def is_processing(message: str) -> bool:
    """Whether ``message`` is one of kie's "still being made" texts."""
    lowered = message.lower()
    return any(marker in lowered for marker in PROCESSING_MARKERS)


def hd_progress(code: int, message: str) -> Progress:
    """A get-1080p answer without a URL.

    kie documents only that the endpoint "may return a non-200 code" while the 1080p version is being made
    (1-3 minutes); the text it sends then, "1080P is processing...", is listed under code 400. So a 400 is
    read as "still processing" whatever its message (our spec adds 400 to the code enum for it, an assumption
    the drift table records), as is any code whose message says processing.
    """
    if code == 400 or is_processing(message):
        return Progress.PENDING
    return Progress.ERROR


def uhd_progress(code: int, message: str) -> Progress:
    """A get-4k answer without URLs.

    - 200 with ``resultUrls: null`` is how kie answers the request that starts the (asynchronous) 4K job.
    - A repeat while the job runs is a 422 "4k is processing...".
    - A repeat after it finished is a 422 "The video has been generated successfully", documented with the
      URLs filled in. When it comes without them (the record not written yet), the message says success while
      the URLs are still pending: ask again rather than fail a job that has succeeded (and was paid for).
    """
    if code == 200 or is_processing(message) or "success" in message.lower():
        return Progress.PENDING
    return Progress.ERROR
