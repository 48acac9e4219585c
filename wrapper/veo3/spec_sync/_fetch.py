"""Reading kie's docs site: ``llms.txt`` and each page's Markdown export, bounded in size and time.

Everything a web server sends is untrusted: a status other than 200 (a redirect included), a body larger
than the cap, a body still arriving after the deadline (an endless page) or one that is not UTF-8 is an
error naming the URL; nothing is retried (the weekly run is the retry).
"""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit, urlunsplit

import httpx

from veo3.spec_sync._errors import SpecSyncError

MAX_PAGE_BYTES = 2 * 1024 * 1024
MAX_INDEX_BYTES = 4 * 1024 * 1024
DEADLINE_SECONDS = 60.0
TIMEOUT = httpx.Timeout(20.0, connect=10.0)
_LINK = re.compile(r"\]\((?P<url>https?://[^)\s]+)\)")


def with_origin(url: str, origin: str | None) -> str:
    """``url`` with its scheme and host replaced by ``origin``'s (``--docs-url``: a mirror or a test server)."""
    if not origin:
        return url
    parts, new = urlsplit(url), urlsplit(origin)
    return urlunsplit((new.scheme, new.netloc, new.path.rstrip("/") + parts.path, parts.query, ""))


def page_key(url: str) -> str:
    """A page's identity in the index and the manifest: its path without ``.md`` and slashes at the ends."""
    path = urlsplit(url).path.strip("/")
    return path[: -len(".md")] if path.endswith(".md") else path


def index_pages(text: str) -> list[str]:
    """The page keys ``llms.txt`` links to, in order, once each."""
    seen: dict[str, None] = {}
    for match in _LINK.finditer(text):
        seen.setdefault(page_key(match["url"]), None)
    return list(seen)


def fetch_text(client: httpx.Client, url: str, max_bytes: int = MAX_PAGE_BYTES) -> str:
    """The body of ``url`` as text; ``SpecSyncError`` on any status but 200, oversize, deadline, bad UTF-8."""
    started = time.monotonic()
    try:
        with client.stream("GET", url) as response:
            if response.status_code != 200:
                raise SpecSyncError(f"{url}: HTTP {response.status_code} (expected 200)")
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise SpecSyncError(f"{url}: page larger than {max_bytes} bytes ({declared} declared)")
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > max_bytes:
                    raise SpecSyncError(f"{url}: page larger than {max_bytes} bytes")
                if time.monotonic() - started > DEADLINE_SECONDS:
                    raise SpecSyncError(f"{url}: page still arriving after {DEADLINE_SECONDS:.0f} s")
    except httpx.HTTPError as exc:
        raise SpecSyncError(f"{url}: network error: {type(exc).__name__}: {exc}") from None
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise SpecSyncError(f"{url}: page is not UTF-8") from None
