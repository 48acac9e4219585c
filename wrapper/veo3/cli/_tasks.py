"""Journaled task operations shared by the commands (and the demo, which runs the same code).

Each paid create request is recorded in the journal before it is sent and the row is updated the
moment the reply (or its loss) is known; waits and downloads update the task's row as they finish.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlparse, urlunparse

if TYPE_CHECKING:
    from veo3 import Task, TaskInfo
    from veo3.cli._session import Session

_URL = re.compile(r"^https?://", re.IGNORECASE)


def _callback_keywords() -> frozenset[str]:
    """The keywords that hold a callback URL: the spec's callback targets, by Python name (and aliases)."""
    from veo3._spec import _document as _spec
    from veo3._spec._validation import ALIASES

    names = {_spec.python_name(f) for op in _spec.iter_operations() for f in op.callback_fields}
    return frozenset(names | {old for old, new in ALIASES.items() if new in names})


def journal_safe(request: Mapping[str, Any]) -> dict[str, Any]:
    """The request as the journal keeps it: a callback URL loses its password and query values.

    Callback URLs often carry a token; the journal needs the task's identity, not its secrets.
    """
    safe = dict(request)
    for keyword in _callback_keywords() & set(safe):
        url = safe[keyword]
        if isinstance(url, str):
            parts = urlparse(url)
            netloc = parts.netloc
            if parts.password is not None:
                netloc = netloc.replace(f":{parts.password}@", ":***@", 1)
            query = urlencode([(k, "***") for k, _ in parse_qsl(parts.query, keep_blank_values=True)], safe="*")
            safe[keyword] = urlunparse(parts._replace(netloc=netloc, query=query))
    return safe


def check_prompts(session: Session, task_id: str, prompts: Sequence[str], options: Mapping[str, Any]) -> None:
    """Check every extension of a chain against the spec before the first (paid) one is sent."""
    from veo3.errors import RequestValidationError

    if not prompts:
        raise RequestValidationError("prompts", "minItems", list(prompts), "give at least one prompt")
    for number, prompt in enumerate(prompts):
        try:
            session.client.engine.flows.extend(task_id, prompt, options).close()  # validation only: nothing is sent
        except RequestValidationError as exc:
            if exc.field == "prompt":
                raise RequestValidationError(f"prompts[{number}]", exc.rule, prompt, exc.detail) from None
            raise


def create(session: Session, kind: str, request: dict[str, Any], *, parent_task_id: str | None = None) -> Task:
    """Send a generate or extend request through the client, journaling it around the call."""
    from veo3.cli._journal import journaled_create

    client = session.client  # a missing key fails here, before anything is journaled or sent
    assert session.base_url is not None
    # A first SIGINT/SIGTERM waits for this block: the create gets its reply and the id its row.
    with session.graceful.critical(f"{kind} {str(request.get('prompt', ''))[:40]!r}"):
        with journaled_create(
            session.journal,
            kind,
            journal_safe(request),
            base_url=session.base_url,
            parent_task_id=parent_task_id,
            redact=session.out.redact,
        ) as created:
            if kind == "extend":
                kwargs = {k: v for k, v in request.items() if k not in ("task_id", "prompt")}
                task = client.extend(request["task_id"], request["prompt"], **kwargs)
            else:
                kwargs = {k: v for k, v in request.items() if k != "prompt"}
                task = client.generate(request["prompt"], **kwargs)
            created(task.task_id)
        session.graceful.created(task.task_id)
    return task


def record(session: Session, info: TaskInfo) -> None:
    """Store a task's latest status in the journal."""
    if info.is_finished:
        session.graceful.finished(info.task_id)
    session.journal.record_info(info)


def wait(session: Session, task_id: str, *, timeout: float, label: str = "waiting for") -> TaskInfo:
    """Wait for a task with a spinner, recording the outcome; a failed task raises TaskFailedError."""
    from veo3 import errors

    try:
        with session.out.task_progress(task_id, label) as on_progress:
            info = session.client.wait(
                task_id, timeout=timeout, poll_interval=session.poll_interval, on_progress=on_progress
            )
    except errors.TaskFailedError as exc:
        if exc.info is not None:
            record(session, exc.info)
        else:
            session.journal.record_status(
                task_id, status="FAILED", finished=True, success=False, error=exc.error_message
            )
        raise
    record(session, info)
    if info.is_finished and not info.is_success:
        raise errors.TaskFailedError(task_id, info.error_code, info.error_message, info)
    return info


def info_document(info: TaskInfo) -> dict[str, Any]:
    """A TaskInfo as a JSON-ready dict."""
    return {
        "task_id": info.task_id,
        "status": info.status_name,
        "finished": info.is_finished,
        "success": info.is_success,
        "video_url": info.video_url,
        "result_urls": list(info.result_urls),
        "full_result_urls": list(info.full_result_urls),
        "origin_urls": list(info.origin_urls),
        "resolution": info.resolution,
        "error_code": info.error_code,
        "error_message": info.error_message,
        "created_at": info.created_at,
        "completed_at": info.completed_at,
        "retries_taken": info.retries_taken,
    }


def is_url(text: str) -> bool:
    """True for an http(s) URL (as opposed to a task id)."""
    return bool(_URL.match(text))


def download(
    session: Session, source: str | TaskInfo, dest: str | None, name: str | None, *, task_id: str | None = None
) -> Path:
    """Download a video with a progress bar into ``dest``; remember the file in the task's journal row.

    ``dest`` is a file, or a folder (existing, ending with a separator, or ``None`` for the current folder)
    that receives ``name`` (``None``: the URL's file name). The library's one rule decides which, and keeps
    a server-supplied name inside the folder (:func:`veo3._download.resolve_destination`).
    """
    from veo3._core._download import name_from_url, resolve_destination

    if name is None:
        name = name_from_url(source if isinstance(source, str) else source.video_url or "")
    target = resolve_destination(dest or None, name)
    target.parent.mkdir(parents=True, exist_ok=True)
    with session.out.download_progress(f"downloading {target.name}") as on_progress:
        path = session.client.download(source, target, on_progress=on_progress)
    if task_id is not None:
        session.journal.add_path(task_id, path.resolve())
    return path


def upgrade(
    session: Session, kind: str, task_id: str, options: dict[str, Any], wait: bool, timeout: float
) -> list[str]:
    """Request a 1080p or 4K version of ``task_id``, journaled like a create request; returns the URLs.

    Empty when ``wait`` is false and the video is not ready yet.
    """
    from veo3 import errors
    from veo3.cli import _journal

    client = session.client  # a missing key fails here, before anything is journaled or sent
    journal = session.journal
    assert session.base_url is not None
    request = {"task_id": task_id, **options}
    row = journal.begin(kind, journal_safe(request), base_url=session.base_url, parent_task_id=task_id)
    try:
        with session.out.task_progress(task_id, f"{kind} of") as _progress:
            if kind == "1080p":
                url = client.get_1080p(task_id, wait=wait, timeout=timeout, **options)
                urls = [url] if url else []
            else:
                urls = client.get_4k(task_id, wait=wait, timeout=timeout, **options)
    except (errors.RequestValidationError, errors.ConfigurationError):
        journal.discard(row)
        raise
    except errors.OutcomeUnknownError as exc:
        journal.outcome_unknown(row, session.out.redact(str(exc)))
        raise
    except errors.WaitTimeoutError as exc:
        journal.finish(row, state=_journal.REQUESTED, error=session.out.redact(str(exc)))
        raise
    except errors.Veo3Error as exc:
        journal.finish(row, state=_journal.FAILED, error=session.out.redact(str(exc)))
        raise
    except BaseException as exc:
        # Ctrl-C while waiting: the job was (probably) started; asking again later is safe.
        journal.finish(row, state=_journal.REQUESTED, error=f"interrupted: {type(exc).__name__}")
        raise
    journal.finish(row, state=_journal.SUCCESS if urls else _journal.REQUESTED, result_urls=urls)
    return urls
