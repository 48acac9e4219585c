"""Per-call overhead over loopback: veo3 vs raw httpx against the simulator under uvicorn (child process)."""

from __future__ import annotations

from benchmarks import _calls, _clients
from benchmarks._payloads import RECORD_INFO
from benchmarks._servers import serve
from benchmarks._sim import SIMULATOR, successful_task
from benchmarks._stats import Budget, Row, Section


def measure(budget: Budget) -> Section:
    """Sync and async ``get_task``/``extend`` per-call time against the simulator on 127.0.0.1."""
    section = Section(
        key="loopback",
        title="Per-call overhead over loopback (simulator under uvicorn)",
        method=(
            "The simulator (`veo3.mock.create_app`, rate limit off) runs under uvicorn in a child process on "
            "127.0.0.1; both clients keep one keep-alive connection. `get_task` reads a finished task, `extend` "
            "extends it (each call creates a task). Baseline: raw httpx sending the same request + `json.loads`. "
            f"Sequential calls per sample (as many as fit in ~{budget.sample_seconds:g} s, measured on a warm-up), "
            f"{budget.repeats} samples each, interleaved. The server's time is in both sides, so ratios here "
            "are closer to 1 than in-process."
        ),
    )
    if not _clients.simulator_available():
        section.notes.append("`veo3.mock` did not exist when this ran: not measured.")
        return section
    with serve(SIMULATOR, ready_path=RECORD_INFO, rate_limit=None, time_scale=0.001) as url:
        with _clients.raw_sync(url) as raw:
            task_id = successful_task(raw)
            if not _clients.veo3_client_available():
                section.notes.append("`veo3.Veo3Client` did not exist when this ran: not measured.")
                return section
            with _clients.raw_sync(url) as inner, _clients.veo3_sync(url, http_client=inner) as client:
                section.rows += _calls.sync_rows(raw, client, task_id, budget, budget.loopback_calls, "", None)

        async def async_part() -> list[Row]:
            async with (
                _clients.raw_async(url) as raw_a,
                _clients.raw_async(url) as inner_a,
                _clients.veo3_async(url, http_client=inner_a) as client_a,
            ):
                return await _calls.async_rows(raw_a, client_a, task_id, budget, budget.loopback_calls, "", None)

        section.rows += _calls.run_async(async_part())
    return section
