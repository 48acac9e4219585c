"""Serving an ASGI app (the simulator, the callback receiver) with uvicorn, bounded against hostile clients.

uvicorn alone never times out a connection whose request headers trickle in (slowloris): it only closes idle
keep-alive connections. :class:`GuardedH11Protocol` adds that deadline, and :func:`server_limits` gathers the
settings every veo3 server uses: headers at most 16 KiB (h11 answers 400 beyond), at most
``LIMIT_CONCURRENCY`` connections and tasks (503 beyond), idle keep-alive closed after 5 s. Bodies are the
app's business (:func:`veo3._net.read_body`: size cap and read deadline).
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

__all__ = ["HEADER_TIMEOUT", "LIMIT_CONCURRENCY", "MAX_HEADER_BYTES", "GuardedH11Protocol", "server_limits"]

#: Seconds a client gets to send a request's headers (from connecting, or from its first byte after a response).
HEADER_TIMEOUT = 10.0
#: The largest request head h11 buffers (its own default, stated here so the bound is visible).
MAX_HEADER_BYTES = 16 * 1024
#: Connections plus running requests beyond which uvicorn answers 503 (bounds memory under a flood).
LIMIT_CONCURRENCY = 512
#: Seconds an idle keep-alive connection stays open.
KEEP_ALIVE_TIMEOUT = 5


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, closing a connection whose request headers do not arrive within ``header_timeout``."""

    header_timeout: float = HEADER_TIMEOUT
    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Start the header deadline as soon as the client connects."""
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        """Stop the deadline once a request's headers are in; restart it when the next request begins."""
        super().data_received(data)
        if self._awaiting_headers():
            if self._header_timer is None:
                self._arm()
        else:
            self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        """Forget the deadline with the connection."""
        self._disarm()
        super().connection_lost(exc)

    def _awaiting_headers(self) -> bool:
        return self.cycle is None or self.cycle.response_complete

    def _arm(self) -> None:
        self._header_timer = self.loop.call_later(self.header_timeout, self._expire)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _expire(self) -> None:
        self._header_timer = None
        if self._awaiting_headers() and not self.transport.is_closing():
            self.transport.close()


def server_limits(**overrides: Any) -> dict[str, Any]:
    """``uvicorn.Config``/``uvicorn.run`` keyword arguments with veo3's limits (``overrides`` win)."""
    return {
        "http": GuardedH11Protocol,
        "h11_max_incomplete_event_size": MAX_HEADER_BYTES,
        "limit_concurrency": LIMIT_CONCURRENCY,
        "timeout_keep_alive": KEEP_ALIVE_TIMEOUT,
        **overrides,
    }
