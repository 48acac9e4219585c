"""Client waits in step with a fast simulator: the one place the testing kit reaches into a client.

A simulator with ``time_scale=0.001`` finishes a 3 s generation in 3 ms, but a client still waits 2 s before
its first poll. Scaling the client's sleeps by the same factor keeps the two in step without changing any
behaviour a test observes (order of polls, retries, backoff shape). Until the client offers a public seam for
time, this module is the only code that knows where its sleep lives.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from veo3 import AsyncVeo3Client, Veo3Client


def scale_sleeps(client: Veo3Client | AsyncVeo3Client, factor: float) -> None:
    """Make every wait of ``client`` (polling, backoff, pacing) last ``factor`` times as long."""
    if factor == 1.0:
        return
    driver: Any = client._driver  # the testing seam: see the module docstring
    if isinstance(client, AsyncVeo3Client):

        async def nap(seconds: float) -> None:
            await asyncio.sleep(seconds * factor)

        driver.sleep = nap
    else:
        driver.sleep = lambda seconds: time.sleep(seconds * factor)
