"""``Veo3Client.batch``: the asyncio runner on a private event loop thread, results handed over one by one.

The runner is written once (asyncio: hundreds of tasks wait at once without a thread each). The blocking
client runs it in a thread with its own ``AsyncVeo3Client`` that shares the blocking client's settings
and its create limiter, so creates made outside the batch count against the same rate limit.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .._async_client import AsyncVeo3Client
    from .._client import Veo3Client
    from ._runner import JobResult

__all__ = ["run_blocking"]

_DONE = object()


def async_twin(client: Veo3Client) -> AsyncVeo3Client:
    """An ``AsyncVeo3Client`` with ``client``'s key, URL, retries and (shared) create limiter."""
    from .._async_client import AsyncVeo3Client

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
    stop = threading.Event()
    loop = asyncio.new_event_loop()

    async def produce() -> None:
        async with async_twin(client) as twin:
            try:
                async for result in twin.batch(jobs, **options):
                    # Blocks a helper thread, not the loop, until the caller takes the result.
                    await asyncio.to_thread(handoff.put, result)
                    if stop.is_set():
                        return
            except BaseException as exc:
                handoff.put(exc)
                return
        handoff.put(_DONE)

    thread = threading.Thread(target=loop.run_until_complete, args=(produce(),), name="veo3-batch", daemon=True)
    thread.start()
    try:
        while (item := handoff.get()) is not _DONE:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while thread.is_alive():
            try:
                handoff.get_nowait()
            except queue.Empty:
                thread.join(0.05)
        loop.close()
