"""wait(via="callback"): wakes on the receiver's callback, confirms with record-info, survives a lost callback."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import httpx
import pytest
import respx
from client_support import BASE, DETAILS, FakeTime, make, record
from client_support import kind as kind  # the sync/async fixture
from veo3._spec import _document as _spec
from veo3.errors import ConfigurationError, RequestValidationError, WaitTimeoutError
from veo3.webhooks._signing import sign

HOOK_KEY = "whk-test-secret-abcdef"


def _details_route(mock: respx.MockRouter, side_effect: Any) -> respx.Route:
    op = _spec.operation(DETAILS)
    return mock.route(method=op.method, url=BASE + op.path).mock(side_effect=side_effect)


class LateReceiver:
    """A receiver whose callback for ``task_id`` arrives after ``after`` probes."""

    def __init__(self, task_id: str, after: int) -> None:
        self.task_id, self.after, self.probes = task_id, after, 0

    def received(self, task_id: str, kind: Any = None) -> object | None:
        self.probes += 1
        return object() if task_id == self.task_id and self.probes > self.after else None


def _deliver(receiver: Any, task_id: str) -> httpx.Response:
    body = json.dumps(
        {"code": 200, "msg": "ok", "data": {"taskId": task_id, "info": {"resultUrls": ["https://c/v.mp4"]}}}
    ).encode()
    stamp = str(int(time.time()))
    headers = {"X-Webhook-Timestamp": stamp, "X-Webhook-Signature": sign(task_id, stamp, HOOK_KEY)}

    async def post() -> httpx.Response:
        transport = httpx.ASGITransport(app=receiver)
        async with httpx.AsyncClient(transport=transport, base_url="http://hooks.test") as http:
            return await http.post("/veo", content=body, headers=headers)

    return asyncio.run(post())


def test_callback_wait_uses_the_clients_receiver(kind: str) -> None:
    client = make(kind, webhook_key=HOOK_KEY)
    receiver = client.client.callback_receiver
    assert HOOK_KEY not in repr(receiver) and HOOK_KEY not in repr(client.client)
    assert _deliver(receiver, "t1").status_code == 200
    with respx.mock() as mock:
        route = _details_route(mock, [httpx.Response(200, json=record("t1", 1))])
        info = client("wait", "t1", via="callback")
    assert info.is_success
    assert route.call_count == 1  # woke on the callback: no polling before it


def test_an_unsigned_callback_does_not_wake_the_wait() -> None:
    fake = FakeTime()
    client = make("sync", fake, webhook_key=HOOK_KEY)
    receiver = client.client.callback_receiver

    async def forged() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=receiver), base_url="http://h") as http:
            return await http.post("/", json={"code": 200, "msg": "ok", "data": {"taskId": "t1"}})

    assert asyncio.run(forged()).status_code == 401
    with respx.mock() as mock:
        _details_route(mock, lambda _r: httpx.Response(200, json=record("t1", 0)))
        with pytest.raises(WaitTimeoutError):
            client("wait", "t1", via="callback", timeout=30)


def test_callback_wait_polls_slowly_in_case_the_callback_is_lost(kind: str) -> None:
    fake = FakeTime()
    client = make(kind, fake)
    client.client.callback_receiver = LateReceiver("t1", after=10**9)  # never arrives
    answers = [httpx.Response(200, json=record("t1", 0)), httpx.Response(200, json=record("t1", 1))]
    with respx.mock() as mock:
        route = _details_route(mock, answers)
        info = client("wait", "t1", via="callback", timeout=900)
    assert info.is_success and route.call_count == 2
    assert 119 < fake.now - 1000.0 < 121  # two safety polls, one minute apart


def test_callback_then_record_info_decides(kind: str) -> None:
    fake = FakeTime()
    client = make(kind, fake)
    client.client.callback_receiver = LateReceiver("t1", after=3)
    answers = [httpx.Response(200, json=record("t1", 0)), httpx.Response(200, json=record("t1", 1))]
    with respx.mock() as mock:
        route = _details_route(mock, answers)  # record-info lags the callback by one poll
        assert client("wait", "t1", via="callback").is_success
    assert route.call_count == 2


def test_callback_wait_needs_a_receiver_and_a_known_mode() -> None:
    client = make("sync")
    with pytest.raises(ConfigurationError, match="callback_receiver"):
        client("wait", "t1", via="callback")
    with pytest.raises(RequestValidationError):
        client("wait", "t1", via="carrier-pigeon")
