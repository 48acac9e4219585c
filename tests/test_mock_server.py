"""MockServer over a real socket: lifecycle end to end, playable media with Range support, start/stop."""

from __future__ import annotations

import asyncio
import io
import socket
import subprocess
import sys
import time

import av
import httpx
import pytest
from mock_support import AUTH, PATHS, check
from veo3.mock import MockConfig, MockServer
from veo3.mock._media import VIDEO, video_of


def wait_success(client: httpx.Client, task_id: str) -> dict[str, object]:
    for _ in range(1000):
        data: dict[str, object] = check(
            "get-veo3-1-video-details", client.get(PATHS["get-veo3-1-video-details"], params={"taskId": task_id})
        )["data"]
        if data["successFlag"] != 0:
            return data
        time.sleep(0.005)
    raise AssertionError("the task did not finish")


def decode_frames(content: bytes) -> int:
    with av.open(io.BytesIO(content)) as container:
        return sum(1 for _ in container.decode(video=0))


def test_a_whole_flow_over_a_socket_serves_playable_videos() -> None:
    with (
        MockServer(MockConfig(time_scale=0.001)) as server,
        httpx.Client(base_url=server.url, headers=AUTH) as client,
    ):
        assert server.url.startswith("http://127.0.0.1:")
        created = check("generate-veo3-1-video", client.post(PATHS["generate-veo3-1-video"], json={"prompt": "A dog"}))
        task_id = created["data"]["taskId"]
        data = wait_success(client, task_id)
        assert data["successFlag"] == 1
        video_url = data["response"]["resultUrls"][0]  # type: ignore[index]
        assert video_url.startswith(server.url + "/media/")
        video = client.get(video_url)
        assert video.headers["content-type"] == "video/mp4" and decode_frames(video.content) > 0

        extension = check(
            "extend-veo3-1-video",
            client.post(PATHS["extend-veo3-1-video"], json={"taskId": task_id, "prompt": "Then it rains"}),
        )
        extended = wait_success(client, extension["data"]["taskId"])
        full_url = extended["response"]["fullResultUrls"][0]  # type: ignore[index]
        assert decode_frames(client.get(full_url).content) > 0

        link = check("download-url", client.post(PATHS["download-url"], json={"url": full_url}))["data"]
        assert decode_frames(httpx.get(link).content) > 0, "the link needs no key"
        assert [r.operation for r in server.state.requests][:2] == ["generate-veo3-1-video", "get-veo3-1-video-details"]


def test_media_supports_range_requests_and_head() -> None:
    served = video_of(4)  # the sample, stretched to the 4 seconds the task asks for
    size = served.stat().st_size
    with MockServer(MockConfig(time_scale=0.001)) as server, httpx.Client(base_url=server.url, headers=AUTH) as c:
        body = {"prompt": "A dog", "duration": 4}
        task_id = c.post(PATHS["generate-veo3-1-video"], json=body).json()["data"]["taskId"]
        wait_success(c, task_id)
        url = f"/media/{task_id}/video.mp4"
        whole = c.get(url)
        assert whole.status_code == 200 and whole.headers["accept-ranges"] == "bytes"
        assert len(whole.content) == size and whole.content == served.read_bytes()
        assert size == VIDEO.stat().st_size, "stretching rewrites numbers, not sizes"
        assert 1000 < size < 20_000, "a few KB"

        part = c.get(url, headers={"Range": "bytes=100-199"})
        assert part.status_code == 206
        assert part.headers["content-range"] == f"bytes 100-199/{size}"
        assert part.content == whole.content[100:200]

        tail = c.get(url, headers={"Range": f"bytes={size - 10}-"})
        assert tail.status_code == 206 and tail.content == whole.content[-10:]

        resumed = (
            c.get(url, headers={"Range": "bytes=0-99"}).content + c.get(url, headers={"Range": "bytes=100-"}).content
        )
        assert resumed == whole.content

        head = c.head(url)
        assert head.status_code == 200 and int(head.headers["content-length"]) == size and not head.content

        assert c.get(url, headers={"Range": f"bytes={size + 10}-"}).status_code == 416


def test_async_context_manager() -> None:
    async def run() -> int:
        async with MockServer() as server, httpx.AsyncClient(base_url=server.url, headers=AUTH) as client:
            response = await client.get(PATHS["get-account-credits"])
            return int(response.json()["code"])

    assert asyncio.run(run()) == 200


def test_url_is_only_available_while_running_and_the_port_is_released() -> None:
    server = MockServer()
    with pytest.raises(RuntimeError):
        _ = server.url
    with server:
        url = server.url
        assert httpx.get(url + PATHS["get-account-credits"], headers=AUTH).json()["code"] == 200
    with pytest.raises(httpx.ConnectError):
        httpx.get(url + PATHS["get-account-credits"], headers=AUTH)


def test_two_servers_have_separate_state() -> None:
    with MockServer() as first, MockServer() as second:
        assert first.url != second.url
        httpx.post(first.url + PATHS["generate-veo3-1-video"], json={"prompt": "x"}, headers=AUTH)
        assert len(first.state.tasks) == 1 and second.state.tasks == {}


def test_importing_veo3_does_not_load_the_simulator_stack() -> None:
    code = "import sys, veo3; print(any(m.split('.')[0] in {'starlette', 'uvicorn'} for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_the_module_entry_point_serves_until_stopped() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    argv = [sys.executable, "-m", "veo3.mock", "--port", str(port), "--api-key", "k1", "--time-scale", "0.01"]
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}{PATHS['get-account-credits']}"
        for _ in range(600):
            try:
                answer = httpx.get(url, headers={"Authorization": "Bearer k1"}).json()
                break
            except httpx.TransportError:
                time.sleep(0.05)
        else:
            raise AssertionError("python -m veo3.mock did not start")
        assert answer["code"] == 200
        assert httpx.get(url, headers={"Authorization": "Bearer other"}).json()["code"] == 401
    finally:
        process.terminate()
        process.wait(timeout=10)
