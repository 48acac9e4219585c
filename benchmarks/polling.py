"""Polling: requests per completed task and detection latency, for a task of known duration."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx

from benchmarks import _clients
from benchmarks._payloads import GENERATE, RECORD_INFO
from benchmarks._servers import serve
from benchmarks._sim import SIMULATOR
from benchmarks._stats import Budget, Row, Section, Stat

RAW_INTERVAL = 2.0  # the hand-written baseline polls every 2 s (veo3's first interval)
PROMPT = "a polled benchmark"


class _Polls:
    """Counts record-info requests (an httpx event hook)."""

    def __init__(self) -> None:
        self.count = 0

    async def hook(self, request: httpx.Request) -> None:
        if request.url.path == RECORD_INFO:
            self.count += 1


async def _raw_task(client: httpx.AsyncClient, duration: float) -> float:
    """Create, then poll every RAW_INTERVAL s; seconds from the task's known end to its detection."""
    sent = time.perf_counter()
    task_id = (await client.post(GENERATE, json={"prompt": PROMPT})).json()["data"]["taskId"]
    while True:
        await asyncio.sleep(RAW_INTERVAL)
        data = (await client.get(RECORD_INFO, params={"taskId": task_id})).json().get("data") or {}
        if data.get("successFlag") in (1, 2, 3):
            return time.perf_counter() - sent - duration


async def _veo3_task(client: Any, duration: float) -> float:
    """``generate`` then ``wait`` with the client's default (adaptive) schedule."""
    sent = time.perf_counter()
    task = await client.generate(PROMPT)
    info = await client.wait(task.task_id, timeout=600.0)
    if not info.is_success:
        raise RuntimeError("polled task failed")
    return time.perf_counter() - sent - duration


async def _both(url: str, tasks: int, duration: float) -> tuple[list[float], int, list[float], int]:
    raw_polls, v_polls = _Polls(), _Polls()
    async with (
        _clients.raw_async(url, event_hooks={"request": [raw_polls.hook]}) as raw,
        _clients.raw_async(url, event_hooks={"request": [v_polls.hook]}) as inner,
        _clients.veo3_async(url, http_client=inner, **_clients.no_rate_limit()) as client,
    ):
        raw_lat, v_lat = await asyncio.gather(
            asyncio.gather(*(_raw_task(raw, duration) for _ in range(tasks))),
            asyncio.gather(*(_veo3_task(client, duration) for _ in range(tasks))),
        )
    return list(raw_lat), raw_polls.count, list(v_lat), v_polls.count


def _schedule_note() -> str:
    """Polls and worst-case latency the client's default schedule implies for typical kie durations."""
    from veo3._core._polling import TASK_SCHEDULE

    parts = []
    for seconds in (60, 120, 300):
        elapsed, polls, interval = 0.0, 1, TASK_SCHEDULE.first  # wait() polls once at once
        while elapsed < seconds:
            elapsed += interval
            polls += 1
            interval = min(TASK_SCHEDULE.cap, interval * TASK_SCHEDULE.factor)
        parts.append(f"{seconds} s task: {polls} polls, detected {elapsed - seconds:.1f} s late")
    return (
        "For a task of unknown age (created elsewhere): computed from `veo3._core._polling.TASK_SCHEDULE` (first "
        f"{TASK_SCHEDULE.first:g} s, x{TASK_SCHEDULE.factor:g}, cap {TASK_SCHEDULE.cap:g} s; jitter ignored), "
        "not measured, for kie's real 1-5 min generations: "
        + "; ".join(parts)
        + f". A fixed {RAW_INTERVAL:g} s poller would send 30 / 60 / 150 requests for the same tasks."
    )


def measure(budget: Budget) -> Section:
    """veo3's default adaptive wait vs a raw fixed-interval poller, on tasks that take a known time."""
    duration, tasks = budget.polling_seconds, budget.polling_tasks
    section = Section(
        key="polling",
        title="Polling: requests per task and detection latency",
        method=(
            f"The simulator (time scale 1) finishes every generation exactly {duration:g} s after it is created. "
            f"{tasks} tasks are created and waited for by `AsyncVeo3Client.generate` + `wait()` with its default "
            f"adaptive schedule, while {tasks} others are created and polled by raw httpx every {RAW_INTERVAL:g} "
            "s (the baseline), all at the same time. Detection latency = time from sending the create to seeing "
            f"the task finished, minus the known {duration:g} s. Requests = record-info calls per task. "
            "One sample per task."
        ),
    )
    if not (_clients.simulator_available() and _clients.veo3_client_available()):
        section.notes.append("`veo3.mock` or `veo3.AsyncVeo3Client` did not exist when this ran: not measured.")
        return section
    config = {"rate_limit": None, "time_scale": 1.0, "generation_seconds": duration}
    with serve(SIMULATOR, ready_path=RECORD_INFO, **config) as url:
        raw_lat, raw_polls, v_lat, v_polls = asyncio.run(_both(url, tasks, duration))
    raw_req, v_req = raw_polls / tasks, v_polls / tasks
    base = f"raw httpx, fixed {RAW_INTERVAL:g} s"
    section.rows.append(
        Row(
            "record-info requests per task",
            "req",
            Stat.of([v_req]),
            base,
            Stat.of([raw_req]),
            Stat.of([v_req / raw_req]),
        )
    )
    lat, raw_stat = Stat.of(v_lat), Stat.of(raw_lat)
    section.rows.append(Row("detection latency", "s", lat, base, raw_stat, Stat.of([lat.median / raw_stat.median])))
    section.notes.append(
        f"The known duration ({duration:g} s) is not a multiple of the baseline's {RAW_INTERVAL:g} s interval, "
        f"so the baseline sees the task one second late, its average over random phases (a duration of 8 s "
        "would let it see the task at once and flatter it). On a server other than kie's, `wait()` starts "
        "with no typical durations and these tasks all start before any ends (nothing learned yet): it asks "
        "once at once, then sleeps its growing intervals (2 s, 3 s, 4.5 s, ..., jittered): fewer requests "
        "for long tasks, later detection for short ones. Lateness on kie-like tasks, per path: section batch."
    )
    section.notes.append(_schedule_note())
    return section
