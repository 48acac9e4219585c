"""How the generated client reaches the network: absolute URL, bearer header, and the raw reply kept.

The generated operations call ``client.get_httpx_client().request(method=..., url=..., ...)``. The sender
objects below stand in for that httpx client: they join the validated base URL, add the Authorization
header per request (so a caller's own ``httpx.Client`` never stores the key) and remember the raw
``httpx.Response`` so an unreadable body can still be reported with its HTTP status.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

import httpx

from veo3._spec._validation import Extra
from veo3._utils._logging import Secret
from veo3._utils._net import is_loopback
from veo3.errors import ConfigurationError

__all__ = ["AsyncSender", "SyncSender", "check_base_url", "last_raw_response", "pending_extra"]

last_raw_response: ContextVar[httpx.Response | None] = ContextVar("veo3_last_raw_response", default=None)
#: Set by the drivers around one generated call: what the caller sends beyond the spec (``_effects.Extra``).
pending_extra: ContextVar[Extra | None] = ContextVar("veo3_pending_extra", default=None)


def check_base_url(base_url: str) -> str:
    """``base_url`` without a trailing slash; refuses plain HTTP to anything but loopback."""
    try:
        url = httpx.URL(base_url)
    except httpx.InvalidURL as exc:
        raise ConfigurationError(f"base_url is not a URL: {base_url!r}") from exc
    if url.scheme not in ("http", "https") or not url.host:
        raise ConfigurationError(f"base_url must be an absolute http(s) URL, got {base_url!r}")
    if url.scheme == "http" and not is_loopback(url):
        raise ConfigurationError(
            f"refusing to send the API key over plain HTTP to {url.host!r}: use https:// "
            "(plain http is allowed only for loopback hosts such as 127.0.0.1 and localhost)"
        )
    return base_url.rstrip("/")


class _Sender:
    __slots__ = ("_auth", "_base_url", "_http")

    def __init__(self, http: Any, base_url: str, api_key: Secret) -> None:
        self._http = http
        self._base_url = base_url
        self._auth = {"Authorization": f"Bearer {api_key.reveal()}"}

    def _prepare(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        headers = kwargs.get("headers")
        extra = pending_extra.get()
        if extra is not None:
            if extra.body and isinstance(kwargs.get("json"), dict):
                kwargs["json"] = {**kwargs["json"], **extra.body}
            if extra.query:
                kwargs["params"] = {**(kwargs.get("params") or {}), **extra.query}
            if extra.headers:
                headers = {**(headers or {}), **extra.headers}
        # The key goes last: no header a caller adds can replace it.
        kwargs["headers"] = {**headers, **self._auth} if headers else self._auth
        kwargs["url"] = self._base_url + kwargs["url"]
        return kwargs

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._base_url}>"


class SyncSender(_Sender):
    """Stands in for the ``httpx.Client`` the generated code calls."""

    __slots__ = ()

    def request(self, **kwargs: Any) -> httpx.Response:
        """Send through the wrapped client and remember the raw reply."""
        response: httpx.Response = self._http.request(**self._prepare(kwargs))
        last_raw_response.set(response)
        return response


class AsyncSender(_Sender):
    """Stands in for the ``httpx.AsyncClient`` the generated code calls."""

    __slots__ = ()

    async def request(self, **kwargs: Any) -> httpx.Response:
        """Send through the wrapped client and remember the raw reply."""
        response: httpx.Response = await self._http.request(**self._prepare(kwargs))
        last_raw_response.set(response)
        return response
