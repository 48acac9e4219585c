"""Bounds on what a server under test can make ``veo3 conformance`` read: size and time of every response.

schemathesis sends through ``requests`` sessions it creates itself (several kinds, in several places) and
reads each body whole into memory, so a hostile server could answer with an endless stream or a huge body.
:func:`bounded_responses` wraps every response ``requests`` builds while it is active (through
``HTTPAdapter.build_response``, the documented hook for adapters): an announced length over the cap is
refused before reading, a body is cut off when it passes the cap or the deadline, each as a typed
``requests`` error that schemathesis reports as a network error for that request (the run ends with exit 2).
Redirects are not followed at all (``max-redirects: 0`` in the runner's configuration): a 3xx is judged as
the answer it is, and no request goes to another host or scheme.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import requests
from requests.adapters import HTTPAdapter

__all__ = ["MAX_RESPONSE_BYTES", "RESPONSE_DEADLINE", "ResponseTooLarge", "ResponseTooSlow", "bounded_responses"]

#: The largest response body read (kie's answers are a few KiB).
MAX_RESPONSE_BYTES = 16 << 20
#: Seconds a response body may take to arrive in full, after its headers.
RESPONSE_DEADLINE = 60.0


class ResponseTooLarge(requests.exceptions.RequestException):
    """The server sent (or announced) a body larger than the conformance run reads."""


class ResponseTooSlow(requests.exceptions.RequestException):
    """The server did not finish a body within the deadline (e.g. an endless slow stream)."""


class _BoundedRaw:
    """A urllib3 response whose reads stop at ``limit`` bytes and ``deadline`` (everything else delegated)."""

    def __init__(self, raw: Any, url: str, limit: int, seconds: float) -> None:
        self._raw = raw
        self._url = url
        self._limit = limit
        self._seconds = seconds
        self._deadline = time.monotonic() + seconds
        self._read = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)

    def _count(self, data: bytes) -> bytes:
        self._read += len(data)
        if self._read > self._limit:
            self._raw.close()
            raise ResponseTooLarge(f"response from {self._url} is larger than {self._limit} bytes")
        if time.monotonic() > self._deadline:
            self._raw.close()
            raise ResponseTooSlow(f"response from {self._url} not complete within {self._seconds:g} s")
        return data

    def stream(self, amt: int | None = 2**16, decode_content: bool | None = None) -> Iterator[bytes]:
        for chunk in self._raw.stream(amt, decode_content=decode_content):
            yield self._count(chunk)

    def read(self, amt: int | None = None, *args: Any, **kwargs: Any) -> bytes:
        if amt is None:  # never "everything": read in bounded pieces
            return b"".join(self.stream(2**16, kwargs.get("decode_content")))
        return self._count(self._raw.read(amt, *args, **kwargs))

    def read1(self, amt: int | None = None, *args: Any, **kwargs: Any) -> bytes:
        return self._count(self._raw.read1(amt, *args, **kwargs))


_lock = threading.Lock()
_active = 0
_original = HTTPAdapter.build_response


def _bounded_build_response(self: HTTPAdapter, req: Any, resp: Any) -> requests.Response:
    response = _original(self, req, resp)
    announced = response.headers.get("Content-Length", "")
    if announced.isdigit() and int(announced) > MAX_RESPONSE_BYTES:
        response.close()
        raise ResponseTooLarge(
            f"response from {response.url} announces {announced} bytes, over {MAX_RESPONSE_BYTES}", response=response
        )
    response.raw = _BoundedRaw(response.raw, response.url, MAX_RESPONSE_BYTES, RESPONSE_DEADLINE)
    return response


@contextmanager
def bounded_responses() -> Iterator[None]:
    """While active, every response ``requests`` builds is bounded by the module's size cap and deadline."""
    global _active
    with _lock:
        _active += 1
        if _active == 1:
            HTTPAdapter.build_response = _bounded_build_response  # type: ignore[method-assign]
    try:
        yield
    finally:
        with _lock:
            _active -= 1
            if _active == 0:
                HTTPAdapter.build_response = _original  # type: ignore[method-assign]
