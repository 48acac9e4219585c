"""Uploads through kie's File Upload API: the clients against the simulator (a real socket) and respx.

What is asserted: the bytes that arrive are the file's (streamed multipart, progress to the total), names are
unique unless chosen, the upload host is chosen as documented, errors are typed with their HTTP status, uploads
are retried like reads (the file re-sent whole), the result is read leniently but within the spec, and
``generate(image_urls=[Path])`` uploads first, in order, after validating the whole request.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import respx
from veo3 import AsyncVeo3Client, Veo3Client
from veo3._spec import _document as _spec
from veo3._spec._images import solid_png
from veo3.errors import (
    AuthenticationError,
    ConfigurationError,
    RequestValidationError,
    UploadAuthenticationError,
    UploadRequestError,
)
from veo3.mock import MockConfig, MockServer

KEY = "sk-upload-test-0123"
UPLOAD_HOST = _spec.upload_server_url()
STREAM = _spec.operation("upload-file-stream")


@pytest.fixture(scope="module")
def server() -> Iterator[MockServer]:
    with MockServer(MockConfig(api_keys=[KEY], time_scale=0.001, seed=3)) as srv:
        yield srv


@pytest.fixture
def png(tmp_path: Path) -> Path:
    path = tmp_path / "Frame One.PNG"
    path.write_bytes(solid_png(8, 6, (200, 30, 30)))
    return path


def test_upload_file_sends_the_files_bytes_and_they_come_back(server: MockServer, png: Path) -> None:
    seen: list[tuple[int, int | None]] = []
    with Veo3Client(KEY, base_url=server.url) as client:
        first = client.upload_file(png, on_progress=lambda sent, total: seen.append((sent, total)))
        second = client.upload_file(png)
        named = client.upload_file(png, file_name="chosen.png", upload_path="my/frames")
    assert httpx.get(first.url).content == png.read_bytes()
    assert first.size == png.stat().st_size and first.mime_type == "image/png"
    assert seen[-1] == (png.stat().st_size, png.stat().st_size)
    # kie overwrites a file uploaded under an existing name: default names are unique, and keep the extension.
    assert first.file_name != second.file_name and first.url != second.url
    assert str(first.file_name).endswith(".png")
    assert named.file_name == "chosen.png" and named.file_path == "my/frames/chosen.png"


def test_a_large_file_arrives_whole(server: MockServer, tmp_path: Path) -> None:
    big = tmp_path / "big.bin"
    block = os.urandom(1 << 16)
    with big.open("wb") as fh:
        for _ in range(48):  # 3 MiB: many 64 KiB multipart chunks
            fh.write(block)
    with Veo3Client(KEY, base_url=server.url) as client:
        uploaded = client.upload_file(big)
    assert hashlib.sha256(httpx.get(uploaded.url).content).digest() == hashlib.sha256(big.read_bytes()).digest()


def test_upload_bytes_and_upload_url_copy(server: MockServer, png: Path) -> None:
    with Veo3Client(KEY, base_url=server.url) as client:
        from_bytes = client.upload_bytes(png.read_bytes(), "x.png")
        copied = client.upload_url(from_bytes.url)
    assert httpx.get(copied.url).content == png.read_bytes()
    assert copied.url != from_bytes.url


def test_async_client_uploads_the_same_way(server: MockServer, png: Path) -> None:
    async def main() -> str:
        async with AsyncVeo3Client(KEY, base_url=server.url) as client:
            return (await client.upload_file(png)).url

    assert httpx.get(asyncio.run(main())).content == png.read_bytes()


def test_generate_uploads_local_paths_first_in_order(server: MockServer, png: Path, tmp_path: Path) -> None:
    other = tmp_path / "last.webp"
    other.write_bytes(b"RIFF\x00\x00\x00\x00WEBPVP8 " + bytes(32))
    with Veo3Client(KEY, base_url=server.url) as client:
        task = client.generate("a cat", generation_type="FIRST_AND_LAST_FRAMES_2_VIDEO", image_urls=[png, Path(other)])
    params = server.state.tasks[task.task_id].params
    first, last = params["imageUrls"]
    assert httpx.get(first).content == png.read_bytes()
    assert httpx.get(last).content == other.read_bytes()


def test_generate_refuses_before_any_upload(server: MockServer, png: Path, tmp_path: Path) -> None:
    before = len(server.state.requests)
    with Veo3Client(KEY, base_url=server.url) as client:
        with pytest.raises(RequestValidationError) as missing:
            client.generate("a cat", image_urls=[png, tmp_path / "missing.png"])
        with pytest.raises(RequestValidationError) as bad_seed:
            client.generate("a cat", image_urls=[png], seeds=5)
        with pytest.raises(RequestValidationError):
            client.generate("a cat", image_urls=[png] * 4)  # more than the spec's maxItems
    assert missing.value.field == "image_urls[1]"
    assert bad_seed.value.field == "seeds"
    assert len(server.state.requests) == before, "nothing was sent"


def test_a_missing_or_expired_upload_fails_the_task_as_kie_would(png: Path) -> None:
    with MockServer(MockConfig(api_keys=[KEY], time_scale=0.001)) as srv, Veo3Client(KEY, base_url=srv.url) as c:
        url = c.upload_file(png).url
        srv.state.advance(_spec.upload_retention_seconds())
        assert httpx.get(url).status_code == 404
        task = c.generate("a cat", image_urls=[url])
        srv.state.advance(3600)
        info = c.get_task(task.task_id)
    assert info.is_failed and info.error_code == 451


# -- the upload host --------------------------------------------------------------------------------


def test_the_upload_host_follows_the_documented_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VEO3_UPLOAD_BASE_URL", raising=False)
    monkeypatch.delenv("VEO3_BASE_URL", raising=False)
    assert Veo3Client(KEY).upload_base_url == UPLOAD_HOST  # the spec's servers entry
    assert Veo3Client(KEY, base_url="http://127.0.0.1:9").upload_base_url == "http://127.0.0.1:9"
    explicit = Veo3Client(KEY, base_url="http://127.0.0.1:9", upload_base_url="https://up.example/")
    assert explicit.upload_base_url == "https://up.example"
    monkeypatch.setenv("VEO3_UPLOAD_BASE_URL", "https://env.example")
    assert Veo3Client(KEY, base_url="http://127.0.0.1:9").upload_base_url == "https://env.example"
    with pytest.raises(ConfigurationError):  # the key never travels in clear to another host
        Veo3Client(KEY, upload_base_url="http://uploads.example.com")


# -- errors, retries and result shapes (respx on the spec's upload host) ------------------------------


def _answer(status: int, body: object) -> httpx.Response:
    return httpx.Response(status, content=json.dumps(body).encode(), headers={"content-type": "application/json"})


def _result(**data: object) -> dict[str, object]:
    return {"success": True, "code": 200, "msg": "File uploaded successfully", "data": data}


@pytest.mark.parametrize(
    ("status", "cls"), [(400, UploadRequestError), (401, UploadAuthenticationError), (405, UploadRequestError)]
)
def test_upload_errors_are_typed_with_their_http_status(png: Path, status: int, cls: type[Exception]) -> None:
    body = {"success": False, "code": status, "msg": "Missing required parameter: uploadPath", "data": None}
    with respx.mock(base_url=UPLOAD_HOST) as mock, Veo3Client(KEY) as client:
        route = mock.post(STREAM.path).mock(return_value=_answer(status, body))
        with pytest.raises(cls) as info:
            client.upload_file(png)
    assert route.call_count == 1, "a refused upload is not repeated"
    assert info.value.http_status == status and "uploadPath" in info.value.message  # type: ignore[attr-defined]
    if status == 401:
        assert isinstance(info.value, AuthenticationError)


def test_uploads_are_retried_like_reads_and_resend_the_whole_file(png: Path) -> None:
    sizes: list[int] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sizes.append(len(request.read()))
        if len(sizes) == 1:
            return _answer(500, {"success": False, "code": 500, "msg": "Internal server error"})
        return _answer(200, _result(downloadUrl="https://tempfile.redpandaai.co/a/b.png"))

    with respx.mock(base_url=UPLOAD_HOST) as mock, Veo3Client(KEY) as client:
        mock.post(STREAM.path).mock(side_effect=answer)
        client._core.ctx.policy.base = 0.0  # no real sleeping between attempts
        uploaded = client.upload_file(png)
    assert uploaded.retries_taken == 1
    assert sizes[0] == sizes[1] > png.stat().st_size


@pytest.mark.parametrize(
    ("data", "url"),
    [
        ({"fileUrl": "https://tempfile.redpandaai.co/old.png"}, "https://tempfile.redpandaai.co/old.png"),
        ({"fileUrl": "https://f.example/a.png", "downloadUrl": "https://d.example/a.png"}, "https://d.example/a.png"),
    ],
)
def test_the_result_prefers_download_url_then_file_url(png: Path, data: dict[str, object], url: str) -> None:
    with respx.mock(base_url=UPLOAD_HOST) as mock, Veo3Client(KEY) as client:
        mock.post(STREAM.path).mock(return_value=_answer(200, _result(**data)))
        assert client.upload_file(png).url == url


def test_the_multipart_form_names_the_file_and_folder(png: Path) -> None:
    with respx.mock(base_url=UPLOAD_HOST) as mock, Veo3Client(KEY) as client:
        route = mock.post(STREAM.path).mock(return_value=_answer(200, _result(downloadUrl="https://d.example/a")))
        client.upload_file(png, upload_path="frames", file_name="f.png")
    request = route.calls.last.request
    assert request.headers["authorization"] == f"Bearer {KEY}"
    content_type = request.headers["content-type"]
    assert "boundary=+++" not in content_type  # the generator's fixed boundary is gone (see the template)
    body = request.read()
    assert b'name="uploadPath"\r\n' in body and b"\r\nframes\r\n" in body
    assert b'filename="f.png"' in body and png.read_bytes() in body


def test_resolve_images_passes_urls_and_uploads_paths_in_order(server: MockServer, png: Path) -> None:

    with Veo3Client(KEY, base_url=server.url) as client:
        urls = client._driver.run(client._core.resolve_images(["https://example.com/a.png", png]))
    assert urls[0] == "https://example.com/a.png"
    assert urls[1].startswith(server.url) and httpx.get(urls[1]).content == png.read_bytes()
