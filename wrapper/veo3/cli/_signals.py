"""SIGINT and SIGTERM for the commands that can have a paid request in flight: stop cleanly, then at once.

The first signal starts no new create, lets a create already sent get its reply (bounded by the request
timeout) so its task id reaches the journal, and stops polls and downloads where they are (a partial
download is resumed next time); the command then prints one summary (which tasks still run on kie and the
command that picks them up) and exits 130 (SIGINT) or 143 (SIGTERM). The second signal stops at once and
names the creates whose reply had not come: their journal rows stay ``submitting`` (a re-run never
resends them; with callbacks on, their callback still names them).

Sync commands raise :class:`Interrupted` from the handler, except inside :meth:`GracefulStop.critical`
(a create and its journal write), where it is raised when the block ends. ``veo3 batch`` runs asyncio: it
gives :meth:`GracefulStop.on_first` a callback (the batch runner's ``stop``) and the handler calls it
instead of raising. SIGKILL cannot be caught: see ``docs/guides/reliability.md`` for what survives it.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from types import FrameType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from veo3.cli._output import Output

__all__ = ["HANDLED", "GracefulStop", "Interrupted", "exit_code"]

HANDLED = (signal.SIGINT, signal.SIGTERM)


def exit_code(signum: int) -> int:
    """The shell's convention: 128 + the signal's number (130 for SIGINT, 143 for SIGTERM)."""
    return 128 + signum


class Interrupted(KeyboardInterrupt):
    """The first SIGINT/SIGTERM, raised where the command can stop safely."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.exit_code = exit_code(signum)


class GracefulStop:
    """The signal handling of one command run (see the module docstring); a context manager that installs it."""

    def __init__(self, out: Output) -> None:
        self.out = out
        self.signum: int | None = None
        self._sending: list[str] = []
        self._created: dict[str, None] = {}  # task ids created by this run and not yet seen finished
        self._on_first: Callable[[], None] | None = None
        self._in_flight: Callable[[], list[str]] = lambda: list(self._sending)
        self._previous: dict[int, Any] = {}

    # -- installing ----------------------------------------------------------------------------------

    def __enter__(self) -> GracefulStop:
        if threading.current_thread() is threading.main_thread():  # Python handles signals there only
            for signum in HANDLED:
                # A signal the parent ignores stays ignored (a background job of a shell ignores SIGINT).
                if signal.getsignal(signum) is not signal.SIG_IGN:
                    self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for signum, previous in self._previous.items():
            signal.signal(signum, previous)
        self._previous.clear()

    # -- what the commands tell it -------------------------------------------------------------------

    def on_first(self, stop: Callable[[], None], in_flight: Callable[[], list[str]]) -> None:
        """Asyncio commands: the first signal calls ``stop()`` (thread-safe, it must not block) instead of
        raising; ``in_flight()`` names the creates still waiting for their reply (for the second)."""
        self._on_first, self._in_flight = stop, in_flight
        if self.signum is not None:  # it came before the command was ready for it
            stop()

    @contextmanager
    def critical(self, label: str) -> Iterator[None]:
        """A create and its journal write: the first signal waits for the block to end, then stops."""
        self._sending.append(label)
        try:
            yield
        finally:
            self._sending.remove(label)
        if self.signum is not None and not self._sending and self._on_first is None:
            raise Interrupted(self.signum)

    def created(self, task_id: str) -> None:
        """A task this run created (it runs on kie until it is seen to finish)."""
        self._created[task_id] = None

    def finished(self, task_id: str) -> None:
        """A task seen finished."""
        self._created.pop(task_id, None)

    # -- the signals ---------------------------------------------------------------------------------

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        name = signal.Signals(signum).name
        if self.signum is not None:
            self._hard_stop(signum, name)
        self.signum = signum
        if self._on_first is not None:
            self.out.note(f"{name}: stopping (no new request; creates in flight get their reply). Again: stop at once")
            self._on_first()
            return
        if self._sending:
            self.out.note(f"{name}: finishing the create in flight so its task id is journaled. Again: stop at once")
            return
        raise Interrupted(signum)

    def _hard_stop(self, signum: int, name: str) -> None:
        lost = self._in_flight()
        if lost:
            text = (
                f"second {name}: stopped at once. These creates were sent and their reply did not come, so a "
                f"paid task may exist without its id: {'; '.join(lost)}. Their journal rows stay 'submitting' "
                "and are never resent (veo3 tasks lists them; check the kie.ai dashboard)"
            )
        else:
            text = f"second {name}: stopped at once; no create was in flight, nothing was lost"
        self.out.note(text)
        for stream in (sys.stdout, sys.stderr):
            with suppress(OSError, ValueError):
                stream.flush()
        os._exit(exit_code(signum))  # at once: every journal write so far is committed (autocommit)

    # -- the summary ---------------------------------------------------------------------------------

    def summary(self, still_running: list[str] | None = None, again: str | None = None) -> str:
        """One paragraph: what stopped, what still runs on kie, and the command that picks it up (``again``,
        the batch's own command line; else ``veo3 wait --resume`` when tasks are left)."""
        assert self.signum is not None
        running = list(self._created) if still_running is None else still_running
        name = signal.Signals(self.signum).name
        carry_on = f" To carry on: {again}" if again else ""
        if not running:
            return f"stopped by {name}: no task is left running on kie; nothing was lost.{carry_on}"
        ids = ", ".join(running[:10]) + (f" and {len(running) - 10} more" if len(running) > 10 else "")
        return (
            f"stopped by {name}: {len(running)} task(s) still running on kie (or done there, not yet fetched): "
            f"{ids}; every one is in the journal, nothing was lost. Pick them up with: {again or 'veo3 wait --resume'}"
        )
