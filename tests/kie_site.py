"""A local stand-in for kie's docs site (docs.kie.ai): ``llms.txt`` and each page's ``.md`` export.

Pages come from dated snapshots stored under ``tests/data/kie-site/<date>/``; a later snapshot holds only
the pages that changed, so a site "as of" a date is its snapshot over the earlier ones. A test can edit a
page (``pages``) or make a path misbehave (``faults``: a status code, ``"endless"`` for a body that never
ends, ``"huge"`` for one past the size cap).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SNAPSHOTS = Path(__file__).parent / "data" / "kie-site"
DATES = ("2026-04-29", "2026-08-19")


def snapshot(date: str) -> dict[str, str]:
    """The site as of ``date``: ``{url path: text}`` (each snapshot over the ones before it)."""
    pages: dict[str, str] = {}
    for day in DATES:
        if day > date:
            break
        for file in sorted((SNAPSHOTS / day).rglob("*")):
            if file.is_file():
                pages["/" + file.relative_to(SNAPSHOTS / day).as_posix()] = file.read_text(encoding="utf-8")
    return pages


@dataclass
class KieSite:
    """The running site: its ``url``, the ``pages`` it serves and the ``faults`` it plays (editable live)."""

    url: str
    pages: dict[str, str]
    faults: dict[str, int | str] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)

    def edit(self, key: str, old: str, new: str) -> None:
        """Replace ``old`` (which must occur once) by ``new`` in page ``key`` (e.g. ``veo3-api/extend-video``)."""
        path = f"/{key}.md"
        assert self.pages[path].count(old) == 1, f"{old!r} is not once in {path}"
        self.pages[path] = self.pages[path].replace(old, new)


def _handler(site: KieSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            site.requests.append(self.path)
            fault = site.faults.get(self.path)
            if fault == "endless":
                self.send_response(200)
                self.send_header("Content-Type", "text/markdown")
                self.end_headers()  # no length: the body runs until the client hangs up
                try:
                    while True:
                        self.wfile.write(b"# still coming\n")
                        self.wfile.flush()
                        time.sleep(0.05)
                except OSError:
                    return
            if fault == "huge":
                body = b"# huge\n" + b"x" * (3 * 1024 * 1024)
            elif isinstance(fault, int):
                self.send_response(fault)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            elif self.path in site.pages:
                body = site.pages[self.path].encode("utf-8")
            else:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/markdown; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body)
            except OSError:
                return

    return Handler


@contextmanager
def kie_site(date: str) -> Iterator[KieSite]:
    """Serve the site as of ``date`` on 127.0.0.1 (a free port) for the duration of the block."""
    site = KieSite("", snapshot(date))
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    server.daemon_threads = True
    site.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
