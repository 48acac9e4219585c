"""Summaries of repeated measurements and the result rows every benchmark returns."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class Stat:
    """Median and spread of repeated samples of one quantity."""

    median: float
    q1: float
    q3: float
    low: float
    high: float
    n: int

    @classmethod
    def of(cls, samples: Sequence[float]) -> Stat:
        """Summarise ``samples`` (at least one)."""
        if not samples:
            raise ValueError("no samples")
        ordered = sorted(samples)
        if len(ordered) == 1:
            q1 = q3 = ordered[0]
        else:
            q1, _, q3 = statistics.quantiles(ordered, n=4, method="inclusive")
        return cls(statistics.median(ordered), q1, q3, ordered[0], ordered[-1], len(ordered))


def ratios(subject: Sequence[float], baseline: Sequence[float]) -> Stat:
    """Per-repeat ratios subject/baseline (repeats are paired: same order, interleaved in time)."""
    return Stat.of([s / b for s, b in zip(subject, baseline, strict=True) if b > 0])


@dataclass(frozen=True)
class Target:
    """A goal for a row: ``op`` compares the row's ratio (or its value) with ``bound``."""

    op: Literal["<=", ">="]
    bound: float
    on: Literal["ratio", "value"] = "ratio"

    def met(self, row: Row) -> bool | None:
        """Whether the row's median meets the goal (None when the compared figure is missing)."""
        stat = row.ratio if self.on == "ratio" else row.value
        if stat is None:
            return None
        return stat.median <= self.bound if self.op == "<=" else stat.median >= self.bound

    def describe(self, unit: str) -> str:
        """The goal as text, e.g. ``≤ 1.5x``."""
        sign = "≤" if self.op == "<=" else "≥"
        if self.on == "value" and self.bound == 0 and self.op == "<=":
            return "= 0"
        return f"{sign} {self.bound:g}x" if self.on == "ratio" else f"{sign} {self.bound:g} {unit}"


@dataclass(frozen=True)
class Row:
    """One measured figure: the veo3 value, the baseline value from the same run, their ratio."""

    label: str
    unit: str
    value: Stat | None
    baseline_label: str = ""
    baseline: Stat | None = None
    ratio: Stat | None = None
    target: Target | None = None

    @property
    def met(self) -> bool | None:
        """Whether the target is met (None: no target or nothing to compare)."""
        return self.target.met(self) if self.target else None


@dataclass
class Section:
    """The result of one benchmark: a table of rows and notes explaining them."""

    key: str
    title: str
    method: str
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Budget:
    """How much work each benchmark does: ``full()`` for the report, ``quick()`` for the smoke test."""

    repeats: int
    #: Seconds one per-call sample should last (calls per sample are calibrated to it, up to ``calls``).
    sample_seconds: float
    calls: int
    loopback_calls: int
    startup_runs: int
    fanout_tasks: int
    #: Reads gathered at once with no bound outside the client (shows the pool's queue cost).
    fanout_burst: int
    ratelimit_creates: int
    #: Windows (seconds) the rate-limit benchmark scales kie's 10 s window down to; the smallest is the stress case.
    ratelimit_windows: tuple[float, ...]
    download_sizes_mb: tuple[int, ...]
    #: (small, large) MB: the upload benchmark's memory-flatness pair.
    upload_sizes_mb: tuple[int, int]
    polling_tasks: int
    polling_seconds: float
    sim_requests: int

    @classmethod
    def full(cls) -> Budget:
        """The budget of ``make bench`` (a few minutes on 2 cores)."""
        return cls(
            repeats=9,
            sample_seconds=0.15,
            calls=5000,
            loopback_calls=1000,
            startup_runs=9,
            fanout_tasks=1000,
            fanout_burst=400,
            ratelimit_creates=100,
            ratelimit_windows=(0.5, 2.5),
            download_sizes_mb=(10, 500),
            upload_sizes_mb=(2, 200),
            polling_tasks=20,
            polling_seconds=7.0,
            sim_requests=1500,
        )

    @classmethod
    def quick(cls) -> Budget:
        """A budget that only proves every benchmark still runs (seconds)."""
        return cls(
            repeats=1,
            sample_seconds=0.01,
            calls=20,
            loopback_calls=5,
            startup_runs=1,
            fanout_tasks=10,
            fanout_burst=10,
            ratelimit_creates=21,
            ratelimit_windows=(0.5,),
            download_sizes_mb=(1, 2),
            upload_sizes_mb=(1, 4),
            polling_tasks=2,
            polling_seconds=0.5,
            sim_requests=50,
        )


@contextmanager
def no_gc() -> Iterator[None]:
    """Collect, then keep the cyclic GC out of a timed block (as ``timeit`` does)."""
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


#: A sample is the best of this many equal chunks: on a shared machine a chunk that lost the CPU to
#: another process is interference, not the code's cost (the reasoning behind ``timeit``'s min).
CHUNKS = 5


def per_call_seconds(fn: Callable[[], object], calls: int) -> float:
    """Wall time of one ``fn()``: ``calls`` back-to-back calls in ``CHUNKS`` chunks, the fastest chunk's mean."""
    size = max(1, calls // CHUNKS)
    best = float("inf")
    with no_gc():
        for _ in range(CHUNKS if calls >= CHUNKS else 1):
            start = time.perf_counter()
            for _ in range(size):
                fn()
            best = min(best, (time.perf_counter() - start) / size)
    return best


def paired(
    baseline: Callable[[], float], subject: Callable[[], float], repeats: int
) -> tuple[list[float], list[float]]:
    """Run baseline and subject ``repeats`` times, alternating which goes first to cancel drift."""
    base: list[float] = []
    subj: list[float] = []
    for i in range(repeats):
        if i % 2:
            subj.append(subject())
            base.append(baseline())
        else:
            base.append(baseline())
            subj.append(subject())
    return base, subj
