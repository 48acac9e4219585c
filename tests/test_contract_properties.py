"""Properties of the wrapper against the spec, with inputs and replies drawn from the spec's schemas.

For every operation:
- every valid input is accepted, and the one request the wrapper sends validates against the spec;
- every input that breaks exactly one rule raises ``RequestValidationError`` naming that argument, and no
  request leaves the client;
- every reply the spec allows parses (a result, or a typed ``Veo3Error``; an in-band 200 with valid data
  is a result);
- every reply it does not allow (random JSON, single-rule breaks of the envelope, non-JSON, truncated
  bodies, odd HTTP statuses) is a typed ``Veo3Error``: never a bare KeyError/TypeError/AttributeError/ValueError.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
import respx
import strategies as S
from hypothesis import Phase, example, given, settings
from hypothesis import strategies as st
from veo3 import Veo3Client
from veo3._spec import _document as _spec
from veo3.conformance._envelope import request_problems
from veo3.errors import APIError, RequestValidationError, ResponseFormatError, Veo3Error

BASE = "https://api.kie.ai"
KEY = "sk-contract-properties-0123"
OPERATIONS = sorted(S.WRAPPER_CALLS)
# Many small properties (7 operations each): a quarter of the profile's budget each ("ci": 10, "deep": 250).
EXAMPLES = settings(max_examples=max(10, settings().max_examples // 4))
# A known failure (xfail) is not shrunk: the minimal example is already in the reason, and shrinking costs minutes.
KNOWN_FAILURE = settings(EXAMPLES, phases=[Phase.explicit, Phase.reuse, Phase.generate])


def budget(request: pytest.FixtureRequest) -> settings:
    """The settings for a property: no shrinking when the test is marked as a known failure."""
    return KNOWN_FAILURE if request.node.get_closest_marker("xfail") else EXAMPLES


@contextmanager
def kie(operation_id: str, status: int = 200, content: bytes = b"{}") -> Iterator[respx.Route]:
    """A respx mock of kie answering ``operation_id`` with ``status``/``content``; other routes answer 599."""
    op = _spec.operation(operation_id)
    # The upload operations live on their own host (the spec's servers entry), where the client sends them.
    with respx.mock(base_url=S.host_of(operation_id, BASE), assert_all_called=False) as mock:
        route = mock.route(method=op.method, path=op.path).respond(
            status, content=content, headers={"content-type": "application/json"}
        )
        mock.route().respond(599)
        yield route


_HTTP = httpx.Client()  # shared: building an SSL context per example would dominate the run time


def client() -> Veo3Client:
    # No retries: one logical call is one request, and nothing sleeps.
    return Veo3Client(KEY, base_url=BASE, max_retries=0, http_client=_HTTP)


@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_every_valid_input_is_accepted_and_sent_as_the_spec_says(
    operation_id: str, request: pytest.FixtureRequest
) -> None:
    call = S.WRAPPER_CALLS[operation_id]
    op = _spec.operation(operation_id)

    @budget(request)
    @given(inputs=S.valid_inputs(operation_id), reply=S.success_replies(operation_id))
    def prop(inputs: dict[str, Any], reply: dict[str, Any]) -> None:
        with kie(operation_id, content=json.dumps(reply).encode()) as route, client() as c:
            try:
                call.invoke(c, inputs)
            except RequestValidationError:
                raise
            except Veo3Error:
                pass  # the reply is not under test here (see the reply properties below); the request is
        assert route.call_count == 1
        http_request = route.calls.last.request
        assert http_request.headers["authorization"] == f"Bearer {KEY}"
        assert request_problems(op, str(http_request.url), http_request.content) == []
        sent = json.loads(http_request.content) if op.body_schema_ref else dict(http_request.url.params)
        for name, value in inputs.items():
            assert sent[name] == (value if op.body_schema_ref else str(value)), name

    prop()


# (operationId, "field:rule") -> an xfail mark, while a wrapper bug the property found is being fixed.
KNOWN_WRAPPER_BUGS: dict[tuple[str, str], Any] = {}


def _break_cases() -> list[Any]:
    cases = []
    for operation_id in OPERATIONS:
        for brk, strategy in S.invalid_inputs(operation_id):
            marks = KNOWN_WRAPPER_BUGS.get((operation_id, str(brk)), ())
            cases.append(pytest.param(operation_id, brk, strategy, id=f"{operation_id}-{brk}", marks=marks))
    return cases


@pytest.mark.parametrize(("operation_id", "brk", "strategy"), _break_cases())
def test_every_single_rule_break_is_refused_before_any_request(
    operation_id: str, brk: S.Break, strategy: st.SearchStrategy[dict[str, Any]], request: pytest.FixtureRequest
) -> None:
    call = S.WRAPPER_CALLS[operation_id]
    python_name = call.names[brk.field]

    @budget(request)
    @given(inputs=strategy)
    def prop(inputs: dict[str, Any]) -> None:
        with respx.mock(base_url=BASE, assert_all_called=False) as mock:
            anything = mock.route().respond(200, json={"code": 200, "msg": "success", "data": None})
            with client() as c, pytest.raises(RequestValidationError) as info:
                call.invoke(c, inputs)
            assert anything.call_count == 0
        error = info.value
        assert error.field == python_name or error.field.startswith(f"{python_name}["), (error.field, inputs)
        if inputs.get(brk.field) is None:  # a missing positional argument arrives as None
            assert error.rule in ("required", "type"), (error.rule, inputs)
        else:
            assert error.rule == brk.rule.removeprefix("items."), (error.rule, inputs)

    prop()


@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_every_reply_the_spec_allows_parses(operation_id: str, request: pytest.FixtureRequest) -> None:
    call = S.WRAPPER_CALLS[operation_id]

    @budget(request)
    @given(inputs=S.valid_inputs(operation_id), reply=S.allowed_replies(operation_id))
    def prop(inputs: dict[str, Any], reply: tuple[int, Any]) -> None:
        status, body = reply
        with kie(operation_id, status, json.dumps(body).encode()), client() as c:
            try:
                call.invoke(c, inputs)
            except Veo3Error as exc:
                ok_200 = status == 200 and body["code"] == 200 and body.get("data") is not None
                assert not ok_200, f"a valid in-band 200 was refused: {exc!r}"
                if isinstance(exc, APIError) and body["code"] != 200:
                    assert exc.code == body["code"]

    prop()


@pytest.mark.parametrize(
    ("operation_id", "data"),
    [("download-url", ""), ("get-veo3-1-1080p-video", {"resultUrl": ""})],
)
def test_an_empty_link_is_refused_by_spec_and_wrapper(operation_id: str, data: Any) -> None:
    body = {"code": 200, "msg": "success", "data": data}
    assert not _spec.validator(S.envelope_ref(operation_id)).is_valid(body)
    inputs = {
        name: "veo_task_1" if name == "taskId" else "https://tempfile.aiquickdraw.com/a.mp4"
        for name, _ in S.WRAPPER_CALLS[operation_id].positional
    }
    with kie(operation_id, 200, json.dumps(body).encode()), client() as c, pytest.raises(ResponseFormatError):
        S.WRAPPER_CALLS[operation_id].invoke(c, inputs)


def _outcome(call: S.WrapperCall, inputs: dict[str, Any]) -> Any:
    """The call's result, or the ``Veo3Error`` it raised; any other exception propagates and fails the test."""
    with client() as c:
        try:
            return call.invoke(c, inputs)
        except Veo3Error as exc:
            return exc


# A spec-invalid in-band 200 (no operation's `data` is a list), pinned so that the 4K leniency is always seen.
LIST_DATA = b'{"code": 200, "msg": "success", "data": []}'


@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_every_reply_the_spec_does_not_allow_is_a_typed_error(
    operation_id: str, request: pytest.FixtureRequest
) -> None:
    call = S.WRAPPER_CALLS[operation_id]

    @budget(request)
    @given(inputs=S.valid_inputs(operation_id), body=S.disallowed_bodies(operation_id))
    @example(inputs=S.documented_inputs(operation_id), body=LIST_DATA)
    def prop(inputs: dict[str, Any], body: bytes) -> None:
        with kie(operation_id, 200, body):
            outcome = _outcome(call, inputs)
        assert isinstance(outcome, Veo3Error), f"accepted a reply the spec does not allow: {body!r} -> {outcome!r}"

    prop()


@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_no_reply_at_all_leaks_an_untyped_exception(operation_id: str, request: pytest.FixtureRequest) -> None:
    call = S.WRAPPER_CALLS[operation_id]

    @budget(request)
    @given(inputs=S.valid_inputs(operation_id), body=S.disallowed_bodies(operation_id))
    def prop(inputs: dict[str, Any], body: bytes) -> None:
        with kie(operation_id, 200, body):
            _outcome(call, inputs)  # a result or a Veo3Error; anything else fails here

    prop()


@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_odd_http_statuses_never_leak_untyped_exceptions(operation_id: str, request: pytest.FixtureRequest) -> None:
    call = S.WRAPPER_CALLS[operation_id]
    bodies = st.one_of(
        S.allowed_replies(operation_id).map(lambda r: json.dumps(r[1]).encode()),
        S.disallowed_bodies(operation_id),
        st.just(b""),
    )

    @budget(request)
    @given(inputs=S.valid_inputs(operation_id), status=S.ODD_STATUSES, body=bodies)
    def prop(inputs: dict[str, Any], status: int, body: bytes) -> None:
        with kie(operation_id, status, body):
            outcome = _outcome(call, inputs)  # a result or a Veo3Error; anything else fails here
        if S.is_not_an_envelope(body):
            assert isinstance(outcome, Veo3Error), f"HTTP {status} {body!r} -> {outcome!r}"

    prop()


@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_transport_failures_are_typed(operation_id: str, request: pytest.FixtureRequest) -> None:
    call = S.WRAPPER_CALLS[operation_id]
    failures = st.sampled_from(
        [httpx.ConnectError, httpx.ReadTimeout, httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError]
    )

    @budget(request)
    @given(inputs=S.valid_inputs(operation_id), failure=failures)
    def prop(inputs: dict[str, Any], failure: type[Exception]) -> None:
        op = _spec.operation(operation_id)
        with respx.mock(base_url=S.host_of(operation_id, BASE), assert_all_called=False) as mock:
            mock.route(method=op.method, path=op.path).mock(side_effect=failure("boom"))
            assert isinstance(_outcome(call, inputs), Veo3Error)

    prop()
