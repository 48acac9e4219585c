"""Waiting: one deadline, adaptive intervals, failures and unknown statuses; 1080p, 4K and extension chains."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import respx
from client_support import BASE, DETAILS, EXTEND, GENERATE, HD, UHD, FakeTime, envelope, make, record
from client_support import kind as kind  # the sync/async fixture
from hypothesis import given
from hypothesis import strategies as st
from veo3 import TaskInfo, TaskStatus
from veo3._spec import _document as _spec
from veo3.errors import (
    NotFoundError,
    OutcomeUnknownError,
    TaskFailedError,
    UnprocessableError,
    WaitTimeoutError,
)


def _url(op_id: str) -> tuple[str, str]:
    op = _spec.operation(op_id)
    return op.method, BASE + op.path


def _records(*flags: int, task_id: str = "t1") -> list[httpx.Response]:
    out = []
    for flag in flags:
        extra: dict[str, Any] = {}
        if flag == 1:
            extra["response"] = {"resultUrls": [f"https://cdn/{task_id}.mp4"], "fullResultUrls": None}
        if flag in (2, 3):
            extra.update(errorCode=400, errorMessage="content policy")
        out.append(httpx.Response(200, json=record(task_id, flag, **extra)))
    return out


def test_wait_returns_the_finished_task_and_reports_progress(kind: str) -> None:
    client = make(kind)
    seen: list[TaskInfo] = []
    method, url = _url(DETAILS)
    with respx.mock() as mock:
        route = mock.route(method=method, url=url).mock(side_effect=_records(0, 0, 7, 0, 1))
        info = client("wait", "t1", on_progress=seen.append)
    assert info.is_success and info.video_url == "https://cdn/t1.mp4"
    assert route.call_count == 5
    assert [i.status for i in seen] == [0, 0, 7, 0, 1]
    assert seen[2].status.name == "UNKNOWN_7" and not seen[2].is_finished  # unknown statuses are waited through


@pytest.mark.parametrize("flag", [2, 3])
def test_a_failed_task_raises_with_the_servers_error(kind: str, flag: int) -> None:
    client = make(kind)
    method, url = _url(DETAILS)
    with respx.mock() as mock:
        mock.route(method=method, url=url).mock(side_effect=_records(0, flag))
        with pytest.raises(TaskFailedError) as info:
            client("wait", "t1")
    assert info.value.task_id == "t1"
    assert (info.value.error_code, info.value.error_message) == (400, "content policy")
    assert info.value.info is not None and info.value.info.status == TaskStatus(flag)


@given(timeout=st.floats(min_value=0.5, max_value=300), poll=st.none() | st.floats(min_value=1, max_value=60))
def test_the_deadline_holds(timeout: float, poll: float | None) -> None:
    """For all timeouts and poll intervals: the wait gives up at the deadline, not before and not after."""
    fake = FakeTime()
    client = make("sync", fake)
    method, url = _url(DETAILS)
    start = fake.now
    with respx.mock() as mock:
        route = mock.route(method=method, url=url).respond(200, json=record("t1", 0))
        with pytest.raises(WaitTimeoutError) as info:
            client("wait", "t1", timeout=timeout, poll_interval=poll)
    assert fake.now - start == pytest.approx(timeout)
    assert info.value.task_id == "t1" and info.value.last_status == TaskStatus.GENERATING
    assert info.value.elapsed == pytest.approx(timeout)
    assert isinstance(info.value, TimeoutError)
    assert route.call_count == len(fake.sleeps) + 1  # one poll after every sleep, the last at the deadline


def test_intervals_start_short_grow_and_are_capped() -> None:
    fake = FakeTime()
    client = make("sync", fake)
    method, url = _url(DETAILS)
    with respx.mock() as mock:
        mock.route(method=method, url=url).respond(200, json=record("t1", 0))
        with pytest.raises(WaitTimeoutError):
            client("wait", "t1", timeout=600)
    intervals = fake.sleeps[:-1]  # the last one is cut short by the deadline
    assert intervals[0] < 3
    assert max(intervals) <= 15 * 1.2
    assert intervals[-1] > 4 * intervals[0]
    assert len(set(intervals)) == len(intervals)  # jittered


def test_transient_errors_during_a_wait_are_waited_through(kind: str) -> None:
    client = make(kind, max_retries=0)
    method, url = _url(DETAILS)
    answers = [
        httpx.Response(200, json=record("t1", 0)),
        httpx.Response(503, text="busy"),
        httpx.ReadTimeout("slow"),
        httpx.Response(200, json=envelope(455, "maintenance")),
        *_records(1),
    ]
    with respx.mock() as mock:
        mock.route(method=method, url=url).mock(side_effect=answers)
        assert client("wait", "t1").is_success


def test_a_wait_timing_out_during_an_outage_says_so(kind: str) -> None:
    client = make(kind, max_retries=0)
    method, url = _url(DETAILS)
    with respx.mock() as mock:
        mock.route(method=method, url=url).respond(500, json=envelope(500, "down"))
        with pytest.raises(WaitTimeoutError) as info:
            client("wait", "t1", timeout=30)
    assert info.value.last_status is None
    assert info.value.__cause__ is not None


def test_a_permanent_error_ends_the_wait_at_once(kind: str) -> None:
    client = make(kind)
    method, url = _url(DETAILS)
    with respx.mock() as mock:
        route = mock.route(method=method, url=url).respond(200, json=envelope(404, "no such task"))
        with pytest.raises(NotFoundError):
            client("wait", "t1")
    assert route.call_count == 1


def test_generate_and_wait_one_deadline_covers_both(kind: str) -> None:
    fake = FakeTime()
    client = make(kind, fake)
    with respx.mock() as mock:
        g_method, g_url = _url(GENERATE)
        mock.route(method=g_method, url=g_url).respond(200, json=envelope(data={"taskId": "t7"}))
        d_method, d_url = _url(DETAILS)
        details = mock.route(method=d_method, url=d_url).mock(side_effect=_records(0, 0, 1, task_id="t7"))
        info = client("generate_and_wait", "a cat", seeds=12345)
    assert info.task_id == "t7" and info.is_success
    assert details.calls.last.request.url.params["taskId"] == "t7"


def test_extend_chain_continues_each_result(kind: str) -> None:
    client = make(kind)
    created = iter(["e1", "e2", "e3"])
    with respx.mock() as mock:
        e_method, e_url = _url(EXTEND)
        extend = mock.route(method=e_method, url=e_url).mock(
            side_effect=lambda _r: httpx.Response(200, json=envelope(data={"taskId": next(created)}))
        )
        d_method, d_url = _url(DETAILS)
        mock.route(method=d_method, url=d_url).mock(
            side_effect=lambda r: httpx.Response(200, json=record(r.url.params["taskId"], 1))
        )
        infos = client("extend_chain", "t0", ["one", "two", "three"], seeds=12345)
    assert [i.task_id for i in infos] == ["e1", "e2", "e3"]
    sent = [json.loads(c.request.content) for c in extend.calls]
    assert [(b["taskId"], b["prompt"]) for b in sent] == [("t0", "one"), ("e1", "two"), ("e2", "three")]
    assert all(b["seeds"] == 12345 for b in sent)


def test_get_1080p_waits_through_processing_answers(kind: str) -> None:
    client = make(kind)
    method, url = _url(HD)
    answers = [
        httpx.Response(200, json=envelope(422, "record status is not success.")),
        httpx.Response(200, json=envelope(400, "1080P is processing. It should be ready in 1-2 minutes.")),
        httpx.Response(200, json=envelope(data={"resultUrl": "https://cdn/hd.mp4"})),
    ]
    with respx.mock() as mock:
        route = mock.route(method=method, url=url).mock(side_effect=answers)
        assert client("get_1080p", "t1") == "https://cdn/hd.mp4"
    assert route.call_count == 3
    assert "index" not in route.calls.last.request.url.params  # not given: the server's default


def test_get_1080p_without_waiting_and_its_timeout(kind: str) -> None:
    client = make(kind)
    method, url = _url(HD)
    with respx.mock() as mock:
        mock.route(method=method, url=url).respond(200, json=envelope(400, "1080P is processing."))
        assert client("get_1080p", "t1", wait=False) == ""
        with pytest.raises(WaitTimeoutError) as info:
            client("get_1080p", "t1", timeout=100)
    assert info.value.last_status == "1080P is processing."


def test_get_1080p_real_422_is_an_error(kind: str) -> None:
    client = make(kind)
    method, url = _url(HD)
    with respx.mock() as mock:
        mock.route(method=method, url=url).respond(
            200, json=envelope(422, "Temporarily supports records within 14 days.")
        )
        with pytest.raises(UnprocessableError):
            client("get_1080p", "t1")


def test_get_4k_state_machine(kind: str) -> None:
    client = make(kind)
    method, url = _url(UHD)
    answers = [
        httpx.Response(200, json=envelope(data={"taskId": "k1", "resultUrls": None, "imageUrls": None})),
        httpx.Response(200, json=envelope(422, "4k is processing. It should be ready in 5-10 minutes.")),
        httpx.ReadTimeout("a lost progress poll is only a read"),
        httpx.Response(
            200, json=envelope(422, "The video has been generated successfully", {"resultUrls": "[https://c/4k.mp4]"})
        ),
    ]
    with respx.mock() as mock:
        route = mock.route(method=method, url=url).mock(side_effect=answers)
        assert client("get_4k", "t1") == ["https://c/4k.mp4"]
    assert route.call_count == 4


def test_get_4k_without_waiting_and_a_lost_first_reply(kind: str) -> None:
    client = make(kind)
    method, url = _url(UHD)
    with respx.mock() as mock:
        route = mock.route(method=method, url=url)
        route.respond(200, json=envelope(data={"taskId": "k1", "resultUrls": None}))
        assert client("get_4k", "t1", wait=False) == []
        route.mock(side_effect=httpx.ReadTimeout("lost"))
        with pytest.raises(OutcomeUnknownError) as info:
            client("get_4k", "t1")
    assert info.value.request_body == {"taskId": "t1"}
    assert route.call_count == 2  # the paid first call was not repeated
