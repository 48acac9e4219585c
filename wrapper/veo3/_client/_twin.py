"""``Veo3Client.batch``: the asyncio batch runner for the blocking client, through an async twin.

The generated sync face imports ``batch_results`` from here where the async face imports it from
``veo3.batch`` (a line of ``scripts/unasync.py``'s table): only a module above ``_async`` may name the async
face, and this is the one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Unpack

from ._async import AsyncVeo3Client
from ._base import BaseClient, async_twin

if TYPE_CHECKING:
    from veo3.batch import BatchOptions, Job, JobResult

__all__ = ["batch_results"]


def batch_results(
    client: BaseClient, jobs: Iterable[Job | Mapping[str, Any]], **options: Unpack[BatchOptions]
) -> Iterator[JobResult]:
    """Run ``jobs`` on a private event loop thread through ``async_twin(client)``; yield each result."""
    from veo3.batch._sync import run_blocking  # here: it imports asyncio, which a blocking client need not load

    return run_blocking(lambda: async_twin(client, AsyncVeo3Client), jobs, dict(options))
