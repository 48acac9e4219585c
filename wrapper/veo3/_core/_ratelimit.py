"""Client-side rate limiter: stay under kie's create limit (20 creates per 10 s per key) instead of earning 429s.

The server counts a create when it *arrives*, which the client never sees: it only knows when it sent a
request and when the reply came back, and arrival lies between the two. So a slot is freed ``window``
seconds after the *reply* of the request ``limit`` slots back: then request k arrives at least ``window``
after request k-limit arrived, whatever the network or a busy machine did to either (a limiter spacing
*sends* by the window gets 429s as soon as an early request is delayed on its way).

``try_acquire()`` never blocks, so the limiter suits every driver: ``time.sleep``, ``asyncio.sleep`` or a
sans-IO ``Sleep`` effect. ``acquire()``/``acquire_async()`` wrap it for plain sync and async code.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

__all__ = ["SlidingWindowLimiter", "Ticket"]


class Ticket:
    """One granted slot; hand it back to ``release`` when the request's reply (or failure) is in."""

    __slots__ = ("ended",)

    def __init__(self) -> None:
        self.ended = math.inf  # in flight


class SlidingWindowLimiter:
    """At most ``limit`` creates arriving at the server in any ``window`` seconds. Thread-safe."""

    def __init__(self, limit: int, window: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("limit must be >= 1 and window > 0")
        self.limit = limit
        self.window = window
        self._clock = clock
        self._slots: deque[Ticket] = deque()
        self._lock = threading.Lock()
        # While the request `limit` slots back is still in flight its end is unknown: look again this soon.
        self._recheck = min(0.05, window / 10)

    def try_acquire(self) -> tuple[Ticket | None, float]:
        """A ticket if a slot is free now, else ``(None, seconds to wait before trying again)``."""
        with self._lock:
            now = self._clock()
            if len(self._slots) >= self.limit:
                oldest = self._slots[0]
                if oldest.ended == math.inf:
                    return None, self._recheck
                free_at = oldest.ended + self.window
                if free_at > now:
                    return None, free_at - now
                self._slots.popleft()
            ticket = Ticket()
            self._slots.append(ticket)
            return ticket, 0.0

    def release(self, ticket: Ticket) -> None:
        """The request of ``ticket`` is over (reply received, or it failed): its window starts now."""
        with self._lock:
            ticket.ended = min(ticket.ended, self._clock())

    def acquire(self) -> Ticket:
        """Block until a slot is free (sync code)."""
        while True:
            ticket, delay = self.try_acquire()
            if ticket is not None:
                return ticket
            time.sleep(delay)

    async def acquire_async(self) -> Ticket:
        """Wait until a slot is free (async code)."""
        import asyncio  # here, not at the top: sync clients need not pay for importing asyncio

        while True:
            ticket, delay = self.try_acquire()
            if ticket is not None:
                return ticket
            await asyncio.sleep(delay)
