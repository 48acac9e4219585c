"""Network helpers shared by the client, the simulator and the contract suite (one rule each)."""

from __future__ import annotations

import ipaddress

import httpx

__all__ = ["is_loopback"]


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
