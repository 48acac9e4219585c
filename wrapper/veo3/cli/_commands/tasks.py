"""What the task commands do, once their options are parsed (``_app`` only declares the commands).

Each function runs inside :meth:`Session.run` (which maps exceptions to exit codes), uses the journaled
operations of :mod:`veo3.cli._tasks`, and reports through ``session.out``: one JSON document under
``--json``, lines for people otherwise (renderers in :mod:`veo3.cli._output`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from veo3.cli import _tasks
from veo3.cli._exit import ExitCode
from veo3.cli._output import print_task, tasks_table
from veo3.cli._session import CliUsageError

if TYPE_CHECKING:
    from veo3.cli._session import Session


def generate(
    session: Session, request: dict[str, Any], images: Sequence[str], wait: bool, timeout: float, output: str | None
) -> int:
    """``generate``: ``--image`` files checked (exit 2, nothing sent), then uploaded; then create and report."""
    if images:
        from . import upload as _upload

        _upload.upload_images(session, request, _upload.check_images(images, request))
    return create_and_report(session, "generate", request, None, wait, timeout, output)


def create_and_report(
    session: Session,
    kind: str,
    request: dict[str, Any],
    parent: str | None,
    wait: bool,
    timeout: float,
    output: str | None,
) -> int:
    """``generate``/``extend``: create (journaled), then optionally wait and download."""
    task = _tasks.create(session, kind, request, parent_task_id=parent)
    document: dict[str, Any] = {"task_id": task.task_id, "retries_taken": task.retries_taken}
    session.out.note(f"task {task.task_id} created (journal: {session.journal.path})")
    if wait:
        info = _tasks.wait(session, task.task_id, timeout=timeout)
        document["task"] = _tasks.info_document(info)
        if output is not None:
            path = _tasks.download(session, info, output, f"{info.task_id}.mp4", task_id=info.task_id)
            document["path"] = str(path)
    flat = {"task_id": task.task_id} | (
        {"status": document["task"]["status"], "video_url": document["task"]["video_url"]} if wait else {}
    )
    if "path" in document:
        flat["path"] = document["path"]
    session.out.result(document, print_task(flat))
    return ExitCode.OK


def chain(
    session: Session,
    task_id: str,
    prompts: Sequence[str],
    options: Mapping[str, Any],
    timeout: float,
    output: str | None,
) -> int:
    """``chain``: every extension checked first, then each created (journaled) and waited for in turn."""
    _tasks.check_prompts(session, task_id, prompts, options)
    infos = []
    current = task_id
    for number, prompt in enumerate(prompts, start=1):
        task = _tasks.create(
            session, "extend", {"task_id": current, "prompt": prompt, **options}, parent_task_id=current
        )
        session.out.note(f"extension {number}/{len(prompts)}: task {task.task_id} continues {current}")
        info = _tasks.wait(session, task.task_id, timeout=timeout, label=f"extension {number}/{len(prompts)}")
        infos.append(info)
        current = info.task_id
    document: dict[str, Any] = {
        "task_id": current,
        "task_ids": [i.task_id for i in infos],
        "tasks": [_tasks.info_document(i) for i in infos],
    }
    if output is not None:
        final = infos[-1]
        document["path"] = str(_tasks.download(session, final, output, f"{final.task_id}.mp4", task_id=final.task_id))
    human = {"task_ids": document["task_ids"], "video_url": infos[-1].video_url, "path": document.get("path")}
    session.out.result(document, print_task(human))
    return ExitCode.OK


def status(session: Session, task_id: str) -> int:
    """``status``: one request, recorded in the journal."""
    info = session.client.get_task(task_id)
    _tasks.record(session, info)
    document = _tasks.info_document(info)
    session.out.result(document, print_task(document))
    return ExitCode.OK


def wait(session: Session, task_id: str | None, resume: bool, timeout: float) -> int:
    """``wait TASK_ID`` or ``wait --resume`` (exactly one of them)."""
    if resume == (task_id is not None):
        raise CliUsageError("give a TASK_ID or --resume (not both)")
    if task_id is None:
        return _resume(session, timeout)
    info = _tasks.wait(session, task_id, timeout=timeout)
    document = _tasks.info_document(info)
    session.out.result(document, print_task(document))
    return ExitCode.OK


def _resume(session: Session, timeout: float) -> int:
    from veo3.cli._exit import exit_code_for
    from veo3.cli._journal import OUTCOME_UNKNOWN, SUBMITTING

    journal = session.journal
    entries = [e for e in journal.entries(unfinished_only=True) if e.base_url == session.base_url]
    unknown = [e for e in journal.entries() if e.task_id is None and e.state in (SUBMITTING, OUTCOME_UNKNOWN)]
    for entry in unknown:
        session.out.note(
            f"journal row {entry.id} ({entry.kind}): the create reply was lost, the task id is unknown; "
            "check your kie.ai dashboard before retrying"
        )
    if not entries:
        session.out.note(f"no unfinished tasks in {journal.path} for {session.base_url}")
    results: list[dict[str, Any]] = []
    worst = ExitCode.OK
    for entry in reversed(entries):  # oldest first
        assert entry.task_id is not None
        try:
            info = _tasks.wait(session, entry.task_id, timeout=timeout, label="resuming")
            results.append(_tasks.info_document(info))
        except Exception as exc:
            code = exit_code_for(exc)
            worst = max(worst, code)
            results.append({"task_id": entry.task_id, "error": session.out.redact(str(exc)), "exit_code": int(code)})
            session.out.note(f"task {entry.task_id}: {session.out.redact(str(exc))}")
    document = {
        "tasks": results,
        "unknown_outcome": [{"journal_id": e.id, "kind": e.kind, "request": e.request} for e in unknown],
    }

    def render(console: Any) -> None:
        for item in results:
            line = f"{item['task_id']}: {item.get('status') or 'error'} {item.get('video_url') or ''}"
            console.print(line.rstrip(), markup=False)

    session.out.result(document, render)
    return worst


def download(session: Session, source: str, dest: str | None) -> int:
    """``download``: a task's video (by id) or any URL, resumed, named safely."""
    if _tasks.is_url(source):
        path = _tasks.download(session, source, dest, None)
        task_id = None
    else:
        info = session.client.get_task(source)
        _tasks.record(session, info)
        if not info.is_success or info.video_url is None:
            raise CliUsageError(f"task {source} has no video to download (status {info.status_name})")
        task_id = info.task_id
        path = _tasks.download(session, info, dest, f"{task_id}.mp4", task_id=task_id)
    document = {"path": str(path), "task_id": task_id, "bytes": path.stat().st_size}
    session.out.result(document, lambda console: console.print(str(path), markup=False))
    return ExitCode.OK


def upgrade(
    session: Session, kind: str, task_id: str, options: dict[str, Any], wait: bool, timeout: float, output: str | None
) -> int:
    """``hd``/``4k``: request (journaled), optionally wait, and optionally download the video."""
    urls = _tasks.upgrade(session, kind, task_id, options, wait, timeout)
    document: dict[str, Any] = {"task_id": task_id, "ready": bool(urls), "urls": urls}
    if output is not None and urls:
        document["path"] = str(_tasks.download(session, urls[0], output, f"{task_id}-{kind}.mp4", task_id=task_id))
    if not urls:
        session.out.note(f"the {kind} video is being prepared; run the command again later")
    human = {"task_id": task_id, "ready": bool(urls), "urls": urls, "path": document.get("path")}
    session.out.result(document, print_task(human))
    return ExitCode.OK


def credits(session: Session) -> int:
    """``credits``: the account's balance."""
    balance = session.client.credits()
    session.out.result({"credits": balance}, lambda console: console.print(f"{balance:g}"))
    return ExitCode.OK


def list_tasks(session: Session, unfinished: bool, limit: int | None) -> int:
    """``tasks``: the journal, newest first."""
    entries = session.journal.entries(unfinished_only=unfinished, limit=limit)
    document = {"journal": str(session.journal.path), "tasks": [e.to_json() for e in entries]}
    session.out.result(document, tasks_table(entries))
    return ExitCode.OK
