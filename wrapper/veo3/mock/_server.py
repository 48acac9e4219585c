"""Running the simulator over a real socket: ``MockServer`` (background thread) and ``serve`` (blocking)."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from types import TracebackType

import uvicorn

from veo3._utils._serving import server_limits

from ._app import MockApp, create_app
from ._config import MockConfig
from ._state import MockState


class MockServer:
    """The simulator on a free loopback port, served by uvicorn in a background thread.

    Use it as a context manager (``with`` or ``async with``); ``url`` is the base URL to give a
    client, ``state`` the introspection (``tasks``, ``requests``, ``callbacks``, ``reset()``).
    """

    def __init__(self, config: MockConfig | None = None, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app: MockApp = create_app(config)
        self._host, self._port = host, port
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None

    @property
    def config(self) -> MockConfig:
        """The simulator's configuration."""
        return self.app.mock_config

    @property
    def state(self) -> MockState:
        """Tasks, received requests and delivered callbacks."""
        return self.app.mock_state

    @property
    def url(self) -> str:
        """The base URL, e.g. ``http://127.0.0.1:54321`` (only while running)."""
        if self._socket is None:
            raise RuntimeError("the MockServer is not running: use it as a context manager or call start()")
        host, port = self._socket.getsockname()[:2]
        return f"http://{host}:{port}"

    def reset(self) -> None:
        """Forget every task, request and callback (see ``MockState.reset``)."""
        self.state.reset()

    def start(self, timeout: float = 10.0) -> None:
        """Start serving; returns once the server accepts connections."""
        if self._thread is not None:
            return
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self._host, self._port))
        self._socket = sock
        # uvicorn's h11 protocol (the fault layer knows how to drop its connections, see ``_faults``), with
        # veo3's limits against slow or flooding clients.
        config = uvicorn.Config(self.app, lifespan="off", log_level="warning", access_log=False, **server_limits())
        self._server = server = uvicorn.Server(config)
        self._thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="veo3-mock", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the MockServer did not start")
            time.sleep(0.005)

    def stop(self, timeout: float = 10.0) -> None:
        """Stop serving and wait for the thread to end."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
        if self._socket is not None:
            self._socket.close()
        self._server = self._thread = self._socket = None

    def __enter__(self) -> MockServer:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    async def __aenter__(self) -> MockServer:
        await asyncio.to_thread(self.start)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await asyncio.to_thread(self.stop)


def serve(host: str = "127.0.0.1", port: int = 8787, config: MockConfig | None = None) -> None:
    """Serve the simulator until interrupted (the ``veo3 mock`` command and ``make mock``)."""
    uvicorn.run(create_app(config), host=host, port=port, lifespan="off", log_level="info", **server_limits())
