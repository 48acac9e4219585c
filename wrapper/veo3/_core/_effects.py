"""The sans-IO vocabulary: operations are generators that yield effects and get their results back.

One driver per I/O style (``_drivers.SyncDriver``, ``_drivers.AsyncDriver``) performs the effects, so the
retry policy, error mapping, polling and the 1080p/4K state machines exist once for both clients.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import httpx
    from veo3_api.types import Response

    from veo3._spec._operations import Operation

    from ._download import DownloadJob

__all__ = ["Call", "Effect", "Extra", "Flow", "Reply", "Sleep", "Stream", "WaitFor"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Extra:
    """What a caller sends beyond what the spec knows (``extra_body``, ``extra_query``, ``extra_headers``).

    The generated operations cannot carry it, so the transport adds it to the request they build.
    """

    body: dict[str, Any] | None = None
    query: dict[str, Any] | None = None
    headers: dict[str, str] | None = None


@dataclass(frozen=True, slots=True)
class Call:
    """Run ``op.module.sync_detailed``/``asyncio_detailed`` with ``kwargs`` (plus ``extra``, if any); the
    driver answers a ``Reply``."""

    op: Operation
    kwargs: dict[str, Any]
    extra: Extra | None = None


@dataclass(frozen=True, slots=True)
class Reply:
    """What a ``Call`` produced: the parsed response, or the exception with the raw reply if one came."""

    response: Response[Any] | None
    error: Exception | None = None
    raw: httpx.Response | None = None


@dataclass(frozen=True, slots=True)
class Sleep:
    """Pause for ``seconds``."""

    seconds: float


@dataclass(frozen=True, slots=True)
class Stream:
    """GET ``job.url`` streamed into ``job`` (a download attempt); transport errors are thrown back."""

    job: DownloadJob


@dataclass(frozen=True, slots=True)
class WaitFor:
    """Block until ``probe()`` returns non-``None`` or ``seconds`` pass; answers the value or ``None``.

    Used by callback waits: the probe reads what a callback receiver has collected.
    """

    probe: Callable[[], Any]
    seconds: float


Effect = Call | Sleep | Stream | WaitFor
Flow = Generator[Effect, Any, T]
