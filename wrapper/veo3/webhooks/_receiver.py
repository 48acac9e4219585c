"""``CallbackReceiver``: an ASGI app that takes kie's callbacks, verifies them and hands typed events on.

Starlette is imported on the first request, not on import, so ``import veo3`` stays light.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import hashlib
import inspect
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from typing import TYPE_CHECKING, Any

from veo3._utils._logging import get_logger, register_secret
from veo3._utils._net import BodyRefused, read_body
from veo3.errors import WaitTimeoutError, WebhookVerificationError

from ._events import (
    DEFAULT_TOLERANCE,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    CallbackEvent,
    CallbackKind,
    parse_callback,
    verify,
)
from ._refs import REF_PARAM, ref_digest

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["CallbackHandler", "CallbackReceiver"]

logger = get_logger("veo3.webhooks")  # with the key-redacting filter, like every veo3 logger

#: Called once per accepted callback; may be a plain function (run in a worker thread) or ``async``.
CallbackHandler = Callable[[CallbackEvent], Any]

_KINDS: tuple[CallbackKind, ...] = ("video", "4k")


@dataclasses.dataclass(frozen=True, eq=False)  # eq=False: each waiter is itself, removed by identity
class _Waiter:
    """Someone waiting for a task's event: resolved from whichever thread the callback arrives on."""

    task_id: str | None
    kind: CallbackKind | None
    deliver: Callable[[CallbackEvent], None]
    ref: str | None = None

    def wants(self, event: CallbackEvent) -> bool:
        if self.ref is not None:
            return event.ref == self.ref
        return event.task_id == self.task_id and (self.kind is None or event.kind == self.kind)


def _set_result(future: asyncio.Future[CallbackEvent], event: CallbackEvent) -> None:
    if not future.done():
        future.set_result(event)


class CallbackReceiver:
    """An ASGI app receiving kie's callbacks on any path (``POST``).

    For each delivery it:

    1. refuses bodies over ``max_body_bytes`` (413) or not received within ``body_timeout`` seconds (408);
    2. when ``key`` is set, checks ``X-Webhook-Timestamp``/``X-Webhook-Signature`` with
       :func:`veo3.webhooks.verify` (401 on failure; unsigned callbacks are then refused too);
    3. parses the body with :func:`veo3.webhooks.parse_callback` (400 when it is not a documented callback).
       A ``?kind=4k`` or ``?kind=video`` query parameter on the callback URL fixes the callback type;
    4. drops a repeated delivery (same kind, task id and code; kie retries and may deliver twice);
    5. wakes whoever awaits the task (:meth:`wait_for`, :meth:`wait_for_blocking`) and calls ``handler``
       once with the :class:`~veo3.webhooks.CallbackEvent` (sync handlers run in a worker thread). If the
       handler raises, the answer is 500 and the delivery is forgotten, so kie's retry is handled again;
    6. answers ``{"code": 200, "msg": "success"}``.

    Serve it with :meth:`serve` (uvicorn with veo3's limits against slow or flooding clients), any ASGI
    server, or mount it inside an existing Starlette/FastAPI app. ``now`` replaces the clock for the timestamp
    check (tests). The last ``remember`` deliveries are kept for de-duplication and for late waiters.
    """

    def __init__(
        self,
        handler: CallbackHandler | None = None,
        *,
        key: str | bytes | None = None,
        tolerance: float = DEFAULT_TOLERANCE,
        max_body_bytes: int = 1 << 20,
        body_timeout: float = 10.0,
        remember: int = 10_000,
        now: Callable[[], float] | None = None,
    ) -> None:
        self._handler = handler
        self._key = key or None
        register_secret(self._key)  # never in a log record, whoever logs it
        self._tolerance = tolerance
        self._max_body_bytes = max_body_bytes
        self._body_timeout = body_timeout
        self._remember = remember
        self._now = now
        self._lock = threading.Lock()
        self._seen: OrderedDict[Hashable, None] = OrderedDict()
        self._latest: OrderedDict[tuple[str, CallbackKind], CallbackEvent] = OrderedDict()
        self._by_ref: OrderedDict[str, CallbackEvent] = OrderedDict()
        self._waiters: list[_Waiter] = []
        self._app: ASGIApp | None = None
        #: Deliveries dropped as repeats (for tests and monitoring).
        self.duplicates = 0
        #: Deliveries refused (bad signature, unreadable body, too large).
        self.rejected = 0

    def __repr__(self) -> str:  # the key is deliberately absent
        signed = "signed" if self._key else "unsigned"
        return f"<CallbackReceiver {signed} handler={self._handler!r} duplicates={self.duplicates}>"

    def serve(self, host: str = "127.0.0.1", port: int = 8000, **uvicorn_options: Any) -> None:
        """Serve the receiver with uvicorn until interrupted, bounded against hostile clients.

        Request headers must arrive within 10 s and fit in 16 KiB, at most 512 connections are served at
        once (503 beyond), idle connections close after 5 s; ``uvicorn_options`` override any of these.
        """
        import uvicorn

        from veo3._utils._serving import server_limits

        uvicorn.run(self, host=host, port=port, lifespan="off", **server_limits(**uvicorn_options))

    # ASGI

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The ASGI entry point."""
        if self._app is None:
            self._app = self._build()
        await self._app(scope, receive, send)

    def _build(self) -> ASGIApp:
        from starlette.applications import Starlette
        from starlette.routing import Route

        return Starlette(routes=[Route("/{path:path}", self._endpoint, methods=["POST"])])

    async def _endpoint(self, request: Request) -> Response:
        from starlette.responses import JSONResponse

        def answer(code: int, msg: str) -> Response:
            return JSONResponse({"code": code, "msg": msg}, status_code=code)

        try:
            body = await read_body(request, max_bytes=self._max_body_bytes, timeout=self._body_timeout)
        except BodyRefused as exc:
            self.rejected += 1
            return answer(exc.status, f"callback {exc.message}")
        if self._key is not None:
            try:
                verify(
                    body,
                    timestamp=request.headers.get(TIMESTAMP_HEADER),
                    signature=request.headers.get(SIGNATURE_HEADER),
                    key=self._key,
                    tolerance=self._tolerance,
                    now=None if self._now is None else self._now(),
                )
            except WebhookVerificationError as exc:
                self.rejected += 1
                logger.warning("callback refused: %s", exc)
                return answer(401, str(exc))
        hint = request.query_params.get("kind")
        kind = next((k for k in _KINDS if k == hint), None)
        try:
            event = parse_callback(body, kind=kind)
        except WebhookVerificationError as exc:
            self.rejected += 1
            logger.warning("callback refused: %s", exc)
            return answer(400, str(exc))
        token = request.query_params.get(REF_PARAM)
        if token:  # the create's reference (a batch's): only its digest goes on
            event = dataclasses.replace(event, ref=ref_digest(token))

        delivery: Hashable = event.delivery_key or ("body", hashlib.sha256(body).hexdigest())
        with self._lock:
            if delivery in self._seen:
                self.duplicates += 1
                logger.debug("duplicate callback dropped: %s", delivery)
                return answer(200, "success")
            self._remember_item(self._seen, delivery, None)
        self._publish(event)
        try:
            await self._call_handler(event)
        except Exception:
            with self._lock:
                self._seen.pop(delivery, None)  # let kie's retry through
            logger.exception("callback handler failed for task %s", event.task_id)
            return answer(500, "callback handler failed")
        return answer(200, "success")

    async def _call_handler(self, event: CallbackEvent) -> None:
        handler = self._handler
        if handler is None:
            return
        if inspect.iscoroutinefunction(handler):
            await handler(event)
            return
        # Plain functions may block: keep them off the event loop. An object with an async __call__ hands
        # back a coroutine from the thread, awaited here.
        from starlette.concurrency import run_in_threadpool

        result = await run_in_threadpool(handler, event)
        if inspect.isawaitable(result):
            await result

    def _remember_item(self, store: OrderedDict[Any, Any], key: Any, value: Any) -> None:
        store[key] = value
        store.move_to_end(key)
        while len(store) > self._remember:
            store.popitem(last=False)

    def _publish(self, event: CallbackEvent) -> None:
        if event.task_id is None:
            return
        with self._lock:
            self._remember_item(self._latest, (event.task_id, event.kind), event)
            if event.ref is not None:
                self._remember_item(self._by_ref, event.ref, event)
            ready = [w for w in self._waiters if w.wants(event)]
            for waiter in ready:
                self._waiters.remove(waiter)
        for waiter in ready:
            waiter.deliver(event)

    # waiting

    def received(self, task_id: str, kind: CallbackKind | None = None) -> CallbackEvent | None:
        """The latest event received for ``task_id`` (of ``kind``, if given), or None."""
        with self._lock:
            return self._lookup(task_id, kind)

    def _lookup(self, task_id: str | None, kind: CallbackKind | None, ref: str | None = None) -> CallbackEvent | None:
        if ref is not None:
            return self._by_ref.get(ref)
        assert task_id is not None
        for candidate in _KINDS if kind is None else (kind,):
            event = self._latest.get((task_id, candidate))
            if event is not None:
                return event
        return None

    async def wait_for(
        self,
        task_id: str | None,
        timeout: float | None = None,
        *,
        kind: CallbackKind | None = None,
        ref: str | None = None,
    ) -> CallbackEvent:
        """The event for ``task_id``: at once if it already arrived, else when it does.

        ``kind`` restricts it to ``"video"`` (generation/extension) or ``"4k"`` callbacks. Raises
        :class:`veo3.errors.WaitTimeoutError` after ``timeout`` seconds (None: wait forever). Safe to call
        from any event loop, including one other than the server's. ``ref`` (with ``task_id`` None): the
        event whose callback URL carried that reference (``CallbackEvent.ref``): a create whose reply was lost.
        """
        loop = asyncio.get_running_loop()
        future: asyncio.Future[CallbackEvent] = loop.create_future()

        def deliver(event: CallbackEvent) -> None:
            with contextlib.suppress(RuntimeError):  # the waiting loop is closed: nobody waits any more
                loop.call_soon_threadsafe(_set_result, future, event)

        with self._waiting(_Waiter(task_id, kind, deliver, ref)) as ready:
            if ready is not None:
                return ready
            started = time.monotonic()
            try:
                return await asyncio.wait_for(future, timeout)
            except TimeoutError:
                what = task_id or "(callback reference)"
                raise WaitTimeoutError(what, None, time.monotonic() - started) from None

    def wait_for_blocking(
        self, task_id: str, timeout: float | None = None, *, kind: CallbackKind | None = None
    ) -> CallbackEvent:
        """:meth:`wait_for` for synchronous code (blocks the calling thread; the receiver runs elsewhere)."""
        arrived = threading.Event()
        box: list[CallbackEvent] = []

        def deliver(event: CallbackEvent) -> None:
            box.append(event)
            arrived.set()

        with self._waiting(_Waiter(task_id, kind, deliver)) as ready:
            if ready is not None:
                return ready
            started = time.monotonic()
            if not arrived.wait(timeout):
                raise WaitTimeoutError(task_id, None, time.monotonic() - started)
            return box[0]

    @contextlib.contextmanager
    def _waiting(self, waiter: _Waiter) -> Iterator[CallbackEvent | None]:
        """The event if it already arrived; else ``waiter`` is registered (atomically, so none is missed)
        until the block ends: the one look-up-or-wait of both ``wait_for`` flavours."""
        with self._lock:
            ready = self._lookup(waiter.task_id, waiter.kind, waiter.ref)
            if ready is None:
                self._waiters.append(waiter)
        try:
            yield ready
        finally:
            with self._lock:
                if waiter in self._waiters:
                    self._waiters.remove(waiter)
