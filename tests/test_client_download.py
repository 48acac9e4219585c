"""Downloads: streamed to a temp file beside the destination, resumed with Range, verified, renamed."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
import respx
from client_support import kind as kind  # the sync/async fixture
from client_support import make
from veo3 import TaskInfo, TaskStatus
from veo3.errors import DownloadError, RequestValidationError, TransportError

URL = "https://tempfile.aiquickdraw.com/v/clip.mp4"
DATA = os.urandom(256 * 1024 + 17)


class Dropping(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body that sends ``upto`` bytes of ``data`` in small chunks, then loses the connection."""

    def __init__(self, data: bytes, upto: int) -> None:
        self.data, self.upto = data, upto

    def _chunks(self) -> Iterator[bytes]:
        for i in range(0, self.upto, 8192):
            yield self.data[i : min(i + 8192, self.upto)]

    def __iter__(self) -> Iterator[bytes]:
        yield from self._chunks()
        raise httpx.ReadError("connection dropped")

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self._chunks():
            yield chunk
        raise httpx.ReadError("connection dropped")


class Server:
    """Serves ``DATA``; the first ``drops`` answers break off after ``cut`` more bytes; honours Range if asked."""

    def __init__(self, *, drops: int, cut: int = 100_000, ranges: bool = True) -> None:
        self.drops, self.cut, self.ranges = drops, cut, ranges
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        start = 0
        status, headers = 200, {"Content-Length": str(len(DATA))}
        if self.ranges and "range" in request.headers:
            start = int(request.headers["range"].removeprefix("bytes=").rstrip("-"))
            status = 206
            headers = {
                "Content-Length": str(len(DATA) - start),
                "Content-Range": f"bytes {start}-{len(DATA) - 1}/{len(DATA)}",
            }
        body = DATA[start:]
        if self.drops > 0:
            self.drops -= 1
            return httpx.Response(status, headers=headers, stream=Dropping(body, min(self.cut, len(body))))
        return httpx.Response(status, headers=headers, content=body)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_download_resumes_after_dropped_connections(kind: str, tmp_path: Path) -> None:
    client = make(kind)
    server = Server(drops=2)
    progress: list[tuple[int, int | None]] = []
    with respx.mock() as mock:
        mock.get(URL).mock(side_effect=server)
        path = client("download", URL, tmp_path / "out.mp4", on_progress=lambda d, t: progress.append((d, t)))
    assert path == tmp_path / "out.mp4"
    assert path.read_bytes() == DATA
    assert _leftovers(tmp_path) == ["out.mp4"]  # no part file left behind
    ranges = [r.headers.get("range") for r in server.requests]
    assert ranges == [None, "bytes=100000-", "bytes=200000-"]
    assert all("authorization" not in r.headers for r in server.requests)  # media hosts never see the key
    assert progress[-1] == (len(DATA), len(DATA))
    assert [d for d, _ in progress] == sorted(d for d, _ in progress)


def test_server_ignoring_range_starts_over(kind: str, tmp_path: Path) -> None:
    client = make(kind)
    server = Server(drops=1, ranges=False)
    with respx.mock() as mock:
        mock.get(URL).mock(side_effect=server)
        path = client("download", URL, tmp_path / "out.mp4")
    assert path.read_bytes() == DATA
    assert len(server.requests) == 2


@pytest.mark.parametrize("resume", [True, False])
def test_never_a_partial_file_under_the_final_name(kind: str, tmp_path: Path, resume: bool) -> None:
    client = make(kind, max_retries=2)
    server = Server(drops=100, cut=0)  # every attempt dies before any byte: no progress
    with respx.mock() as mock:
        mock.get(URL).mock(side_effect=server)
        with pytest.raises(TransportError):
            client("download", URL, tmp_path / "out.mp4", resume=resume)
    assert not (tmp_path / "out.mp4").exists()
    assert len(server.requests) == 3
    assert _leftovers(tmp_path) == ([".out.mp4.part"] if resume else [])


def test_a_later_call_resumes_a_kept_part_file(kind: str, tmp_path: Path) -> None:
    (tmp_path / ".out.mp4.part").write_bytes(DATA[:5000])
    client = make(kind)
    server = Server(drops=0)
    with respx.mock() as mock:
        mock.get(URL).mock(side_effect=server)
        client("download", URL, tmp_path / "out.mp4")
    assert server.requests[0].headers["range"] == "bytes=5000-"
    assert (tmp_path / "out.mp4").read_bytes() == DATA


def test_short_body_is_not_accepted(kind: str, tmp_path: Path) -> None:
    """A body shorter than its Content-Length never becomes the final file."""
    client = make(kind, max_retries=1)
    with respx.mock() as mock:
        mock.get(URL).mock(
            side_effect=lambda _r: httpx.Response(200, headers={"Content-Length": str(len(DATA))}, content=DATA[:10])
        )
        with pytest.raises(TransportError):
            client("download", URL, tmp_path / "out.mp4")
    assert not (tmp_path / "out.mp4").exists()


def test_taskinfo_and_folder_destination(kind: str, tmp_path: Path) -> None:
    client = make(kind)
    info = TaskInfo("t1", TaskStatus.SUCCESS, result_urls=["https://x/r.mp4"], full_result_urls=[URL])
    with respx.mock() as mock:
        mock.get(URL).mock(side_effect=Server(drops=0))
        path = client("download", info, tmp_path)
    assert path == tmp_path / "clip.mp4" and path.read_bytes() == DATA


def test_http_errors_and_missing_urls(kind: str, tmp_path: Path) -> None:
    client = make(kind)
    with respx.mock() as mock:
        mock.get(URL).respond(404)
        with pytest.raises(DownloadError) as info:
            client("download", URL, tmp_path / "x.mp4")
    assert info.value.http_status == 404
    assert _leftovers(tmp_path) == []
    with pytest.raises(RequestValidationError):
        client("download", TaskInfo("t1", TaskStatus.GENERATING), tmp_path)
