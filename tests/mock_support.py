"""Helpers for the simulator's tests: a client on the in-process app, schema checks, a callback receiver."""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
from anyio.from_thread import BlockingPortal, start_blocking_portal
from veo3._spec import _document as _spec
from veo3.mock import MockConfig, create_app
from veo3.mock._app import MockApp

KEY = "test-key-123"
AUTH = {"Authorization": f"Bearer {KEY}"}
PATHS = {op.operation_id: op.path for op in _spec.iter_operations()}


def response_schema_ref(operation_id: str, status: int) -> str:
    """The ``$ref`` of the schema the spec gives for ``status`` of ``operation_id``."""
    responses = _spec.operation(operation_id).definition["responses"]
    key = str(status) if str(status) in responses else f"{str(status)[0]}XX"
    if key not in responses:
        key = "default"
    return str(responses[key]["content"]["application/json"]["schema"]["$ref"])


def check(operation_id: str, response: httpx.Response) -> dict[str, Any]:
    """The envelope, after asserting it is valid against the spec for the operation and HTTP status."""
    body: dict[str, Any] = response.json()
    errors = list(_spec.validator(response_schema_ref(operation_id, response.status_code)).iter_errors(body))
    assert not errors, f"{operation_id} HTTP {response.status_code}: {body} violates the spec: {errors[0].message}"
    return body


class InProcessClient:
    """A synchronous face on ``httpx.AsyncClient(transport=ASGITransport(app))``, its loop in a portal thread.

    The loop lives as long as the client, so the simulator's background callbacks run as they would
    under a server.
    """

    def __init__(self, portal: BlockingPortal, client: httpx.AsyncClient) -> None:
        self.portal, self.client = portal, client

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        return self.portal.call(functools.partial(self.client.request, method, url, **kwargs))

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)


class Api:
    """A thin client of the simulator that checks every answer against the spec."""

    def __init__(self, client: httpx.Client | InProcessClient, app: MockApp) -> None:
        self.client, self.app, self.state = client, app, app.mock_state

    def call(self, operation_id: str, *, json_body: Any = None, params: Any = None, headers: Any = None) -> Any:
        op = _spec.operation(operation_id)
        response = self.client.request(op.method, op.path, json=json_body, params=params, headers=headers)
        self.last = response
        return check(operation_id, response)

    def generate(self, prompt: str = "A dog playing in a park", **fields: Any) -> Any:
        return self.call("generate-veo3-1-video", json_body={"prompt": prompt, **fields})

    def extend(self, task_id: str, prompt: str = "The camera keeps moving", **fields: Any) -> Any:
        return self.call("extend-veo3-1-video", json_body={"taskId": task_id, "prompt": prompt, **fields})

    def details(self, task_id: str) -> Any:
        return self.call("get-veo3-1-video-details", params={"taskId": task_id})

    def hd(self, task_id: str, index: int | None = None) -> Any:
        params: dict[str, Any] = {"taskId": task_id}
        if index is not None:
            params["index"] = index
        return self.call("get-veo3-1-1080p-video", params=params)

    def uhd(self, task_id: str, **fields: Any) -> Any:
        return self.call("get-veo3-1-4k-video", json_body={"taskId": task_id, **fields})

    def credits(self) -> Any:
        return self.call("get-account-credits")

    def download_url(self, url: str) -> Any:
        return self.call("download-url", json_body={"url": url})

    def finish(self) -> None:
        """Move the simulator clock past every pending task."""
        self.state.advance(3600)

    def created(self, prompt: str = "A dog playing in a park", **fields: Any) -> str:
        """A successful task's id."""
        body = self.generate(prompt, **fields)
        assert body["code"] == 200, body
        self.finish()
        return str(body["data"]["taskId"])


@contextmanager
def api(config: MockConfig | None = None) -> Iterator[Api]:
    """An ``Api`` on a fresh in-process simulator (seeded; tasks end when the test advances the clock)."""
    app = create_app(config or MockConfig(seed=7))
    transport = httpx.ASGITransport(app)
    with start_blocking_portal() as portal:
        client = httpx.AsyncClient(transport=transport, base_url="http://testserver", headers=AUTH)
        try:
            yield Api(InProcessClient(portal, client), app)
        finally:
            portal.call(client.aclose)


class Receiver:
    """A loopback HTTP server that records POSTed callbacks and answers with scripted statuses."""

    def __init__(self, statuses: list[int] | None = None) -> None:
        self.statuses = list(statuses or [])
        self.received: list[tuple[dict[str, str], dict[str, Any]]] = []
        self.event = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length))
                receiver.received.append((dict(self.headers.items()), body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()
                receiver.event.set()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
