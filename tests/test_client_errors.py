"""Error mapping (in-band and HTTP status alike), the retry policy per operation, and the key never leaking."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx
from client_support import (
    API_KEY,
    BASE,
    CREDITS,
    DETAILS,
    DOWNLOAD_URL,
    EXTEND,
    GENERATE,
    HD,
    UHD,
    all_text,
    assert_no_key,
    debug_logs,
    envelope,
    make,
    record,
)
from client_support import kind as kind
from hypothesis import given
from hypothesis import strategies as st
from veo3._core._policy import ERROR_CLASSES, UPLOAD_ERROR_CLASSES, Failure, Outcome
from veo3._core._policy import POLICY as RETRY_POLICY
from veo3._spec import _document as _spec
from veo3.errors import (
    APIError,
    AuthenticationError,
    ContentPolicyError,
    FeatureDisabledError,
    GenerationFailedError,
    ImageFetchError,
    InsufficientCreditsError,
    MaintenanceError,
    NotFoundError,
    OutcomeUnknownError,
    RateLimitError,
    ResponseFormatError,
    ServerError,
    TransportError,
    UnprocessableError,
    Veo3Error,
)

EXPECTED = {
    400: ContentPolicyError,
    401: AuthenticationError,
    402: InsufficientCreditsError,
    404: NotFoundError,
    422: UnprocessableError,
    429: RateLimitError,
    451: ImageFetchError,
    455: MaintenanceError,
    500: ServerError,
    501: GenerationFailedError,
    505: FeatureDisabledError,
    418: APIError,  # undocumented code: the plain base class
    503: ServerError,  # any other 5xx is a server error
}

# operationId -> (client method, args): one call of each operation.
CALLS: dict[str, tuple[str, tuple[Any, ...], dict[str, Any]]] = {
    GENERATE: ("generate", ("a cat",), {"seeds": 12345}),
    EXTEND: ("extend", ("t1", "more"), {}),
    UHD: ("get_4k", ("t1",), {"wait": False}),
    DETAILS: ("get_task", ("t1",), {}),
    HD: ("get_1080p", ("t1",), {"wait": False}),
    CREDITS: ("credits", (), {}),
    DOWNLOAD_URL: ("download_url", ("https://tempfile.aiquickdraw.com/v/a.mp4",), {}),
}
PAID = {GENERATE, EXTEND, UHD}


def _url(op_id: str) -> tuple[str, str]:
    op = _spec.operation(op_id)
    return op.method, BASE + op.path


def test_every_documented_code_has_its_class() -> None:
    for op in _spec.iter_operations():  # the File Upload API has its own codes (real HTTP statuses)
        table = UPLOAD_ERROR_CLASSES if op.errors_in_http_status else ERROR_CLASSES
        assert op.documented_codes - {200} <= set(table), op.operation_id
    for code, cls in EXPECTED.items():
        assert issubclass(cls, APIError)
        if code in ERROR_CLASSES:
            assert ERROR_CLASSES[code] is cls


@pytest.mark.parametrize("code", sorted(EXPECTED))
@pytest.mark.parametrize("where", ["in-band", "http-status", "http-status-html"])
def test_codes_map_to_the_same_error_in_band_and_as_status(
    kind: str, code: int, where: str, caplog: pytest.LogCaptureFixture
) -> None:
    debug_logs(caplog)
    client = make(kind, max_retries=0)
    method, url = _url(DETAILS)
    if where == "in-band":
        reply = httpx.Response(200, json=envelope(code, f"kie says {code}"))
    elif where == "http-status":
        reply = httpx.Response(code, json=envelope(code, f"kie says {code}"))
    else:
        reply = httpx.Response(code, text=f"<html>{code} from a proxy</html>")
    with respx.mock() as mock:
        mock.route(method=method, url=url).mock(return_value=reply)
        with pytest.raises(Veo3Error) as info:
            client("get_task", "t1")
    error = info.value
    assert type(error) is EXPECTED[code]
    assert isinstance(error, APIError)
    assert error.code == code
    assert error.http_status == (200 if where == "in-band" else code)
    assert error.operation == DETAILS and error.task_id == "t1"
    assert (f"kie says {code}" in error.message) == (where != "http-status-html")
    assert_no_key(*all_text(error, caplog))


@pytest.mark.parametrize(
    "body",
    [b"not json", b'{"code": 200}', b'{"msg": "x"}', b"[1, 2]", b'{"code": 200, "msg": "ok", "data": {"x": 1}}'],
)
def test_unreadable_answers_to_reads_are_response_format_errors(
    kind: str, body: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    debug_logs(caplog)
    client = make(kind, max_retries=0)
    method, url = _url(DETAILS)
    with respx.mock() as mock:
        mock.route(method=method, url=url).respond(200, content=body)
        with pytest.raises(ResponseFormatError) as info:
            client("get_task", "t1")
    assert info.value.http_status == 200 and info.value.operation == DETAILS
    assert not isinstance(info.value, KeyError | TypeError | AttributeError)
    assert_no_key(*all_text(info.value, caplog))


# Fault name -> respx side effect (an exception raised while sending, or the reply).
FAULTS: dict[str, Callable[[], Any]] = {
    "connect_error": lambda: httpx.ConnectError("connection refused"),
    "connect_timeout": lambda: httpx.ConnectTimeout("connect timed out"),
    "read_timeout": lambda: httpx.ReadTimeout("read timed out"),
    "dropped_after_send": lambda: httpx.RemoteProtocolError("server disconnected without sending a response"),
    "http_429": lambda: httpx.Response(429, json=envelope(429, "rate limited")),
    "in_band_429": lambda: httpx.Response(200, json=envelope(429, "rate limited")),
    "in_band_455": lambda: httpx.Response(200, json=envelope(455, "maintenance")),
    "http_500": lambda: httpx.Response(500, json=envelope(500, "boom")),
    "in_band_500": lambda: httpx.Response(200, json=envelope(500, "boom")),
    "http_502_html": lambda: httpx.Response(502, text="<html>bad gateway</html>"),
    "malformed_json": lambda: httpx.Response(200, content=b'{"code": 200, "msg": "succ'),
}
# Fault -> (retried for reads, retried for paid creates, error for reads, error for paid creates)
POLICY: dict[str, tuple[bool, bool, type[Veo3Error], type[Veo3Error]]] = {
    "connect_error": (True, True, TransportError, TransportError),
    "connect_timeout": (True, True, TransportError, TransportError),
    "read_timeout": (True, False, TransportError, OutcomeUnknownError),
    "dropped_after_send": (True, False, TransportError, OutcomeUnknownError),
    "http_429": (True, True, RateLimitError, RateLimitError),
    "in_band_429": (True, True, RateLimitError, RateLimitError),
    "in_band_455": (True, True, MaintenanceError, MaintenanceError),
    "http_500": (True, False, ServerError, ServerError),
    "in_band_500": (True, False, ServerError, ServerError),
    "http_502_html": (True, False, ServerError, ServerError),
    "malformed_json": (True, False, ResponseFormatError, OutcomeUnknownError),
}
MAX_RETRIES = 2
# Fault -> what the code's table calls it (veo3._retry.Failure): the oracle above and the table must agree.
FAILURE_OF_FAULT = {
    "connect_error": Failure.NEVER_SENT,
    "connect_timeout": Failure.NEVER_SENT,
    "read_timeout": Failure.REPLY_LOST,
    "dropped_after_send": Failure.REPLY_LOST,
    "http_429": Failure.REFUSED,
    "in_band_429": Failure.REFUSED,
    "in_band_455": Failure.REFUSED,
    "http_500": Failure.SERVER_ERROR,
    "in_band_500": Failure.SERVER_ERROR,
    "http_502_html": Failure.SERVER_ERROR,
    "malformed_json": Failure.UNREADABLE,
}
_GIVES = {
    Outcome.TRANSPORT: TransportError,
    Outcome.OUTCOME_UNKNOWN: OutcomeUnknownError,
    Outcome.FORMAT: ResponseFormatError,
    Outcome.API_ERROR: APIError,
}


@pytest.mark.parametrize("fault", sorted(POLICY))
def test_the_code_policy_table_is_the_tests_policy(fault: str) -> None:
    read_retried, paid_retried, read_error, paid_error = POLICY[fault]
    for paid, retried, error in ((False, read_retried, read_error), (True, paid_retried, paid_error)):
        table_retries, gives = RETRY_POLICY[FAILURE_OF_FAULT[fault], paid]
        assert table_retries == retried, (fault, paid)
        assert issubclass(error, _GIVES[gives]), (fault, paid)


def test_every_row_of_the_code_table_is_reached_by_a_fault_or_is_a_set_up_problem() -> None:
    reached = {(failure, paid) for failure in FAILURE_OF_FAULT.values() for paid in (False, True)}
    unreached = set(RETRY_POLICY) - reached
    assert {failure for failure, _ in unreached} <= {Failure.SETUP, Failure.DEFINITE}


@pytest.mark.parametrize("fault", sorted(FAULTS))
@pytest.mark.parametrize("op_id", sorted(CALLS))
def test_faults_by_operation(kind: str, op_id: str, fault: str, caplog: pytest.LogCaptureFixture) -> None:
    """How many requests reach the server for each fault, and what the caller gets."""
    debug_logs(caplog)
    client = make(kind, max_retries=MAX_RETRIES)
    method, args, kwargs = CALLS[op_id]
    read_retried, paid_retried, read_error, paid_error = POLICY[fault]
    paid = op_id in PAID
    http_method, url = _url(op_id)
    with respx.mock() as mock:
        route = mock.route(method=http_method, url=url).mock(side_effect=lambda _req: _raise_or_return(FAULTS[fault]()))
        with pytest.raises(Veo3Error) as info:
            client(method, *args, **kwargs)
    retried = paid_retried if paid else read_retried
    assert route.call_count == (1 + MAX_RETRIES if retried else 1)
    assert type(info.value) is (paid_error if paid else read_error)
    assert getattr(info.value, "retries_taken", None) == (MAX_RETRIES if retried else 0)
    assert len(client.time.sleeps) == (MAX_RETRIES if retried else 0)
    if isinstance(info.value, OutcomeUnknownError):
        assert info.value.operation == op_id
        assert info.value.request_body == json.loads(route.calls.last.request.content)
    assert_no_key(*all_text(info.value, caplog))


def _raise_or_return(effect: Any) -> Any:
    if isinstance(effect, Exception):
        raise effect
    return effect


@pytest.mark.parametrize("op_id", sorted(CALLS))
def test_a_retry_that_succeeds_reports_retries_taken(kind: str, op_id: str) -> None:
    client = make(kind, max_retries=3)
    method, args, kwargs = CALLS[op_id]
    ok_data: dict[str, Any] = {
        GENERATE: {"taskId": "t9"},
        EXTEND: {"taskId": "t9"},
        UHD: {"taskId": "t1", "resultUrls": ["https://c/4k.mp4"]},
        DETAILS: record("t1", 0)["data"],
        HD: {"resultUrl": "https://c/hd.mp4"},
        CREDITS: 5,
        DOWNLOAD_URL: "https://dl/x",
    }
    answers = [
        httpx.Response(429, json=envelope(429, "slow down")),
        httpx.Response(200, json=envelope(455, "maintenance")),
        httpx.Response(200, json=envelope(data=ok_data[op_id])),
    ]
    http_method, url = _url(op_id)
    with respx.mock() as mock:
        route = mock.route(method=http_method, url=url).mock(side_effect=answers)
        result = client(method, *args, **kwargs)
    assert route.call_count == 3
    if hasattr(result, "retries_taken"):
        assert result.retries_taken == 2


@pytest.mark.parametrize(
    ("header", "expected"),
    [("7", 7.0), ("0", 0.0), ("3600", 60.0), ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0), ("soon", None)],
)
def test_retry_after_is_honoured_and_capped(header: str, expected: float | None) -> None:
    client = make("sync", max_retries=1)
    method, url = _url(CREDITS)
    answers = [httpx.Response(429, headers={"Retry-After": header}), httpx.Response(200, json=envelope(data=1))]
    with respx.mock() as mock:
        mock.route(method=method, url=url).mock(side_effect=answers)
        assert client("credits") == 1.0
    (slept,) = client.time.sleeps
    if expected is None:  # unreadable header: the jittered backoff, within its cap
        assert 0 <= slept <= client.client._core.ctx.policy.base
    else:
        assert slept == expected


def test_backoff_is_jittered_exponential_and_capped() -> None:
    import random

    from veo3._core._policy import RetryPolicy

    policy = RetryPolicy(base=0.5, cap=4.0, rng=random.Random(1))
    for attempt in range(10):
        ceiling = min(4.0, 0.5 * 2**attempt)
        delays = [policy.delay(attempt) for _ in range(200)]
        assert all(0 <= d <= ceiling for d in delays)
        assert max(delays) > ceiling * 0.8  # full jitter spreads over the whole range
        assert min(delays) < ceiling * 0.2


def test_http_date_retry_after_in_the_future() -> None:
    from veo3._core._policy import retry_after_seconds

    assert retry_after_seconds({"Retry-After": "Wed, 21 Oct 2015 07:28:30 GMT"}, now=1445412480.0) == 30.0


def test_the_key_never_appears_in_debug_logs_of_a_successful_call(caplog: pytest.LogCaptureFixture) -> None:
    debug_logs(caplog)
    client = make("sync", max_retries=1)
    method, url = _url(GENERATE)
    with respx.mock() as mock:
        mock.route(method=method, url=url).mock(
            side_effect=[httpx.Response(500, json=envelope(500, f"echo Bearer {API_KEY}")), httpx.ConnectError("x")]
        )
        with pytest.raises(ServerError) as info:
            client("generate", "x")
    # Even a server that echoes the key back never gets it printed.
    assert_no_key(*all_text(info.value, caplog), repr(client.client))


def test_logger_filter_redacts_registered_keys(caplog: pytest.LogCaptureFixture) -> None:
    import logging

    make("sync")  # registers the key
    caplog.set_level(logging.INFO, logger="veo3")
    logging.getLogger("veo3").info("key=%s header=%s", API_KEY, "Authorization: Bearer abc.def")
    assert API_KEY not in caplog.text and "abc.def" not in caplog.text
    assert "***" in caplog.text


@pytest.mark.parametrize(
    ("status", "in_band", "expected"),
    [
        (200, 402, InsufficientCreditsError),
        (500, 408, APIError),  # kie documents HTTP 500 with a more specific body code
        (455, 400, ContentPolicyError),  # the body code wins, and is no "processing" answer under HTTP 455
        (502, 200, ServerError),
        (429, 429, RateLimitError),
    ],
)
def test_the_body_code_wins_unless_it_says_200(status: int, in_band: int, expected: type) -> None:
    client = make("sync", max_retries=0)
    method, url = _url(HD)
    with respx.mock() as mock:
        mock.route(method=method, url=url).respond(status, json=envelope(in_band, "1080P is processing."))
        with pytest.raises(expected) as info:
            client("get_1080p", "t1", wait=False)
    assert type(info.value) is expected
    assert info.value.code == (in_band if in_band != 200 else status)  # type: ignore[attr-defined]


@given(
    script=st.lists(st.sampled_from([*sorted(FAULTS), "ok"]), min_size=1, max_size=6),
    op_id=st.sampled_from(sorted(CALLS)),
)
def test_for_all_fault_sequences_requests_stop_at_the_first_unretryable_answer(script: list[str], op_id: str) -> None:
    """For all sequences of answers: the client sends until an answer it may not retry, a success, or the budget.

    A paid create is never sent again after an answer that may have created work.
    """
    client = make("sync", max_retries=MAX_RETRIES)
    method, args, kwargs = CALLS[op_id]
    paid = op_id in PAID
    answers = iter(script + ["ok"] * (MAX_RETRIES + 1))
    ok_reply = httpx.Response(200, json=envelope(data=_OK_DATA[op_id]))

    def answer(_request: httpx.Request) -> Any:
        name = next(answers)
        return ok_reply if name == "ok" else _raise_or_return(FAULTS[name]())

    expected_requests, last = 0, "ok"
    for last in script + ["ok"] * (MAX_RETRIES + 1):
        expected_requests += 1
        retryable = last != "ok" and POLICY[last][1 if paid else 0]
        if not retryable or expected_requests == MAX_RETRIES + 1:
            break
    http_method, url = _url(op_id)
    with respx.mock() as mock:
        route = mock.route(method=http_method, url=url).mock(side_effect=answer)
        if last == "ok":
            client(method, *args, **kwargs)
        else:
            with pytest.raises(POLICY[last][3 if paid else 2]):
                client(method, *args, **kwargs)
    assert route.call_count == expected_requests


_OK_DATA: dict[str, Any] = {
    GENERATE: {"taskId": "t9"},
    EXTEND: {"taskId": "t9"},
    UHD: {"taskId": "t1", "resultUrls": ["https://c/4k.mp4"]},
    DETAILS: record("t1", 0)["data"],
    HD: {"resultUrl": "https://c/hd.mp4"},
    CREDITS: 5,
    DOWNLOAD_URL: "https://dl/x",
}
