"""Callbacks: documented payloads, signatures kie's way, retries, loopback-only delivery."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from mock_support import AUTH, PATHS, Receiver, api
from veo3._spec import _document as _spec
from veo3.mock import DeliveredCallback, MockConfig, MockServer
from veo3.mock._callbacks import is_loopback
from veo3.webhooks._signing import sign

WEBHOOK_KEY = "whsec-test"
SCHEMAS = {
    "generate": "#/components/schemas/VideoGeneratedCallback",
    "extend": "#/components/schemas/VideoExtendedCallback",
    "4k": "#/components/schemas/Video4kGeneratedCallback",
}


def fast(**config: Any) -> MockConfig:
    return MockConfig(seed=5, time_scale=0.001, **config)


def eventually(predicate: Callable[[], Any], timeout: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.005)
    raise AssertionError("condition not met in time")


def finished_callbacks(server: MockServer, count: int) -> list[DeliveredCallback]:
    config = server.config

    def done() -> list[DeliveredCallback] | None:
        records = [
            r
            for r in server.state.callbacks
            if r.delivered or (r.error and r.attempts in (0, 1 + config.callback_retries))
        ]
        return records if len(records) >= count else None

    result: list[DeliveredCallback] = eventually(done)
    return result


def post(client: httpx.Client, operation_id: str, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(PATHS[operation_id], json=body)
    answer: dict[str, Any] = response.json()
    assert answer["code"] == 200, answer
    return answer


def assert_signed(headers: dict[str, str], task_id: str) -> None:
    lowered = {k.lower(): v for k, v in headers.items()}
    timestamp = lowered["x-webhook-timestamp"]
    assert abs(int(timestamp) - time.time()) < 300
    assert lowered["x-webhook-signature"] == sign(task_id, timestamp, WEBHOOK_KEY)


def test_generate_extend_and_4k_callbacks_are_signed_and_match_the_spec() -> None:
    with (
        Receiver() as receiver,
        MockServer(fast(webhook_key=WEBHOOK_KEY)) as server,
        httpx.Client(base_url=server.url, headers=AUTH) as client,
    ):
        hook = receiver.url
        first = post(client, "generate-veo3-1-video", {"prompt": "A dog", "callBackUrl": hook, "aspect_ratio": "9:16"})
        task_id = first["data"]["taskId"]
        finished_callbacks(server, 1)
        extension = post(client, "extend-veo3-1-video", {"taskId": task_id, "prompt": "More", "callBackUrl": hook})
        finished_callbacks(server, 2)
        uhd = post(client, "get-veo3-1-4k-video", {"taskId": task_id, "callBackUrl": hook})
        records = finished_callbacks(server, 3)
        eventually(lambda: len(receiver.received) == 3)

        assert [r.kind for r in records] == ["generate", "extend", "4k"]
        expected_ids = [task_id, extension["data"]["taskId"], uhd["data"]["taskId"]]
        for (headers, body), record, expected_id in zip(receiver.received, records, expected_ids, strict=True):
            assert record.delivered and record.attempts == 1 and record.status_codes == [200]
            assert body == record.payload and body["code"] == 200
            assert not list(_spec.validator(SCHEMAS[record.kind]).iter_errors(body))
            assert body["data"]["taskId"] == expected_id
            assert_signed(headers, expected_id)
        generated = receiver.received[0][1]["data"]
        assert generated["info"]["resultUrls"] == [f"{server.url}/media/{task_id}/video.mp4"]
        assert generated["info"]["originUrls"], "9:16 has original-size videos"
        assert generated["promptJson"]["prompt"] == "A dog"
        uhd_info = receiver.received[2][1]["data"]["info"]
        assert uhd_info["resultUrls"][0].endswith("/4k.mp4") and uhd_info["imageUrls"][0].endswith("/4k.jpg")


def test_callbacks_are_unsigned_without_a_webhook_key() -> None:
    with Receiver() as receiver, MockServer(fast()) as server, httpx.Client(base_url=server.url, headers=AUTH) as c:
        post(c, "generate-veo3-1-video", {"prompt": "A dog", "callBackUrl": receiver.url})
        eventually(lambda: receiver.received)
        headers = {k.lower() for k in receiver.received[0][0]}
        assert "x-webhook-signature" not in headers and "x-webhook-timestamp" not in headers


def test_failed_tasks_call_back_with_their_code() -> None:
    with Receiver() as receiver, MockServer(fast()) as server, httpx.Client(base_url=server.url, headers=AUTH) as c:
        post(c, "generate-veo3-1-video", {"prompt": "A dog [fail:400]", "callBackUrl": receiver.url})
        (record,) = finished_callbacks(server, 1)
        assert record.payload["code"] == 400 and record.payload["data"]["taskId"]
        assert not list(_spec.validator(SCHEMAS["generate"]).iter_errors(record.payload))


def test_failed_4k_calls_back_with_500() -> None:
    with api(fast()) as a, Receiver() as receiver:
        task_id = a.created("A dog [4k-fail]")
        a.uhd(task_id, callBackUrl=receiver.url)
        (record,) = finished_callbacks_in(a.state, 1)
        assert record.payload["code"] == 500
        assert not list(_spec.validator(SCHEMAS["4k"]).iter_errors(record.payload))


def finished_callbacks_in(state: Any, count: int) -> list[DeliveredCallback]:
    result: list[DeliveredCallback] = eventually(
        lambda: (
            [r for r in state.callbacks if r.delivered] if sum(r.delivered for r in state.callbacks) >= count else None
        )
    )
    return result


def test_a_failing_receiver_gets_up_to_three_retries() -> None:
    with (
        Receiver(statuses=[500, 503]) as receiver,
        MockServer(fast()) as server,
        httpx.Client(base_url=server.url, headers=AUTH) as c,
    ):
        post(c, "generate-veo3-1-video", {"prompt": "A dog", "callBackUrl": receiver.url})
        (record,) = finished_callbacks(server, 1)
        assert record.delivered and record.attempts == 3 and record.status_codes == [500, 503, 200]
        assert len(receiver.received) == 3

    with (
        Receiver(statuses=[500] * 10) as receiver,
        MockServer(fast()) as server,
        httpx.Client(base_url=server.url, headers=AUTH) as c,
    ):
        post(c, "generate-veo3-1-video", {"prompt": "A dog", "callBackUrl": receiver.url})
        (record,) = finished_callbacks(server, 1)
        assert not record.delivered and record.attempts == 4 and record.error == "HTTP 500"
        assert len(receiver.received) == 4, "the first attempt and three retries"


def test_unreachable_receivers_are_retried_and_recorded() -> None:
    with MockServer(fast(callback_retries=1)) as server, httpx.Client(base_url=server.url, headers=AUTH) as c:
        post(c, "generate-veo3-1-video", {"prompt": "A dog", "callBackUrl": "http://127.0.0.1:9/nothing"})
        (record,) = finished_callbacks(server, 1)
        assert not record.delivered and record.status_codes == [None, None] and record.error


def test_non_loopback_callbacks_are_not_sent_unless_allowed() -> None:
    with MockServer(fast()) as server, httpx.Client(base_url=server.url, headers=AUTH) as c:
        post(c, "generate-veo3-1-video", {"prompt": "A dog", "callBackUrl": "https://example.com/hook"})
        record = eventually(lambda: list(server.state.callbacks))[0]
        assert not record.delivered and record.attempts == 0 and "loopback" in (record.error or "")


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://127.0.0.1:8000/x", True),
        ("http://localhost/x", True),
        ("http://[::1]:80/x", True),
        ("http://127.5.5.5/x", True),
        ("https://example.com/x", False),
        ("http://10.0.0.1/x", False),
        ("http://localhost.example.com/x", False),
    ],
)
def test_loopback_detection(url: str, loopback: bool) -> None:
    assert is_loopback(url) is loopback


def test_legacy_style_uses_bracketed_strings_and_snake_case_4k_and_still_matches_the_spec() -> None:
    with api(fast(callback_style="legacy")) as a, Receiver() as receiver:
        task_id = a.generate("A dog", callBackUrl=receiver.url, aspect_ratio="Auto")["data"]["taskId"]
        eventually(lambda: receiver.received)
        a.uhd(task_id, callBackUrl=receiver.url)
        eventually(lambda: len(receiver.received) == 2)
        generated, uhd = receiver.received[0][1], receiver.received[1][1]
        info = generated["data"]["info"]
        assert info["resultUrls"] == f"[http://testserver/media/{task_id}/video.mp4]"
        assert isinstance(generated["data"]["promptJson"], str)
        assert uhd["data"]["task_id"] and isinstance(uhd["data"]["result_urls"], list)
        assert not list(_spec.validator(SCHEMAS["generate"]).iter_errors(generated))
        assert not list(_spec.validator(SCHEMAS["4k"]).iter_errors(uhd))
