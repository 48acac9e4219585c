"""kie's completion callbacks as data: signature checks and one typed event for every documented body shape."""

from __future__ import annotations

import hmac
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from veo3.errors import WebhookVerificationError
from veo3.types import _urls

from ._signing import sign

__all__ = [
    "DEFAULT_TOLERANCE",
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "CallbackEvent",
    "CallbackKind",
    "parse_callback",
    "verify",
    "verify_headers",
]

#: Header carrying the Unix time (seconds) the callback was signed at.
TIMESTAMP_HEADER = "X-Webhook-Timestamp"
#: Header carrying ``base64(HMAC-SHA256(key, taskId + "." + timestamp))``.
SIGNATURE_HEADER = "X-Webhook-Signature"
#: Seconds a timestamp may be away from now, either way, before the callback is refused.
DEFAULT_TOLERANCE = 300

#: ``"video"``: a generation or extension finished; ``"4k"``: a 4K job finished.
CallbackKind = Literal["video", "4k"]

_MAX_TIMESTAMP_DIGITS = 15  # Unix seconds fit in 11 digits until the year 5138; more is garbage.
_SCHEMA_REFS: dict[str, str] = {
    "video": "#/components/schemas/VideoGeneratedCallback",
    "4k": "#/components/schemas/Video4kGeneratedCallback",
}


@dataclass(frozen=True)
class CallbackEvent:
    """One callback, whatever its documented shape (generation, extension, 4K camelCase or snake_case).

    ``task_id`` is None only when kie sent ``data: null`` (a documented 4K failure). URL lists are always
    lists, whether kie sent a JSON array or a bracketed string. ``prompt`` is the request as kie echoed it
    (``promptJson``), decoded when it came as a JSON string. ``raw`` is the decoded body.
    """

    task_id: str | None
    code: int
    msg: str
    ok: bool
    kind: CallbackKind
    result_urls: list[str] = field(default_factory=list)
    origin_urls: list[str] = field(default_factory=list)
    image_urls: list[str] = field(default_factory=list)
    media_ids: list[str] = field(default_factory=list)
    resolution: str | None = None
    fallback: bool | None = None
    prompt: dict[str, Any] | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def video_url(self) -> str | None:
        """The first result URL, or None."""
        return self.result_urls[0] if self.result_urls else None

    @property
    def delivery_key(self) -> tuple[str, str, int] | None:
        """What identifies a delivery for de-duplication: (kind, task id, code); None without a task id."""
        return None if self.task_id is None else (self.kind, self.task_id, self.code)


# --- decoding ------------------------------------------------------------------------------------------


def _load(body: bytes | bytearray | memoryview | str | Mapping[str, Any]) -> dict[str, Any]:
    """The body as a JSON object; WebhookVerificationError when it is not one."""
    if isinstance(body, Mapping):
        return dict(body)
    try:
        text = bytes(body).decode("utf-8") if not isinstance(body, str) else body
        decoded = json.loads(text)
    except (UnicodeDecodeError, ValueError, RecursionError, TypeError):
        raise WebhookVerificationError("callback body is not JSON") from None
    if not isinstance(decoded, dict):
        raise WebhookVerificationError(f"callback body is JSON but not an object (got {type(decoded).__name__})")
    return decoded


def task_id_of(body: bytes | bytearray | memoryview | str | Mapping[str, Any]) -> str | None:
    """The task id a callback is about: ``data.taskId``, ``data.task_id``, then top-level ``taskId``/``task_id``.

    Raises WebhookVerificationError when the body is not a JSON object; returns None when no (non-empty
    string) task id is present.
    """
    payload = _load(body)
    data = payload.get("data")
    for container in (data if isinstance(data, Mapping) else {}, payload):
        for name in ("taskId", "task_id"):
            value = container.get(name)
            if isinstance(value, str) and value:
                return value
    return None


# --- verification --------------------------------------------------------------------------------------


def _timestamp_text(timestamp: str | bytes | int | None) -> str:
    if timestamp is None or timestamp in ("", b""):
        raise WebhookVerificationError(f"missing {TIMESTAMP_HEADER} header")
    if isinstance(timestamp, bool):
        raise WebhookVerificationError(f"malformed {TIMESTAMP_HEADER}: not Unix seconds")
    if isinstance(timestamp, int):
        text = str(timestamp)
    elif isinstance(timestamp, bytes):
        text = timestamp.decode("ascii", errors="replace")
    else:
        text = timestamp
    # kie signs the header's exact digits, so they are used as sent; anything but plain digits is refused.
    if not (text.isascii() and text.isdigit() and len(text) <= _MAX_TIMESTAMP_DIGITS):
        raise WebhookVerificationError(f"malformed {TIMESTAMP_HEADER}: expected Unix seconds (digits only)")
    return text


def verify(
    body: bytes | bytearray | memoryview | str | Mapping[str, Any],
    *,
    timestamp: str | bytes | int | None,
    signature: str | bytes | None,
    key: str | bytes,
    tolerance: float = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> None:
    """Check a callback's signature; return None when it is kie's, raise WebhookVerificationError otherwise.

    ``body`` is the raw request body (bytes or str) or the already decoded object; the task id is read from
    it (see :func:`task_id_of`). ``timestamp`` and ``signature`` are the ``X-Webhook-Timestamp`` and
    ``X-Webhook-Signature`` header values (None when absent). The signature is compared in constant time.
    Timestamps more than ``tolerance`` seconds older or newer than ``now`` (default: the current time) are
    refused, so a captured callback cannot be replayed later. Messages never contain the key.
    """
    if not key:
        raise WebhookVerificationError("no webhook key configured: cannot verify the callback")
    ts_text = _timestamp_text(timestamp)
    if signature is None or signature in ("", b""):
        raise WebhookVerificationError(f"missing {SIGNATURE_HEADER} header")
    task_id = task_id_of(body)
    if task_id is None:
        raise WebhookVerificationError("callback body has no task id (data.taskId or data.task_id)")
    current = time.time() if now is None else now
    age = current - int(ts_text)
    if age > tolerance:
        raise WebhookVerificationError(f"stale {TIMESTAMP_HEADER}: {age:.0f}s old, tolerance is {tolerance:g}s")
    if -age > tolerance:
        raise WebhookVerificationError(
            f"{TIMESTAMP_HEADER} is {-age:.0f}s in the future, tolerance is {tolerance:g}s (check the clock)"
        )
    expected = sign(task_id, ts_text, key).encode("ascii")
    given = signature if isinstance(signature, bytes) else signature.encode("utf-8", errors="replace")
    if not hmac.compare_digest(expected, given.strip()):
        raise WebhookVerificationError(
            f"{SIGNATURE_HEADER} does not match (wrong key, or body/timestamp altered) for task {task_id!r}"
        )


def verify_headers(
    body: bytes | bytearray | memoryview | str | Mapping[str, Any],
    headers: Mapping[str, str],
    *,
    key: str | bytes,
    tolerance: float = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> None:
    """:func:`verify`, taking the request's headers (looked up case-insensitively) instead of two values."""
    lowered = {name.lower(): value for name, value in headers.items()}
    verify(
        body,
        timestamp=lowered.get(TIMESTAMP_HEADER.lower()),
        signature=lowered.get(SIGNATURE_HEADER.lower()),
        key=key,
        tolerance=tolerance,
        now=now,
    )


# --- parsing -------------------------------------------------------------------------------------------


def _detect_kind(payload: Mapping[str, Any]) -> CallbackKind:
    """Tell a 4K callback from a generation/extension one by the fields only 4K callbacks carry.

    A failed callback (``{"code": 500, "data": {"taskId": ...}}``) looks the same for both; kie's 4K
    failure messages mention "4K", which is the last clue. Pass ``kind=`` to :func:`parse_callback` when the
    receiving URL already says which it is.
    """
    data = payload.get("data")
    if isinstance(data, Mapping):
        if any(name in data for name in ("task_id", "result_urls", "media_ids", "image_urls")):
            return "4k"
        info = data.get("info")
        if isinstance(info, Mapping):
            if "imageUrls" in info:
                return "4k"
            if "originUrls" in info or "resolution" in info:
                return "video"
        if "promptJson" in data or "fallbackFlag" in data:
            return "video"
    msg = payload.get("msg")
    return "4k" if isinstance(msg, str) and "4k" in msg.lower() else "video"


def _schema_problem(kind: CallbackKind, payload: Mapping[str, Any]) -> str | None:
    """Why ``payload`` is not a callback of ``kind`` per the spec, or None; a new ``code`` is tolerated."""
    from jsonschema.exceptions import best_match

    from veo3._spec._document import validator

    errors = [
        e
        for e in validator(_SCHEMA_REFS[kind]).iter_errors(payload)
        # Codes are server-owned and grow: an undocumented one is still a readable event.
        if not (e.validator == "enum" and list(e.absolute_path) == ["code"])
    ]
    if not errors:
        return None
    error = best_match(errors)
    where = "/".join(str(p) for p in error.absolute_path) or "body"
    return f"{where}: {error.message[:200]}"


def _prompt(value: object) -> dict[str, Any] | None:
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, str):
        try:
            decoded = json.loads(value)
        except (ValueError, RecursionError):
            return None  # informational only: an unreadable echo of the request is not worth refusing
        return decoded if isinstance(decoded, dict) else None
    return None


def parse_callback(
    body: bytes | bytearray | memoryview | str | Mapping[str, Any],
    *,
    kind: CallbackKind | None = None,
) -> CallbackEvent:
    """Read a callback body (raw bytes/str or decoded) into a :class:`CallbackEvent`.

    Accepts every shape the spec documents: generation and extension callbacks (``data.taskId``,
    ``data.info.resultUrls``/``originUrls``/``resolution``, ``promptJson`` as object or JSON string), 4K
    callbacks in camelCase (``data.taskId``, ``data.info.resultUrls``/``imageUrls``) and snake_case
    (``data.task_id``, ``result_urls``, ``media_ids``, ``image_urls``), and ``data: null`` on failure. URL
    lists may be arrays or bracketed strings. ``kind`` forces the callback type; by default it is inferred
    (see :func:`_detect_kind`). The body is checked against the spec's callback schema, except that a
    ``code`` the spec does not list is accepted (kie adds codes over time).

    Raises WebhookVerificationError (never KeyError/TypeError/ValueError) when the body is not JSON or not
    a documented callback.
    """
    payload = _load(body)
    resolved_kind: CallbackKind = kind if kind is not None else _detect_kind(payload)
    if resolved_kind not in _SCHEMA_REFS:
        raise WebhookVerificationError(f"unknown callback kind {resolved_kind!r}; expected 'video' or '4k'")
    problem = _schema_problem(resolved_kind, payload)
    if problem is not None:
        raise WebhookVerificationError(f"not a documented {resolved_kind} callback: {problem}")
    code = int(payload["code"])  # the schema made it an integer (possibly written 200.0)
    data = payload.get("data")
    data = data if isinstance(data, Mapping) else {}
    info = data.get("info")
    info = info if isinstance(info, Mapping) else {}
    task_id = task_id_of(payload)
    if data and task_id is None:
        raise WebhookVerificationError(f"not a documented {resolved_kind} callback: data has no taskId/task_id")
    resolution = info.get("resolution")
    fallback = data.get("fallbackFlag")
    if resolved_kind == "4k":
        result_urls = _urls(info.get("resultUrls")) or _urls(data.get("result_urls"))
        image_urls = _urls(info.get("imageUrls")) or _urls(data.get("image_urls"))
    else:
        result_urls, image_urls = _urls(info.get("resultUrls")), []
    return CallbackEvent(
        task_id=task_id,
        code=code,
        msg=str(payload["msg"]),
        ok=code == 200,
        kind=resolved_kind,
        result_urls=result_urls,
        origin_urls=_urls(info.get("originUrls")),
        image_urls=image_urls,
        media_ids=_urls(data.get("media_ids")),
        resolution=resolution if isinstance(resolution, str) else None,
        fallback=fallback if isinstance(fallback, bool) else None,
        prompt=_prompt(data.get("promptJson")),
        raw=payload,
    )
