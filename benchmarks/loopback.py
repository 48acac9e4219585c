"""Per-call overhead over loopback: veo3 vs raw httpx against the simulator under uvicorn (child process)."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import sys
import types

from benchmarks import _calls, _clients
from benchmarks._payloads import RECORD_INFO
from benchmarks._servers import serve
from benchmarks._sim import SIMULATOR, successful_task
from benchmarks._stats import Budget, Row, Section, Stat, ratios


async def _sniffio_samples(url: str, budget: Budget) -> tuple[list[float], list[float]]:
    """Raw async GET per call with ``sniffio`` missing (as installed here) and with a stub importable."""
    stub = types.ModuleType("sniffio")
    stub.current_async_library = lambda: "asyncio"  # type: ignore[attr-defined]
    missing: list[float] = []
    present: list[float] = []
    async with _clients.raw_async(url) as raw:

        async def get() -> object:
            return json.loads((await raw.get(RECORD_INFO, params={"taskId": "x"})).content)

        try:
            warm = await _calls.per_call_async(get, 20)
            n = _calls.calibrated(warm, budget, budget.loopback_calls)
            for i in range(budget.repeats):
                for sink, module in [(missing, None), (present, stub)][:: 1 if i % 2 == 0 else -1]:
                    if module is None:
                        sys.modules.pop("sniffio", None)
                    else:
                        sys.modules["sniffio"] = module
                    sink.append(await _calls.per_call_async(get, n))
        finally:
            sys.modules.pop("sniffio", None)
    return missing, present


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
            "each sample the fastest of 5 equal chunks, "
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
        if importlib.util.find_spec("sniffio") is None:
            missing, present = asyncio.run(_sniffio_samples(url, budget))
            micro = [x * 1e6 for x in present], [x * 1e6 for x in missing]
            section.rows.append(
                Row(
                    "raw httpx async GET, `sniffio` importable (stub)",
                    "µs/call",
                    Stat.of(micro[0]),
                    "same, `sniffio` missing (as installed)",
                    Stat.of(micro[1]),
                    ratios(present, missing),
                )
            )
            section.notes.append(
                "Found while profiling the fan-out: `sniffio` is not installed here (anyio 4 no longer needs it), "
                "and httpcore 1.0 then runs a failing `import sniffio` - a full search of `sys.path` - every time "
                "it creates an async lock, several times per request. The last row measures raw httpx with a stub "
                "`sniffio` importable; the saving applies to `AsyncVeo3Client` equally. Fix: depend on `sniffio` "
                "(tiny, pure Python)."
            )
    return section
