"""The two drivers that perform a flow's effects: one blocking, one asyncio."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

import httpx
from veo3_api.client import AuthenticatedClient

from ._effects import Call, Effect, Flow, Reply, Sleep, Stream, WaitFor
from ._transport import last_raw_response

__all__ = ["AsyncDriver", "SyncDriver"]

T = TypeVar("T")

_POLL_STEP = 0.05  # how often a WaitFor re-checks its probe


def _step(flow: Flow[T], value: Any, error: BaseException | None) -> Effect:
    return flow.send(value) if error is None else flow.throw(error)


class SyncDriver:
    """Runs flows with blocking I/O."""

    def __init__(self, api: AuthenticatedClient, http: httpx.Client, sleep: Callable[[float], None] = time.sleep):
        self.api = api
        self.http = http
        self.sleep = sleep

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
            try:
                return Reply(effect.op.module.sync_detailed(client=self.api, **effect.kwargs))
            except Exception as exc:
                return Reply(None, exc, last_raw_response.get())
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


class AsyncDriver:
    """Runs flows with asyncio I/O."""

    def __init__(self, api: AuthenticatedClient, http: httpx.AsyncClient, sleep: Callable[[float], Any] | None = None):
        import asyncio  # here, not at the top: sync clients need not pay for importing asyncio

        self.api = api
        self.http = http
        self.sleep = sleep or asyncio.sleep

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
            try:
                return Reply(await effect.op.module.asyncio_detailed(client=self.api, **effect.kwargs))
            except Exception as exc:
                return Reply(None, exc, last_raw_response.get())
        if isinstance(effect, Sleep):
            await self.sleep(effect.seconds)
            return None
        if isinstance(effect, Stream):
            job = effect.job
            async with self.http.stream("GET", job.url, headers=job.request_headers(), follow_redirects=True) as r:
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
