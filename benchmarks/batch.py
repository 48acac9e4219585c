"""``veo3 batch``: 500 jobs against the rate-limit bound, memory vs queued lines, detection lateness.

Three measurements (issue 14's targets):
1. 500 jobs (generate, wait, download) through ``BatchRunner`` against the simulator in a child process,
   on a scaled clock: wall time vs the bound the rate limit sets (jobs / creates per second), and
   record-info requests vs an ideal poller's (one per task: the request that sees it done).
2. Peak RSS of a child that checks a file of N queued lines (every line validated and priced) and runs
   its first 100 jobs (in-process simulator), for N = 100 and 10,000.
3. Detection lateness (kie seconds from a task's end to its detection) and requests per task, for tasks
   of realistic, varied durations per model on the simulator's scaled clock, on every path a task is
   waited for (``wait()``, ``generate_and_wait``, the batch without and with history), all on the one
   learned schedule, against the schedule ``wait()`` had before (asked at once, then growing).
"""

from __future__ import annotations

import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from benchmarks import _clients
from benchmarks._child import PEAK, run_child
from benchmarks._payloads import API_KEY, GENERATE, RECORD_INFO
from benchmarks._servers import serve
from benchmarks._sim import SIMULATOR
from benchmarks._stats import Budget, Row, Section, Stat, Target

SCALE = 0.1  # kie seconds -> wall seconds for the 500-job run (a 10 s rate window lasts 1 s)
JOBS = 500
MEMORY_LINES = (100, 10_000)
MEMORY_RUN = 100  # jobs the memory child actually runs
# Realistic kie generation times (kie: "typically 2-5 minutes"; Fast is quicker): log-normal per model.
MODELS = {"veo3_fast": (90.0, 0.15), "veo3": (180.0, 0.2)}
LATENESS_SCALE = 0.2  # 1 kie s = 0.2 s: the machine's own latency is not magnified much
STAGGER = 2.0  # wall seconds over which the lateness tasks start (no burst of creates)


def _jobs_file(folder: Path, lines: int) -> Path:
    path = folder / f"jobs-{lines}.jsonl"
    with path.open("w") as handle:
        for n in range(lines):
            handle.write(json.dumps({"id": f"job-{n}", "prompt": f"a benchmark video number {n}"}) + "\n")
    return path


# -- 1. throughput against the rate limit -------------------------------------------------------------


async def _run_500(url: str, jobs: int, out: Path) -> tuple[float, int, int]:
    from veo3._spec._document import create_rate_limit
    from veo3.batch import BatchRunner, LearnedSchedule, MemoryStore, as_jobs

    limit = create_rate_limit()
    polls = 0

    async def count(request: httpx.Request) -> None:
        nonlocal polls
        polls += request.url.path == RECORD_INFO

    async with (
        _clients.raw_async(url, event_hooks={"request": [count]}, timeout=60) as inner,
        _clients.veo3_async(url, http_client=inner, rate_limit=(limit.creates, limit.seconds * SCALE)) as client,
    ):
        runner = BatchRunner(client, MemoryStore(), out_dir=out, concurrency=100, schedule=LearnedSchedule(scale=SCALE))
        items = ({"id": f"j{n}", "prompt": f"video {n}"} for n in range(jobs))
        start = time.perf_counter()
        ok = sum([r.status == "success" async for r in runner.results(as_jobs(items))])
        wall = time.perf_counter() - start
    return wall, polls, ok


def _throughput(section: Section, jobs: int) -> None:
    from veo3._spec._document import create_rate_limit

    limit = create_rate_limit()
    bound = jobs / (limit.creates / (limit.seconds * SCALE))
    with serve(SIMULATOR, ready_path=RECORD_INFO, time_scale=SCALE) as url, tempfile.TemporaryDirectory() as out:
        wall, polls, ok = asyncio.run(_run_500(url, jobs, Path(out)))
    if ok != jobs:
        raise RuntimeError(f"only {ok} of {jobs} jobs succeeded")
    section.rows.append(
        Row(f"{jobs} jobs: wall time", "s", Stat.of([wall]), "rate-limit bound", Stat.of([bound]),
            Stat.of([wall / bound]), Target("<=", 1.05))
    )  # fmt: skip
    section.rows.append(
        Row("record-info requests", "req", Stat.of([polls]), "ideal poller (1 per task)", Stat.of([jobs]),
            Stat.of([polls / jobs]), Target("<=", 1.1))
    )  # fmt: skip


# -- 2. memory vs queued lines ---------------------------------------------------------------------------


def memory_child() -> None:
    """Child entry: check ``argv[1]`` whole, then run its first MEMORY_RUN jobs on an in-process simulator."""
    from veo3 import AsyncVeo3Client
    from veo3._core._flows import Core
    from veo3._spec._prices import default_prices
    from veo3.batch import BatchRunner, Job, LearnedSchedule, MemoryStore, plan, read_jobs
    from veo3.mock import MockConfig, create_app

    path = Path(sys.argv[1])
    checked = plan(read_jobs(path), Core(max_retries=0, clock=time.monotonic), default_prices())
    assert checked.valid, checked.errors[:3]

    async def run() -> int:
        app = create_app(MockConfig(time_scale=0.0001, rate_limit=None))
        transport = httpx.ASGITransport(app=app)
        async with (
            httpx.AsyncClient(transport=transport) as http,
            AsyncVeo3Client(API_KEY, base_url="http://127.0.0.1", http_client=http, rate_limit=None) as client,
        ):
            runner = BatchRunner(client, MemoryStore(), concurrency=20, schedule=LearnedSchedule.fixed(0.001))
            done = 0
            jobs = (j for j in read_jobs(path) if isinstance(j, Job))
            async for _ in runner.results(jobs):
                done += 1
                if done == MEMORY_RUN:
                    break
            return done

    print("ran", asyncio.run(run()))


def _memory(section: Section, sizes: tuple[int, int]) -> None:
    peaks: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        for lines in sizes:
            path = _jobs_file(Path(folder), lines)
            peaks[lines] = run_child(
                [sys.executable, PEAK, "--entry", "benchmarks.batch:memory_child", str(path)]
            ).max_rss_mib
    small, large = sizes
    section.rows.append(
        Row(f"peak RSS, {large:,} queued lines", "MiB", Stat.of([peaks[large]]), f"{small} lines",
            Stat.of([peaks[small]]), Stat.of([peaks[large] / peaks[small]]), Target("<=", 1.2))
    )  # fmt: skip


# -- 3. detection lateness ----------------------------------------------------------------------------------


def _durations(rng: random.Random, model: str, n: int) -> list[float]:
    median, sigma = MODELS[model]
    return [rng.lognormvariate(0.0, sigma) * median for _ in range(n)]


# The paths a finished task can be seen on. All but the baseline poll on the one learned schedule
# (``veo3._core._polling.LearnedSchedule``); the client paths run on a fresh client set up as for kie's own host
# (typical durations, no history yet), the simulator's clock being scaled.
PATHS = {
    "baseline": "the previous wait() schedule (asks at once, then 2 s growing x1.5 to 15 s)",
    "wait": "AsyncVeo3Client.generate + wait() (fresh client: kie's typical durations)",
    "generate_and_wait": "AsyncVeo3Client.generate_and_wait (fresh client: kie's typical durations)",
    "batch-first": "batch, first run (no history: kie's typical durations)",
    "batch-learned": "batch with history (30 earlier durations per model from its store)",
}


async def _lateness(tasks_per_model: int, scale: float) -> dict[str, tuple[list[float], list[int]]]:
    from veo3._core._polling import TYPICAL_SECONDS, LearnedSchedule
    from veo3.mock import MockConfig, MockServer

    rng = random.Random(14)
    history = {m: _durations(rng, m, 30) for m in MODELS}  # what the batch store knows of earlier tasks
    results: dict[str, tuple[list[float], list[int]]] = {path: ([], []) for path in PATHS}
    config = MockConfig(time_scale=scale, rate_limit=None)
    async with MockServer(config) as srv:
        polls: dict[str, int] = {}
        seconds_of: dict[str, float] = {}  # prompt -> the kie seconds its task is to take

        async def count(request: httpx.Request) -> None:
            task_id = request.url.params.get("taskId")
            if request.url.path == RECORD_INFO and task_id:
                polls[task_id] = polls.get(task_id, 0) + 1

        async def timed(response: httpx.Response) -> None:
            # Give each new task its drawn duration before the client can ask about it.
            if response.request.method == "POST" and response.request.url.path == GENERATE:
                await response.aread()
                task = srv.state.tasks[response.json()["data"]["taskId"]]
                prompt = json.loads(response.request.content)["prompt"]
                task.ready_at = task.created_at + seconds_of[prompt] * scale

        hooks = {"request": [count], "response": [timed]}
        async with _clients.raw_async(srv.url, event_hooks=hooks, timeout=60) as inner:

            def fresh_client() -> Any:
                client = _clients.veo3_async(srv.url, http_client=inner)
                client.engine.flows.schedule = LearnedSchedule(scale=scale, typical=TYPICAL_SECONDS)
                return client

            async def one(path: str, model: str, seconds: float, delay: float, number: int) -> None:
                await asyncio.sleep(delay)
                prompt = f"a timed video {number}"
                seconds_of[prompt] = seconds
                client = fresh_client()
                if path == "generate_and_wait":
                    info = await client.generate_and_wait(prompt, model=model, timeout=600.0)
                    task_id = info.task_id
                elif path == "wait":
                    task_id = (await client.generate(prompt, model=model)).task_id
                    await client.wait(task_id, timeout=600.0)
                else:  # the batch's wait (BatchRunner._wait) and the baseline, on the same poll loop
                    core = client.engine.flows
                    task_id = (await client.generate(prompt, model=model)).task_id
                    key = f"generate:{model}"
                    if path == "baseline":
                        intervals = LearnedSchedule(scale=scale, learn=False).intervals([], 0.0, core.rng)
                    else:
                        known = history[model] if path == "batch-learned" else []
                        intervals = core.schedule.intervals(known, 0.0, core.rng, key)
                    flow = core.poll_task(task_id, timeout=600, intervals=intervals, sleep_first=path != "baseline")
                    await client.engine.driver.run(flow)
                # The simulator's clock is this process's monotonic clock (nothing advances it here).
                mock_task = srv.state.tasks[task_id]
                results[path][0].append((time.monotonic() - mock_task.ready_at) / scale)
                results[path][1].append(polls[task_id])

            draws = [(model, seconds) for model in MODELS for seconds in _durations(rng, model, tasks_per_model)]
            work = [
                one(path, model, seconds, rng.uniform(0, STAGGER), number * len(PATHS) + i)
                for number, (model, seconds) in enumerate(draws)
                for i, path in enumerate(PATHS)
            ]
            await asyncio.gather(*work)
    return results


def _detection(section: Section, tasks_per_model: int, scale: float) -> None:
    results = asyncio.run(_lateness(tasks_per_model, scale))
    base_late, base_req = results["baseline"]
    base = "previous wait() schedule"
    for path, label in PATHS.items():
        if path == "baseline":
            continue
        late, req = results[path]
        short = label.split(" (")[0]
        section.rows.append(
            Row(f"lateness (median): {short}", "kie s", Stat.of(late), base, Stat.of(base_late),
                Stat.of([statistics.median(late) / statistics.median(base_late)]), Target("<=", 3.0, on="value"))
        )  # fmt: skip
        section.rows.append(
            Row(f"record-info requests per task: {short}", "req", Stat.of(req), base, Stat.of(base_req),
                Stat.of([statistics.mean(req) / statistics.mean(base_req)]), Target("<=", 1.0))
        )  # fmt: skip
    section.notes.append(
        "Paths: " + "; ".join(f"{k}: {v}" for k, v in PATHS.items()) + ". The CLI's `generate --wait`, `extend "
        "--wait` and `wait` call the client's `wait()` (the wait path above), and `veo3 batch` the batch's. "
        "A task whose age is unknown (created elsewhere, and not in the journal) is still asked at once and "
        "polled on the growing schedule (the baseline's figures)."
    )


def measure(budget: Budget) -> Section:
    """The three batch measurements (a smaller job count under the quick budget)."""
    quick = budget.repeats == 1
    jobs = 60 if quick else JOBS
    models = ", ".join(f"{m} median {v[0]:g} s" for m, v in MODELS.items())
    section = Section(
        key="batch",
        title="Batch: pacing, memory, detection lateness",
        method=(
            f"(1) {jobs} jobs (generate, wait, download) through `veo3.batch.BatchRunner` (concurrency 100) "
            f"against the simulator in a child process at time scale {SCALE:g}, the client paced at the spec's "
            "`x-rate-limit` on the same scale; bound = jobs / allowed creates per second. Record-info requests "
            "counted by an httpx hook; the ideal poller sends one per task. "
            f"(2) Peak RSS (VmHWM) of a child that validates and prices every line of a file of N queued lines, "
            f"then runs its first {MEMORY_RUN} jobs on an in-process simulator. "
            f"(3) Tasks whose durations are drawn per model (log-normal: {models}), "
            f"set on the simulator's tasks, clock scaled x{LATENESS_SCALE:g}; each draw is waited for on every "
            "path (below), all at once; baseline: the schedule `wait()` used before it shared the learned one. "
            "Lateness in kie seconds from the task's end to the answer that shows it. One run each."
        ),
    )  # fmt: skip
    if not _clients.simulator_available():
        section.notes.append("`veo3.mock` missing: not measured.")
        return section
    _throughput(section, jobs)
    _memory(section, (MEMORY_LINES[0], 1000) if quick else MEMORY_LINES)
    _detection(section, 3 if quick else 30, 0.005 if quick else LATENESS_SCALE)
    return section
