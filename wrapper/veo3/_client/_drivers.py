"""The two drivers that perform a flow's effects: one blocking, one asyncio.

A paid request that has left is finished even when the call is interrupted (see ``_cancel``): the async
driver shields it from cancellation, the sync one defers ``KeyboardInterrupt`` until its reply is in.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Mapping
from types import FrameType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx
from veo3_api.client import AuthenticatedClient

from veo3._core._effects import Call, Created, Effect, Flow, Reply, Sink, Sleep, Stream, TransportFailed, WaitFor
from veo3._core._policy import Failure
from veo3.errors import DownloadError, OutcomeUnknownError

from ._cancel import LateReply, explain_interruption, waiting_for_reply
from ._senders import last_raw_response, pending_extra

if TYPE_CHECKING:
    import asyncio

    from veo3.types import Task

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
    effects; set ``value`` or ``error`` before the next one; ``result`` once the iteration ends.

    It also keeps what an interruption must not lose (``_cancel``): a ``Created`` is told to ``on_created``
    (never performed) and its id kept; ``held`` is an interruption held back until a paid reply was read,
    raised (noted with what was created) instead of letting the call send anything more.
    """

    def __init__(self, flow: Flow[T], on_created: Callable[[Task], None] | None = None) -> None:
        self.flow = flow
        self.value: Any = None
        self.error: BaseException | None = None
        self.result: T
        self.on_created = on_created
        self.created: list[str] = []
        self.held: BaseException | None = None
        self._explained: BaseException | None = None

    def __iter__(self) -> _Steps[T]:
        return self

    def __next__(self) -> Effect:
        while True:
            value, error = self.value, self.error
            self.value, self.error = None, None
            try:
                effect = self.flow.send(value) if error is None else self.flow.throw(error)
            except StopIteration as stop:
                if self.held is not None:
                    raise self.interrupted(self.held) from None
                self.result = stop.value
                raise
            except Exception as exc:
                if self.held is None:
                    raise
                # The late reply was an error: lost (the task may exist), or a refusal (nothing was made).
                lost = exc if isinstance(exc, OutcomeUnknownError) else None
                raise self.interrupted(self.held, lost=lost) from exc
            if isinstance(effect, Created):
                self.created.append(effect.task.task_id)
                if self.on_created is not None:
                    self.on_created(effect.task)
                continue
            if self.held is not None:
                self.flow.close()
                raise self.interrupted(self.held) from None
            return effect

    def interrupted(self, exc: BaseException, *, lost: BaseException | None = None) -> BaseException:
        """``exc``, noted (once) with the tasks this run created, or with the paid reply it lost."""
        if self._explained is not exc:
            self._explained = exc
            explain_interruption(exc, self.created, lost=lost)
        return exc


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
        on_created: Callable[[Task], None] | None = None,
    ):
        self.api = api
        self.http = http
        self.sleep = sleep
        self.hosts = dict(hosts or {})
        self.on_created = on_created

    def run(self, flow: Flow[T]) -> T:
        """Drive ``flow`` to completion and return its result."""
        steps = _Steps(flow, self.on_created)
        try:
            for effect in steps:
                try:
                    steps.value = self._perform(effect)
                except LateReply as late:
                    steps.value, steps.held = late.reply, late.interruption
                except Exception as exc:
                    steps.error = exc
        except KeyboardInterrupt as exc:
            raise steps.interrupted(exc) from None
        return steps.result

    def _call(self, effect: Call) -> Reply:
        with _calling(effect):
            try:
                return Reply(
                    effect.op.module.sync_detailed(client=_api_for(effect, self.api, self.hosts), **effect.kwargs)
                )
            except Exception as exc:
                return _failed(exc)

    def _paid_call(self, effect: Call) -> Reply:
        """A ``KeyboardInterrupt`` while a paid request is out waits for its reply instead of dropping it.

        Python raises ``KeyboardInterrupt`` only in the main thread, from its SIGINT handler. While the request
        is out, that handler is swapped for one that notes the first interrupt (the call raises it once the
        reply is in) and raises at the second. Elsewhere (another thread, or an application's own SIGINT
        handler, such as the CLI's graceful stop) nothing can cut the request off here, so it is sent as is.
        No thread per request: a paid call costs two ``signal.signal`` calls more than a free one.
        """
        if threading.current_thread() is not threading.main_thread():
            return self._call(effect)
        previous = signal.getsignal(signal.SIGINT)
        if previous is not signal.default_int_handler:
            return self._call(effect)
        first: list[KeyboardInterrupt] = []

        def on_sigint(signum: int, frame: FrameType | None) -> None:
            if first:
                raise KeyboardInterrupt  # the second: stop at once
            first.append(KeyboardInterrupt())
            waiting_for_reply(first[0])

        signal.signal(signal.SIGINT, on_sigint)
        try:
            reply = self._call(effect)
        except KeyboardInterrupt as second:
            explain_interruption(second, (), in_flight=True)
            raise second from None
        finally:
            signal.signal(signal.SIGINT, previous)
        if first:
            raise LateReply(reply, first[0]) from None
        return reply

    def _perform(self, effect: Effect) -> Any:
        if isinstance(effect, Call):
            return self._paid_call(effect) if effect.op.paid else self._call(effect)
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
        assert not isinstance(effect, Created)  # _Steps handles it
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
        on_created: Callable[[Task], None] | None = None,
    ):
        import asyncio  # here, not at the top: sync clients need not pay for importing asyncio

        self.on_created = on_created
        self.api = api
        self.hosts = dict(hosts or {})
        self.http = http
        self.sleep = sleep or asyncio.sleep
        self._gate = _InFlightGate(max_in_flight) if max_in_flight is not None else None

    def _slot(self) -> contextlib.AbstractAsyncContextManager[Any]:
        return self._gate() if self._gate is not None else contextlib.nullcontext()

    async def run(self, flow: Flow[T]) -> T:
        """Drive ``flow`` to completion and return its result."""
        import asyncio

        steps = _Steps(flow, self.on_created)
        try:
            for effect in steps:
                try:
                    steps.value = await self._perform(effect)
                except LateReply as late:
                    steps.value, steps.held = late.reply, late.interruption
                except Exception as exc:
                    steps.error = exc
        except (asyncio.CancelledError, KeyboardInterrupt) as exc:
            raise steps.interrupted(exc) from None
        return steps.result

    async def _call(self, effect: Call) -> Reply:
        with _calling(effect):
            try:
                api = _api_for(effect, self.api, self.hosts)
                return Reply(await effect.op.module.asyncio_detailed(client=api, **effect.kwargs))
            except Exception as exc:
                return _failed(exc)

    async def _paid_call(self, effect: Call) -> Reply:
        """Shielded: a cancellation once the request has left waits for its reply (see ``_cancel``)."""
        import asyncio

        sending = asyncio.ensure_future(self._call(effect))
        try:
            return await asyncio.shield(sending)
        except asyncio.CancelledError as first:
            waiting_for_reply(first)
            while True:  # more cancellations (a task group, then asyncio.run closing) wait for it too
                try:
                    reply = await asyncio.shield(sending)
                    break
                except asyncio.CancelledError:
                    continue
            raise LateReply(reply, first) from None

    async def _perform(self, effect: Effect) -> Any:
        if isinstance(effect, Call):
            async with self._slot():  # waiting for a slot is cancellable: nothing has left yet
                return await (self._paid_call(effect) if effect.op.paid else self._call(effect))
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
        assert not isinstance(effect, Created)  # _Steps handles it
        return await self._wait_for(effect)

    async def _wait_for(self, effect: WaitFor) -> Any:
        waited = 0.0
        while (found := effect.probe()) is None and waited < effect.seconds:
            await self.sleep(min(_POLL_STEP, effect.seconds - waited))
            waited += _POLL_STEP
        return found
