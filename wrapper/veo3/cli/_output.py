"""What the ``veo3`` command prints, and where.

* stdout carries the result: human-readable text, or with ``--json`` exactly one JSON document and
  nothing else (scripts parse it).
* stderr carries everything else: progress bars and spinners for waits and downloads, notes, and
  error messages.
* Nothing printed ever contains the API key: every message goes through :meth:`Output.redact`.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID


from veo3._utils._logging import REDACTED, redact

__all__ = ["REDACTED", "Output", "describe"]


class Output:
    """Printing for one command run."""

    def __init__(self, *, json_mode: bool, secrets: tuple[str | None, ...] = ()) -> None:
        self.json_mode = json_mode
        # Redaction is defence in depth (nothing prints a key on purpose): the library's one rule, which
        # also hides every Bearer/Authorization value and the keys the clients registered.
        self._secrets = (*secrets, os.environ.get("KIE_API_KEY"))
        self._out: Console | None = None
        self._err: Console | None = None

    # -- consoles (created lazily: Rich is imported only when something is printed) ------------

    @property
    def out(self) -> Console:
        """The stdout console (human mode only)."""
        if self._out is None:
            from rich.console import Console

            self._out = Console(highlight=False, soft_wrap=True)
        return self._out

    @property
    def err(self) -> Console:
        """The stderr console: progress, notes and errors."""
        if self._err is None:
            from rich.console import Console

            self._err = Console(stderr=True, highlight=False, soft_wrap=True)
        return self._err

    def redact(self, text: str) -> str:
        """``text`` with every known secret replaced by ``***`` (:func:`veo3._logging.redact`)."""
        return redact(text, also=self._secrets)

    # -- results --------------------------------------------------------------------------------

    def result(self, document: Mapping[str, Any] | list[Any], human: Callable[[Console], None]) -> None:
        """Print a command's result: ``document`` as JSON, or ``human`` renders it for people."""
        if self.json_mode:
            text = json.dumps(document, default=str, indent=2, sort_keys=False)
            sys.stdout.write(self.redact(text) + "\n")
            sys.stdout.flush()
        else:
            human(self.out)

    def note(self, message: str) -> None:
        """A line for people on stderr (also in JSON mode: stdout stays clean)."""
        from rich.markup import escape

        self.err.print(escape(self.redact(message)))

    def error(self, exc: BaseException, exit_code: int) -> None:
        """Report the exception that ends the command."""
        message = self.redact(describe(exc))
        if self.json_mode:
            document: dict[str, Any] = {
                "error": {"type": type(exc).__name__, "message": message, "exit_code": exit_code, **_fields(exc)}
            }
            sys.stdout.write(self.redact(json.dumps(document, default=str, indent=2)) + "\n")
            sys.stdout.flush()
        from rich.markup import escape

        self.err.print(f"[bold red]error:[/] {escape(message)}")

    # -- progress -------------------------------------------------------------------------------

    @contextmanager
    def task_progress(self, task_id: str, label: str = "waiting") -> Iterator[Callable[..., None]]:
        """A spinner while a task runs; yields an ``on_progress`` callback that takes a TaskInfo."""
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TextColumn("[cyan]{task.fields[status]}"),
            TimeElapsedColumn(),
            console=self.err,
            transient=False,
        )
        started = time.monotonic()
        with progress:
            tid = progress.add_task(f"{label} {task_id}", total=None, status="")

            def on_progress(*args: Any, **_: Any) -> None:
                info = next((a for a in args if hasattr(a, "status")), None)
                if info is not None:
                    progress.update(tid, status=info.status_name)
                else:
                    progress.update(tid, status=f"{time.monotonic() - started:.0f}s")

            yield on_progress
            progress.update(tid, total=1, completed=1)

    @contextmanager
    def download_progress(self, label: str) -> Iterator[Callable[[int, int | None], None]]:
        """A progress bar for a download; yields ``on_progress(bytes_done, total_or_None)``."""
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TransferSpeedColumn,
        )

        progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            console=self.err,
        )
        with progress:
            tid = progress.add_task(label, total=None)

            def on_progress(done: int, total: int | None) -> None:
                _advance(progress, tid, done, total)

            yield on_progress


def _advance(progress: Progress, tid: TaskID, done: int, total: int | None) -> None:
    progress.update(tid, completed=done, total=total)


def describe(exc: BaseException) -> str:
    """A one-line description of an exception for people."""
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted; tasks already created are in the journal (`veo3 tasks`, `veo3 wait --resume`)"
    text = str(exc) or type(exc).__name__
    return text if type(exc).__module__.startswith("veo3") else f"{type(exc).__name__}: {text}"


_ERROR_FIELDS = ("code", "http_status", "task_id", "operation", "field", "rule", "error_code", "error_message")


def _fields(exc: BaseException) -> dict[str, Any]:
    """Structured fields of a veo3 error, for the JSON error document."""
    fields: dict[str, Any] = {}
    for name in _ERROR_FIELDS:
        value = getattr(exc, name, None)
        if isinstance(value, (str, int, float, bool)):
            fields[name] = value
        elif value is not None:
            fields[name] = str(value)
    return fields


def print_task(document: Mapping[str, Any]) -> Callable[[Any], None]:
    """A renderer of a flat document as ``key: value`` lines (empty values left out, lists one per line)."""

    def render(console: Any) -> None:
        from rich.markup import escape

        for key, value in document.items():
            if value in (None, [], ""):
                continue
            if isinstance(value, list):
                value = "\n  ".join(str(v) for v in value)
            console.print(f"[bold]{key}[/]: {escape(str(value))}")

    return render


def tasks_table(entries: Sequence[Any]) -> Callable[[Any], None]:
    """A renderer of journal entries as a table (row, task id, kind, state, prompt and files)."""

    def render(console: Any) -> None:
        from pathlib import Path

        from rich.markup import escape
        from rich.table import Table

        table = Table(box=None, pad_edge=False)
        table.add_column("row", justify="right")
        table.add_column("task id (of)", no_wrap=True)
        table.add_column("kind", no_wrap=True)
        table.add_column("state", no_wrap=True)
        table.add_column("prompt / files", overflow="fold")
        for e in entries:
            shown_id = e.task_id or (f"({e.parent_task_id})" if e.parent_task_id else "-")
            prompt = str(e.request.get("prompt", ""))
            detail = [prompt[:60] + ("…" if len(prompt) > 60 else "")] if prompt else []
            detail += [Path(p).name for p in e.paths]
            table.add_row(str(e.id), shown_id, e.kind, e.state, escape("\n".join(detail)))
        console.print(table)

    return render
