"""The simulator as a Starlette app: authentication, rate limit and spec validation around each operation.

Answers follow kie's convention: HTTP 200 with the in-band ``{code, msg, data}``. The HTTP status
carries the code instead when ``mirror_http_status`` is on, when the code is not one the spec lists
for the operation's 200 answer (so every answer stays valid against the spec), and for 429.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Mapping
from functools import lru_cache
from types import MappingProxyType
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from veo3._spec import _document as _spec
from veo3._utils._logging import register_secret
from veo3._utils._net import BodyRefused, read_body

from . import _control, _faults, _uploads
from . import _rules as _operations
from ._config import MockConfig
from ._media import asset_for
from ._rules import Answer, Caller
from ._state import MockState, RecordedRequest, key_fingerprint
from ._validation import InvalidRequest, OperationRules

UNAUTHORIZED = "You do not have access permissions"
#: A request body larger than this is refused (413): the largest valid request is a few KiB.
MAX_BODY_BYTES = 256 * 1024
#: Seconds a client gets to send a request body (408 after).
BODY_TIMEOUT = 10.0
RATE_LIMITED = "Rate limited: too many requests"

QueryHandler = Callable[[MockState, Caller, dict[str, Any]], Answer]
BodyHandler = Callable[[MockState, Caller, dict[str, Any], _operations.Background], Answer]

QUERY_OPERATIONS: dict[str, QueryHandler] = {
    "get-veo3-1-video-details": _operations.record_info,
    "get-veo3-1-1080p-video": _operations.get_1080p,
    "get-account-credits": _operations.credits,
}
BODY_OPERATIONS: dict[str, BodyHandler] = {
    "generate-veo3-1-video": _operations.generate,
    "extend-veo3-1-video": _operations.extend,
    "get-veo3-1-4k-video": _operations.get_4k,
    "download-url": _operations.download_url,
}


class MockApp(Starlette):
    """The simulator's ASGI app: a Starlette app with fault injection in front of it.

    ``mock_state`` holds the tasks and the introspection lists; ``mock_config`` the configuration.
    """

    def __init__(self, config: MockConfig) -> None:
        self.mock_config = config
        for secret in (config.webhook_key, *(config.api_keys or ())):
            register_secret(secret)  # the simulator's keys never reach a veo3 log record either
        self.mock_state = MockState(config)
        self.background: set[asyncio.Task[None]] = set()
        self._operation_of: dict[tuple[str, str], str] = {}
        routes = []
        for op_id in [*QUERY_OPERATIONS, *BODY_OPERATIONS]:
            op = _spec.operation(op_id)
            self._operation_of[(op.method, op.path)] = op_id
            routes.append(Route(op.path, _endpoint(self, op_id), methods=[op.method]))
        routes.append(Route("/media/{task_id}/{name}", _media_endpoint(self), methods=["GET", "HEAD"]))
        # The File Upload API (its own envelope): the endpoints take the state they need, not this app.
        for upload_op, route in _uploads.routes(self.mock_state, config, _request_base_url(config)):
            if upload_op is not None:
                op = _spec.operation(upload_op)
                self._operation_of[(op.method, op.path)] = upload_op
            routes.append(route)
        if config.control:
            routes += _control.routes(self.mock_state, remote=config.control_remote)
        super().__init__(routes=routes, exception_handlers={HTTPException: _http_error})

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """Serve a request, injecting the fault the configuration picks for this call, if any."""
        if scope["type"] == "http":
            op_id = self._operation_of.get((scope["method"], scope["path"]))
            if op_id is not None:
                fault = _faults.pick(self.mock_state, op_id)
                if fault is not None:
                    await _faults.apply(fault, self.mock_state, op_id, super().__call__, scope, receive, send)
                    return
        await super().__call__(scope, receive, send)


def create_app(config: MockConfig | None = None) -> MockApp:
    """A new simulator (ASGI app) with its own state; ``config`` defaults to ``MockConfig()``."""
    return MockApp(config or MockConfig())


_NOT_JSON = object()


def _auth_and_host(scope: Any) -> tuple[str | None, str | None]:
    """The ``Authorization`` and ``Host`` headers, read straight from the scope (no header object per request)."""
    authorization = host = None
    for name, value in scope["headers"]:
        if name == b"authorization":
            authorization = value.decode("latin-1")
        elif name == b"host":
            host = value.decode("latin-1")
    return authorization, host


def _bearer_key(authorization: str | None) -> str | None:
    scheme, _, key = (authorization or "").partition(" ")
    key = key.strip()
    return key if scheme.lower() == "bearer" and key else None


@lru_cache(maxsize=256)
def _base_url(scheme: str, host: str | None, server: tuple[str, int] | None, root_path: str) -> str:
    """Where the client reached the simulator: the base of the media URLs handed out."""
    if host is None:
        host = f"{server[0]}:{server[1]}" if server else "localhost"
    return f"{scheme}://{host}{root_path}".rstrip("/")


def _request_base_url(config: MockConfig) -> Callable[[Request], str]:
    """Where a request reached the simulator (the base of the URLs it hands out), as ``_answer`` computes it."""

    def base_url(request: Request) -> str:
        scope = request.scope
        server = scope.get("server")
        host = request.headers.get("host")
        return config.public_url or _base_url(
            scope.get("scheme", "http"), host, tuple(server) if server else None, scope.get("root_path", "")
        )

    return base_url


@lru_cache(maxsize=4096)
def _parse_query(query_string: bytes) -> Mapping[str, str]:
    # Shared between requests with the same query string: recorded requests treat it as read-only.
    return MappingProxyType(dict(parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)))


def _status(answer: Answer, operation: _spec.Operation, config: MockConfig) -> int:
    if answer.http_status is not None:
        return answer.http_status
    if answer.code == 200 or answer.progress:
        return 200
    if config.mirror_http_status or answer.code not in _documented_codes(operation.operation_id):
        return answer.code
    return 200


_CODES: dict[str, frozenset[int]] = {}


def _documented_codes(operation_id: str) -> frozenset[int]:
    codes = _CODES.get(operation_id)
    if codes is None:
        codes = _CODES[operation_id] = _spec.operation(operation_id).documented_codes
    return codes


def _endpoint(app: MockApp, operation_id: str) -> Callable[[Request], Awaitable[Response]]:
    rules = OperationRules.for_operation(operation_id)
    state, config = app.mock_state, app.mock_config
    rate_limited = operation_id in config.rate_limited_operations
    query_handler = QUERY_OPERATIONS.get(operation_id)
    body_handler = BODY_OPERATIONS.get(operation_id)

    async def endpoint(request: Request) -> Response:
        scope = request.scope
        authorization, host = _auth_and_host(scope)
        key = _bearer_key(authorization)
        fingerprint = key_fingerprint(key) if key else None
        body: Any = None
        raw = b""
        if body_handler is not None:
            try:
                raw = await read_body(request, max_bytes=MAX_BODY_BYTES, timeout=BODY_TIMEOUT)
            except BodyRefused as exc:  # too large or too slow: not processed, not recorded
                return JSONResponse({"code": exc.status, "msg": exc.message, "data": None}, status_code=exc.status)
            try:
                body = json.loads(raw)
            except (ValueError, RecursionError):  # RecursionError: absurdly deep nesting
                body = _NOT_JSON
        query_string: bytes = scope["query_string"]
        answer = _answer(scope, host, key, fingerprint, query_string, body)
        status = _status(answer, rules.operation, config)
        state.requests.append(
            RecordedRequest(
                method=scope["method"],
                path=scope["path"],
                operation=operation_id,
                key_fingerprint=fingerprint,
                query=_parse_query(query_string),
                body=None if body is _NOT_JSON else body,
                code=answer.code,
                http_status=status,
                fault=scope.get("veo3.mock.fault"),
                at=state.wall(),
            )
        )
        content = json.dumps({"code": answer.code, "msg": answer.msg, "data": answer.data}, separators=(",", ":"))
        return Response(content, status_code=status, media_type="application/json")

    def _answer(
        scope: Any, host: str | None, key: str | None, fingerprint: str | None, query: bytes, body: Any
    ) -> Answer:
        if key is None or fingerprint is None or (config.api_keys is not None and key not in config.api_keys):
            return Answer(401, UNAUTHORIZED)
        if rate_limited and not state.allow_create(fingerprint):
            return Answer(429, RATE_LIMITED, http_status=429)
        server = scope.get("server")  # some ASGI clients put a list here; the cache needs a tuple
        server = tuple(server) if server else None
        base_url = config.public_url or _base_url(scope.get("scheme", "http"), host, server, scope.get("root_path", ""))
        caller = Caller(fingerprint, base_url)
        try:
            if query_handler is not None:
                return query_handler(state, caller, rules.check_query_string(query))
            if body is _NOT_JSON:
                raise InvalidRequest("body", "json", "is not valid JSON")
            rules.check_body(body)
        except InvalidRequest as exc:
            return Answer(422, str(exc))
        assert body_handler is not None
        return body_handler(state, caller, body, app.background)

    return endpoint


def _media_endpoint(app: MockApp) -> Callable[[Request], Awaitable[Response]]:
    state = app.mock_state

    async def media(request: Request) -> Response:
        task = state.tasks.get(request.path_params["task_id"])
        name = request.path_params["name"]
        if task is None or not _operations.servable(state, task, name):
            raise HTTPException(404, "File not found.")
        if "expires" in request.query_params and _operations.link_expired(state, request.url.query):
            raise HTTPException(404, "The download link has expired.")
        path, media_type = asset_for(name, _operations.video_seconds(task))
        return FileResponse(path, media_type=media_type, filename=f"{task.task_id}-{name}")

    return media


async def _http_error(request: Request, exc: Exception) -> Response:
    if not isinstance(exc, HTTPException):
        return JSONResponse({"code": 500, "msg": "Server Error", "data": None}, status_code=500)
    # Keep the exception's headers: a 405 must say which methods are allowed (``Allow``).
    body = {"code": exc.status_code, "msg": exc.detail, "data": None}
    return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)
