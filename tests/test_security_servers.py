"""Forged, oversized, slow or malformed input to the callback receiver and the simulator: refused, bounded.

No assertion here measures time. Slow clients are simulated with an ASGI ``receive`` that never delivers the
rest of a body (the app must answer 408 after its configured deadline), or with a raw socket that stops
mid-headers (the server must close it: ``recv`` returns ``b""`` well before the test's generous 30 s guard).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn
from veo3._utils import _serving
from veo3._utils._serving import GuardedH11Protocol, server_limits
from veo3.mock import MockConfig, MockServer, create_app
from veo3.mock import _app as mock_app
from veo3.webhooks import CallbackReceiver

GUARD = 30.0  # a socket timeout that only a broken server would reach


async def _call(app: Any, chunks: list[bytes], *, stall: bool, path: str = "/", headers: Any = ()) -> tuple[int, int]:
    """Run one POST through ``app`` at the ASGI level; returns (status, body chunks the app pulled)."""
    pulled = 0
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal pulled
        if pulled < len(chunks):
            pulled += 1
            return {"type": "http.request", "body": chunks[pulled - 1], "more_body": True}
        if stall:
            await asyncio.Event().wait()  # the client never sends the rest
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"test"), (b"content-type", b"application/json"), *headers],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 2),
    }
    await app(scope, receive, send)
    return sent[0]["status"], pulled


# -- the callback receiver ---------------------------------------------------------------------------------


def test_receiver_answers_408_to_a_body_that_stalls() -> None:
    receiver = CallbackReceiver(key="k" * 16, body_timeout=0.05)
    assert asyncio.run(_call(receiver, [b'{"code": 200,'], stall=True)) == (408, 1)
    assert receiver.rejected == 1


def test_receiver_stops_reading_an_endless_chunked_body_at_the_cap() -> None:
    receiver = CallbackReceiver(max_body_bytes=1000)
    status, pulled = asyncio.run(_call(receiver, [b"x" * 100] * 10_000, stall=False))
    assert status == 413 and pulled == 11  # read up to the cap, not the 1 MB offered


def test_receiver_refuses_an_announced_huge_body_unread() -> None:
    receiver = CallbackReceiver()
    status, pulled = asyncio.run(_call(receiver, [b"x"], stall=True, headers=[(b"content-length", b"99999999999")]))
    assert (status, pulled) == (413, 0)


@pytest.mark.parametrize("body", [b"[" * 200_000, b"\xff\xfe", b'{"code": 200, "data": {"taskId": 5}}', b"null"])
def test_receiver_answers_400_to_malformed_bodies(body: bytes) -> None:
    receiver = CallbackReceiver()
    assert asyncio.run(_call(receiver, [body], stall=False))[0] == 400


# -- the simulator -----------------------------------------------------------------------------------------


def test_simulator_refuses_oversized_and_stalled_bodies(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mock_app, "BODY_TIMEOUT", 0.05)
    app = create_app(MockConfig())
    path = "/api/v1/veo/generate"
    auth = [(b"authorization", b"Bearer test-key-123")]
    status, pulled = asyncio.run(_call(app, [b"x" * 4096] * 1000, stall=False, path=path, headers=auth))
    assert status == 413 and pulled * 4096 <= mock_app.MAX_BODY_BYTES + 4096
    assert asyncio.run(_call(app, [b'{"prompt": '], stall=True, path=path, headers=auth)) == (408, 1)
    asyncio.run(_call(app, [b"[" * 100_000], stall=False, path=path, headers=auth))
    assert app.mock_state.requests[-1].code == 422  # malformed (absurdly deep) JSON is answered as invalid


def test_the_simulator_runs_under_uvicorn_with_the_limits() -> None:
    """The configured values reach uvicorn (the functional checks are below)."""
    with MockServer() as server:
        config = server._server.config  # type: ignore[union-attr]
        assert config.http is GuardedH11Protocol
        assert config.h11_max_incomplete_event_size == _serving.MAX_HEADER_BYTES
        assert config.limit_concurrency == _serving.LIMIT_CONCURRENCY
        assert config.timeout_keep_alive == _serving.KEEP_ALIVE_TIMEOUT


class _QuickGuard(GuardedH11Protocol):
    header_timeout = 0.2


@contextlib.contextmanager
def _served(app: Any) -> Iterator[tuple[str, int]]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(app, lifespan="off", log_level="critical", **server_limits(http=_QuickGuard))
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        while not server.started:
            assert thread.is_alive()
            threading.Event().wait(0.005)
        yield sock.getsockname()[:2]
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def _read_all(conn: socket.socket) -> bytes:
    data = b""
    while chunk := conn.recv(65536):
        data += chunk
    return data


@pytest.mark.parametrize("app_name", ["receiver", "simulator"])
def test_a_client_stalling_mid_headers_is_disconnected(app_name: str) -> None:
    app = CallbackReceiver() if app_name == "receiver" else create_app(MockConfig())
    with _served(app) as address, socket.create_connection(address, timeout=GUARD) as conn:
        conn.sendall(b"POST /api/v1/veo/generate HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        assert _read_all(conn) == b""  # closed by the server, not by our 30 s guard (that would raise)


def test_a_second_request_stalling_mid_headers_is_disconnected_too() -> None:
    with _served(CallbackReceiver()) as address, socket.create_connection(address, timeout=GUARD) as conn:
        conn.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nnull")
        first = b""
        while not first.endswith(b"}"):  # the whole first answer (a JSON body), so what follows is the close
            first += conn.recv(65536)
        assert first.startswith(b"HTTP/1.1 400")
        conn.sendall(b"POST / HTTP/1.1\r\nHost: x\r\n")
        assert _read_all(conn) == b""


def test_oversized_headers_are_refused_with_400() -> None:
    with _served(CallbackReceiver()) as address, socket.create_connection(address, timeout=GUARD) as conn:
        conn.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (_serving.MAX_HEADER_BYTES + 1024))
        assert _read_all(conn).startswith(b"HTTP/1.1 400")
