"""The values the client returns: ``Task`` (a created task), ``TaskInfo`` (a task's state), ``UploadedFile``."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from veo3_api.models.success_flag import SuccessFlag

if TYPE_CHECKING:
    from veo3_api.models.task_details import TaskDetails

__all__ = ["Task", "TaskInfo", "TaskStatus", "UploadedFile"]

TaskStatus = SuccessFlag
"""A task's ``successFlag``: GENERATING=0, SUCCESS=1, CREATE_FAILED=2, GENERATION_FAILED=3.

An open enum: a value the spec does not list is kept as a pseudo-member (``TaskStatus(7).name == "UNKNOWN_7"``).
"""

_FAILED = frozenset({SuccessFlag.CREATE_FAILED, SuccessFlag.GENERATION_FAILED})


@dataclass(frozen=True, slots=True)
class Task:
    """A task the API accepted (generate, extend)."""

    task_id: str
    retries_taken: int = 0


@dataclass(frozen=True, slots=True)
class TaskInfo:
    """A task's state as record-info reports it."""

    task_id: str
    status: TaskStatus
    result_urls: list[str] = field(default_factory=list)
    full_result_urls: list[str] = field(default_factory=list)
    origin_urls: list[str] = field(default_factory=list)
    resolution: str | None = None
    error_code: int | str | None = None
    error_message: str | None = None
    created_at: datetime | None = None
    completed_at: datetime | None = None
    params: dict[str, Any] | None = None
    retries_taken: int = 0

    @property
    def is_finished(self) -> bool:
        """Whether the task has ended (successfully or not). Unknown statuses count as not finished."""
        return self.status == SuccessFlag.SUCCESS or self.status in _FAILED

    @property
    def status_name(self) -> str:
        """The status as text (``GENERATING``, ``SUCCESS``, …, ``UNKNOWN_7`` for a value the spec lacks)."""
        return str(getattr(self.status, "name", self.status))

    @property
    def is_success(self) -> bool:
        """Whether the task ended successfully."""
        return self.status == SuccessFlag.SUCCESS

    @property
    def is_failed(self) -> bool:
        """Whether the task ended in failure (successFlag 2 or 3)."""
        return self.status in _FAILED

    @property
    def video_url(self) -> str | None:
        """The video to download: the full (concatenated) video if there is one, else the first result."""
        # After an extension kie's newest record-info adds fullResultUrls, the concatenated video: the one a
        # user wants. Older answers (and plain generations) have only resultUrls.
        for urls in (self.full_result_urls, self.result_urls):
            if urls:
                return urls[0]
        return None

    @classmethod
    def from_details(cls, details: TaskDetails, *, retries_taken: int = 0) -> TaskInfo:
        """Build from the generated ``TaskDetails`` model (already shape-checked by the generated parser)."""
        result = details.response
        result_urls: Any = getattr(result, "result_urls", None)
        full_urls: Any = getattr(result, "full_result_urls", None)
        origin_urls: Any = getattr(result, "origin_urls", None)
        resolution: Any = getattr(result, "resolution", None)
        return cls(
            task_id=details.task_id,
            status=details.success_flag,
            result_urls=_urls(result_urls),
            full_result_urls=_urls(full_urls),
            origin_urls=_urls(origin_urls),
            resolution=resolution if isinstance(resolution, str) else None,
            # errorCode is documented as an integer; other clients of kie's API see strings: keep either.
            error_code=details.error_code if isinstance(details.error_code, int | str) else None,
            error_message=(details.error_message or None) if isinstance(details.error_message, str) else None,
            created_at=_time(details.create_time),
            completed_at=_time(details.complete_time),
            params=_params(details.param_json),
            retries_taken=retries_taken,
        )


@dataclass(frozen=True, slots=True)
class UploadedFile:
    """A file stored by kie's File Upload API; pass ``url`` as an ``image_urls`` entry.

    kie deletes it after the retention (at least 24 hours), so upload just before generating. Fields other
    than ``url`` are ``None`` when the answer did not carry them (kie's docs show two result shapes).
    """

    url: str
    file_name: str | None = None
    file_path: str | None = None
    size: int | None = None
    mime_type: str | None = None
    uploaded_at: str | None = None
    retries_taken: int = 0


def _urls(value: object) -> list[str]:
    """A URL list from kie as a list: JSON arrays as they are; a bare URL string as a one-item list; nothing as
    ``[]``. kie sometimes sends the list as one string, ``"[http://a.mp4, http://b.mp4]"`` (older record-info
    answers and callbacks) or ``'["http://a.mp4"]'`` (JSON inside a string): both are split.

    (A bracketed, unquoted list cannot carry URLs containing commas; kie's media URLs have none.)
    """
    if value is None:
        return []
    if isinstance(value, list):
        return [item.strip() for item in value if isinstance(item, str) and item.strip()]
    if not isinstance(value, str):
        return []
    text = value.strip()
    if not text:
        return []
    if text.startswith("["):
        try:
            decoded = json.loads(text)
        except ValueError:
            decoded = None
        if isinstance(decoded, list):
            return _urls(decoded)
        inner = text[1:-1] if text.endswith("]") else text[1:]
        parts = (part.strip().strip("\"'").strip() for part in inner.split(","))
        return [part for part in parts if part]
    return [text]


def _time(value: object) -> datetime | None:
    """kie's times: epoch milliseconds (newest docs), epoch seconds, or ``2025-06-06 10:30:00`` strings."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        # The docs moved from seconds to epoch milliseconds: 1e11 seconds is the year 5138, 1e11 milliseconds
        # is 1973, so a larger number can only be milliseconds.
        seconds = value / 1000 if value > 1e11 else value
        try:
            return datetime.fromtimestamp(seconds, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str) and value.strip():
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _params(value: object) -> dict[str, Any] | None:
    # kie echoes the create request as paramJson, a JSON *string* (with its own key spellings, e.g. waterMark).
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = json.loads(value)
    except ValueError:
        return None
    return parsed if isinstance(parsed, dict) else None
