"""The sans-IO vocabulary, containing no networking code at all: flows yield these effects and get results back.

One driver per I/O style (``_client._drivers.SyncDriver``, ``AsyncDriver``) performs the effects, so the
retry policy, error mapping, polling and the 1080p/4K state machines exist once for both clients. The
effects are frozen dataclasses: a flow describes what it wants, it never holds a socket or a loop.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from veo3._spec._validation import Extra

from ._policy import Failure

if TYPE_CHECKING:
    from veo3_api.types import Response

    from veo3._spec._operations import Operation

__all__ = [
    "Call",
    "Effect",
    "Extra",
    "Flow",
    "RawReply",
    "Reply",
    "Sink",
    "Sleep",
    "Stream",
    "TransportFailed",
    "WaitFor",
]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Call:
    """Run ``op.module.sync_detailed``/``asyncio_detailed`` with ``kwargs`` (plus ``extra``, if any); the
    driver answers a ``Reply``."""

    op: Operation
    kwargs: dict[str, Any]
    extra: Extra | None = None


class RawReply(Protocol):
    """The raw HTTP reply as the core reads it (an ``httpx.Response`` is one): status, headers, body."""

    @property
    def status_code(self) -> int:
        """The HTTP status."""
        ...

    @property
    def headers(self) -> Mapping[str, str]:
        """The reply's headers (case-insensitive look-ups)."""
        ...

    @property
    def content(self) -> bytes:
        """The body read so far (raises if it was never read)."""
        ...


class TransportFailed(Exception):
    """A request that failed in transport, as the driver classified it for the retry policy.

    The core never sees the I/O library's own exceptions: the driver maps them to a ``Failure``
    (``_client._drivers.transport_failure``) and keeps the original as ``__cause__``.
    """

    def __init__(self, failure: Failure, name: str, detail: str) -> None:
        super().__init__(detail)
        self.failure = failure
        #: The I/O library's name for what happened (``ConnectTimeout``...), for messages.
        self.name = name


@dataclass(frozen=True, slots=True)
class Reply:
    """What a ``Call`` produced: the parsed response, or the exception with the raw reply if one came."""

    response: Response[Any] | None
    error: Exception | None = None
    raw: RawReply | None = None


@dataclass(frozen=True, slots=True)
class Sleep:
    """Pause for ``seconds``."""

    seconds: float


class Sink(Protocol):
    """What a ``Stream`` pours into (``_download.DownloadJob`` is one): it names the URL and the headers to
    send, hears the status line, and takes the body chunk by chunk."""

    url: str

    def request_headers(self) -> dict[str, str]:
        """The headers of the GET (a ``Range`` when resuming)."""
        ...

    def begin(self, status: int, headers: Mapping[str, str]) -> None:
        """The reply's status and headers arrived; raise to refuse the body."""
        ...

    def write(self, chunk: bytes) -> None:
        """One chunk of the body, in order."""
        ...


@dataclass(frozen=True, slots=True)
class Stream:
    """GET ``sink.url`` streamed into ``sink`` (a download attempt); transport errors are thrown back."""

    sink: Sink


@dataclass(frozen=True, slots=True)
class WaitFor:
    """Block until ``probe()`` returns non-``None`` or ``seconds`` pass; answers the value or ``None``.

    Used by callback waits: the probe reads what a callback receiver has collected.
    """

    probe: Callable[[], Any]
    seconds: float


Effect = Call | Sleep | Stream | WaitFor
Flow = Generator[Effect, Any, T]
