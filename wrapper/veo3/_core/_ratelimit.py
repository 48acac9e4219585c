"""Client-side rate limiter: stay under kie's create limit (20 creates per 10 s per key) instead of earning 429s.

The server counts a create when it *arrives*, which the client never sees: it only knows when it sent a
request and when the reply came back, and arrival lies between the two. So a slot is freed ``window``
seconds after the *reply* of the request ``limit`` slots back: then request k arrives at least ``window``
after request k-limit arrived, whatever the network or a busy machine did to either (a limiter spacing
*sends* by the window gets 429s as soon as an early request is delayed on its way).

Sans-IO like the rest of ``_core``: ``try_acquire()`` never blocks and never sleeps; the request flow turns
its "wait this long" into a ``Sleep`` effect that the driver performs. The lock is handed in, so the core
imports no threading: the clients give it a ``threading.Lock`` (a limiter is shared between a blocking
client and the event-loop thread of its batch), a single-threaded caller needs none.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections import deque
from collections.abc import Callable
from typing import Any

__all__ = ["SlidingWindowLimiter", "Ticket"]


class Ticket:
    """One granted slot; hand it back to ``release`` when the request's reply (or failure) is in."""

    __slots__ = ("ended",)

    def __init__(self) -> None:
        self.ended = math.inf  # in flight


class SlidingWindowLimiter:
    """At most ``limit`` creates arriving at the server in any ``window`` seconds; thread-safe with a ``lock``."""

    def __init__(
        self,
        limit: int,
        window: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        lock: contextlib.AbstractContextManager[Any] | None = None,
    ) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("limit must be >= 1 and window > 0")
        self.limit = limit
        self.window = window
        self._clock = clock
        self._slots: deque[Ticket] = deque()
        self._lock = lock if lock is not None else contextlib.nullcontext()
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
