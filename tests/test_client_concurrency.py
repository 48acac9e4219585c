"""``AsyncVeo3Client(max_in_flight=...)``: never more requests in flight than the bound, and every call ends.

For all bounds L and all numbers N of calls gathered at once, the server sees at most L requests at a time
(exactly min(L, N) at the peak: the bound does not serialise more than it must), and all N calls return.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from veo3 import AsyncVeo3Client
from veo3.errors import ConfigurationError

KEY = "sk-concurrency-0123"
BASE = "https://api.kie.ai"
VIDEO = b"\x00\x00\x00\x18ftypmp42" + bytes(1000)
DETAILS = {"code": 200, "msg": "success", "data": {"taskId": "t1", "successFlag": 0}}


class Server:
    """A mock transport that holds each request for ``delay`` seconds and records how many overlap."""

    def __init__(self, delay: float = 0.002) -> None:
        self.delay = delay
        self.now = self.peak = self.total = 0
        self.transport = httpx.MockTransport(self.handle)

    async def handle(self, request: httpx.Request) -> httpx.Response:
        self.now += 1
        self.peak = max(self.peak, self.now)
        try:
            await asyncio.sleep(self.delay)
        finally:
            self.now -= 1
        self.total += 1
        if request.url.path.endswith(".mp4"):
            return httpx.Response(200, stream=httpx.ByteStream(VIDEO), headers={"content-length": str(len(VIDEO))})
        return httpx.Response(200, json=DETAILS)


def client(server: Server, **kwargs: Any) -> AsyncVeo3Client:
    return AsyncVeo3Client(KEY, base_url=BASE, http_client=httpx.AsyncClient(transport=server.transport), **kwargs)


async def gather_get_task(veo3: AsyncVeo3Client, n: int) -> list[Any]:
    return list(await asyncio.gather(*(veo3.get_task("t1") for _ in range(n))))


@settings(max_examples=15, deadline=None)
@given(limit=st.integers(1, 30), n=st.integers(1, 60))
def test_for_all_bounds_and_loads_at_most_the_bound_is_in_flight_and_every_call_ends(limit: int, n: int) -> None:
    server = Server()
    results = asyncio.run(gather_get_task(client(server, max_in_flight=limit), n))
    assert [r.task_id for r in results] == ["t1"] * n
    assert server.total == n
    assert server.peak == min(limit, n)


def test_without_a_bound_everything_is_in_flight_at_once() -> None:
    server = Server()
    asyncio.run(gather_get_task(client(server, max_in_flight=None), 150))
    assert server.peak == 150


def test_the_default_bound_is_httpx_default_pool_size() -> None:
    server = Server()
    asyncio.run(gather_get_task(client(server), 150))
    assert server.peak == 100  # httpx.AsyncClient's default pool: Limits(max_connections=100)


def test_downloads_count_against_the_bound_too(tmp_path: Path) -> None:
    server = Server()
    veo3 = client(server, max_in_flight=3)

    async def main() -> list[Path]:
        downloads = [veo3.download(f"{BASE}/files/{i}.mp4", tmp_path / f"{i}.mp4") for i in range(6)]
        return list(await asyncio.gather(*downloads, *(veo3.get_task("t1") for _ in range(6))))[:6]

    paths = asyncio.run(main())
    assert server.peak == 3 and server.total == 12
    assert all(path.read_bytes() == VIDEO for path in paths)


def test_one_client_serves_successive_event_loops() -> None:
    server = Server()
    veo3 = client(server, max_in_flight=2)
    for _ in range(3):  # a semaphore belongs to one loop: each asyncio.run must get its own
        asyncio.run(gather_get_task(veo3, 10))
    assert server.total == 30 and server.peak == 2


@pytest.mark.parametrize("bad", [0, -1, True, 1.5, "10"])
def test_nonsense_bounds_are_refused(bad: Any) -> None:
    with pytest.raises(ConfigurationError, match="max_in_flight"):
        client(Server(), max_in_flight=bad)
