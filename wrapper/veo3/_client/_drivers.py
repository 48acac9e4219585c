"""The two drivers that perform a flow's effects: one blocking, one asyncio."""

from __future__ import annotations

import contextlib
import time
import weakref
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import httpx
from veo3_api.client import AuthenticatedClient

from veo3._core._effects import Call, Effect, Flow, Reply, Sleep, Stream, WaitFor

from ._senders import last_raw_response, pending_extra

if TYPE_CHECKING:
    import asyncio

__all__ = ["AsyncDriver", "SyncDriver"]

T = TypeVar("T")

_POLL_STEP = 0.05  # how often a WaitFor re-checks its probe


def _step(flow: Flow[T], value: Any, error: BaseException | None) -> Effect:
    return flow.send(value) if error is None else flow.throw(error)


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
        value: Any = None
        error: BaseException | None = None
        while True:
            try:
                effect = _step(flow, value, error)
            except StopIteration as stop:
                return stop.value  # type: ignore[no-any-return]
            value, error = None, None
            try:
                value = self._perform(effect)
            except Exception as exc:
                error = exc

    def _perform(self, effect: Effect) -> Any:
        if isinstance(effect, Call):
            last_raw_response.set(None)
            token = pending_extra.set(effect.extra)
            try:
                return Reply(
                    effect.op.module.sync_detailed(client=_api_for(effect, self.api, self.hosts), **effect.kwargs)
                )
            except Exception as exc:
                return Reply(None, exc, last_raw_response.get())
            finally:
                pending_extra.reset(token)
        if isinstance(effect, Sleep):
            self.sleep(effect.seconds)
            return None
        if isinstance(effect, Stream):
            job = effect.job
            with self.http.stream("GET", job.url, headers=job.request_headers(), follow_redirects=True) as r:
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
        value: Any = None
        error: BaseException | None = None
        while True:
            try:
                effect = _step(flow, value, error)
            except StopIteration as stop:
                return stop.value  # type: ignore[no-any-return]
            value, error = None, None
            try:
                value = await self._perform(effect)
            except Exception as exc:
                error = exc

    async def _perform(self, effect: Effect) -> Any:
        if isinstance(effect, Call):
            last_raw_response.set(None)
            token = pending_extra.set(effect.extra)
            try:
                async with self._slot():
                    api = _api_for(effect, self.api, self.hosts)
                    return Reply(await effect.op.module.asyncio_detailed(client=api, **effect.kwargs))
            except Exception as exc:
                return Reply(None, exc, last_raw_response.get())
            finally:
                pending_extra.reset(token)
        if isinstance(effect, Sleep):
            await self.sleep(effect.seconds)
            return None
        if isinstance(effect, Stream):
            job = effect.job
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
