"""Time in tests: the one supported seam for a client's clock and sleeps (``veo3.testing.use_time``).

A test that fakes time (to check a backoff without waiting it out) or a fast simulator (``time_scale=0.001``
finishes a 3 s generation in 3 ms, while a client still waits 2 s before its first poll) needs to replace a
client's monotonic clock and its sleep. This module is the only code that knows where they live, as
stamina's ``set_testing`` is for its retries: tests and the pytest plugin call it instead of reaching into
the client.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from veo3 import AsyncVeo3Client, Veo3Client

__all__ = ["scale_sleeps", "use_time"]


def use_time(
    client: Veo3Client | AsyncVeo3Client,
    *,
    clock: Callable[[], float] | None = None,
    sleep: Callable[[float], None] | Callable[[float], Awaitable[None]] | None = None,
) -> None:
    """Give ``client`` another monotonic ``clock`` (deadlines, pacing) and/or ``sleep`` (polls, backoff).

    ``sleep`` is a coroutine function for an ``AsyncVeo3Client``, a plain function otherwise.
    """
    client.engine.use_time(clock=clock, sleep=sleep)


def scale_sleeps(client: Veo3Client | AsyncVeo3Client, factor: float) -> None:
    """Make every wait of ``client`` (polling, backoff, pacing) last ``factor`` times as long."""
    if factor == 1.0:
        return
    if isinstance(client, AsyncVeo3Client):

        async def nap(seconds: float) -> None:
            await asyncio.sleep(seconds * factor)

        use_time(client, sleep=nap)
    else:
        use_time(client, sleep=lambda seconds: time.sleep(seconds * factor))
