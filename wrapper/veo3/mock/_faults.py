"""Fault injection: choose a fault for a call, then answer (or fail to answer) the way it says.

Dropping a connection has to happen below HTTP: an ASGI app that raises before it starts a response
gets a 500 from uvicorn, not a closed socket. Under uvicorn's h11 protocol the ``send`` callable is a
method of the request cycle that holds the transport, so the simulator closes that transport and
waits until uvicorn notices; anywhere else (in-process ASGI transports) the drop is raised as the
``httpx.RemoteProtocolError`` a socket client would have seen.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

import httpx
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ._config import Fault
from ._state import MockState, RecordedRequest, key_fingerprint

#: Faults answered without processing the request.
UNPROCESSED = frozenset({"maintenance", "server_error", "rate_limit", "html_error", "drop_before"})

MAINTENANCE = {"code": 455, "msg": "Service unavailable: the system is under maintenance", "data": None}
SERVER_ERROR = {
    "code": 500,
    "msg": "Server Error - An unexpected error occurred while processing the request",
    "data": None,
}
RATE_LIMITED = {"code": 429, "msg": "Rate limited: too many requests", "data": None}
HTML_502 = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)


def pick(state: MockState, operation_id: str) -> Fault | None:
    """Count this call of the operation and return the fault it should suffer, if any."""
    state.call_counts[operation_id] += 1
    faults, injected = state.config.faults, state.injected_faults
    if not faults and not injected:
        return None
    candidates: tuple[Fault, ...] = (
        *faults.get(operation_id, ()),
        *faults.get("*", ()),
        *injected.get(operation_id, ()),
        *injected.get("*", ()),
    )
    call = state.call_counts[operation_id]
    for fault in candidates:
        if call in fault.on_calls:
            return fault
    for fault in candidates:
        if fault.probability and state.fault_random.random() < fault.probability:
            return fault
    return None


async def drop_connection(send: Send) -> None:
    """Close the client's connection without (the rest of) an HTTP response."""
    cycle: Any = getattr(send, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is None or not hasattr(cycle, "disconnected"):
        raise httpx.RemoteProtocolError("Server disconnected without sending a response (simulated fault).")
    transport.close()
    # uvicorn marks the cycle disconnected in connection_lost (scheduled by close); once it has,
    # it neither sends its own 500 nor complains that the app returned without a response.
    for _ in range(1000):
        if cycle.disconnected:
            return
        await asyncio.sleep(0.001)
    raise httpx.RemoteProtocolError("Server disconnected (simulated fault).")


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


def _fingerprint(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            key = value.decode("latin-1").removeprefix("Bearer ").strip()
            return key_fingerprint(key) if key else None
    return None


async def _send_bytes(send: Send, status: int, content_type: bytes, body: bytes) -> None:
    headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class _Capture:
    """Collects the response an app sends, instead of sending it."""

    def __init__(self) -> None:
        self.start: Message = {}
        self.body = b""

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.start = message
        elif message["type"] == "http.response.body":
            self.body += message.get("body", b"")


async def apply(
    fault: Fault, state: MockState, operation_id: str, app: ASGIApp, scope: Scope, receive: Receive, send: Send
) -> None:
    """Serve one request under ``fault``."""
    kind = fault.kind
    scope["veo3.mock.fault"] = kind
    if kind in UNPROCESSED:
        await _unprocessed(kind, state, operation_id, scope, receive, send)
        return
    captured = _Capture()
    await app(scope, receive, captured.send)
    if kind == "latency":
        # The request is processed first and only the reply is late: a client that times out meanwhile
        # faces the dangerous case (a paid create was accepted, its answer never arrived).
        await asyncio.sleep(fault.delay)
        with contextlib.suppress(OSError, RuntimeError):
            await send(captured.start)
            await send({"type": "http.response.body", "body": captured.body})
        return
    if kind == "drop_after":
        await drop_connection(send)
        return
    headers = [(k, v) for k, v in captured.start.get("headers", []) if k.lower() != b"content-length"]
    status = captured.start.get("status", 200)
    if kind == "malformed_json":
        body = captured.body[: max(1, len(captured.body) - 1)] + b",<}"  # the closing brace becomes garbage
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
        return
    # truncated_body: announce the whole length, send half, then close the connection.
    headers.append((b"content-length", str(len(captured.body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": captured.body[: len(captured.body) // 2], "more_body": True})
    await drop_connection(send)


async def _unprocessed(
    kind: str, state: MockState, operation_id: str, scope: Scope, receive: Receive, send: Send
) -> None:
    raw = await _read_body(receive)
    try:
        body: Any = json.loads(raw) if raw else None
    except ValueError:
        body = None
    code: int | None = None
    status: int | None = None
    if kind == "maintenance":
        code, status = 455, 455 if state.config.mirror_http_status else 200
    elif kind == "server_error":
        code, status = 500, 500
    elif kind == "rate_limit":
        code, status = 429, 429
    elif kind == "html_error":
        status = 502
    query = {k: v for k, _, v in (p.partition("=") for p in scope.get("query_string", b"").decode().split("&") if p)}
    state.requests.append(
        RecordedRequest(
            method=scope["method"],
            path=scope["path"],
            operation=operation_id,
            key_fingerprint=_fingerprint(scope),
            query=query,
            body=body,
            code=code,
            http_status=status,
            fault=kind,
            at=state.wall(),
        )
    )
    if kind == "drop_before":
        await drop_connection(send)
    elif kind == "html_error":
        await _send_bytes(send, 502, b"text/html; charset=utf-8", HTML_502)
    else:
        envelope = {455: MAINTENANCE, 500: SERVER_ERROR, 429: RATE_LIMITED}[code or 500]
        await _send_bytes(send, status or 200, b"application/json", json.dumps(envelope).encode())
