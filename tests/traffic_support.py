"""Recording HTTP traffic as HAR 1.2 in tests: a transport wrapper that keeps every exchange the client makes."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import httpx


class HarRecorder(httpx.BaseTransport):
    """Wraps a transport; every request and its (fully read) answer become one HAR entry."""

    def __init__(self, inner: httpx.BaseTransport | None = None) -> None:
        self.inner = inner or httpx.HTTPTransport()
        self.entries: list[dict[str, Any]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        content = response.read()
        self.entries.append(_entry(request, response.status_code, response.headers, content))
        # A stream, not `content=`: the latter counts as already read, and streamed downloads would fail.
        stream = httpx.ByteStream(content)
        return httpx.Response(
            response.status_code, headers=response.headers, stream=stream, extensions=response.extensions
        )

    def close(self) -> None:
        self.inner.close()

    def har(self) -> dict[str, Any]:
        """The HAR document (``log.entries`` in request order)."""
        creator = {"name": "veo3 tests", "version": "1"}
        return {"log": {"version": "1.2", "creator": creator, "entries": self.entries}}

    def write(self, path: Path) -> Path:
        path.write_text(json.dumps(self.har(), indent=1))
        return path


def _headers(headers: httpx.Headers) -> list[dict[str, str]]:
    return [{"name": k, "value": v} for k, v in headers.multi_items()]


def _content(headers: httpx.Headers, content: bytes) -> dict[str, Any]:
    mime = headers.get("content-type", "")
    if mime.startswith(("application/json", "text/")):
        return {"size": len(content), "mimeType": mime, "text": content.decode("utf-8", "replace")}
    return {"size": len(content), "mimeType": mime, "text": base64.b64encode(content).decode(), "encoding": "base64"}


def _entry(request: httpx.Request, status: int, headers: httpx.Headers, content: bytes) -> dict[str, Any]:
    har_request: dict[str, Any] = {
        "method": request.method,
        "url": str(request.url),
        "httpVersion": "HTTP/1.1",
        "headers": _headers(request.headers),
        "queryString": [{"name": k, "value": v} for k, v in request.url.params.multi_items()],
        "cookies": [],
        "headersSize": -1,
        "bodySize": len(request.content),
    }
    if request.content:
        har_request["postData"] = {
            "mimeType": request.headers.get("content-type", ""),
            "text": request.content.decode("utf-8", "replace"),
        }
    return {
        "startedDateTime": "2026-01-01T00:00:00.000Z",
        "time": 0,
        "request": har_request,
        "response": {
            "status": status,
            "statusText": "",
            "httpVersion": "HTTP/1.1",
            "headers": _headers(headers),
            "cookies": [],
            "content": _content(headers, content),
            "redirectURL": "",
            "headersSize": -1,
            "bodySize": len(content),
        },
        "cache": {},
        "timings": {"send": 0, "wait": 0, "receive": 0},
    }
