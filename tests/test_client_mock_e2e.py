"""End to end against the simulator over a real socket: the whole job, and paid creates under faults."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from veo3 import AsyncVeo3Client, Veo3Client
from veo3.errors import OutcomeUnknownError
from veo3.mock import MockConfig, MockServer
from veo3.mock._config import Fault
from veo3.testing import use_time

KEY = "sk-e2e-key-0123456789"


def _quick(client: Any) -> Any:
    """Real clock, but no sleep longer than 20 ms: the simulator's time scale makes tasks finish in ms."""
    if isinstance(client, AsyncVeo3Client):

        async def nap(seconds: float) -> None:
            await asyncio.sleep(min(seconds, 0.02))

        use_time(client, sleep=nap)
    else:
        use_time(client, sleep=lambda seconds: time.sleep(min(seconds, 0.02)))
    return client


@pytest.fixture(scope="module")
def server() -> Iterator[MockServer]:
    with MockServer(MockConfig(time_scale=0.005, seed=1, rate_limit=None)) as srv:
        yield srv


def test_the_whole_job(server: MockServer, tmp_path: Path) -> None:
    with _quick(Veo3Client(KEY, base_url=server.url)) as client:
        first = client.generate_and_wait("a lighthouse at dusk", seeds=12345, timeout=60)
        chain = client.extend_chain(first.task_id, ["the storm arrives", "the sun returns"], timeout=60)
        hd = client.get_1080p(first.task_id, timeout=60)
        uhd = client.get_4k(first.task_id, timeout=60)
        path = client.download(chain[-1], tmp_path)
        assert client.credits() > 0
    assert first.is_success and [i.is_success for i in chain] == [True, True]
    assert hd.startswith("http") and uhd and all(u.startswith("http") for u in uhd)
    assert path.exists() and path.stat().st_size > 0 and path.read_bytes()[4:8] == b"ftyp"
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_the_job_async(server: MockServer) -> None:
    async def job() -> Any:
        async with _quick(AsyncVeo3Client(KEY, base_url=server.url)) as client:
            info = await client.generate_and_wait("a fox in snow", timeout=60)
            return info, await client.get_task(info.task_id)

    info, again = asyncio.run(job())
    assert info.is_success and again.task_id == info.task_id and again.is_success


@pytest.mark.parametrize(
    ("fault", "requests", "tasks", "error"),
    [
        ("drop_after", 1, 1, OutcomeUnknownError),  # processed, reply lost: never repeated, the task exists
        # Closed before processing: on the wire this looks exactly like drop_after, so it is not repeated either.
        ("drop_before", 1, 0, OutcomeUnknownError),
        ("server_error", 1, 0, "ServerError"),  # a 5xx on a paid create is not repeated
        ("maintenance", 2, 1, None),  # 455 means nothing was done: repeated
    ],
)
def test_paid_create_under_faults(fault: str, requests: int, tasks: int, error: Any) -> None:
    config = MockConfig(time_scale=0.005, seed=2, faults={"generate-veo3-1-video": (Fault(fault, on_calls=[1]),)})
    with MockServer(config) as srv, _quick(Veo3Client(KEY, base_url=srv.url)) as client:
        if error is None:
            client.generate("a cat", seeds=12345)
        else:
            with pytest.raises(Exception) as info:
                client.generate("a cat", seeds=12345)
            assert type(info.value).__name__ == (error if isinstance(error, str) else error.__name__)
        sent = [r for r in srv.state.requests if r.operation == "generate-veo3-1-video"]
        created = [t for t in srv.state.tasks.values() if t.kind == "generate"]
    assert KEY not in repr(client)
    assert (len(sent), len(created)) == (requests, tasks)


def test_reads_are_retried_through_dropped_connections() -> None:
    faults = {"get-veo3-1-video-details": (Fault("drop_before", on_calls=[1]), Fault("drop_after", on_calls=[2]))}
    with MockServer(MockConfig(time_scale=0.005, seed=3, faults=faults)) as srv:
        with _quick(Veo3Client(KEY, base_url=srv.url)) as client:
            task = client.generate("a cat")
            assert client.get_task(task.task_id).retries_taken == 2
        reads = [r for r in srv.state.requests if r.operation == "get-veo3-1-video-details"]
    assert len(reads) == 3
