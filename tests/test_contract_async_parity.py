"""``AsyncVeo3Client`` behaves exactly like ``Veo3Client``: the same request on the wire, the same outcome.

For every operation, every input (valid, or breaking one rule) and every reply (one the spec allows, one it
does not, at any HTTP status, or a transport failure), the async client sends the same requests and returns
an equal result or raises the same typed error with the same message as the sync client. The properties in
``test_contract_properties`` are stated for the sync client; this one carries them over to the async one.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx
import strategies as S
from hypothesis import given, settings
from hypothesis import strategies as st
from veo3 import AsyncVeo3Client, Veo3Client
from veo3._spec import _document as _spec
from veo3.errors import APIError, RequestValidationError, Veo3Error

BASE = "https://api.kie.ai"
KEY = "sk-contract-parity-0123"
OPERATIONS = sorted(S.WRAPPER_CALLS)
EXAMPLES = settings(max_examples=max(10, settings().max_examples // 2))

# Shared: building an SSL context per example would dominate the run time. respx answers before any
# connection is opened, so the async client never binds to one event loop.
_SYNC_HTTP = httpx.Client()
_ASYNC_HTTP = httpx.AsyncClient()

Reply = tuple[int, bytes] | type[Exception]  # (HTTP status, body), or a transport failure to raise


def _inputs(operation_id: str) -> st.SearchStrategy[dict[str, Any]]:
    invalid = [strategy for _, strategy in S.invalid_inputs(operation_id)]
    return st.one_of(S.valid_inputs(operation_id), *invalid)


def _replies(operation_id: str) -> st.SearchStrategy[Reply]:
    allowed = S.allowed_replies(operation_id).map(lambda r: (r[0], json.dumps(r[1]).encode()))
    disallowed = st.tuples(S.ODD_STATUSES, S.disallowed_bodies(operation_id))
    failures = st.sampled_from([httpx.ConnectError, httpx.ReadTimeout, httpx.RemoteProtocolError])
    return st.one_of(allowed, disallowed, failures)


def _summary(outcome: Any) -> Any:
    """What must match between the two clients: a result as is; an error by type, message and attributes."""
    if not isinstance(outcome, Veo3Error):
        return outcome
    attrs: dict[str, Any] = {"retries_taken": getattr(outcome, "retries_taken", None)}
    if isinstance(outcome, APIError):
        attrs |= {"code": outcome.code, "http_status": outcome.http_status, "task_id": outcome.task_id}
    if isinstance(outcome, RequestValidationError):
        attrs |= {"field": outcome.field, "rule": outcome.rule}
    return type(outcome), str(outcome), attrs


def _run(operation_id: str, reply: Reply, call: Callable[[], Any]) -> tuple[Any, list[tuple[str, str, bytes]]]:
    """Call through a respx mock of kie answering ``reply``; (outcome summary, the requests that went out)."""
    op = _spec.operation(operation_id)
    with respx.mock(base_url=S.host_of(operation_id, BASE), assert_all_called=False) as mock:
        route = mock.route(method=op.method, path=op.path)
        if isinstance(reply, tuple):
            route.respond(reply[0], content=reply[1], headers={"content-type": "application/json"})
        else:
            route.mock(side_effect=reply("boom"))
        mock.route().respond(599)
        try:
            outcome = call()
        except Veo3Error as exc:
            outcome = exc
        sent = [(c.request.method, str(c.request.url), c.request.content) for c in mock.calls]
    return _summary(outcome), sent


def _without_file_name(sent: list[tuple[str, str, bytes]]) -> list[tuple[str, str, Any]]:
    """The requests with the generated ``fileName`` taken out of JSON bodies (checked to be there)."""
    out: list[tuple[str, str, Any]] = []
    for method, url, body in sent:
        document = json.loads(body)
        assert document.pop("fileName"), "a unique name is always sent"
        out.append((method, url, document))
    return out


@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_the_async_client_sends_the_same_requests_and_ends_the_same_way(operation_id: str) -> None:
    call = S.WRAPPER_CALLS[operation_id]

    @EXAMPLES
    @given(inputs=_inputs(operation_id), reply=_replies(operation_id))
    def prop(inputs: dict[str, Any], reply: Reply) -> None:
        def sync() -> Any:
            with Veo3Client(KEY, base_url=BASE, max_retries=0, http_client=_SYNC_HTTP) as client:
                return call.invoke(client, inputs)

        def run_async() -> Any:
            async def main() -> Any:
                async with AsyncVeo3Client(KEY, base_url=BASE, max_retries=0, http_client=_ASYNC_HTTP) as client:
                    return await call.invoke(client, inputs)

            return asyncio.run(main())

        expected, sent_sync = _run(operation_id, reply, sync)
        actual, sent_async = _run(operation_id, reply, run_async)
        if "fileName" in call.fields and "fileName" not in inputs:  # each client picks its own unique upload name
            sent_sync, sent_async = _without_file_name(sent_sync), _without_file_name(sent_async)
        assert sent_async == sent_sync
        assert actual == expected

    prop()
