"""What each tool does, over the async client, the task journal and the budget.

Every tool takes its checked arguments (``_server`` validated them against ``_schemas``) and returns a
JSON-ready dict, or raises a ``veo3.errors`` error whose message the agent reads. Paid tools check and price
the whole call before anything is sent, then either answer with the price (no budget: a dry run) or reserve
it; every create is written to the journal ``veo3 tasks`` reads before it leaves, and runs shielded from
cancellation, so a client that goes away or a stopped server never loses a task that was paid for.
"""

from __future__ import annotations

import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio

from veo3._core._download import name_from_url, resolve_destination
from veo3._spec._operations import EXTEND
from veo3.batch import job_cost, job_from_mapping, validate_job
from veo3.cli._journal import FAILED, REQUESTED, SUCCESS, Journal, journaled_create
from veo3.cli._tasks import info_document, journal_safe
from veo3.errors import ConfigurationError, RequestValidationError, TaskFailedError, Veo3Error, WaitTimeoutError

from ._budget import Budget
from ._schemas import DEFAULT_WAIT_SECONDS, RESOLUTIONS

if TYPE_CHECKING:
    from veo3 import AsyncVeo3Client, TaskInfo

__all__ = ["TOOLS", "Progress", "ServerStoppingError", "Services"]

#: ``progress(done, total, message)``: an MCP progress notification (a no-op when the caller asked for none).
Progress = Callable[[float, float | None, str], Awaitable[None]]
#: Seconds between progress notifications while nothing changes: a heartbeat that tells the client (and
#: clients that reset their timeout on progress) that the wait is alive.
HEARTBEAT_SECONDS = 10.0


@dataclass
class Services:
    """What the tools work with, for the server's lifetime."""

    client: AsyncVeo3Client
    journal: Journal
    budget: Budget
    folder: Path
    base_url: str
    redact: Callable[[str], str] = field(default=lambda text: text)
    poll_interval: float | None = None
    #: Paid calls running now, and whether a signal asked the server to stop (then no new one starts).
    in_flight: int = 0
    stopping: bool = False


class ServerStoppingError(Veo3Error):
    """The server was asked to stop: the paid call (or the rest of a batch) was not sent."""


# -- paid: generate, extend, upgrade ------------------------------------------------------------------


async def generate_videos(services: Services, arguments: Mapping[str, Any], progress: Progress) -> dict[str, Any]:
    """Check and price every job, then create them in order (each journaled before it is sent)."""
    jobs = [job_from_mapping(number, dict(job)) for number, job in enumerate(arguments["jobs"], start=1)]
    for number, job in enumerate(jobs):
        try:
            validate_job(services.client.engine.flows, job)  # the library's own checks; nothing is sent
        except RequestValidationError as exc:
            raise RequestValidationError(f"jobs[{number}].{exc.field}", exc.rule, exc.value, exc.detail) from None
    costs = [job_cost(job, services.budget.prices) for job in jobs]
    total = sum(costs)
    if services.budget.dry_run:
        return services.budget.dry_run_answer(
            total, {"jobs": [{"index": i, "credits": c} for i, c in enumerate(costs)]}
        )
    services.budget.reserve(total)
    results: list[dict[str, Any]] = []
    try:
        for index, (job, cost) in enumerate(zip(jobs, costs, strict=True)):
            if services.stopping or (results and _stop_after(results[-1])):
                services.budget.release(cost)
                why = "the server is stopping" if services.stopping else "the previous job's error applies"
                results.append({"index": index, "sent": False, "error": f"not sent: {why}"})
                continue
            request = {"prompt": job.prompt, **job.options}
            try:
                task_id = await _create(services, "generate", request, None)
            except Veo3Error as exc:
                if _created_nothing(exc):
                    services.budget.release(cost)
                error = services.redact(str(exc))
                results.append({"index": index, "sent": True, "error": error, "kind": _kind(exc)})
            else:
                results.append({"index": index, "sent": True, "task_id": task_id, "credits": cost})
            await progress(index + 1, len(jobs), f"job {index}: {results[-1].get('task_id') or 'refused'}")
    finally:
        # A caller that went away cancels the jobs not yet sent: their reservation goes back to the budget.
        services.budget.release(sum(costs[len(results) :]))
    created = [r["task_id"] for r in results if "task_id" in r]
    return {
        "tasks": results,
        "created": created,
        "budget": services.budget.report(),
        "next": f"wait_for_tasks with task_ids {created}" if created else "fix the errors above and call again",
    }


async def extend_video(services: Services, arguments: Mapping[str, Any], progress: Progress) -> dict[str, Any]:
    """Extend a finished video with a new prompt: one journaled create."""
    request = dict(arguments)
    options = {k: v for k, v in request.items() if k not in ("task_id", "prompt")}
    flows = services.client.engine.flows  # the library's own checks: the flow is closed unstarted, nothing sent
    flows.extend(request["task_id"], request["prompt"], options).close()
    cost = services.budget.price(EXTEND, request)
    if services.budget.dry_run:
        return services.budget.dry_run_answer(cost, {"task_id": request["task_id"]})
    services.budget.reserve(cost)
    try:
        task_id = await _create(services, "extend", request, request["task_id"])
    except Veo3Error as exc:
        if _created_nothing(exc):
            services.budget.release(cost)
        raise
    return {
        "sent": True,
        "task_id": task_id,
        "credits": cost,
        "budget": services.budget.report(),
        "next": f"wait_for_tasks with task_ids ['{task_id}']",
    }


async def upgrade_video(services: Services, arguments: Mapping[str, Any], progress: Progress) -> dict[str, Any]:
    """Ask for the 1080p or 4K version and wait for it up to the timeout (journaled like a create)."""
    arguments = dict(arguments)
    kind = arguments.pop("resolution")
    timeout = float(arguments.pop("timeout_seconds", DEFAULT_WAIT_SECONDS))
    op = RESOLUTIONS[kind]
    task_id = arguments.pop("task_id")
    names = {f.python_name for f in op.request_fields}
    unknown = sorted(set(arguments) - names)
    if unknown:
        raise RequestValidationError(
            unknown[0], "additionalProperties", arguments[unknown[0]], f"not a field of {kind}"
        )
    cost = services.budget.price(op, {"task_id": task_id, **arguments})
    if services.budget.dry_run:
        return services.budget.dry_run_answer(cost, {"task_id": task_id, "resolution": kind})
    services.budget.reserve(cost)
    journal = services.journal
    row = journal.begin(
        kind, journal_safe({"task_id": task_id, **arguments}), base_url=services.base_url, parent_task_id=task_id
    )
    try:
        # Shielded: once asked for, the upgrade's outcome is journaled whatever happens to the caller (the wait
        # is bounded by timeout_seconds, so a client that left holds the server that long at most).
        with anyio.CancelScope(shield=True):
            async with _heartbeat(progress, f"{kind} of {task_id}"):
                if kind == "1080p":
                    url = await services.client.get_1080p(task_id, timeout=timeout, **arguments)
                    urls = [url] if url else []
                else:
                    urls = await services.client.get_4k(task_id, timeout=timeout, **arguments)
    except (RequestValidationError, ConfigurationError):
        journal.discard(row)
        services.budget.release(cost)
        raise
    except WaitTimeoutError as exc:
        journal.finish(row, state=REQUESTED, error=services.redact(str(exc)))
        return {
            "sent": True,
            "task_id": task_id,
            "resolution": kind,
            "ready": False,
            "budget": services.budget.report(),
            "message": f"the {kind} video is still being made after {timeout:g} s",
            "resume": f"call upgrade_video again with task_id '{task_id}' and resolution '{kind}' later",
        }
    except Veo3Error as exc:
        journal.finish(row, state=FAILED, error=services.redact(str(exc)))
        raise
    journal.finish(row, state=SUCCESS if urls else REQUESTED, result_urls=urls)
    return {
        "sent": True,
        "task_id": task_id,
        "resolution": kind,
        "ready": bool(urls),
        "urls": urls,
        "credits": cost,
        "budget": services.budget.report(),
        "next": "download_video with one of these urls",
    }


async def _create(services: Services, kind: str, request: dict[str, Any], parent: str | None) -> str:
    """Send one create, journaled around it, shielded: once it has left, its task id is always recorded."""
    client = services.client
    with (
        anyio.CancelScope(shield=True),
        journaled_create(
            services.journal,
            kind,
            journal_safe(request),
            base_url=services.base_url,
            parent_task_id=parent,
            redact=services.redact,
        ) as created,
    ):
        if kind == "extend":
            options = {k: v for k, v in request.items() if k not in ("task_id", "prompt")}
            task = await client.extend(request["task_id"], request["prompt"], **options)
        else:
            options = {k: v for k, v in request.items() if k != "prompt"}
            task = await client.generate(request["prompt"], **options)
        created(task.task_id)
    return task.task_id


@asynccontextmanager
async def _heartbeat(progress: Progress, what: str) -> AsyncIterator[None]:
    """Progress notifications (seconds elapsed) every ``HEARTBEAT_SECONDS`` while the block runs."""
    started = time.monotonic()

    async def beat() -> None:
        await progress(0, None, f"{what}: requested")
        while True:
            await anyio.sleep(HEARTBEAT_SECONDS)
            elapsed = time.monotonic() - started
            await progress(elapsed, None, f"{what}: still processing after {elapsed:.0f} s")

    async with anyio.create_task_group() as group:
        group.start_soon(beat)
        try:
            yield
        finally:
            group.cancel_scope.cancel()


def _created_nothing(exc: Veo3Error) -> bool:
    """Whether the API refused the create outright (no task, nothing billed): not a lost reply."""
    from veo3.errors import APIError, OutcomeUnknownError

    return isinstance(exc, APIError | RequestValidationError) and not isinstance(exc, OutcomeUnknownError)


def _stop_after(result: Mapping[str, Any]) -> bool:
    """After a missing key, credits or a refused account, the next job would fail the same way: send no more."""
    return result.get("kind") in ("AuthenticationError", "InsufficientCreditsError", "FeatureDisabledError")


def _kind(exc: BaseException) -> str:
    return type(exc).__name__


# -- free: status, wait, download, upload, credits --------------------------------------------------


async def get_tasks(services: Services, arguments: Mapping[str, Any], progress: Progress) -> dict[str, Any]:
    """One status request per id; the journal keeps each task's latest state."""
    tasks = []
    for task_id in arguments["task_ids"]:
        try:
            info = await services.client.get_task(task_id)
        except Veo3Error as exc:
            tasks.append({"task_id": task_id, "error": services.redact(str(exc)), "kind": _kind(exc)})
            continue
        _record(services, info)
        tasks.append(info_document(info))
    return {"tasks": tasks}


async def wait_for_tasks(services: Services, arguments: Mapping[str, Any], progress: Progress) -> dict[str, Any]:
    """Wait for every task at once, reporting progress; at the timeout, each task's last known state."""
    ids: Sequence[str] = arguments["task_ids"]
    timeout = float(arguments.get("timeout_seconds", DEFAULT_WAIT_SECONDS))
    last: dict[str, TaskInfo] = {}
    outcome: dict[str, dict[str, Any]] = {}
    changed = anyio.Event()

    def seen(info: TaskInfo) -> None:
        nonlocal changed
        last[info.task_id] = info
        changed.set()

    async def one(task_id: str) -> None:
        nonlocal changed
        try:
            info = await services.client.wait(
                task_id, timeout=timeout, poll_interval=services.poll_interval, on_progress=seen
            )
        except TaskFailedError as exc:
            if exc.info is not None:
                _record(services, exc.info)
                outcome[task_id] = info_document(exc.info)
            else:
                outcome[task_id] = {
                    "task_id": task_id,
                    "finished": True,
                    "success": False,
                    "error": services.redact(str(exc)),
                }
        except WaitTimeoutError:
            state = last.get(task_id)
            outcome[task_id] = {**(info_document(state) if state else {"task_id": task_id}), "timed_out": True}
        except Veo3Error as exc:
            outcome[task_id] = {"task_id": task_id, "error": services.redact(str(exc)), "kind": _kind(exc)}
        else:
            _record(services, info)
            outcome[task_id] = info_document(info)
        changed.set()

    async def report() -> None:
        nonlocal changed
        while len(outcome) < len(ids):
            with anyio.move_on_after(HEARTBEAT_SECONDS):
                await changed.wait()
            changed = anyio.Event()
            await progress(len(outcome), len(ids), _summary(ids, last, outcome))

    async with anyio.create_task_group() as group:
        group.start_soon(report)
        for task_id in ids:
            group.start_soon(one, task_id)
    tasks = [outcome[task_id] for task_id in ids]
    unfinished = [t["task_id"] for t in tasks if not t.get("finished")]
    result: dict[str, Any] = {"tasks": tasks, "all_finished": not unfinished}
    if unfinished:
        result["timed_out"] = any(t.get("timed_out") for t in tasks)
        result["resume"] = (
            f"the tasks go on: call wait_for_tasks again with task_ids {unfinished} "
            "(or run `veo3 wait --resume` in a terminal)"
        )
    return result


def _summary(ids: Sequence[str], last: Mapping[str, TaskInfo], outcome: Mapping[str, Any]) -> str:
    parts = []
    for task_id in ids:
        if task_id in outcome:
            state = outcome[task_id].get("status") or ("error" if "error" in outcome[task_id] else "done")
        else:
            state = last[task_id].status_name if task_id in last else "waiting"
        parts.append(f"{task_id}: {state}")
    return f"{len(outcome)}/{len(ids)} finished; " + ", ".join(parts)


def _record(services: Services, info: TaskInfo) -> None:
    services.journal.record_info(info)


async def download_video(services: Services, arguments: Mapping[str, Any], progress: Progress) -> dict[str, Any]:
    """Download a task's video (or a result URL) into the server's folder, never outside it."""
    task_id = arguments.get("task_id")
    source: str | TaskInfo
    if task_id is not None:
        info = await services.client.get_task(task_id)
        _record(services, info)
        if not info.is_success or not info.video_url:
            raise RequestValidationError(
                "task_id",
                "finished",
                task_id,
                f"task {task_id} has no video yet (status {info.status_name}): call wait_for_tasks first",
            )
        source, url = info, info.video_url
    else:
        source = url = arguments["url"]
    # One task, one file: the task id names it unless the agent chose a name (URLs often end in video.mp4).
    default = f"{task_id}{Path(name_from_url(url)).suffix or '.mp4'}" if task_id else name_from_url(url)
    name = arguments.get("file_name") or default
    folder = services.folder
    target = resolve_destination(folder, _plain_name(name))
    if target.is_symlink():
        raise RequestValidationError("file_name", "inside", name, "a symbolic link of that name is in the way")
    total: dict[str, int | None] = {}

    def on_bytes(done: int, size: int | None) -> None:
        total.update(done=done, size=size)

    await progress(0, None, f"downloading {target.name}")
    path = await services.client.download(source, target, on_progress=on_bytes)
    if task_id is not None:
        services.journal.add_path(task_id, path.resolve())
    return {"path": str(path), "file_name": path.name, "bytes": path.stat().st_size, "folder": str(folder)}


def _plain_name(name: str) -> str:
    """An agent's file name, refused unless it is one plain name (no folder, no parent, no hidden file)."""
    if not name or os.sep in name or "/" in name or "\\" in name or "\0" in name or name.startswith("."):
        raise RequestValidationError(
            "file_name", "plain name", name, "give a plain file name such as 'cat.mp4' (no folders, not hidden)"
        )
    return name


async def upload_file(services: Services, arguments: Mapping[str, Any], progress: Progress) -> dict[str, Any]:
    """Upload a file from the server's folder to kie (free; kept at least 24 hours) for ``image_urls``."""
    folder = services.folder.resolve()
    raw = Path(arguments["path"]).expanduser()
    path = (raw if raw.is_absolute() else folder / raw).resolve()  # symlinks followed: their target must be inside
    if not path.is_relative_to(folder):
        raise RequestValidationError("path", "inside", arguments["path"], f"only files inside {folder} can be uploaded")
    if not path.is_file():
        raise RequestValidationError("path", "exists", arguments["path"], f"no such file in {folder}")
    uploaded = await services.client.upload_file(path)
    return {"url": uploaded.url, "next": "pass this url in image_urls of generate_videos"}


async def get_credits(services: Services, arguments: Mapping[str, Any], progress: Progress) -> dict[str, Any]:
    """The account's credits, and what is left of this server's budget."""
    return {"credits": await services.client.credits(), "budget": services.budget.report()}


#: Tool name -> what it does. Descriptions and annotations are in ``_server.TOOL_TABLE``.
TOOLS: Mapping[str, Callable[[Services, Mapping[str, Any], Progress], Awaitable[dict[str, Any]]]] = {
    "generate_videos": generate_videos,
    "extend_video": extend_video,
    "upgrade_video": upgrade_video,
    "get_tasks": get_tasks,
    "wait_for_tasks": wait_for_tasks,
    "download_video": download_video,
    "upload_file": upload_file,
    "get_credits": get_credits,
}
