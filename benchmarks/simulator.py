"""The simulator's own throughput on loopback: create + poll requests per second."""

from __future__ import annotations

import asyncio

from benchmarks import _clients, _loadgen
from benchmarks._payloads import GENERATE, RECORD_INFO
from benchmarks._servers import serve
from benchmarks._stats import Budget, Row, Section, Stat, Target, ratios

RATE_TARGET = Target(">=", 1000.0, on="value")
CONCURRENCY = 32
POLLS_PER_CREATE = 3


def _throughput(url: str, total: int) -> tuple[float, int]:
    seconds, sent, errors = asyncio.run(
        _loadgen.create_and_poll(
            url, (GENERATE, {"prompt": "a benchmark"}), RECORD_INFO, total, CONCURRENCY, POLLS_PER_CREATE
        )
    )
    return sent / seconds, errors


def measure(budget: Budget) -> Section:
    """Requests per second of the simulator vs a fixed-reply Starlette app, both under uvicorn in a child."""
    section = Section(
        key="simulator",
        title="Simulator throughput (loopback)",
        method=(
            f"{budget.sim_requests} requests per sample over {CONCURRENCY} keep-alive connections, each connection "
            f"repeating one `generate` then {POLLS_PER_CREATE} `record-info` polls of the task it created; rate "
            "limit disabled. The server runs under uvicorn in a child process; the load comes from a lean asyncio "
            "HTTP/1.1 client (so the client costs little of the 2 shared cores). Baseline: a Starlette app under "
            "the same uvicorn answering the same routes with fixed bytes (the ceiling of the stack). "
            f"{budget.repeats} samples each, interleaved per sample (servers kept warm)."
        ),
    )
    if not _clients.simulator_available():
        section.notes.append("`veo3.mock` did not exist when this ran: baseline only.")
    with serve("benchmarks._apps:fixed_replies") as base_url:
        _throughput(base_url, min(500, budget.sim_requests))  # warm-up
        base = [_throughput(base_url, budget.sim_requests)[0] for _ in range(budget.repeats)]
        if not _clients.simulator_available():
            section.rows.append(Row("fixed-reply Starlette app", "req/s", Stat.of(base)))
            return section
    with serve("benchmarks._apps:simulator", ready_path=RECORD_INFO, rate_limit=None, time_scale=0.01) as sim_url:
        _throughput(sim_url, min(500, budget.sim_requests))
        subj: list[float] = []
        errors = 0
        for _ in range(budget.repeats):
            rate, errs = _throughput(sim_url, budget.sim_requests)
            subj.append(rate)
            errors += errs
    section.rows.append(
        Row(
            "simulator: create + poll",
            "req/s",
            Stat.of(subj),
            "fixed-reply Starlette app",
            Stat.of(base),
            ratios(subj, base),
            RATE_TARGET,
        )
    )
    row = section.rows[-1]
    if row.met is False and row.baseline is not None:
        section.notes.append(
            f"Why below 1000 req/s: the simulator reaches {row.ratio.median if row.ratio else 0:.0%} of a "
            f"fixed-reply Starlette app on the same server ({row.baseline.median:.0f} req/s), so the stack is the "
            "ceiling, not the simulator: uvicorn here parses HTTP with h11 (pure Python) on the asyncio loop, "
            "and server and load generator share 2 busy cores. Fix: install uvicorn's optional `httptools` "
            "and `uvloop` (`uvicorn[standard]`) for `make mock` and the benchmarks; the simulator needs no change."
        )
    if errors:
        section.notes.append(f"{errors} answers were not HTTP 200 / code 200 during the simulator samples.")
    return section
