"""Polling that learns how long a model's tasks take, so a finished task is seen within seconds.

``wait()``'s default schedule (2 s growing x1.5 to 15 s) knows nothing of the task: a real 1-5 minute
generation is seen ~11 s after it ended (BENCHMARKS.md). Tasks of one model take similar times, and the
batch store remembers them: with enough history the first status request waits until the fastest
tenth of those tasks would be done, then polls every ``step`` seconds through the likely end, and
falls back to the growing schedule after the slowest known one. With ``step`` 2.5 s the median lateness
is about 1.25 s plus the request's own time, and the requests stay below the default schedule's (none
while the task cannot be done yet): ``make bench``, section batch. ``scale`` multiplies every interval
(tests and benchmarks run the simulator on a scaled clock).
"""

from __future__ import annotations

import random
import statistics
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from veo3._core._polling import TASK_SCHEDULE, Schedule

from ..errors import ConfigurationError

__all__ = ["LearnedSchedule"]

#: Durations needed before the history is trusted.
MIN_HISTORY = 5


@dataclass(frozen=True)
class LearnedSchedule:
    """Poll intervals for one task given how long earlier tasks of its model took."""

    step: float = 2.5
    fallback: Schedule = TASK_SCHEDULE
    scale: float = 1.0
    jitter: float = 0.1
    learn: bool = True

    @classmethod
    def fixed(cls, seconds: float) -> LearnedSchedule:
        """Poll every ``seconds`` (the caller's ``poll_interval``), learning nothing."""
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds <= 0:
            raise ConfigurationError(f"poll_interval must be a positive number of seconds, got {seconds!r}")
        return cls(step=seconds, fallback=Schedule(seconds, 1.0, seconds), learn=False)

    def intervals(self, history: Sequence[float], elapsed: float, rng: random.Random) -> Iterator[float]:
        """Endless sleeps (seconds) for a task that has run ``elapsed`` seconds; the caller sleeps first."""
        if not self.learn or len(history) < MIN_HISTORY:
            yield from (i * self.scale for i in self.fallback.intervals(rng))
            return
        ordered = sorted(history)
        cuts = statistics.quantiles(ordered, n=10, method="inclusive")
        early, late = cuts[0], ordered[-1]
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
