"""Steering the simulator while it runs: the operations, and the HTTP API that exposes them (``/__control/``).

The operations (``inject_fault``, ``set_outcome``, ...) work on a ``MockState`` directly: the pytest plugin's
``veo3_mock`` calls them in-process, the HTTP routes call the very same functions for apps in any language.
The HTTP API is described by ``control-openapi.json`` beside this module (one copy; ``openapi/`` links to it),
which also validates the request bodies. It is mounted only with ``MockConfig.control`` and refuses
non-loopback peers unless ``MockConfig.control_remote`` says otherwise.
"""

from __future__ import annotations

import ipaddress
import json
import math
from collections.abc import Awaitable, Callable, Mapping
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any

import attrs
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from veo3._spec import _document as _spec

from ._config import Fault
from ._rules import failure_message
from ._state import CREATE_FAILED, GENERATION_FAILED, SUCCESS, DeliveredCallback, MockState, MockTask, RecordedRequest

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

PREFIX = "/__control"
SPEC_FILE = "control-openapi.json"
OUTCOME_FLAGS = {"success": SUCCESS, "fail": GENERATION_FAILED, "create_fail": CREATE_FAILED}
DEFAULT_ERROR_CODE = 501


class ControlError(ValueError):
    """A control request that cannot be carried out (unknown task or operation)."""


# -- the operations -------------------------------------------------------------------------------


def inject_fault(state: MockState, fault: Fault, operation: str = "*") -> None:
    """Add ``fault`` to ``operation``'s answers (``"*"``: every operation) until ``clear_faults`` or reset."""
    if operation != "*" and operation not in {op.operation_id for op in _spec.iter_operations()}:
        raise ControlError(f"unknown operation {operation!r} (an operationId of the spec, or '*')")
    state.injected_faults[operation].append(fault)


def clear_faults(state: MockState) -> None:
    """Remove every injected fault (the configuration's own faults stay)."""
    state.injected_faults.clear()


def set_outcome(
    state: MockState,
    task_id: str,
    outcome: str = "success",
    *,
    error_code: int = DEFAULT_ERROR_CODE,
    error_message: str | None = None,
    after_polls: int = 0,
) -> MockTask:
    """End the task with ``outcome`` (see ``OUTCOME_FLAGS``): now, or once ``after_polls`` more reads have passed.

    With ``after_polls=N`` the next N record-info reads still show the task generating and the one after
    shows the outcome (moto's "manual" progression); its callback goes out when it ends.
    """
    task = state.tasks.get(task_id)
    if task is None:
        raise ControlError(f"no task {task_id!r}")
    if outcome not in OUTCOME_FLAGS:
        raise ControlError(f"outcome must be one of {sorted(OUTCOME_FLAGS)}, got {outcome!r}")
    if after_polls < 0:
        raise ControlError("after_polls must be >= 0")
    task.final_flag = OUTCOME_FLAGS[outcome]
    failed = task.final_flag != SUCCESS
    task.error_code = error_code if failed else None
    task.error_message = (error_message or failure_message(error_code)) if failed else None
    task.details_cache = None  # the cached record-info answer described the old outcome
    if after_polls:
        task.ready_at, task.polls_left = math.inf, after_polls
    else:
        task.ready_at, task.polls_left = min(task.ready_at, state.now()), None
    return task


# -- JSON views (the control spec's schemas) ------------------------------------------------------


def task_view(state: MockState, task: MockTask) -> dict[str, Any]:
    """A task as the control API shows it (``Task``)."""
    flag = task.status(state.now())
    failed = flag not in (0, SUCCESS)
    return {
        "taskId": task.task_id,
        "kind": task.kind,
        "successFlag": flag,
        "errorCode": task.error_code if failed else None,
        "errorMessage": task.error_message if failed else None,
        "parentId": task.parent_id,
        "callbackUrl": task.callback_url,
        "pollsLeft": task.polls_left,
        "params": task.params,
    }


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _copy(value: Any) -> Any:
    if isinstance(value, Mapping):
        return dict(value)
    return list(value) if isinstance(value, list) else value


def record_view(
    record: RecordedRequest | DeliveredCallback, *, leave_out: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """A recorded request (``Request``) or callback (``Callback``) as the control API shows it: every field, in
    camelCase (copies, so a caller cannot change the record)."""
    names = (f.name for f in attrs.fields(type(record)) if f.name not in leave_out)
    return {_camel(name): _copy(getattr(record, name)) for name in names}


def request_view(request: RecordedRequest) -> dict[str, Any]:
    """A journal entry (``Request``)."""
    return record_view(request)


def callback_view(callback: DeliveredCallback) -> dict[str, Any]:
    """A sent (or refused) callback (``Callback``); its signature headers are left out."""
    return record_view(callback, leave_out=frozenset({"headers"}))


def fault_views(state: MockState) -> list[dict[str, Any]]:
    """The injected faults (``FaultList.faults``)."""
    return [
        {
            "operation": operation,
            "kind": fault.kind,
            "onCalls": sorted(fault.on_calls),
            "probability": fault.probability,
            "delay": fault.delay,
        }
        for operation, faults in state.injected_faults.items()
        for fault in faults
    ]


# -- the control spec -----------------------------------------------------------------------------


@cache
def control_spec() -> Mapping[str, Any]:
    """The control API's OpenAPI document (packaged beside this module)."""
    spec: dict[str, Any] = json.loads(files("veo3.mock").joinpath(SPEC_FILE).read_text(encoding="utf-8"))
    return spec


@cache
def _validator(schema_name: str) -> Validator:
    from jsonschema import Draft202012Validator

    root = {"$ref": f"#/components/schemas/{schema_name}", "components": control_spec()["components"]}
    return Draft202012Validator(root)


def _checked_body(raw: bytes, schema_name: str) -> dict[str, Any]:
    try:
        body = json.loads(raw) if raw else None
    except (ValueError, RecursionError) as exc:
        raise ControlError("the body is not JSON") from exc
    error = next(iter(_validator(schema_name).iter_errors(body)), None)
    if error is not None:
        where = "/".join(str(p) for p in error.path) or "(body)"
        raise ControlError(f"{schema_name} `{where}`: {error.message}")
    assert isinstance(body, dict)  # every body schema is an object
    return body


# -- the HTTP API ---------------------------------------------------------------------------------


def _peer_is_loopback(request: Request) -> bool:
    client = request.scope.get("client")
    if not client:  # an in-process transport: the caller is this process
        return True
    host = str(client[0])
    if host in ("localhost", "testclient"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _error(status: int, message: str) -> Response:
    return JSONResponse({"error": message}, status_code=status)


Handler = Callable[[Request, MockState], Awaitable[Any]]


def _route(path: str, method: str, handler: Handler, state: MockState, remote: bool, not_found: int = 400) -> Route:
    async def endpoint(request: Request) -> Response:
        if not remote and not _peer_is_loopback(request):
            return _error(403, "the control API answers loopback callers only (see --control-remote)")
        try:
            result = await handler(request, state)
        except ControlError as exc:
            return _error(404 if str(exc).startswith("no task") else not_found, str(exc))
        return JSONResponse(result)

    return Route(PREFIX + path, endpoint, methods=[method])


async def _spec_document(request: Request, state: MockState) -> Any:
    return control_spec()


async def _reset(request: Request, state: MockState) -> Any:
    state.reset()
    return {"reset": True}


def _filter(request: Request, name: str) -> str | None:
    value = request.query_params.get(name)
    if value == "":
        raise ControlError(f"query parameter `{name}` must not be empty")
    return value


async def _requests(request: Request, state: MockState) -> Any:
    entries = state.requests_for(_filter(request, "operation"))
    return {"requests": [request_view(r) for r in entries]}


async def _callbacks(request: Request, state: MockState) -> Any:
    return {"callbacks": [callback_view(c) for c in state.callbacks_for(_filter(request, "taskId"))]}


async def _tasks(request: Request, state: MockState) -> Any:
    return {"tasks": [task_view(state, t) for t in list(state.tasks.values())]}


async def _task(request: Request, state: MockState) -> Any:
    task = state.tasks.get(request.path_params["taskId"])
    if task is None:
        raise ControlError(f"no task {request.path_params['taskId']!r}")
    return task_view(state, task)


async def _outcome(request: Request, state: MockState) -> Any:
    task_id = request.path_params["taskId"]
    if task_id not in state.tasks:
        raise ControlError(f"no task {task_id!r}")
    body = _checked_body(await request.body(), "Outcome")
    task = set_outcome(
        state,
        task_id,
        body["outcome"],
        error_code=body.get("errorCode", DEFAULT_ERROR_CODE),
        error_message=body.get("errorMessage"),
        after_polls=body.get("afterPolls", 0),
    )
    return task_view(state, task)


async def _list_faults(request: Request, state: MockState) -> Any:
    return {"faults": fault_views(state)}


async def _inject(request: Request, state: MockState) -> Any:
    body = _checked_body(await request.body(), "FaultRule")
    fault = Fault(
        body["kind"],
        probability=body.get("probability", 0.0),
        on_calls=body.get("onCalls", ()),
        delay=body.get("delay", 1.0),
    )
    inject_fault(state, fault, body.get("operation", "*"))
    return {"faults": fault_views(state)}


async def _clear(request: Request, state: MockState) -> Any:
    clear_faults(state)
    return {"faults": []}


async def _advance(request: Request, state: MockState) -> Any:
    seconds = float(_checked_body(await request.body(), "Advance")["seconds"])
    state.advance(seconds)
    return {"advancedBy": seconds, "wallTime": state.wall()}


def routes(state: MockState, *, remote: bool = False) -> list[Route]:
    """The control API's routes, bound to ``state``."""
    table: list[tuple[str, str, Handler]] = [
        ("/openapi.json", "GET", _spec_document),
        ("/reset", "POST", _reset),
        ("/requests", "GET", _requests),
        ("/callbacks", "GET", _callbacks),
        ("/tasks", "GET", _tasks),
        ("/tasks/{taskId}", "GET", _task),
        ("/tasks/{taskId}/outcome", "POST", _outcome),
        ("/faults", "GET", _list_faults),
        ("/faults", "POST", _inject),
        ("/faults", "DELETE", _clear),
        ("/clock/advance", "POST", _advance),
    ]
    return [_route(path, method, handler, state, remote) for path, method, handler in table]


__all__ = [
    "OUTCOME_FLAGS",
    "ControlError",
    "callback_view",
    "clear_faults",
    "control_spec",
    "fault_views",
    "inject_fault",
    "request_view",
    "routes",
    "set_outcome",
    "task_view",
]
