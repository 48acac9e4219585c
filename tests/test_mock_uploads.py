"""The simulator's File Upload API: kie's envelope with real HTTP statuses, files served back, bounded, expiring.

Every answer is checked against the spec for its operation and HTTP status (``mock_support.check``).
"""

from __future__ import annotations

import base64
from typing import Any

from mock_support import Api, api, check
from veo3._spec import _document as _spec
from veo3._spec._images import solid_png
from veo3.mock import MockConfig

PNG = solid_png(4, 4, (10, 200, 10))


def stream(a: Api, data: bytes = PNG, **fields: str) -> tuple[int, dict[str, Any]]:
    op = _spec.operation("upload-file-stream")
    form = {"uploadPath": "images/user-uploads", **fields}
    response = a.client.request(op.method, op.path, files={"file": ("cat.png", data, "image/png")}, data=form)
    return response.status_code, check(op.operation_id, response)


def fetch(a: Api, url: str) -> tuple[int, bytes]:
    response = a.client.get(url.removeprefix("http://testserver"))
    return response.status_code, response.content


def test_a_stream_upload_is_served_back_at_its_download_url() -> None:
    with api() as a:
        status, body = stream(a)
        assert (status, body["success"], body["code"]) == (200, True, 200)
        data = body["data"]
        assert data["fileSize"] == len(PNG) and data["mimeType"] == "image/png"
        assert data["filePath"] == f"images/user-uploads/{data['fileName']}"
        assert fetch(a, data["downloadUrl"]) == (200, PNG)


def test_the_same_name_overwrites_and_no_name_gets_a_random_one() -> None:
    with api() as a:
        first = stream(a, fileName="same.png")[1]["data"]
        second = stream(a, b"\x89PNG\r\n\x1a\n other", fileName="same.png")[1]["data"]
        assert first["downloadUrl"] == second["downloadUrl"]
        assert fetch(a, first["downloadUrl"])[1] == b"\x89PNG\r\n\x1a\n other"
        assert stream(a)[1]["data"]["fileName"] != stream(a)[1]["data"]["fileName"]


def test_base64_and_url_uploads() -> None:
    with api() as a:
        plain = a.call(
            "upload-file-base64", json_body={"base64Data": base64.b64encode(PNG).decode(), "uploadPath": "p"}
        )
        data_url = a.call(
            "upload-file-base64",
            json_body={"base64Data": "data:image/png;base64," + base64.b64encode(PNG).decode(), "uploadPath": "p"},
        )
        copied = a.call("upload-file-url", json_body={"fileUrl": plain["data"]["downloadUrl"], "uploadPath": "q"})
        for body in (plain, data_url, copied):
            assert fetch(a, body["data"]["downloadUrl"]) == (200, PNG)
        bad = a.call("upload-file-base64", json_body={"base64Data": "%%%not base64", "uploadPath": "p"})
        assert (a.last.status_code, bad["msg"]) == (400, "Base64 decoding failed: Invalid Base64 format")
        external = a.call("upload-file-url", json_body={"fileUrl": "https://example.com/a.png", "uploadPath": "p"})
        assert a.last.status_code == external["code"] == 400


def test_errors_come_with_real_http_statuses() -> None:
    with api(MockConfig(api_keys=["only-this"])) as a:
        assert stream(a)[0] == 401  # AUTH carries another key
    with api() as a:
        op = _spec.operation("upload-file-stream")
        missing = a.client.request(op.method, op.path, files={"file": ("a.png", PNG)}, data={})
        assert missing.status_code == 400
        assert check(op.operation_id, missing)["msg"] == "Missing required parameter: uploadPath"
        not_form = a.client.request(op.method, op.path, json={"uploadPath": "x"})
        assert not_form.status_code == 400 and check(op.operation_id, not_form)["success"] is False
        assert a.state.requests[-1].http_status == 400


def test_files_expire_after_the_retention_and_fail_a_generation() -> None:
    with api(MockConfig(seed=7, time_scale=0.001)) as a:
        url = stream(a)[1]["data"]["downloadUrl"]
        a.state.advance(_spec.upload_retention_seconds() - 60)
        assert fetch(a, url)[0] == 200
        kept = a.generate(imageUrls=[url])["data"]["taskId"]
        a.state.advance(120)
        assert fetch(a, url)[0] == 404
        gone = a.generate(imageUrls=[url])["data"]["taskId"]
        a.finish()
        assert a.details(kept)["data"]["successFlag"] == 1
        failed = a.details(gone)["data"]
        assert (failed["successFlag"], failed["errorCode"]) == (2, 451)
        assert "Failed to fetch the image" in failed["errorMessage"]


def test_stored_bytes_stay_under_the_capacity() -> None:
    capacity = 3 * len(PNG)
    with api(MockConfig(seed=7, upload_capacity_bytes=capacity)) as a:
        urls = [stream(a)[1]["data"]["downloadUrl"] for _ in range(5)]
        assert a.state.uploads.total <= capacity
        assert [fetch(a, u)[0] for u in urls] == [404, 404, 200, 200, 200]  # the oldest were dropped
        status, body = stream(a, PNG * 4)
        assert status == 400 and "too large" in body["msg"]


def test_head_answers_the_size_and_type_without_the_bytes() -> None:
    with api() as a:
        url = stream(a)[1]["data"]["downloadUrl"].removeprefix("http://testserver")
        head = a.client.request("HEAD", url)
        assert head.status_code == 200 and head.headers["content-length"] == str(len(PNG))
        assert head.headers["content-type"] == "image/png" and head.content == b""
