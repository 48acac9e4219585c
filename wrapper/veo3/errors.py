"""Every error the ``veo3`` package raises: one base class, one subclass per kind of failure.

``APIError`` has one subclass per documented kie code. The same class is raised whether the code came
in-band (HTTP 200 with ``{"code": 402, ...}``) or as the HTTP status itself. All of them can be imported
from ``veo3`` directly. The hierarchy:

* Veo3Error
  x ConfigurationError (also ValueError)         the client was set up wrongly; nothing was sent
  x RequestValidationError (also ValueError)     a request breaks the spec; nothing was sent
  x APIError                                     kie answered with an error code (``.code``)
    - ContentPolicyError 400, AuthenticationError 401, InsufficientCreditsError 402, NotFoundError 404,
      UnprocessableError 422, RateLimitError 429, ImageFetchError 451, MaintenanceError 455,
      ServerError 500/5xx, GenerationFailedError 501, FeatureDisabledError 505
  x ResponseFormatError                          the answer was not in the spec's shape
  x TransportError                               the network failed
    - OutcomeUnknownError                        a paid request went out and its reply was lost
  x DownloadError                                a media download failed
  x TaskFailedError                              the task ended in failure
  x WaitTimeoutError (also TimeoutError)         a wait's deadline passed
  x WebhookVerificationError                     a callback did not verify
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .types import TaskInfo, TaskStatus

__all__ = [
    "APIError",
    "AuthenticationError",
    "ConfigurationError",
    "ContentPolicyError",
    "DownloadError",
    "FeatureDisabledError",
    "GenerationFailedError",
    "ImageFetchError",
    "InsufficientCreditsError",
    "MaintenanceError",
    "NotFoundError",
    "OutcomeUnknownError",
    "RateLimitError",
    "RequestValidationError",
    "ResponseFormatError",
    "ServerError",
    "TaskFailedError",
    "TransportError",
    "UnprocessableError",
    "UploadAuthenticationError",
    "UploadError",
    "UploadRequestError",
    "UploadServerError",
    "Veo3Error",
    "WaitTimeoutError",
    "WebhookVerificationError",
]


def _short(value: object, limit: int = 120) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class Veo3Error(Exception):
    """Base class of every error raised by ``veo3``. Its text never shows an API key, even one echoed back."""

    def __str__(self) -> str:
        from veo3._utils._logging import redact

        return redact(super().__str__())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"


class ConfigurationError(Veo3Error, ValueError):
    """The client was set up wrongly (no API key, a bearer token over plain HTTP to a remote host, ...)."""


class RequestValidationError(Veo3Error, ValueError):
    """A request breaks a rule of the spec; raised before any network I/O.

    ``field`` is the Python keyword (``seeds``, ``image_urls[1]``), ``rule`` the JSON Schema keyword that
    failed (``maximum``, ``enum``, ``pattern``, ...), ``value`` the offending value.
    """

    def __init__(self, field: str, rule: str, value: object, detail: str = "") -> None:
        self.field = field
        self.rule = rule
        self.value = value
        self.detail = detail
        text = f"invalid {field}: breaks rule {rule!r} (got {_short(value)})"
        super().__init__(f"{text}: {detail}" if detail else text)


class APIError(Veo3Error):
    """kie answered with an error code (in-band or as the HTTP status)."""

    def __init__(
        self,
        code: int,
        message: str,
        *,
        http_status: int | None = None,
        task_id: str | None = None,
        operation: str | None = None,
        retries_taken: int = 0,
    ) -> None:
        self.code = code
        self.message = message
        self.http_status = http_status
        self.task_id = task_id
        self.operation = operation
        self.retries_taken = retries_taken
        where = ", ".join(
            f"{name}={value}"
            for name, value in (
                ("operation", operation),
                ("task_id", task_id),
                ("http_status", http_status),
                ("retries", retries_taken or None),
            )
            if value is not None
        )
        super().__init__(f"[{code}] {message}" + (f" ({where})" if where else ""))


class ContentPolicyError(APIError):
    """400: the prompt or image was refused (content policy, unsupported input)."""


class AuthenticationError(APIError):
    """401: the API key is missing or wrong."""


class InsufficientCreditsError(APIError):
    """402: the account has run out of credits."""


class NotFoundError(APIError):
    """404: no such task (or resource)."""


class UnprocessableError(APIError):
    """422: the request is well-formed but cannot be processed (record too old, not successful, ...)."""


class RateLimitError(APIError):
    """429: too many requests (kie allows 20 creates per 10 seconds per key)."""


class ImageFetchError(APIError):
    """451: kie could not fetch an input image."""


class MaintenanceError(APIError):
    """455: the service is under maintenance."""


class ServerError(APIError):
    """500 (or any other 5xx HTTP status): kie failed internally."""


class GenerationFailedError(APIError):
    """501: the generation (or extension) failed."""


class FeatureDisabledError(APIError):
    """505: the feature is disabled."""


class UploadError(APIError):
    """kie's File Upload API refused an upload. Its errors come with real HTTP statuses (``http_status``;
    ``code`` mirrors it), unlike the Veo API's in-band codes."""


class UploadRequestError(UploadError):
    """400 (or 405) from the File Upload API: a missing parameter, an undecodable body, a wrong method."""


class UploadAuthenticationError(UploadError, AuthenticationError):
    """401 from the File Upload API: the API key is missing or wrong."""


class UploadServerError(UploadError, ServerError):
    """500 (or any other 5xx) from the File Upload API; retried, as uploads are free."""


class ResponseFormatError(Veo3Error):
    """The answer was not JSON or not in the spec's shape."""

    def __init__(
        self,
        message: str,
        *,
        http_status: int | None = None,
        operation: str | None = None,
        retries_taken: int = 0,
        body_excerpt: str = "",
    ) -> None:
        self.message = message
        self.http_status = http_status
        self.operation = operation
        self.retries_taken = retries_taken
        self.body_excerpt = body_excerpt
        super().__init__(f"{message} (operation={operation}, http_status={http_status}, body={body_excerpt!r})")


class TransportError(Veo3Error):
    """The request failed on the network (connection refused, timeout, dropped connection)."""

    def __init__(self, message: str, *, operation: str | None = None, retries_taken: int = 0) -> None:
        self.message = message
        self.operation = operation
        self.retries_taken = retries_taken
        super().__init__(f"{message} (operation={operation}, retries={retries_taken})")


class OutcomeUnknownError(TransportError):
    """A paid create (generate, extend, get-4k) was sent but its reply was lost or unreadable.

    The task may exist and may be billed: it was NOT retried. Check ``get_task`` / your callbacks before
    sending ``request_body`` again.
    """

    def __init__(
        self,
        message: str,
        *,
        operation: str | None = None,
        request_body: Mapping[str, Any] | None = None,
        retries_taken: int = 0,
    ) -> None:
        self.request_body = dict(request_body or {})
        super().__init__(
            f"{message}; the request may have been accepted, so it was not repeated",
            operation=operation,
            retries_taken=retries_taken,
        )


class DownloadError(Veo3Error):
    """A media download failed (bad HTTP status, or fewer bytes than announced after every retry)."""

    def __init__(self, message: str, *, url: str, http_status: int | None = None) -> None:
        self.url = url
        self.http_status = http_status
        super().__init__(f"{message} (url={url}, http_status={http_status})")


class TaskFailedError(Veo3Error):
    """The task ended in failure (successFlag 2 or 3); carries the server's errorCode and errorMessage."""

    def __init__(
        self,
        task_id: str,
        error_code: int | str | None,
        error_message: str | None,
        info: TaskInfo | None = None,
    ) -> None:
        self.task_id = task_id
        self.error_code = error_code
        self.error_message = error_message
        self.info = info
        status = f" status={info.status.name}" if info is not None else ""
        super().__init__(f"task {task_id} failed:{status} errorCode={error_code} errorMessage={error_message!r}")


class WaitTimeoutError(Veo3Error, TimeoutError):
    """The wait's deadline passed; carries the task id, the last status seen and the time waited."""

    def __init__(self, task_id: str, last_status: TaskStatus | str | None, elapsed: float) -> None:
        self.task_id = task_id
        self.last_status = last_status
        self.elapsed = elapsed
        shown = getattr(last_status, "name", last_status)
        super().__init__(f"gave up waiting for task {task_id} after {elapsed:.1f}s (last status: {shown})")


class WebhookVerificationError(Veo3Error):
    """A callback's signature or timestamp did not verify."""
