"""Build the clients under test: raw httpx (the baseline) and veo3 over the same transport."""

from __future__ import annotations

from typing import Any

import httpx

from benchmarks._payloads import API_KEY


def veo3_client_available() -> bool:
    """Whether ``veo3.Veo3Client`` exists yet (the benchmarks report baselines only until it does)."""
    try:
        import veo3
    except ImportError:
        return False
    return hasattr(veo3, "Veo3Client") and hasattr(veo3, "AsyncVeo3Client")


def simulator_available() -> bool:
    """Whether the simulator ``veo3.mock`` exists yet."""
    try:
        from veo3.mock import MockConfig, create_app  # noqa: F401
    except ImportError:
        return False
    return True


def auth_headers() -> dict[str, str]:
    """The headers raw httpx sends: what any kie.ai client must send."""
    return {"Authorization": f"Bearer {API_KEY}"}


def raw_sync(base_url: str, transport: httpx.BaseTransport | None = None, **kw: Any) -> httpx.Client:
    """The baseline: a plain ``httpx.Client`` with the key header."""
    return httpx.Client(base_url=base_url, headers=auth_headers(), transport=transport, **kw)


def raw_async(base_url: str, transport: httpx.AsyncBaseTransport | None = None, **kw: Any) -> httpx.AsyncClient:
    """The baseline: a plain ``httpx.AsyncClient`` with the key header."""
    return httpx.AsyncClient(base_url=base_url, headers=auth_headers(), transport=transport, **kw)


def veo3_sync(base_url: str, http_client: httpx.Client | None = None, **kw: Any) -> Any:
    """A ``veo3.Veo3Client`` sending through ``http_client`` (so both sides share one transport)."""
    from veo3 import Veo3Client

    kw.setdefault("rate_limit", None)  # overhead figures measure the call, not the pacing
    return Veo3Client(API_KEY, base_url=base_url, http_client=http_client, **kw)


def veo3_async(base_url: str, http_client: httpx.AsyncClient | None = None, **kw: Any) -> Any:
    """A ``veo3.AsyncVeo3Client`` sending through ``http_client``."""
    from veo3 import AsyncVeo3Client

    kw.setdefault("rate_limit", None)  # overhead figures measure the call, not the pacing
    return AsyncVeo3Client(API_KEY, base_url=base_url, http_client=http_client, **kw)


def no_rate_limit() -> dict[str, Any]:
    """Constructor keywords that switch off a client-side rate limiter, if the client has one."""
    import inspect

    from veo3 import AsyncVeo3Client

    params = inspect.signature(AsyncVeo3Client).parameters
    return {"rate_limit": None} if "rate_limit" in params else {}
