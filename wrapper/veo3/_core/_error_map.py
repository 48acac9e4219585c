"""The one place that turns a kie code (in-band or HTTP status) into an error class."""

from __future__ import annotations

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
    ServerError,
    UnprocessableError,
    UploadAuthenticationError,
    UploadError,
    UploadRequestError,
    UploadServerError,
)

__all__ = ["ERROR_CLASSES", "UPLOAD_ERROR_CLASSES", "api_error", "effective_code", "error_class"]

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
