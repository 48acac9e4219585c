"""Many videos from one list of jobs: ``veo3 batch FILE`` and ``Veo3Client.batch``/``AsyncVeo3Client.batch``.

* ``read_jobs(path)`` reads a JSON Lines or CSV file lazily (``Job`` or ``LineError`` per line);
  ``validate_job`` checks a job with the library's own validation (nothing sent);
  ``plan`` checks a whole file and prices it (``veo3._prices``).
* ``BatchRunner`` runs jobs (asyncio), resumable through a ``BatchStore`` (``MemoryStore`` here, the task
  journal in the command line).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._jobs import JOB_KEYS, ExtendStep, Job, LineError, job_from_mapping, read_jobs, validate_job
from ._plan import Plan, job_cost, job_requests, plan
from ._runner import FAILED, FINAL, INCOMPLETE, NOT_STARTED, SUCCESS, BatchRunner, JobResult
from ._schedule import LearnedSchedule
from ._store import OUTCOME_UNKNOWN, BatchStore, MemoryStore, StepRecord

if TYPE_CHECKING:
    from .._async_client import AsyncVeo3Client
    from .._prices import PriceTable

__all__ = [
    "FAILED",
    "FINAL",
    "INCOMPLETE",
    "JOB_KEYS",
    "NOT_STARTED",
    "OUTCOME_UNKNOWN",
    "SUCCESS",
    "BatchRunner",
    "BatchStore",
    "ExtendStep",
    "Job",
    "JobResult",
    "LearnedSchedule",
    "LineError",
    "MemoryStore",
    "Plan",
    "StepRecord",
    "as_jobs",
    "batch_results",
    "job_cost",
    "job_from_mapping",
    "job_requests",
    "plan",
    "read_jobs",
    "validate_job",
]


def as_jobs(items: Iterable[Job | Mapping[str, Any]]) -> Iterator[Job]:
    """``Job``s from jobs or mappings (a mapping's position, from 1, is its default id and line)."""
    for number, item in enumerate(items, start=1):
        yield item if isinstance(item, Job) else job_from_mapping(number, item)


async def batch_results(
    client: AsyncVeo3Client,
    jobs: Iterable[Job | Mapping[str, Any]],
    *,
    out_dir: str | os.PathLike[str] | None = None,
    store: BatchStore | None = None,
    concurrency: int = 8,
    timeout: float = 1800.0,
    prices: PriceTable | None = None,
    check_balance: bool = False,
    callback_url: str | None = None,
    via: str = "poll",
    poll_interval: float | None = None,
) -> AsyncIterator[JobResult]:
    """What ``AsyncVeo3Client.batch`` returns (see there)."""
    from .._prices import default_prices

    folder = Path(out_dir) if out_dir is not None else None
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    runner = BatchRunner(
        client,
        store if store is not None else MemoryStore(),
        out_dir=folder,
        concurrency=concurrency,
        timeout=timeout,
        prices=prices or default_prices(),
        callback_url=callback_url,
        via=via,
        schedule=LearnedSchedule.fixed(poll_interval) if poll_interval is not None else LearnedSchedule(),
    )
    if check_balance:
        runner.balance = await client.credits()
    async for result in runner.results(as_jobs(jobs)):
        yield result
