"""Waiting: one deadline for the whole wait, polled at adaptive intervals.

Intervals start short and grow by ``factor`` up to ``cap``, each jittered by +-``jitter`` so many clients
do not poll in step. Transient read failures (timeouts, 429, 455, 5xx) are waited through like a
"not yet" answer; anything else ends the wait at once.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from veo3.errors import OutcomeUnknownError, Veo3Error, WaitTimeoutError
from veo3.types import TaskStatus

from ._effects import Flow, Sleep
from ._policy import is_transient_read_error

__all__ = ["HD_SCHEDULE", "TASK_SCHEDULE", "UHD_SCHEDULE", "Pending", "Schedule", "poll"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Schedule:
    """Adaptive polling intervals (seconds)."""

    first: float
    factor: float
    cap: float
    jitter: float = 0.2

    def intervals(self, rng: random.Random, fixed: float | None = None) -> Iterator[float]:
        """Endless intervals; ``fixed`` (the caller's ``poll_interval``) replaces the growth."""
        interval = fixed if fixed is not None else self.first
        while True:
            yield interval * rng.uniform(1 - self.jitter, 1 + self.jitter)
            if fixed is None:
                interval = min(self.cap, interval * self.factor)


# kie: generation takes 1-5 min, 1080p 1-3 min more, 4K 5-10 min (it asks for >= 30 s between 4K polls).
TASK_SCHEDULE = Schedule(first=2.0, factor=1.5, cap=15.0)
HD_SCHEDULE = Schedule(first=5.0, factor=1.5, cap=20.0)
UHD_SCHEDULE = Schedule(first=15.0, factor=1.5, cap=45.0)


@dataclass(frozen=True, slots=True)
class Pending(Generic[T]):
    """A "not yet" answer; ``status`` is what a timeout will report as the last status."""

    status: TaskStatus | str | None


def poll(
    step: Callable[[float], Flow[T | Pending[T]]] | Callable[[float | None], Flow[T | Pending[T]]],
    *,
    task_id: str,
    start: float,
    deadline: float,
    intervals: Iterator[float],
    clock: Callable[[], float],
    last_status: TaskStatus | str | None = None,
    sleep_first: bool = False,
) -> Flow[T]:
    """Run ``step(deadline)`` until it returns a result; raise ``WaitTimeoutError`` at the deadline.

    ``sleep_first``: the caller already asked once (its answer was ``last_status``), so wait before asking.
    """
    last_error: Veo3Error | None = None
    if sleep_first:
        now = clock()
        if now >= deadline:
            raise WaitTimeoutError(task_id, last_status, now - start)
        yield Sleep(min(next(intervals), deadline - now))
    while True:
        try:
            outcome = yield from step(deadline)
        except Veo3Error as exc:
            if isinstance(exc, OutcomeUnknownError) or not is_transient_read_error(exc):
                raise
            last_error = exc
        else:
            if not isinstance(outcome, Pending):
                return outcome
            last_status, last_error = outcome.status, None
        now = clock()
        if now >= deadline:
            raise WaitTimeoutError(task_id, last_status, now - start) from last_error
        yield Sleep(min(next(intervals), deadline - now))
