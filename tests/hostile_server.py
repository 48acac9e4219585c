"""A hostile HTTP server for the security tests: redirects anywhere, huge or endless bodies, lies about lengths.

Each path (or ``default``) maps to a :class:`Behaviour`; the server counts the bytes it managed to send, so a
test can assert that a client stopped reading (bounded memory) without timing anything.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Behaviour:
    """What the server does for one path.

    ``kind``: ``"redirect"`` (to ``location``), ``"endless"`` (200, zeros until the client hangs up; chunked
    unless ``length`` announces a size), ``"body"`` (``body`` with an optional lying ``length``).
    """

    kind: str
    location: str = ""
    length: int | None = None
    body: bytes = b""
    content_type: str = "application/json"
    pause: float = 0.0  # seconds between the pieces of an endless body (a drip that never stalls a read)
    sent: int = 0
    requests: int = 0


@dataclass
class Hostile:
    """The running server: ``url``, and the behaviours (with their byte counters)."""

    url: str
    routes: dict[str, Behaviour] = field(default_factory=dict)


_CHUNK = b"\0" * 16384


def _handler(routes: dict[str, Behaviour]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(min(length, 1 << 20))
            behaviour = routes.get(self.path.split("?", 1)[0]) or routes["default"]
            behaviour.requests += 1
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client hung up, as hoped
                self._respond(behaviour)
            self.close_connection = True

        def _respond(self, b: Behaviour) -> None:
            if b.kind == "redirect":
                self.send_response(302)
                self.send_header("Location", b.location)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", b.content_type)
            if b.kind == "body":
                self.send_header("Content-Length", str(len(b.body) if b.length is None else b.length))
                self.end_headers()
                self.wfile.write(b.body)
                b.sent += len(b.body)
                return
            chunked = b.length is None
            self.send_header(*(("Transfer-Encoding", "chunked") if chunked else ("Content-Length", str(b.length))))
            self.end_headers()
            piece = _CHUNK[:64] if b.pause else _CHUNK
            frame = (b"%x\r\n" % len(piece)) + piece + b"\r\n" if chunked else piece
            while True:
                self.wfile.write(frame)
                self.wfile.flush()
                b.sent += len(piece)
                if b.pause:
                    time.sleep(b.pause)

        do_GET = do_POST = do_HEAD = do_PUT = do_DELETE = do_PATCH = _serve

    return Handler


@contextmanager
def hostile_server(routes: dict[str, Behaviour]) -> Iterator[Hostile]:
    """Serve ``routes`` (path -> behaviour; ``"default"`` for every other path) on a loopback port."""
    table = dict(routes)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(table))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Hostile(f"http://127.0.0.1:{server.server_address[1]}", table)
    finally:
        server.shutdown()
        server.server_close()
