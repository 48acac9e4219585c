"""veo3.webhooks: signature verification, parsing every documented callback shape, the ASGI receiver."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import string
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from veo3._spec._document import HTTP_METHODS, load_spec
from veo3.errors import Veo3Error, WaitTimeoutError, WebhookVerificationError
from veo3.types import _urls
from veo3.webhooks import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    CallbackEvent,
    CallbackReceiver,
    parse_callback,
    verify,
    verify_headers,
)
from veo3.webhooks._signing import sign

KEY = "whk_9f8e7d6c5b4a39281706f5e4d3c2b1a0"
NOW = 1_764_028_800
TASK = "veo_task_abcdef123456"
DATA_FILE = Path(__file__).parent / "data" / "documented_examples.json"


def body_for(task_id: str = TASK, **data: Any) -> bytes:
    return json.dumps({"code": 200, "msg": "ok", "data": {"taskId": task_id, **data}}).encode()


def signed_headers(task_id: str = TASK, timestamp: int = NOW, key: str = KEY) -> dict[str, str]:
    return {TIMESTAMP_HEADER: str(timestamp), SIGNATURE_HEADER: sign(task_id, timestamp, key)}


# --- verify ---------------------------------------------------------------------------------------------


def test_a_valid_signature_verifies_for_every_body_form_and_task_id_spelling() -> None:
    signature = sign(TASK, NOW, KEY)
    bodies: list[Any] = [
        body_for(),
        body_for().decode(),
        json.loads(body_for()),
        {"code": 200, "msg": "ok", "data": {"task_id": TASK}},
        {"taskId": TASK},
        {"task_id": TASK, "data": None},
    ]
    for body in bodies:
        verify(body, timestamp=str(NOW), signature=signature, key=KEY, now=NOW)
        verify(body, timestamp=NOW, signature=signature.encode(), key=KEY.encode(), now=NOW)


def test_verify_headers_looks_headers_up_case_insensitively() -> None:
    headers = {k.lower(): v for k, v in signed_headers().items()}
    verify_headers(body_for(), headers, key=KEY, now=NOW)
    with pytest.raises(WebhookVerificationError, match="missing X-Webhook-Signature"):
        verify_headers(body_for(), {TIMESTAMP_HEADER: str(NOW)}, key=KEY, now=NOW)


def test_the_tolerance_is_inclusive_and_symmetric() -> None:
    signature = sign(TASK, NOW, KEY)
    for now in (NOW - 300, NOW + 300):
        verify(body_for(), timestamp=NOW, signature=signature, key=KEY, now=now)
    with pytest.raises(WebhookVerificationError, match="stale"):
        verify(body_for(), timestamp=NOW, signature=signature, key=KEY, now=NOW + 301)
    with pytest.raises(WebhookVerificationError, match="future"):
        verify(body_for(), timestamp=NOW, signature=signature, key=KEY, now=NOW - 301)
    verify(body_for(), timestamp=NOW, signature=signature, key=KEY, now=NOW + 3000, tolerance=3600)


REJECTIONS: list[tuple[str, dict[str, Any], str]] = [
    ("wrong key", {"signature": sign(TASK, NOW, "another-key")}, "does not match"),
    ("another task id", {"body": body_for("veo_task_other")}, "does not match"),
    ("signature of another timestamp", {"signature": sign(TASK, NOW - 1, KEY)}, "does not match"),
    ("stale timestamp", {"timestamp": NOW - 301, "signature": sign(TASK, NOW - 301, KEY)}, "stale"),
    ("future timestamp", {"timestamp": NOW + 301, "signature": sign(TASK, NOW + 301, KEY)}, "future"),
    ("missing timestamp", {"timestamp": None}, "missing X-Webhook-Timestamp"),
    ("empty timestamp", {"timestamp": ""}, "missing X-Webhook-Timestamp"),
    ("missing signature", {"signature": None}, "missing X-Webhook-Signature"),
    ("empty signature", {"signature": ""}, "missing X-Webhook-Signature"),
    ("tampered signature", {"signature": "A" + sign(TASK, NOW, KEY)[1:]}, "does not match"),
    ("truncated signature", {"signature": sign(TASK, NOW, KEY)[:-2]}, "does not match"),
    ("non-ascii signature", {"signature": "é" * 44}, "does not match"),
    ("decimal timestamp", {"timestamp": f"{NOW}.0"}, "malformed"),
    ("negative timestamp", {"timestamp": f"-{NOW}"}, "malformed"),
    ("padded timestamp", {"timestamp": f" {NOW}"}, "malformed"),
    ("unicode digits", {"timestamp": "١٢٣"}, "malformed"),
    ("huge timestamp", {"timestamp": "9" * 5000}, "malformed"),
    ("boolean timestamp", {"timestamp": True}, "malformed"),
    ("no task id", {"body": b'{"code": 500, "msg": "x", "data": null}'}, "no task id"),
    ("empty task id", {"body": body_for("")}, "no task id"),
    ("body not JSON", {"body": b"<html>oops</html>"}, "not JSON"),
    ("body not UTF-8", {"body": b"\xff\xfe{}"}, "not JSON"),
    ("body a JSON list", {"body": b"[1, 2]"}, "not an object"),
    ("no key configured", {"key": ""}, "no webhook key"),
]


@pytest.mark.parametrize(("change", "reason"), [r[1:] for r in REJECTIONS], ids=[r[0] for r in REJECTIONS])
def test_verify_rejects_with_a_clear_reason_that_never_contains_the_key(change: dict[str, Any], reason: str) -> None:
    args: dict[str, Any] = {
        "body": body_for(),
        "timestamp": str(NOW),
        "signature": sign(TASK, NOW, KEY),
        "key": KEY,
        **change,
    }
    body = args.pop("body")
    with pytest.raises(WebhookVerificationError, match=reason) as caught:
        verify(body, now=NOW, **args)
    assert isinstance(caught.value, Veo3Error)
    for text in (str(caught.value), repr(caught.value)):
        assert KEY not in text
        assert sign(TASK, NOW, KEY) not in text  # the expected signature would let anyone forge this one


task_ids = st.text(min_size=1, max_size=80)
timestamps = st.integers(min_value=0, max_value=10**11)
keys = st.one_of(st.text(min_size=1, max_size=64), st.binary(min_size=1, max_size=64))


@given(task_id=task_ids, timestamp=timestamps, key=keys, skew=st.integers(min_value=-300, max_value=300))
def test_for_all_task_ids_timestamps_and_keys_sign_then_verify_holds(
    task_id: str, timestamp: int, key: str | bytes, skew: int
) -> None:
    body = json.dumps({"code": 200, "msg": "ok", "data": {"taskId": task_id}})
    verify(body, timestamp=str(timestamp), signature=sign(task_id, timestamp, key), key=key, now=timestamp + skew)


@given(
    task_id=task_ids, timestamp=timestamps, key=keys, position=st.integers(min_value=0), new_byte=st.integers(0, 255)
)
def test_for_all_single_byte_changes_of_the_signature_verify_fails(
    task_id: str, timestamp: int, key: str | bytes, position: int, new_byte: int
) -> None:
    signature = bytearray(sign(task_id, timestamp, key).encode())
    position %= len(signature)
    assume(signature[position] != new_byte)
    signature[position] = new_byte
    with pytest.raises(WebhookVerificationError):
        verify({"data": {"taskId": task_id}}, timestamp=timestamp, signature=bytes(signature), key=key, now=timestamp)


@given(task_id=task_ids, other=task_ids, timestamp=timestamps, key=keys)
def test_for_any_other_task_id_verify_fails(task_id: str, other: str, timestamp: int, key: str | bytes) -> None:
    assume(other != task_id)
    with pytest.raises(WebhookVerificationError, match="does not match"):
        verify(
            {"data": {"taskId": other}},
            timestamp=timestamp,
            signature=sign(task_id, timestamp, key),
            key=key,
            now=timestamp,
        )


@given(
    key=st.text(alphabet=string.ascii_letters + string.digits, min_size=24, max_size=48),
    age=st.integers(min_value=-(10**6), max_value=10**6),
    wrong=st.booleans(),
)
def test_for_all_keys_no_failure_message_contains_the_key(key: str, age: int, wrong: bool) -> None:
    signature = sign(TASK, NOW, key + "x" if wrong else key)
    try:
        verify(body_for(), timestamp=NOW, signature=signature, key=key, now=NOW + age)
    except WebhookVerificationError as exc:
        assert key not in str(exc) and key not in repr(exc) and key not in repr(exc.args)
    else:
        assert not wrong and abs(age) <= 300


# --- parse_callback ---------------------------------------------------------------------------------------


def spec_callback_examples() -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(callback name, example name, body) for every example of every callback in the spec."""
    for item in load_spec()["paths"].values():
        # A path item also holds non-operations (the upload paths' `servers` list).
        for operation in (item[m] for m in HTTP_METHODS if m in item):
            for name, callback in operation.get("callbacks", {}).items():
                for path_item in callback.values():
                    content = path_item["post"]["requestBody"]["content"]["application/json"]
                    for example_name, example in content["examples"].items():
                        yield name, example_name, example["value"]


SPEC_EXAMPLES = list(spec_callback_examples())
DOC_EXAMPLES = [e for e in json.loads(DATA_FILE.read_text()) if e["schema"].endswith("Callback")]
KIND_OF_CALLBACK = {"onVideoGenerated": "video", "onVideoExtended": "video", "on4KVideoGenerated": "4k"}
KIND_OF_SCHEMA = {"VideoGeneratedCallback": "video", "VideoExtendedCallback": "video", "Video4kGeneratedCallback": "4k"}


def test_the_spec_documents_every_callback_shape() -> None:
    assert set(KIND_OF_CALLBACK) == {name for name, _, _ in SPEC_EXAMPLES}
    assert set(KIND_OF_SCHEMA) == {e["schema"] for e in DOC_EXAMPLES}


def check_event(event: CallbackEvent, body: dict[str, Any], kind: str) -> None:
    data = body.get("data") or {}
    info = data.get("info") or {}
    assert event.kind == kind
    assert event.code == body["code"] and event.msg == body["msg"] and event.ok == (body["code"] == 200)
    assert event.task_id == (data.get("taskId") or data.get("task_id"))
    assert event.raw == body
    for urls in (event.result_urls, event.origin_urls, event.image_urls):
        assert isinstance(urls, list) and all(u.startswith("http") and "[" not in u and "," not in u for u in urls)
    if event.ok:
        assert event.result_urls and event.video_url == event.result_urls[0]
        assert len(event.result_urls) == len(_urls(info.get("resultUrls") or data.get("result_urls")))
    else:
        assert event.result_urls == [] and event.video_url is None
    if kind == "4k" and event.ok:
        assert event.image_urls
    if "promptJson" in data:
        assert event.prompt is not None and event.prompt["prompt"] == "A dog playing in a park"
    assert event.resolution == info.get("resolution")
    assert event.fallback == data.get("fallbackFlag")


@pytest.mark.parametrize(("name", "example", "body"), SPEC_EXAMPLES, ids=[f"{n}-{e}" for n, e, _ in SPEC_EXAMPLES])
def test_every_spec_callback_example_parses(name: str, example: str, body: dict[str, Any]) -> None:
    kind = KIND_OF_CALLBACK[name]
    for form in (body, json.dumps(body), json.dumps(body).encode()):
        check_event(parse_callback(form), body, kind)  # kind inferred from the body
        check_event(parse_callback(form, kind=kind), body, kind)  # type: ignore[arg-type]


@pytest.mark.parametrize("entry", DOC_EXAMPLES, ids=[e["name"] for e in DOC_EXAMPLES])
def test_every_documented_callback_example_parses(entry: dict[str, Any]) -> None:
    kind = KIND_OF_SCHEMA[entry["schema"]]
    check_event(parse_callback(json.dumps(entry["value"])), entry["value"], kind)


def test_url_lists_as_arrays_bracketed_strings_and_json_strings_read_the_same() -> None:
    expected = ["http://a.mp4", "http://b.mp4"]
    for value in (
        expected,
        "[http://a.mp4, http://b.mp4]",
        "[http://a.mp4,http://b.mp4]",
        '["http://a.mp4", "http://b.mp4"]',
        " [ 'http://a.mp4' , 'http://b.mp4' ] ",
    ):
        assert _urls(value) == expected, value
        body = {"code": 200, "msg": "ok", "data": {"taskId": TASK, "info": {"resultUrls": value, "originUrls": value}}}
        event = parse_callback(body)
        assert event.result_urls == expected and event.origin_urls == expected
    assert _urls("http://a.mp4") == ["http://a.mp4"]
    assert _urls("[]") == _urls("") == _urls(None) == []


@given(
    urls=st.lists(
        st.text(alphabet=string.ascii_letters + string.digits + "/:._-?=&", min_size=1).map(lambda s: "https://h/" + s),
        max_size=5,
    )
)
def test_for_all_url_lists_every_encoding_gives_the_same_list(urls: list[str]) -> None:
    encodings = [urls, "[" + ", ".join(urls) + "]", "[" + ",".join(urls) + "]", json.dumps(urls)]
    for encoded in encodings:
        body = {"code": 200, "msg": "ok", "data": {"task_id": TASK, "result_urls": encoded, "image_urls": encoded}}
        event = parse_callback(body, kind="4k")
        assert event.result_urls == urls and event.image_urls == urls


def test_prompt_json_as_object_or_string_reads_the_same_and_bad_strings_are_tolerated() -> None:
    prompt = {"prompt": "A cat", "model": "veo3"}
    for value in (prompt, json.dumps(prompt)):
        assert parse_callback(body_for(promptJson=value)).prompt == prompt
    assert parse_callback(body_for(promptJson="{not json")).prompt is None


def test_an_undocumented_code_is_still_an_event() -> None:
    event = parse_callback({"code": 418, "msg": "new", "data": {"taskId": TASK}})
    assert (event.code, event.ok, event.task_id) == (418, False, TASK)


INVALID_BODIES: list[tuple[str, Any, str]] = [
    ("not JSON", b"{oops", "not JSON"),
    ("JSON null", b"null", "not an object"),
    ("code missing", {"msg": "x", "data": {"taskId": TASK}}, "code"),
    ("code a string", {"code": "200", "msg": "x", "data": {"taskId": TASK}}, "code"),
    ("code a boolean", {"code": True, "msg": "x", "data": {"taskId": TASK}}, "code"),
    ("msg missing", {"code": 200, "data": {"taskId": TASK}}, "msg"),
    ("data a list", {"code": 200, "msg": "x", "data": [TASK]}, "data"),
    ("data without task id", {"code": 200, "msg": "x", "data": {"info": {"resultUrls": []}}}, "taskId"),
    ("4k data without task id", {"code": 200, "msg": "4K ok", "data": {"result_urls": []}}, "task"),
    (
        "resultUrls a number",
        {"code": 200, "msg": "x", "data": {"taskId": TASK, "info": {"resultUrls": 5}}},
        "resultUrls",
    ),
    ("taskId a number", {"code": 200, "msg": "x", "data": {"taskId": 5}}, "taskId"),
]


@pytest.mark.parametrize(("body", "reason"), [b[1:] for b in INVALID_BODIES], ids=[b[0] for b in INVALID_BODIES])
def test_invalid_payloads_raise_a_typed_error(body: Any, reason: str) -> None:
    with pytest.raises(WebhookVerificationError, match=reason):
        parse_callback(body)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
callback_like = st.fixed_dictionaries(
    {},
    optional={
        "code": st.sampled_from([200, 400, 500, 501, 999]) | json_values,
        "msg": st.text(max_size=10) | json_values,
        "data": st.none()
        | st.fixed_dictionaries(
            {},
            optional={
                "taskId": st.text(max_size=10) | json_values,
                "task_id": st.text(max_size=10) | json_values,
                "info": json_values,
                "result_urls": json_values,
                "promptJson": json_values,
                "fallbackFlag": json_values,
            },
        )
        | json_values,
    },
)


@given(body=st.one_of(json_values, callback_like, st.binary(max_size=50)))
def test_for_all_payloads_parse_returns_an_event_or_raises_the_typed_error(body: Any) -> None:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    try:
        event = parse_callback(raw)
    except WebhookVerificationError:
        return
    assert isinstance(event, CallbackEvent) and isinstance(event.code, int)
    assert all(isinstance(u, str) for u in event.result_urls + event.origin_urls + event.image_urls)


# --- CallbackReceiver -------------------------------------------------------------------------------------


class Recorder:
    def __init__(self) -> None:
        self.events: list[CallbackEvent] = []

    def __call__(self, event: CallbackEvent) -> None:
        self.events.append(event)


async def post(app: CallbackReceiver, body: bytes, headers: dict[str, str], path: str = "/callback") -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://receiver") as client:
        return await client.post(path, content=body, headers={"Content-Type": "application/json", **headers})


def test_receiver_calls_the_handler_once_even_when_kie_delivers_twice() -> None:
    handler = Recorder()
    receiver = CallbackReceiver(handler, key=KEY, now=lambda: NOW)
    body = body_for(info={"resultUrls": "[http://a.mp4]", "resolution": "720p"})

    async def scenario() -> list[httpx.Response]:
        return [await post(receiver, body, signed_headers()) for _ in range(2)]

    for response in asyncio.run(scenario()):
        assert response.status_code == 200 and response.json() == {"code": 200, "msg": "success"}
    assert len(handler.events) == 1 and receiver.duplicates == 1
    assert handler.events[0].task_id == TASK and handler.events[0].result_urls == ["http://a.mp4"]


def test_receiver_refuses_bad_signatures_with_401_and_never_calls_the_handler() -> None:
    handler = Recorder()
    receiver = CallbackReceiver(handler, key=KEY, now=lambda: NOW)
    cases = [
        signed_headers(key="wrong-key"),
        signed_headers(task_id="veo_task_other"),
        signed_headers(timestamp=NOW - 3600),
        {TIMESTAMP_HEADER: str(NOW)},
        {},
    ]

    async def scenario() -> list[httpx.Response]:
        return [await post(receiver, body_for(), headers) for headers in cases]

    for response in asyncio.run(scenario()):
        assert response.status_code == 401 and response.json()["code"] == 401
        assert KEY not in response.text
    assert handler.events == [] and receiver.rejected == len(cases)
    assert KEY not in repr(receiver)


def test_receiver_without_a_key_accepts_unsigned_callbacks_and_async_handlers() -> None:
    seen: list[CallbackEvent] = []

    async def handler(event: CallbackEvent) -> None:
        await asyncio.sleep(0)
        seen.append(event)

    receiver = CallbackReceiver(handler)
    body = b'{"code": 500, "msg": "The 4K version of this video is unavailable.", "data": null}'
    response = asyncio.run(post(receiver, body, {}))
    assert response.status_code == 200
    assert [(e.kind, e.task_id, e.code) for e in seen] == [("4k", None, 500)]


def test_receiver_kind_query_parameter_fixes_the_callback_type() -> None:
    seen = Recorder()
    receiver = CallbackReceiver(seen)
    body = json.dumps({"code": 500, "msg": "failed", "data": {"taskId": TASK}}).encode()

    async def scenario() -> None:
        await post(receiver, body, {}, "/hook?kind=4k")
        await post(receiver, body, {}, "/hook")

    asyncio.run(scenario())
    # Same task and code, different kinds: two distinct deliveries, not a duplicate.
    assert [e.kind for e in seen.events] == ["4k", "video"]


def test_receiver_answers_400_413_405_for_unreadable_oversized_or_non_post_requests() -> None:
    handler = Recorder()
    receiver = CallbackReceiver(handler, max_body_bytes=64)

    async def scenario() -> list[int]:
        transport = httpx.ASGITransport(app=receiver)
        async with httpx.AsyncClient(transport=transport, base_url="http://receiver") as client:
            return [
                (await client.post("/", content=b"not json")).status_code,
                (await client.post("/", content=b'{"code": 200}')).status_code,
                (await client.post("/", content=b"x" * 65)).status_code,
                (await client.get("/")).status_code,
            ]

    assert asyncio.run(scenario()) == [400, 400, 413, 405]
    assert handler.events == []


def test_a_failing_handler_gives_500_and_the_retry_is_handled_again() -> None:
    calls: list[str | None] = []

    def flaky(event: CallbackEvent) -> None:
        calls.append(event.task_id)
        if len(calls) == 1:
            raise RuntimeError("database down")

    receiver = CallbackReceiver(flaky, key=KEY, now=lambda: NOW)

    async def scenario() -> list[int]:
        return [(await post(receiver, body_for(), signed_headers())).status_code for _ in range(3)]

    assert asyncio.run(scenario()) == [500, 200, 200]
    assert calls == [TASK, TASK]


def test_wait_for_returns_the_event_whether_it_came_before_or_after_and_times_out_typed() -> None:
    receiver = CallbackReceiver()

    async def scenario() -> None:
        waiting = asyncio.create_task(receiver.wait_for(TASK, timeout=30))
        four_k = asyncio.create_task(receiver.wait_for(TASK, timeout=30, kind="4k"))
        await asyncio.sleep(0)
        assert (await post(receiver, body_for(), {})).status_code == 200
        event = await waiting
        assert event.task_id == TASK and event.kind == "video"
        assert not four_k.done()  # a video callback does not answer a 4K waiter
        four_k.cancel()
        assert await receiver.wait_for(TASK, timeout=0) is event  # arrived before: returned at once
        assert receiver.received(TASK) is event and receiver.received(TASK, "4k") is None
        with pytest.raises(WaitTimeoutError) as caught:
            await receiver.wait_for("veo_task_never", timeout=0.01)
        assert caught.value.task_id == "veo_task_never"

    asyncio.run(scenario())


def test_wait_for_blocking_is_woken_from_the_server_thread() -> None:
    receiver = CallbackReceiver()
    results: list[CallbackEvent] = []
    waiter = threading.Thread(target=lambda: results.append(receiver.wait_for_blocking(TASK, timeout=30)))
    waiter.start()
    while not receiver._waiters:  # wait until the thread is registered (no sleep-based assertion)
        threading.Event().wait(0.001)
    assert asyncio.run(post(receiver, body_for(), {})).status_code == 200
    waiter.join(timeout=30)
    assert [e.task_id for e in results] == [TASK]
    with pytest.raises(WaitTimeoutError):
        receiver.wait_for_blocking("veo_task_never", timeout=0.01)


def test_importing_veo3_and_webhooks_does_not_load_starlette_or_jsonschema() -> None:
    code = (
        "import sys, veo3, veo3.webhooks;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('starlette', 'jsonschema')))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "[]"


# --- end to end: the simulator's signed callbacks, over real sockets, into the receiver ---------------------


@contextlib.contextmanager
def served(app: CallbackReceiver) -> Iterator[str]:
    """``app`` on a free loopback port (uvicorn in a thread); yields its base URL."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, lifespan="off", log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        while not server.started:
            assert thread.is_alive(), "receiver did not start"
            threading.Event().wait(0.005)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


@pytest.mark.parametrize("style", ["documented", "legacy"])
def test_simulator_callbacks_verify_and_parse_in_the_receiver(style: str) -> None:
    from veo3.mock import MockConfig, MockServer

    handled = Recorder()
    receiver = CallbackReceiver(handled, key=KEY)
    config = MockConfig(webhook_key=KEY, time_scale=0.001, callback_style=style)  # type: ignore[arg-type]
    with served(receiver) as hook, MockServer(config) as mock:
        api = httpx.Client(base_url=mock.url, headers={"Authorization": "Bearer test"})
        created = api.post("/api/v1/veo/generate", json={"prompt": "a cat", "callBackUrl": f"{hook}/cb"}).json()
        generated = receiver.wait_for_blocking(created["data"]["taskId"], timeout=30)
        extended_id = api.post(
            "/api/v1/veo/extend", json={"taskId": generated.task_id, "prompt": "on", "callBackUrl": f"{hook}/cb"}
        ).json()["data"]["taskId"]
        extended = receiver.wait_for_blocking(extended_id, timeout=30)
        uhd_id = api.post(
            "/api/v1/veo/get-4k-video", json={"taskId": generated.task_id, "callBackUrl": f"{hook}/cb?kind=4k"}
        ).json()["data"]["taskId"]
        uhd = receiver.wait_for_blocking(uhd_id, timeout=30, kind="4k")
        details = api.get("/api/v1/veo/record-info", params={"taskId": generated.task_id}).json()["data"]

    assert [(e.kind, e.ok) for e in (generated, extended, uhd)] == [("video", True), ("video", True), ("4k", True)]
    assert generated.result_urls == details["response"]["resultUrls"]
    assert generated.prompt is not None and generated.prompt["prompt"] == "a cat"
    assert uhd.result_urls and uhd.image_urls
    assert handled.events == [generated, extended, uhd] and receiver.rejected == 0


def test_a_receiver_with_another_key_refuses_every_simulator_delivery() -> None:
    from veo3.mock import MockConfig, MockServer

    handled = Recorder()
    receiver = CallbackReceiver(handled, key="not-the-simulators-key")
    config = MockConfig(webhook_key=KEY, time_scale=0.001, callback_retries=2)
    with served(receiver) as hook, MockServer(config) as mock:
        api = httpx.Client(base_url=mock.url, headers={"Authorization": "Bearer test"})
        created = api.post("/api/v1/veo/generate", json={"prompt": "a cat", "callBackUrl": f"{hook}/cb"}).json()
        task_id = created["data"]["taskId"]
        for _ in range(6000):  # until the simulator has made its 1 + 2 attempts (or 30 s)
            records = [c for c in mock.state.callbacks if c.task_id == task_id]
            if records and len(records[0].status_codes) == 3:
                break
            threading.Event().wait(0.005)
        with pytest.raises(WaitTimeoutError):
            receiver.wait_for_blocking(task_id, timeout=0.01)
    assert records[0].status_codes == [401, 401, 401] and not records[0].delivered
    assert handled.events == [] and receiver.rejected == 3
