"""Rate-limit behaviour: creates against the simulator's documented limit (20 / 10 s per key), time-scaled."""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from benchmarks import _clients
from benchmarks._payloads import GENERATE, RECORD_INFO
from benchmarks._servers import serve
from benchmarks._sim import SIMULATOR
from benchmarks._stats import Budget, Row, Section, Stat, Target

LIMIT = 20
WINDOW = 10.0  # kie seconds
SHARE_TARGET = Target(">=", 95.0, on="value")
ZERO_429 = Target("<=", 0.0, on="value")
PROMPT = "a rate-limited benchmark"

Run = tuple[int, float, int]  # creates accepted, seconds to the last acceptance, HTTP 429s on the wire


class _Tally:
    """Counts HTTP 429 answers (a response event hook: sees the client's retries too)."""

    def __init__(self) -> None:
        self.rejected = 0

    async def hook(self, response: httpx.Response) -> None:
        if response.status_code == 429:
            self.rejected += 1


def ideal_seconds(accepted: int, window: float) -> float:
    """The least time in which ``accepted`` creates can all be accepted under a sliding window."""
    return max(0, math.ceil(accepted / LIMIT) - 1) * window


async def _burst(n: int, create: Callable[[Any], Awaitable[object]], client: Any) -> tuple[int, float]:
    """Fire ``n`` creates at once; (accepted, seconds from the start to the last acceptance)."""
    accepted: list[float] = []
    start = time.perf_counter()

    async def one() -> None:
        try:
            await create(client)
        except Exception:  # a create the client gave up on (429 after its retries): counted as not accepted
            return
        accepted.append(time.perf_counter())

    await asyncio.gather(*(one() for _ in range(n)))
    return len(accepted), (max(accepted) - start) if accepted else 0.0


async def _raw(url: str, n: int) -> Run:
    tally = _Tally()

    async def create(client: httpx.AsyncClient) -> None:
        response = await client.post(GENERATE, json={"prompt": PROMPT})
        if response.status_code != 200 or response.json().get("code") != 200:
            raise RuntimeError("refused")

    async with _clients.raw_async(url, event_hooks={"response": [tally.hook]}) as client:
        accepted, seconds = await _burst(n, create, client)
    return accepted, seconds, tally.rejected


async def _veo3(url: str, n: int, *, rate_limit: tuple[int, float] | None) -> Run:
    tally = _Tally()

    async def create(client: Any) -> None:
        await client.generate(PROMPT)

    async with (
        _clients.raw_async(url, event_hooks={"response": [tally.hook]}) as inner,
        _clients.veo3_async(url, http_client=inner, rate_limit=rate_limit) as client,
    ):
        accepted, seconds = await _burst(n, create, client)
    return accepted, seconds, tally.rejected


def _shares(runs: list[Run], window: float) -> list[float]:
    return [100.0 * ideal_seconds(a, window) / s for a, s, _ in runs if s > 0 and a > LIMIT]


def _rows(label: str, runs: list[Run], n: int, window: float, target: bool) -> list[Row]:
    rows = [
        Row(f"{label}: creates accepted of {n}", "", Stat.of([float(a) for a, _, _ in runs])),
        Row(
            f"{label}: HTTP 429 received",
            "",
            Stat.of([float(r) for _, _, r in runs]),
            target=ZERO_429 if target else None,
        ),
    ]
    shares = _shares(runs, window)
    if shares:
        rows.append(
            Row(f"{label}: share of the allowed rate", "%", Stat.of(shares), target=SHARE_TARGET if target else None)
        )
    return rows


def _lag(runs: list[Run], window: float) -> float | None:
    """Median seconds each window costs beyond the window itself (the latency of a burst of creates)."""
    lags = sorted(s / (math.ceil(a / LIMIT) - 1) - window for a, s, _ in runs if a > LIMIT)
    return lags[len(lags) // 2] if lags else None


def _paced_label(window: float) -> str:
    return f"veo3 paced, window {window:g} s (`rate_limit=({LIMIT}, {window:g})`)"


def _why(stress: float, runs: list[Run]) -> str:
    """Why the paced share falls as the window shrinks: the per-window cost is latency, not pacing."""
    lag = _lag(runs, stress)
    if lag is None:
        return "Too few creates were accepted to estimate the per-window latency."
    return (
        f"Why the paced share falls as the window shrinks: a slot frees one window after a *reply*, so each "
        f"window costs the window plus the time a burst of {LIMIT} creates takes to be answered — "
        f"{lag * 1000:.0f} ms (median, window {stress:g} s) on this machine, where client and simulator share "
        f"the cores. That latency is a fixed cost, so its share shrinks with the window: at kie's real "
        f"{WINDOW:g} s window it projects to {100 * WINDOW / (WINDOW + lag):.1f} % (from this run, not measured). "
        "The target applies to every window measured; the smallest one is there to stress the limiter."
    )


def measure(budget: Budget) -> Section:
    """Accepted creates, 429s and the share of the allowed rate: raw httpx, veo3 unpaced, veo3 paced."""
    n = budget.ratelimit_creates
    repeats = min(3, budget.repeats)
    windows = budget.ratelimit_windows
    stress = min(windows)
    section = Section(
        key="ratelimit",
        title="Rate limit: creates against 20 per 10 s per key",
        method=(
            f"The simulator enforces the documented limit ({LIMIT} creates per {WINDOW:g} s per key, sliding "
            f"window), time-scaled so a window lasts {' or '.join(f'{w:g} s' for w in windows)} (kie's is "
            f"{WINDOW:g} s). {n} `generate` calls are started at once on one event loop; {repeats} samples per "
            f"client and window. Share of the allowed rate = the least time in which the accepted creates could be "
            f"accepted ((⌈accepted/{LIMIT}⌉ - 1) x window) divided by the time until the last was accepted; "
            "100 % is perfect pacing. HTTP 429s are counted on the wire (retries included). Baseline: the allowed "
            f"rate itself; at the {stress:g} s window, raw httpx firing the same burst (no retries) and veo3 with "
            "its limiter off show what the server does to an unpaced client."
        ),
    )
    if not _clients.simulator_available():
        section.notes.append("`veo3.mock` did not exist when this ran: not measured.")
        return section
    raw_runs: list[Run] = []
    unpaced_runs: list[Run] = []
    paced_runs: dict[float, list[Run]] = {w: [] for w in windows}
    quiet = logging.getLogger("veo3")  # the client logs every 429 retry: hundreds of lines here
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        for window in sorted(windows):
            config = {"rate_limit": LIMIT, "rate_window": WINDOW, "time_scale": window / WINDOW}
            with serve(SIMULATOR, ready_path=RECORD_INFO, **config) as url:
                for _ in range(repeats):
                    if window == stress:
                        raw_runs.append(asyncio.run(_raw(url, n)))
                        time.sleep(window * 1.2)  # let the window empty between samples
                        unpaced_runs.append(asyncio.run(_veo3(url, n, rate_limit=None)))
                        time.sleep(window * 1.2)
                    paced_runs[window].append(asyncio.run(_veo3(url, n, rate_limit=(LIMIT, window))))
                    time.sleep(window * 1.2)
    finally:
        quiet.setLevel(level)
    section.rows += _rows(f"raw httpx burst, window {stress:g} s", raw_runs, n, stress, False)
    section.rows += _rows(f"veo3 unpaced, window {stress:g} s (`rate_limit=None`)", unpaced_runs, n, stress, False)
    for window in sorted(windows):
        section.rows += _rows(_paced_label(window), paced_runs[window], n, window, True)
    section.notes.append(_why(stress, paced_runs[stress]))
    section.notes.append(
        "Unpaced (`rate_limit=None`), the client meets the limit by collecting 429s and backing off (a "
        "refused create is repeated up to `max_retries` times, then `RateLimitError`), which is what the "
        '`rate_limit=None` rows show. Paced (the default `rate_limit="kie"`: the spec\'s `x-rate-limit`, 20 per '
        "10 s; here the window scaled like the simulator's) `veo3._ratelimit.SlidingWindowLimiter` frees a slot "
        "one window after the *reply* of the create 20 slots back, so arrivals at the server are a window apart "
        "whatever the network delay (spacing *sends* by the window still got 429s on this loaded machine)."
    )
    return section
