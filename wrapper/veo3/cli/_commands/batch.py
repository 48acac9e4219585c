"""``veo3 batch FILE``: the command's body, a thin layer over ``veo3.batch``.

1. Every line is read and checked against the spec (the library's own validation; nothing is sent).
   Any invalid line: all of them are listed with their line numbers, exit 2.
2. ``--dry-run``: the paid requests by kind and the estimated credits (price table), against the balance.
3. Otherwise the jobs run (``BatchRunner``) with the task journal as their store: the same command run
   again skips finished jobs, resumes created tasks and creates only what was never created.
   ``OUT/manifest.jsonl`` gets one line per job as it ends (rewritten from the journal at the start of a
   re-run, so it never holds a job twice); one progress bar on stderr; a final table (or, with
   ``--json``, the manifest lines on stdout). Exit 0 all succeeded, 4 some did not, 3 the API refused
   to go on (credits: no new work was started).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import sys
import threading
import time
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import urlparse

from veo3.cli._exit import ExitCode
from veo3.cli._session import CliUsageError, Session

if TYPE_CHECKING:
    from veo3._spec._prices import PriceTable
    from veo3.batch import BatchRunner, JobResult, Plan

MANIFEST = "manifest.jsonl"
SHOWN_PROBLEMS = 50  # the final table lists at most this many jobs that did not succeed


@dataclass
class BatchArgs:
    """The command's options."""

    file: Path
    out: Path
    dry_run: bool = False
    concurrency: int = 8
    rate_limit: str | None = None
    prices: Path | None = None
    callback_url: str | None = None
    listen: str | None = None
    timeout: float = 1800.0


def parse_rate_limit(text: str | None) -> tuple[int, float] | str | None:
    """``"kie"`` (the spec's limit), ``"none"`` or ``N/SECONDS`` (e.g. ``40/10``)."""
    if text is None or text == "kie":
        return "kie"
    if text == "none":
        return None
    try:
        creates, seconds = text.split("/")
        value = (int(creates), float(seconds))
    except ValueError:
        raise CliUsageError(f"--rate-limit takes 'kie', 'none' or CREATES/SECONDS (e.g. 40/10), not {text!r}") from None
    if value[0] < 1 or value[1] <= 0:
        raise CliUsageError(f"--rate-limit needs CREATES >= 1 and SECONDS > 0, not {text!r}")
    return value


def batch_id(file: Path, out: Path, base_url: str) -> str:
    """The batch's identity in the journal: the same file, output folder and server make the same batch."""
    text = "\n".join((str(file.resolve()), str(out.resolve()), base_url))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def run(session: Session, args: BatchArgs) -> int:
    """The command."""
    from veo3._core._flows import Core
    from veo3._spec._prices import load_prices
    from veo3.batch import plan, read_jobs

    if not args.file.is_file():
        raise CliUsageError(f"no such file: {args.file}")
    if args.concurrency < 1:
        raise CliUsageError("--concurrency must be at least 1")
    rate_limit = parse_rate_limit(args.rate_limit)
    prices = load_prices(args.prices)
    # Validation only: a bare core sends nothing and needs no key.
    checked = plan(read_jobs(args.file), Core(max_retries=0, clock=time.monotonic), prices)
    if not checked.valid:
        return _report_invalid(session, args, checked)
    if args.dry_run:
        return _dry_run(session, args, checked, prices)
    return asyncio.run(_run(session, args, checked, prices, rate_limit))


def _report_invalid(session: Session, args: BatchArgs, checked: Plan) -> int:
    for error in checked.errors:
        session.out.note(f"{args.file}:{error}")
    more = checked.error_count - len(checked.errors)
    summary = f"{checked.error_count} invalid line(s) in {args.file}" + (f" ({more} not shown)" if more else "")
    summary += "; nothing was sent"
    if session.json_mode:
        document = {
            "error": {
                "type": "InvalidBatchFile",
                "message": summary,
                "exit_code": int(ExitCode.USAGE),
                "lines": [{"line": e.line, "field": e.field, "message": e.message} for e in checked.errors],
            }
        }
        session.out.result(document, lambda console: None)
    session.out.note(f"error: {summary}")
    return ExitCode.USAGE


def _dry_run(session: Session, args: BatchArgs, checked: Plan, prices: PriceTable) -> int:
    balance = session.client.credits()
    enough = balance >= checked.credits
    document = {
        "jobs": checked.jobs,
        "paid_requests": dict(sorted(checked.requests.items())),
        "estimated_credits": checked.credits,
        "balance": balance,
        "enough": enough,
        "prices": {"file": prices.path, "measured": prices.measured, "sources": list(prices.sources)},
    }

    def render(console: Any) -> None:
        from rich.table import Table

        table = Table(title=f"{checked.jobs} jobs, all lines valid (nothing sent)", box=None)
        table.add_column("paid requests (operationId)")
        table.add_column("count", justify="right")
        for op, count in sorted(checked.requests.items()):
            table.add_row(op, str(count))
        console.print(table)
        console.print(f"estimated credits: {checked.credits:g}  (prices: {prices.path}, measured {prices.measured})")
        verdict = "enough" if enough else f"NOT enough: {checked.credits - balance:g} credits short"
        console.print(f"balance: {balance:g}  ({verdict})")

    session.out.result(document, render)
    return ExitCode.OK


async def _run(
    session: Session, args: BatchArgs, checked: Plan, prices: PriceTable, rate_limit: tuple[int, float] | str | None
) -> int:
    from veo3 import AsyncVeo3Client
    from veo3.batch import BatchRunner, LearnedSchedule, read_jobs
    from veo3.cli._batch_store import JournalBatchStore

    assert session.base_url is not None
    args.out.mkdir(parents=True, exist_ok=True)
    store = JournalBatchStore(
        session.journal, batch_id(args.file, args.out, session.base_url), session.base_url, session.out.redact
    )
    schedule = LearnedSchedule.fixed(session.poll_interval) if session.poll_interval else None
    client = AsyncVeo3Client(api_key=session.api_key, base_url=session.base_url, rate_limit=rate_limit)  # type: ignore[arg-type]
    with ExitStack() as stack:
        if args.callback_url:
            stack.enter_context(_serve_receiver(client, args.callback_url, args.listen))
        async with client:
            runner = BatchRunner(
                client,
                store,
                out_dir=args.out,
                concurrency=args.concurrency,
                timeout=args.timeout,
                prices=prices,
                balance=await client.credits(),
                callback_url=args.callback_url,
                via="callback" if args.callback_url else "poll",
                schedule=schedule,
                redact=session.out.redact,
            )
            statuses, problems = await _drive(session, args, runner, store, checked.jobs, read_jobs(args.file))
    return _finish(session, runner, statuses, problems)


async def _drive(
    session: Session, args: BatchArgs, runner: BatchRunner, store: Any, total: int, jobs: Any
) -> tuple[Counter[str], list[JobResult]]:
    from veo3.batch import Job
    from veo3.gallery import GalleryWriter

    statuses: Counter[str] = Counter()
    problems: list[JobResult] = []
    manifest = _open_manifest(args.out / MANIFEST, store)
    # OUT/index.html: the contact sheet, rewritten as jobs end so a person can watch a long batch.
    with manifest, _progress(session, runner, total) as tick, GalleryWriter(args.out, args.file, total) as gallery:
        async for result in runner.results(j for j in jobs if isinstance(j, Job)):
            statuses[result.status] += 1
            line = result.manifest_line()
            if not result.resumed:  # an ended job's line is in the manifest already (rewritten above)
                manifest.write(json.dumps(line, default=str) + "\n")
                manifest.flush()
                gallery.update()
            if session.json_mode:  # --json: the manifest lines, one JSON document per line
                sys.stdout.write(session.out.redact(json.dumps(line, default=str)) + "\n")
                sys.stdout.flush()
            if result.status != "success" and len(problems) < SHOWN_PROBLEMS:
                problems.append(result)
            tick()
    session.out.note(f"gallery: {args.out / 'index.html'}")
    return statuses, problems


def _open_manifest(path: Path, store: Any) -> TextIO:
    """The manifest, restarted from the journal's ended jobs (atomic rename: never half a file)."""
    partial = path.with_name(f".{path.name}.part")
    with partial.open("w", encoding="utf-8") as handle:
        for line in store.ended_lines():
            handle.write(json.dumps(line, default=str) + "\n")
    os.replace(partial, path)
    return path.open("a", encoding="utf-8")


class _progress:
    """One overall bar on stderr: done / failed / running / queued and the credits spent."""

    def __init__(self, session: Session, runner: BatchRunner, total: int) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.runner, self.total = runner, total
        self.progress = Progress(
            TextColumn("batch"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[counts]}"),
            TimeElapsedColumn(),
            console=session.out.err,
        )
        self.bar = self.progress.add_task("batch", total=total, counts="")
        runner.on_change = lambda _runner: self.update()

    def update(self) -> None:
        r = self.runner
        queued = max(0, self.total - r.done - r.failed - r.running)
        counts = f"done {r.done}  failed {r.failed}  running {r.running}  queued {queued}  credits {r.spent:g}"
        self.progress.update(self.bar, completed=r.done + r.failed, counts=counts)

    def __enter__(self) -> Any:
        self.progress.__enter__()
        return self.update

    def __exit__(self, *exc: object) -> None:
        self.update()
        self.progress.__exit__(None, None, None)


def _finish(session: Session, runner: BatchRunner, statuses: Counter[str], problems: list[JobResult]) -> int:
    if runner.refused:
        session.out.note(f"stopped creating new work: {runner.refused}")
    if not session.json_mode:

        def render(console: Any) -> None:
            from rich.markup import escape
            from rich.table import Table

            table = Table(title="batch", box=None)
            table.add_column("status")
            table.add_column("jobs", justify="right")
            for status, count in sorted(statuses.items()):
                table.add_row(status, str(count))
            table.add_row("credits spent (est.)", f"{runner.spent:g}")
            console.print(table)
            if problems:
                detail = Table(box=None, title="jobs that did not succeed")
                detail.add_column("id")
                detail.add_column("line", justify="right")
                detail.add_column("status")
                detail.add_column("error", overflow="fold")
                for r in problems:
                    detail.add_row(escape(r.job.id), str(r.job.line), r.status, escape(r.error or ""))
                console.print(detail)

        session.out.result({}, render)
    if runner.refused:
        return ExitCode.API_ERROR
    return ExitCode.OK if set(statuses) <= {"success"} else ExitCode.TASK_FAILED


class _serve_receiver:
    """Serve the client's callback receiver (uvicorn, in a thread) while the batch runs."""

    def __init__(self, client: Any, callback_url: str, listen: str | None) -> None:
        parts = urlparse(callback_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise CliUsageError(f"--callback-url must be an http(s) URL, not {callback_url!r}")
        host, _, port = (listen or f"127.0.0.1:{parts.port or (443 if parts.scheme == 'https' else 80)}").rpartition(
            ":"
        )
        if not port.isdigit():
            raise CliUsageError(f"--listen takes HOST:PORT, not {listen!r}")
        import uvicorn

        config = uvicorn.Config(
            client.callback_receiver, host=host or "127.0.0.1", port=int(port), lifespan="off", log_level="warning"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="veo3-callbacks", daemon=True)

    def __enter__(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise CliUsageError("could not listen for callbacks (is the --listen port free?)")
            time.sleep(0.01)

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)
