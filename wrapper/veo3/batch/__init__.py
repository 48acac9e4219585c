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
from typing import TYPE_CHECKING, Any, Literal, TypedDict, Unpack

from veo3._core._polling import LearnedSchedule

from ._jobs import JOB_KEYS, ExtendStep, Job, LineError, job_from_mapping, read_jobs, validate_job
from ._plan import Plan, job_cost, job_requests, plan
from ._runner import FAILED, FINAL, INCOMPLETE, NOT_STARTED, SUCCESS, BatchRunner, JobResult
from ._store import OUTCOME_UNKNOWN, BatchStore, MemoryStore, StepRecord

if TYPE_CHECKING:
    from veo3._spec._prices import PriceTable

    from ._runner import BatchClient

__all__ = [
    "FAILED",
    "FINAL",
    "INCOMPLETE",
    "JOB_KEYS",
    "NOT_STARTED",
    "OUTCOME_UNKNOWN",
    "SUCCESS",
    "BatchOptions",
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


class BatchOptions(TypedDict, total=False):
    """The keywords of ``Veo3Client.batch`` / ``AsyncVeo3Client.batch``.

    ``out_dir``: where the videos go (none downloaded if absent). ``store``: a ``BatchStore`` to resume
    from (``MemoryStore``, or your own; default: a fresh one). ``concurrency``: jobs at once (8).
    ``timeout``: seconds to wait for each task (1800). ``prices``: the price table (``veo3/prices.json``).
    ``check_balance``: read ``credits()`` first and start no job the balance cannot pay for.
    ``callback_url``: sent with every create; with ``via="callback"`` tasks wake on their callbacks
    (serve ``client.callback_receiver`` there). ``poll_interval``: fixed seconds between status checks
    (default: the client's own schedule, learned per model, as ``wait()`` uses).
    """

    out_dir: str | os.PathLike[str] | None
    store: BatchStore | None
    concurrency: int
    timeout: float
    prices: PriceTable | None
    check_balance: bool
    callback_url: str | None
    via: Literal["poll", "callback"]
    poll_interval: float | None


async def batch_results(
    client: BatchClient, jobs: Iterable[Job | Mapping[str, Any]], **options: Unpack[BatchOptions]
) -> AsyncIterator[JobResult]:
    """What ``AsyncVeo3Client.batch`` returns (see ``BatchOptions`` for the keywords)."""
    from veo3._spec._prices import default_prices

    out_dir = options.get("out_dir")
    folder = Path(out_dir) if out_dir is not None else None
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    poll_interval = options.get("poll_interval")
    store = options.get("store")
    runner = BatchRunner(
        client,
        store if store is not None else MemoryStore(),
        out_dir=folder,
        concurrency=options.get("concurrency", 8),
        timeout=options.get("timeout", 1800.0),
        prices=options.get("prices") or default_prices(),
        callback_url=options.get("callback_url"),
        via=options.get("via", "poll"),
        schedule=LearnedSchedule.fixed(poll_interval) if poll_interval is not None else None,
    )
    if options.get("check_balance", False):
        runner.balance = await client.engine.driver.run(client.engine.flows.credits())
    async for result in runner.results(as_jobs(jobs)):
        yield result
