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
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from veo3._client._async import AsyncVeo3Client
    from veo3._client._sync import Veo3Client

    from ._runner import JobResult

__all__ = ["run_blocking"]

_DONE = object()
_HANDOFF_POLL = 0.01  # seconds between attempts to hand a result to a busy caller


def async_twin(client: Veo3Client) -> AsyncVeo3Client:
    """An ``AsyncVeo3Client`` with ``client``'s key, URL, retries and (shared) create limiter."""
    from veo3._client._async import AsyncVeo3Client

    twin = AsyncVeo3Client(
        client._api_key.reveal(),
        base_url=client.base_url,
        timeout=client._timeout,
        max_retries=client.max_retries,
        webhook_key=client._webhook_key.reveal() if client._webhook_key is not None else None,
        rate_limit=client._core.ctx.rate_limit,
    )
    twin._core.ctx._limiter = client._core.ctx.limiter()  # thread-safe: one budget for both clients
    if client._receiver is not None:
        twin.callback_receiver = client._receiver
    return twin


def run_blocking(client: Veo3Client, jobs: Any, options: dict[str, Any]) -> Iterator[JobResult]:
    """Yield ``AsyncVeo3Client.batch(jobs, **options)``'s results in the calling thread."""
    handoff: queue.Queue[Any] = queue.Queue(maxsize=1)
    loop = asyncio.new_event_loop()

    async def produce() -> None:
        try:
            async with async_twin(client) as twin:
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
