"""Network helpers shared by the client, the receiver, the simulator and the contract suite (one rule each)."""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:
    from starlette.requests import Request

__all__ = ["BodyRefused", "is_loopback", "read_body"]


def is_loopback(url: str | httpx.URL) -> bool:
    """Whether ``url`` names this machine: host ``localhost`` (any case, trailing dot allowed) or a loopback IP.

    The URL is parsed the way httpx sends it, so the answer is about the host actually contacted. Deliberately
    strict (``*.localhost`` is refused: only some resolvers map it to loopback), since the answer decides where
    an API key may travel over plain HTTP, where paid requests may be fuzzed and where the simulator posts.
    """
    try:
        host = (url if isinstance(url, httpx.URL) else httpx.URL(url)).host
    except httpx.InvalidURL:
        return False
    host = host.lower().rstrip(".")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class BodyRefused(Exception):
    """A request body a server will not read: too large (413) or too slow (408)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


async def read_body(request: Request, *, max_bytes: int, timeout: float) -> bytes:
    """The body of ``request``, read within ``timeout`` seconds and ``max_bytes`` bytes, else :class:`BodyRefused`.

    An announced ``Content-Length`` over the limit is refused before a byte is read; a chunked body is counted as
    it arrives and dropped at the limit, so neither memory nor time grows with what a hostile client sends.
    """
    import asyncio  # here: the sync client imports this module and need not load asyncio

    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise BodyRefused(413, f"body larger than {max_bytes} bytes")
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(timeout):
            async for chunk in request.stream():
                size += len(chunk)
                if size > max_bytes:
                    raise BodyRefused(413, f"body larger than {max_bytes} bytes")
                chunks.append(chunk)
    except TimeoutError:
        raise BodyRefused(408, f"body not received within {timeout:g} s") from None
    return b"".join(chunks)
