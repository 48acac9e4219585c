"""Each client method sends what the spec says: method, path, body/query valid against the spec's schemas."""

from __future__ import annotations

import json
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
    envelope,
    make,
    record,
)
from client_support import kind as kind
from hypothesis import given
from hypothesis import strategies as st
from veo3 import Task, TaskInfo, TaskStatus
from veo3._spec import _document as _spec
from veo3.errors import ConfigurationError, RequestValidationError

# (method name, args, kwargs, operationId, answer data)
CASES: list[tuple[str, tuple[Any, ...], dict[str, Any], str, Any]] = [
    ("generate", ("a cat on a surfboard",), {}, GENERATE, {"taskId": "t1"}),
    (
        "generate",
        ("a cat",),
        {
            "model": "veo3_fast",
            "generation_type": "FIRST_AND_LAST_FRAMES_2_VIDEO",
            "image_urls": ("https://img.example/a.png", "https://img.example/b.png"),
            "aspect_ratio": "9:16",
            "resolution": "1080p",
            "seeds": 12345,
            "watermark": "mine",
            "call_back_url": "https://hooks.example/veo",
            "enable_translation": False,
            "duration": 6,
        },
        GENERATE,
        {"taskId": "t1"},
    ),
    ("extend", ("t1", "and then it rains"), {"seeds": 99999, "model": "fast"}, EXTEND, {"taskId": "t2"}),
    ("get_task", ("t1",), {}, DETAILS, record("t1", 1)["data"]),
    ("get_1080p", ("t1",), {"index": 1}, HD, {"resultUrl": "https://cdn.example/hd.mp4"}),
    ("get_4k", ("t1",), {"call_back_url": "https://hooks.example/4k"}, UHD, {"resultUrls": ["https://c/4k.mp4"]}),
    ("credits", (), {}, CREDITS, 123.5),
    ("download_url", ("https://tempfile.aiquickdraw.com/v/x.mp4",), {}, DOWNLOAD_URL, "https://dl.example/x"),
]


def _route(mock: respx.MockRouter, op_id: str, data: Any) -> respx.Route:
    op = _spec.operation(op_id)
    return mock.route(method=op.method, url=BASE + op.path).respond(200, json=envelope(data=data))


def _check_sent(request: httpx.Request, op_id: str) -> None:
    op = _spec.operation(op_id)
    assert request.method == op.method
    assert request.url.path == op.path
    assert request.headers["authorization"] == f"Bearer {API_KEY}"
    if op.body_schema_ref:
        body = json.loads(request.content)
        errors = list(_spec.validator(op.body_schema_ref).iter_errors(body))
        assert errors == [], errors
    else:
        assert request.content == b""
    declared = {p["name"]: p for p in op.query_parameters}
    for name, value in request.url.params.items():
        assert name in declared, f"{name} is not a query parameter of {op_id}"
        schema_ref = declared[name]["schema"]["$ref"]
        typed: Any = int(value) if _spec.resolve(schema_ref).get("type") == "integer" else value
        assert _spec.validator(schema_ref).is_valid(typed)
    for name, param in declared.items():
        if param.get("required"):
            assert name in request.url.params


@pytest.mark.parametrize(("method", "args", "kwargs", "op_id", "data"), CASES)
def test_each_method_sends_what_the_spec_says(
    kind: str, method: str, args: tuple[Any, ...], kwargs: dict[str, Any], op_id: str, data: Any
) -> None:
    client = make(kind)
    with respx.mock(assert_all_called=True) as mock:
        route = _route(mock, op_id, data)
        result = client(method, *args, **kwargs)
    assert route.call_count == 1
    _check_sent(route.calls.last.request, op_id)
    if method in ("generate", "extend"):
        assert result == Task(data["taskId"], 0)
    elif method == "get_task":
        assert isinstance(result, TaskInfo) and result.status is TaskStatus.SUCCESS
    elif method == "get_4k":
        assert result == data["resultUrls"]
    elif method == "get_1080p":
        assert result == data["resultUrl"]
    else:
        assert result == data


def test_generate_sends_exactly_the_options_given() -> None:
    client = make("sync")
    with respx.mock() as mock:
        route = _route(mock, GENERATE, {"taskId": "t1"})
        client("generate", "a cat", seeds=12345, call_back_url="https://h.example/cb", enable_translation=False)
    sent = json.loads(route.calls.last.request.content)
    assert sent == {
        "prompt": "a cat",
        "seeds": 12345,
        "callBackUrl": "https://h.example/cb",
        "enableTranslation": False,
    }


def test_get_4k_repeats_without_the_callback_url() -> None:
    client = make("sync")
    answers = [
        httpx.Response(200, json=envelope(data={"taskId": "t1", "resultUrls": None, "imageUrls": None})),
        httpx.Response(200, json=envelope(422, "4k is processing...", {"taskId": "t1", "resultUrls": None})),
        httpx.Response(200, json=envelope(422, "The video has been generated successfully", {"resultUrls": ["u"]})),
    ]
    with respx.mock() as mock:
        route = mock.post(BASE + _spec.operation(UHD).path).mock(side_effect=answers)
        assert client("get_4k", "t1", index=0, call_back_url="https://h.example/4k") == ["u"]
    bodies = [json.loads(c.request.content) for c in route.calls]
    assert bodies[0] == {"taskId": "t1", "index": 0, "callBackUrl": "https://h.example/4k"}
    assert bodies[1:] == [{"taskId": "t1", "index": 0}] * 2


@pytest.mark.parametrize(
    ("method", "args", "kwargs", "field", "rule"),
    [
        ("generate", ("",), {}, "prompt", "pattern"),
        ("generate", ("   ",), {}, "prompt", "pattern"),
        ("generate", ("x",), {"seeds": 9999}, "seeds", "minimum"),
        ("generate", ("x",), {"seeds": 100000}, "seeds", "maximum"),
        ("generate", ("x",), {"model": "veo9"}, "model", "enum"),
        ("generate", ("x",), {"aspect_ratio": "4:3"}, "aspect_ratio", "enum"),
        ("generate", ("x",), {"image_urls": []}, "image_urls", "minItems"),
        ("generate", ("x",), {"image_urls": ["https://a/1"] * 4}, "image_urls", "maxItems"),
        ("generate", ("x",), {"image_urls": ["https://a/1", "not a url"]}, "image_urls[1]", "pattern"),
        ("generate", ("x",), {"call_back_url": "ftp://x"}, "call_back_url", "pattern"),
        ("generate", ("x",), {"duration": 5}, "duration", "enum"),
        ("generate", ("x",), {"duration": 4, "generation_type": "REFERENCE_2_VIDEO"}, "duration", "const"),
        ("generate", ("x",), {"seeds": "12345"}, "seeds", "type"),
        ("extend", ("t1", "x"), {"model": "veo3_fast"}, "model", "enum"),
        ("extend", ("", "x"), {}, "task_id", "pattern"),
        ("get_task", ("",), {}, "task_id", "pattern"),
        ("get_1080p", ("t1",), {"index": -1}, "index", "minimum"),
        ("get_4k", ("t1",), {"index": -1}, "index", "minimum"),
        ("download_url", ("not-a-url",), {}, "url", "pattern"),
        ("wait", ("t1",), {"timeout": 0}, "timeout", "exclusiveMinimum"),
        ("extend_chain", ("t1", ["ok", " "]), {}, "prompt", "pattern"),
    ],
)
def test_invalid_requests_fail_before_any_io(
    kind: str, method: str, args: tuple[Any, ...], kwargs: dict[str, Any], field: str, rule: str
) -> None:
    client = make(kind)
    with respx.mock(assert_all_called=False) as mock:
        catch_all = mock.route().respond(500)
        with pytest.raises(RequestValidationError) as info:
            client(method, *args, **kwargs)
    assert catch_all.call_count == 0
    assert (info.value.field, info.value.rule) == (field, rule)
    assert isinstance(info.value, ValueError)
    assert field in str(info.value) and rule in str(info.value)


@given(seeds=st.integers(min_value=-(10**6), max_value=10**6))
def test_seeds_accepted_exactly_when_the_spec_accepts_them(seeds: int) -> None:
    """For all integers: the client sends them iff the spec's Seeds schema accepts them."""
    client = make("sync")
    spec_ok = _spec.validator("#/components/schemas/Seeds").is_valid(seeds)
    with respx.mock(assert_all_called=False) as mock:
        route = _route(mock, GENERATE, {"taskId": "t1"})
        try:
            client("generate", "x", seeds=seeds)
        except RequestValidationError as exc:
            assert not spec_ok and exc.field == "seeds" and exc.value == seeds
        else:
            assert spec_ok and json.loads(route.calls.last.request.content)["seeds"] == seeds
    assert route.call_count == (1 if spec_ok else 0)


@pytest.mark.parametrize("url", ["http://api.kie.ai", "http://10.0.0.5:8080", "http://example.com/", "ftp://x"])
def test_bearer_token_never_goes_over_plain_http_to_remote_hosts(url: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        make("sync", base_url=url)
    assert API_KEY not in str(info.value)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8787", "http://localhost:9", "http://[::1]:80", "http://127.5.0.1"])
def test_plain_http_is_allowed_to_loopback(url: str) -> None:
    client = make("sync", base_url=url)
    with respx.mock() as mock:
        route = mock.get(url.rstrip("/") + _spec.operation(CREDITS).path).respond(200, json=envelope(data=1))
        assert client("credits") == 1.0
    assert route.called


def test_missing_key_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KIE_API_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="KIE_API_KEY"):
        make("sync", api_key=None)


def test_environment_supplies_key_and_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIE_API_KEY", API_KEY)
    monkeypatch.setenv("VEO3_BASE_URL", "http://127.0.0.1:8787/")
    client = make("sync", api_key=None, base_url=None)
    assert client.client.base_url == "http://127.0.0.1:8787"
    assert API_KEY not in repr(client.client) and API_KEY not in str(client.client)


def test_callers_http_client_is_used_and_not_closed() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=envelope(data=7))

    own = httpx.Client(transport=httpx.MockTransport(handler), headers={"X-Mine": "1"})
    with make("sync", http_client=own).client as client:
        assert client.credits() == 7.0
    assert not own.is_closed
    assert seen[0].headers["x-mine"] == "1"
    assert seen[0].headers["authorization"] == f"Bearer {API_KEY}"
    assert "authorization" not in own.headers  # the key is added per request, never stored in the caller's client


def test_creates_stay_under_the_rate_limit(kind: str) -> None:
    """25 creates under a (20 per 10 s) limit: never more than 20 sent within any 10 s of the fake clock."""
    client = make(kind, rate_limit=(20, 10.0))
    sent_at: list[float] = []

    def answer(_request: httpx.Request) -> httpx.Response:
        sent_at.append(client.time.now)
        return httpx.Response(200, json=envelope(data={"taskId": "t1"}))

    with respx.mock() as mock:
        op = _spec.operation(GENERATE)
        mock.route(method=op.method, url=BASE + op.path).mock(side_effect=answer)
        for _ in range(25):
            client("generate", "a cat")
    assert len(sent_at) == 25
    assert all(sent_at[i + 20] - sent_at[i] >= 10.0 for i in range(len(sent_at) - 20))
    assert sent_at[19] == sent_at[0]  # the first 20 go out at once


def test_rate_limit_can_be_turned_off_and_is_checked() -> None:
    client = make("sync", rate_limit=None)
    with respx.mock() as mock:
        op = _spec.operation(GENERATE)
        mock.route(method=op.method, url=BASE + op.path).respond(200, json=envelope(data={"taskId": "t1"}))
        for _ in range(30):
            client("generate", "a cat")
    assert client.time.sleeps == []
    with pytest.raises(ConfigurationError):
        make("sync", rate_limit=(0, 10.0))
