"""Waiting: one deadline for the whole wait, polled on one schedule that learns how long tasks take.

No I/O here: the schedules are plain iterators of sleeps, and ``poll`` is a flow a driver runs.

``LearnedSchedule`` serves every wait for a task (``wait()``, ``generate_and_wait``, the CLI, the batch).
Tasks of one model take similar times: from that model's durations (the batch store's history, or what a
client saw in this process, else typical figures in ``TYPICAL_SECONDS``) the first status request waits
until the fastest tenth would be done, then polls every ``step`` seconds through the likely end, then
backs off as ``TASK_SCHEDULE`` does. A task whose age or model is unknown (created elsewhere) gets the
growing ``Schedule`` from its first request. Intervals are jittered so many clients do not poll in step.
Transient read failures (timeouts, 429, 455, 5xx) are waited through like a "not yet" answer; anything
else ends the wait at once.
"""

from __future__ import annotations

import math
import random
import statistics
from collections import OrderedDict, deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from veo3._spec._operations import Operation
from veo3._spec._prices import PriceTable, _body_default
from veo3.errors import ConfigurationError, OutcomeUnknownError, Veo3Error, WaitTimeoutError
from veo3.types import TaskStatus

from ._effects import Flow, Sleep
from ._policy import is_transient_read_error

__all__ = [
    "HD_SCHEDULE",
    "TASK_SCHEDULE",
    "TYPICAL_SECONDS",
    "UHD_SCHEDULE",
    "Durations",
    "LearnedSchedule",
    "Pending",
    "Schedule",
    "duration_key",
    "poll",
]

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


# Typical durations of kie's tasks, as (median seconds, log-normal spread), by ``duration_key``: a client of
# kie's own host starts from these for a model until it has seen MIN_HISTORY tasks of it. kie's docs say
# "typically 2-5 minutes"; these are the figures `make bench` draws its tasks from (a fast generation about
# 1.5 min, a quality one 3 min), not measurements of kie. A key missing here starts on TASK_SCHEDULE until
# it has learned.
TYPICAL_SECONDS: Mapping[str, tuple[float, float]] = {
    "generate:veo3_fast": (90.0, 0.15),
    "generate:veo3": (180.0, 0.2),
}
#: Durations needed before a model's own history replaces its typical figures.
MIN_HISTORY = 5
#: Durations remembered per model (the newest).
HISTORY = 200


def _typical(median: float, spread: float, n: int = 20) -> list[float]:
    """``n`` evenly spaced quantiles of a log-normal duration: a stand-in history."""
    normal = statistics.NormalDist()
    return [median * math.exp(spread * normal.inv_cdf((i + 0.5) / n)) for i in range(n)]


def duration_key(op: Operation, body: Mapping[str, Any], prices: PriceTable) -> str:
    """Which durations a task's schedule learns from: its operation kind and the body field that prices it
    (the model, in the price table; the spec's default when the request leaves it out)."""
    kind = op.operation_id.split("-", 1)[0]
    price = prices.operations.get(op.operation_id)
    if price is None or price.by is None:
        return kind
    value = body.get(price.by)
    if value is None:
        value = _body_default(op.operation_id, price.by)
    return f"{kind}:{value}"


@dataclass(frozen=True)
class LearnedSchedule:
    """Poll intervals for one task given how long earlier tasks of its model took (seconds).

    ``scale`` multiplies every interval and divides every age (tests and benchmarks run the simulator on a
    scaled clock); ``learn=False`` is ``fallback`` alone. ``typical``: durations to start from before a
    model has a history (``TYPICAL_SECONDS`` for kie's own host; none for another server, such as the
    simulator on a scaled clock, which would be polled on kie's times).
    """

    step: float = 2.5
    fallback: Schedule = TASK_SCHEDULE
    scale: float = 1.0
    jitter: float = 0.1
    learn: bool = True
    typical: Mapping[str, tuple[float, float]] = field(default_factory=dict)

    @classmethod
    def fixed(cls, seconds: float) -> LearnedSchedule:
        """Poll every ``seconds`` (the caller's ``poll_interval``), learning nothing."""
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds <= 0:
            raise ConfigurationError(f"poll_interval must be a positive number of seconds, got {seconds!r}")
        return cls(step=seconds, fallback=Schedule(seconds, 1.0, seconds), learn=False)

    def window(self, history: Sequence[float], key: str | None = None) -> tuple[float, float] | None:
        """When a task of ``key`` is likely done: (the fastest tenth's time, the slowest known), or None."""
        if not self.learn:
            return None
        if len(history) < MIN_HISTORY:
            seed = self.typical.get(key) if key is not None else None
            if seed is None:
                return None
            history = _typical(*seed)
        ordered = sorted(history)
        return statistics.quantiles(ordered, n=10, method="inclusive")[0], ordered[-1]

    def intervals(
        self, history: Sequence[float], elapsed: float, rng: random.Random, key: str | None = None
    ) -> Iterator[float]:
        """Endless sleeps (seconds) for a task of ``key`` that has run ``elapsed`` seconds; the caller sleeps
        first when ``elapsed`` is before the window (``window``), else asks at once."""
        window = self.window(history, key)
        if window is None:
            yield from (i * self.scale for i in self.fallback.intervals(rng))
            return
        early, late = window
        first = early - elapsed
        if first > 0:
            yield first * self.scale
            elapsed = early
        while elapsed <= late + self.step:
            interval = self.step * rng.uniform(1 - self.jitter, 1 + self.jitter)
            elapsed += interval
            yield interval * self.scale
        # Slower than every known task: back off as the default schedule would.
        interval = self.step
        while True:
            interval = min(self.fallback.cap, interval * self.fallback.factor)
            yield interval * rng.uniform(1 - self.fallback.jitter, 1 + self.fallback.jitter) * self.scale

    def too_early(self, history: Sequence[float], elapsed: float, key: str | None = None) -> bool:
        """Whether a task of ``key`` aged ``elapsed`` cannot be done yet (so the first request waits)."""
        window = self.window(history, key)
        return window is not None and elapsed < window[0]


class Durations:
    """How long tasks took, per ``duration_key``, and when this process created which task (in memory).

    What ``wait()`` learns from when no batch store is at hand; bounded, so a long-lived client stays small.
    """

    def __init__(self, tasks: int = 10_000) -> None:
        self._seen: dict[str, deque[float]] = {}
        self._born: OrderedDict[str, tuple[str, float]] = OrderedDict()
        self._tasks = tasks

    def of(self, key: str) -> list[float]:
        """Durations (seconds) of ``key``'s tasks, oldest first."""
        return list(self._seen.get(key, ()))

    def add(self, key: str, seconds: float) -> None:
        """Remember that a task of ``key`` took ``seconds``."""
        if seconds > 0 and math.isfinite(seconds):
            self._seen.setdefault(key, deque(maxlen=HISTORY)).append(seconds)

    def created(self, task_id: str, key: str, at: float) -> None:
        """Remember that ``task_id`` (of ``key``) was created at clock time ``at``."""
        self._born[task_id] = (key, at)
        self._born.move_to_end(task_id)
        while len(self._born) > self._tasks:
            self._born.popitem(last=False)

    def birth(self, task_id: str) -> tuple[str, float] | None:
        """``(key, clock time)`` of a task this process created, or None."""
        return self._born.get(task_id)


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
