"""The two drivers that perform a flow's effects: one blocking, one asyncio."""

from __future__ import annotations

import contextlib
import time
import weakref
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx
from veo3_api.client import AuthenticatedClient

from veo3._core._effects import Call, Effect, Flow, Reply, Sink, Sleep, Stream, TransportFailed, WaitFor
from veo3._core._policy import Failure
from veo3.errors import DownloadError

from ._senders import last_raw_response, pending_extra

if TYPE_CHECKING:
    import asyncio

__all__ = ["TRANSPORT_FAILURES", "AsyncDriver", "SyncDriver", "transport_failure"]

T = TypeVar("T")

_POLL_STEP = 0.05  # how often a WaitFor re-checks its probe


#: What an httpx exception means to the core's retry policy (``_core._policy.POLICY``); anything else
#: (read timeout, connection dropped after sending...) is ``Failure.REPLY_LOST``. First match wins.
TRANSPORT_FAILURES: tuple[tuple[tuple[type[httpx.HTTPError], ...], Failure], ...] = (
    # Nothing was sent and a repeat would fail the same: a URL scheme httpx cannot send (a redirect to
    # file://), a proxy that refuses, a redirect loop.
    ((httpx.UnsupportedProtocol, httpx.ProxyError, httpx.TooManyRedirects), Failure.SETUP),
    # The connection was never made: even a paid create may be repeated.
    ((httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout), Failure.NEVER_SENT),
)


def transport_failure(exc: httpx.HTTPError) -> TransportFailed:
    """``exc`` as the core sees it: its ``Failure`` and its name, the original kept as the cause."""
    failure = next((kind for types, kind in TRANSPORT_FAILURES if isinstance(exc, types)), Failure.REPLY_LOST)
    failed = TransportFailed(failure, type(exc).__name__, str(exc))
    failed.__cause__ = exc
    return failed


def _failed(exc: Exception) -> Reply:
    """The ``Reply`` of a ``Call`` that raised: a transport failure as the core's ``TransportFailed``, anything
    else (a generated parser's error) as it is, with the raw reply if one came."""
    return Reply(None, transport_failure(exc) if isinstance(exc, httpx.HTTPError) else exc, last_raw_response.get())


class _calling:
    """Around one ``Call``: the sender adds the call's extras and remembers the raw reply (context variables).
    A plain class, not ``contextlib.contextmanager``: it runs on every request."""

    __slots__ = ("_extra", "_token")

    def __init__(self, effect: Call) -> None:
        self._extra = effect.extra

    def __enter__(self) -> None:
        last_raw_response.set(None)
        self._token = pending_extra.set(self._extra)

    def __exit__(self, *exc_info: object) -> None:
        pending_extra.reset(self._token)


@contextlib.contextmanager
def _streaming(sink: Sink) -> Iterator[None]:
    """Around one ``Stream``: httpx's errors become the core's (the flow decides whether to try again)."""
    try:
        yield
    except httpx.RequestError as exc:
        raise transport_failure(exc) from exc
    except httpx.InvalidURL as exc:  # a server-supplied URL httpx cannot send: a download error, not a crash
        raise DownloadError(f"not a valid URL: {exc}", url=sink.url) from exc


class _Steps(Generic[T]):
    """A flow fed the outcome of each effect: the half of ``run`` both drivers share. Iterating yields the
    effects; set ``value`` or ``error`` before the next one; ``result`` once the iteration ends."""

    def __init__(self, flow: Flow[T]) -> None:
        self.flow = flow
        self.value: Any = None
        self.error: BaseException | None = None
        self.result: T

    def __iter__(self) -> _Steps[T]:
        return self

    def __next__(self) -> Effect:
        value, error = self.value, self.error
        self.value, self.error = None, None
        try:
            return self.flow.send(value) if error is None else self.flow.throw(error)
        except StopIteration as stop:
            self.result = stop.value
            raise


def _api_for(effect: Call, api: AuthenticatedClient, hosts: Mapping[str, AuthenticatedClient]) -> AuthenticatedClient:
    """The generated client for the operation's host: ``hosts`` maps a spec server URL (the upload host's)
    to the client configured for it; every other operation goes to ``api``."""
    own = effect.op.own_server
    return hosts.get(own, api) if own is not None else api


class SyncDriver:
    """Runs flows with blocking I/O."""

    def __init__(
        self,
        api: AuthenticatedClient,
        http: httpx.Client,
        sleep: Callable[[float], None] = time.sleep,
        *,
        hosts: Mapping[str, AuthenticatedClient] | None = None,
    ):
        self.api = api
        self.http = http
        self.sleep = sleep
        self.hosts = dict(hosts or {})

    def run(self, flow: Flow[T]) -> T:
        """Drive ``flow`` to completion and return its result."""
        steps = _Steps(flow)
        for effect in steps:
            try:
                steps.value = self._perform(effect)
            except Exception as exc:
                steps.error = exc
        return steps.result

    def _perform(self, effect: Effect) -> Any:
        if isinstance(effect, Call):
            with _calling(effect):
                try:
                    return Reply(
                        effect.op.module.sync_detailed(client=_api_for(effect, self.api, self.hosts), **effect.kwargs)
                    )
                except Exception as exc:
                    return _failed(exc)
        if isinstance(effect, Sleep):
            self.sleep(effect.seconds)
            return None
        if isinstance(effect, Stream):
            job = effect.sink
            with (
                _streaming(job),
                self.http.stream("GET", job.url, headers=job.request_headers(), follow_redirects=True) as r,
            ):
                job.begin(r.status_code, r.headers)
                for chunk in r.iter_raw():
                    job.write(chunk)
            return None
        return self._wait_for(effect)

    def _wait_for(self, effect: WaitFor) -> Any:
        waited = 0.0
        while (found := effect.probe()) is None and waited < effect.seconds:
            self.sleep(min(_POLL_STEP, effect.seconds - waited))
            waited += _POLL_STEP
        return found


class _InFlightGate:
    """At most ``limit`` requests in flight at once; the others wait their turn in FIFO order.

    httpx's pool hands out connections in a pass that is quadratic in the number of waiting requests
    (encode/httpx#3215): 400 gathered calls took ~6 s instead of 0.7 s, and 1000 ended in ``PoolTimeout``.
    Waiting here instead keeps the pool's queue short. One semaphore per event loop, as a client may be
    used from successive ``asyncio.run`` calls and a semaphore belongs to one loop.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._semaphores: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
            weakref.WeakKeyDictionary()
        )

    def __call__(self) -> asyncio.Semaphore:
        import asyncio

        loop = asyncio.get_running_loop()
        semaphore = self._semaphores.get(loop)
        if semaphore is None:
            semaphore = self._semaphores[loop] = asyncio.Semaphore(self.limit)
        return semaphore


class AsyncDriver:
    """Runs flows with asyncio I/O; ``max_in_flight`` bounds concurrent requests (None: unbounded)."""

    def __init__(
        self,
        api: AuthenticatedClient,
        http: httpx.AsyncClient,
        sleep: Callable[[float], Any] | None = None,
        *,
        max_in_flight: int | None = None,
        hosts: Mapping[str, AuthenticatedClient] | None = None,
    ):
        import asyncio  # here, not at the top: sync clients need not pay for importing asyncio

        self.api = api
        self.hosts = dict(hosts or {})
        self.http = http
        self.sleep = sleep or asyncio.sleep
        self._gate = _InFlightGate(max_in_flight) if max_in_flight is not None else None

    def _slot(self) -> contextlib.AbstractAsyncContextManager[Any]:
        return self._gate() if self._gate is not None else contextlib.nullcontext()

    async def run(self, flow: Flow[T]) -> T:
        """Drive ``flow`` to completion and return its result."""
        steps = _Steps(flow)
        for effect in steps:
            try:
                steps.value = await self._perform(effect)
            except Exception as exc:
                steps.error = exc
        return steps.result

    async def _perform(self, effect: Effect) -> Any:
        if isinstance(effect, Call):
            with _calling(effect):
                try:
                    async with self._slot():
                        api = _api_for(effect, self.api, self.hosts)
                        return Reply(await effect.op.module.asyncio_detailed(client=api, **effect.kwargs))
                except Exception as exc:
                    return _failed(exc)
        if isinstance(effect, Sleep):
            await self.sleep(effect.seconds)
            return None
        if isinstance(effect, Stream):
            job = effect.sink
            with _streaming(job):
                async with (
                    self._slot(),
                    self.http.stream("GET", job.url, headers=job.request_headers(), follow_redirects=True) as r,
                ):
                    job.begin(r.status_code, r.headers)
                    async for chunk in r.aiter_raw():
                        job.write(chunk)
            return None
        return await self._wait_for(effect)

    async def _wait_for(self, effect: WaitFor) -> Any:
        waited = 0.0
        while (found := effect.probe()) is None and waited < effect.seconds:
            await self.sleep(min(_POLL_STEP, effect.seconds - waited))
            waited += _POLL_STEP
        return found
