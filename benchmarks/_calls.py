"""Per-call cost of ``get_task`` and ``extend``: veo3 against raw httpx + ``json.loads`` on the same transport."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from veo3._spec import _document as _spec

from benchmarks._payloads import EXTEND, RECORD_INFO, extend_request
from benchmarks._stats import CHUNKS, Budget, Row, Stat, Target, no_gc, paired, per_call_seconds, ratios

OVERHEAD_TARGET = Target("<=", 1.5)


def calibrated(per_call: float, budget: Budget, most: int) -> int:
    """Calls per sample so one sample lasts about ``budget.sample_seconds`` (between 10 and ``most``)."""
    return max(min(10, most), min(most, int(budget.sample_seconds / max(per_call, 1e-9))))


def _extend_body(task_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The documented extend example for ``task_id`` (without its callback URL: a simulator would POST to
    it, and benchmarks stay on loopback), and the same optional fields as the client's keywords."""
    op = _spec.operation("extend-veo3-1-video")
    body = {k: v for k, v in extend_request().items() if k not in op.callback_fields}
    body["taskId"] = task_id
    kwargs = {f.python_name: body[f.json_name] for f in op.request_fields if not f.required and f.json_name in body}
    return body, kwargs


def _row(label: str, base: list[float], subj: list[float], target: Target | None) -> Row:
    micro = 1e6
    return Row(
        label=label,
        unit="µs/call",
        value=Stat.of([s * micro for s in subj]),
        baseline_label="raw httpx + json.loads",
        baseline=Stat.of([b * micro for b in base]),
        ratio=ratios(subj, base),
        target=target,
    )


def sync_rows(
    raw: httpx.Client, client: Any, task_id: str, budget: Budget, calls: int, prefix: str, target: Target | None
) -> list[Row]:
    """Rows for sync ``get_task`` and ``extend``: each measured ``budget.repeats`` times, paired with raw."""
    body, kwargs = _extend_body(task_id)
    pairs: list[tuple[str, Callable[[], object], Callable[[], object]]] = [
        (
            "get_task",
            lambda: json.loads(raw.get(RECORD_INFO, params={"taskId": task_id}).content),
            lambda: client.get_task(task_id),
        ),
        (
            "extend",
            lambda: json.loads(raw.post(EXTEND, json=body).content),
            lambda: client.extend(task_id, body["prompt"], **kwargs),
        ),
    ]
    rows = []
    for name, base_fn, subj_fn in pairs:
        warm = max(1, min(50, calls))
        slowest = max(per_call_seconds(base_fn, warm), per_call_seconds(subj_fn, warm))
        n = calibrated(slowest, budget, calls)
        base, subj = paired(
            lambda f=base_fn, n=n: per_call_seconds(f, n),  # type: ignore[misc]
            lambda f=subj_fn, n=n: per_call_seconds(f, n),  # type: ignore[misc]
            budget.repeats,
        )
        rows.append(_row(f"{prefix}sync `{name}`", base, subj, target))
    return rows


async def per_call_async(fn: Callable[[], Awaitable[object]], calls: int) -> float:
    """Wall time of one ``await fn()``: the fastest chunk's mean, as ``per_call_seconds``."""
    size = max(1, calls // CHUNKS)
    best = float("inf")
    with no_gc():
        for _ in range(CHUNKS if calls >= CHUNKS else 1):
            start = time.perf_counter()
            for _ in range(size):
                await fn()
            best = min(best, (time.perf_counter() - start) / size)
    return best


async def async_rows(
    raw: httpx.AsyncClient, client: Any, task_id: str, budget: Budget, calls: int, prefix: str, target: Target | None
) -> list[Row]:
    """Rows for async ``get_task`` and ``extend`` (sequential awaits: the cost of one call)."""
    body, kwargs = _extend_body(task_id)

    async def raw_get() -> object:
        return json.loads((await raw.get(RECORD_INFO, params={"taskId": task_id})).content)

    async def raw_extend() -> object:
        return json.loads((await raw.post(EXTEND, json=body)).content)

    async def veo3_get() -> object:
        return await client.get_task(task_id)

    async def veo3_extend() -> object:
        return await client.extend(task_id, body["prompt"], **kwargs)

    rows = []
    for name, base_fn, subj_fn in (("get_task", raw_get, veo3_get), ("extend", raw_extend, veo3_extend)):
        warm = max(1, min(50, calls))
        slowest = max(await per_call_async(base_fn, warm), await per_call_async(subj_fn, warm))
        n = calibrated(slowest, budget, calls)
        base: list[float] = []
        subj: list[float] = []
        for i in range(budget.repeats):
            order = [(base, base_fn), (subj, subj_fn)]
            for sink, fn in order if i % 2 == 0 else reversed(order):
                sink.append(await per_call_async(fn, n))
        rows.append(_row(f"{prefix}async `{name}`", base, subj, target))
    return rows


def run_async(coro: Awaitable[list[Row]]) -> list[Row]:
    """Run a coroutine producing rows on a fresh event loop."""

    async def main() -> list[Row]:
        return await coro

    return asyncio.run(main())
