"""``Veo3Client.batch``: the asyncio runner on a private event loop thread, results handed over one by one.

The runner is written once (asyncio: hundreds of tasks wait at once without a thread each). The blocking
client runs it in a thread with its own ``AsyncVeo3Client`` that shares the blocking client's settings
and its create limiter, so creates made outside the batch count against the same rate limit. Leaving
the iteration early cancels the run (jobs in flight stop; a create already sent is recorded as such).
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, Self, Unpack

if TYPE_CHECKING:
    from . import BatchOptions
    from ._jobs import Job
    from ._runner import JobResult


class _Twin(Protocol):
    """An async client that runs batches and closes with ``async with`` (``AsyncVeo3Client``)."""

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...

    def batch(
        self, jobs: Iterable[Job | Mapping[str, Any]], **options: Unpack[BatchOptions]
    ) -> AsyncIterator[JobResult]:
        """Yield each job's result as it ends."""
        ...


#: Builds the async client that runs the batch (``_client._base.async_twin``): handed in, not imported,
#: so batch stays below the clients.
MakeTwin = Callable[[], _Twin]

__all__ = ["run_blocking"]

_DONE = object()
_HANDOFF_POLL = 0.01  # seconds between attempts to hand a result to a busy caller


def run_blocking(make_twin: MakeTwin, jobs: Any, options: dict[str, Any]) -> Iterator[JobResult]:
    """Yield ``make_twin().batch(jobs, **options)``'s results in the calling thread (the twin is built, used
    and closed on the private loop's thread)."""
    handoff: queue.Queue[Any] = queue.Queue(maxsize=1)
    loop = asyncio.new_event_loop()

    async def produce() -> None:
        try:
            async with make_twin() as twin:
                async for result in twin.batch(jobs, **options):
                    while True:  # never block the loop: jobs keep running while the caller is busy
                        try:
                            handoff.put_nowait(result)
                            break
                        except queue.Full:
                            await asyncio.sleep(_HANDOFF_POLL)
        except BaseException as exc:
            handoff.put(exc)
            return
        handoff.put(_DONE)

    task = loop.create_task(produce())
    thread = threading.Thread(target=loop.run_until_complete, args=(task,), name="veo3-batch", daemon=True)
    thread.start()
    try:
        while (item := handoff.get()) is not _DONE:
            if isinstance(item, asyncio.CancelledError):
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        loop.call_soon_threadsafe(task.cancel)
        while thread.is_alive():  # let the producer hand over (and drop) what it holds, then end
            with contextlib.suppress(queue.Empty):
                handoff.get(timeout=0.05)
        thread.join()
        loop.close()
