"""One polling schedule for every wait: ``wait()``, ``generate_and_wait`` and the batch share the learned one.

A task this client created is polled from the time its model's tasks are likely done (kie's typical
durations until the client has seen its own), every few seconds through the likely end; a task of unknown
age is asked at once, on the growing schedule. Times are fake (``FakeTime``): sleeps cost nothing.
"""

from __future__ import annotations

import random
import statistics
from typing import Any

import httpx
import pytest
import respx
from client_support import BASE, DETAILS, GENERATE, FakeTime, envelope, make, record
from client_support import kind as kind  # the sync/async fixture
from veo3 import AsyncVeo3Client, Veo3Client
from veo3._core._polling import TASK_SCHEDULE, TYPICAL_SECONDS, LearnedSchedule, duration_key
from veo3._spec import _document as _spec
from veo3._spec._prices import default_prices
from veo3.batch import BatchRunner

DEFAULT_MODEL = _spec.resolve("#/components/schemas/GenerateModel")["default"]
KEY = f"generate:{DEFAULT_MODEL}"


def _route(mock: respx.MockRouter, op_id: str) -> respx.Route:
    op = _spec.operation(op_id)
    return mock.route(method=op.method, url=BASE + op.path)


def _records(flags: list[int], took: float | None = None) -> list[httpx.Response]:
    """record-info answers; the finished one says the task took ``took`` seconds (kie's epoch ms)."""
    answers = []
    for flag in flags:
        extra: dict[str, Any] = {}
        if flag == 1:
            extra["response"] = {"resultUrls": ["https://cdn/t1.mp4"]}
            if took is not None:
                extra.update(createTime=1_700_000_000_000, completeTime=1_700_000_000_000 + int(took * 1000))
        answers.append(httpx.Response(200, json=record("t1", flag, **extra)))
    return answers


def _created() -> httpx.Response:
    return httpx.Response(200, json=envelope(data={"taskId": "t1"}))


def test_a_task_this_client_created_is_first_asked_when_its_model_is_likely_done(kind: str) -> None:
    time = FakeTime()
    client = make(kind, time)
    early, late = LearnedSchedule(typical=TYPICAL_SECONDS).window([], KEY) or (0.0, 0.0)
    assert KEY in TYPICAL_SECONDS and 0 < early < late
    with respx.mock() as mock:
        _route(mock, GENERATE).mock(return_value=_created())
        polls = _route(mock, DETAILS).mock(side_effect=_records([0, 0, 0, 1]))
        info = client("generate_and_wait", "a cat")
    assert info.is_success and polls.call_count == 4
    assert time.sleeps[0] == pytest.approx(early)  # nothing asked while the task cannot be done yet
    assert all(2.25 <= s <= 2.75 for s in time.sleeps[1:])  # then every step (2.5 s +-10 %)


def test_wait_serves_tasks_created_earlier_by_the_same_client(kind: str) -> None:
    time = FakeTime()
    client = make(kind, time)
    with respx.mock() as mock:
        _route(mock, GENERATE).mock(return_value=_created())
        _route(mock, DETAILS).mock(side_effect=_records([0, 1]))
        task = client("generate", "a cat")
        time.now += 30.0  # the caller did other things meanwhile: the task is 30 s old
        client("wait", task.task_id)
    early, _ = LearnedSchedule(typical=TYPICAL_SECONDS).window([], KEY) or (0.0, 0.0)
    assert time.sleeps[0] == pytest.approx(early - 30.0)


def test_a_task_of_unknown_age_is_asked_at_once_then_on_the_growing_schedule(kind: str) -> None:
    time = FakeTime()
    client = make(kind, time)
    with respx.mock() as mock:
        polls = _route(mock, DETAILS).mock(side_effect=_records([0, 0, 0, 1]))
        client("wait", "t1")
    assert polls.call_count == 4 and len(time.sleeps) == 3  # asked before any sleep
    grown = TASK_SCHEDULE.intervals(random.Random(0), None)
    for slept in time.sleeps:
        nominal = next(grown)
        assert nominal * 0.7 <= slept <= nominal * 1.3  # first 2 s, x1.5, jittered +-20 %


def test_the_client_learns_its_models_durations_and_polls_on_them(kind: str) -> None:
    time = FakeTime()
    client = make(kind, time)
    with respx.mock() as mock:
        _route(mock, GENERATE).mock(return_value=_created())
        _route(mock, DETAILS).mock(side_effect=_records([1] * 5, took=30.0))
        for _ in range(5):  # each asked first at the typical time: already done
            client("generate_and_wait", "a cat")
    assert client.client._core.durations.of(KEY) == [30.0] * 5
    time.sleeps.clear()
    with respx.mock() as mock:
        _route(mock, GENERATE).mock(return_value=_created())
        _route(mock, DETAILS).mock(side_effect=_records([0, 1], took=31.0))
        client("generate_and_wait", "a cat")
    assert time.sleeps[0] == pytest.approx(30.0)  # its own history now, not kie's typical ~74 s


def test_a_fixed_poll_interval_still_wins(kind: str) -> None:
    time = FakeTime()
    client = make(kind, time)
    with respx.mock() as mock:
        _route(mock, GENERATE).mock(return_value=_created())
        _route(mock, DETAILS).mock(side_effect=_records([0, 0, 1]))
        task = client("generate", "a cat")
        client("wait", task.task_id, poll_interval=7.0)
    assert len(time.sleeps) == 2 and all(5.6 <= s <= 8.4 for s in time.sleeps)


@pytest.mark.parametrize("cls", [Veo3Client, AsyncVeo3Client])
def test_only_kies_own_host_starts_from_kies_typical_durations(cls: Any) -> None:
    kie = cls(api_key="k", base_url="https://api.kie.ai")
    other = cls(api_key="k", base_url="http://127.0.0.1:8787")  # the simulator, perhaps on a scaled clock
    assert kie._core.schedule.typical == TYPICAL_SECONDS
    assert other._core.schedule.typical == {}
    assert other._core.schedule.window([], KEY) is None  # asks at once and learns what this server takes


def test_the_batch_polls_on_the_clients_schedule_unless_told_otherwise() -> None:
    client = AsyncVeo3Client(api_key="k", base_url="https://api.kie.ai")
    assert BatchRunner(client).schedule is client._core.schedule
    fixed = LearnedSchedule.fixed(3.0)
    assert BatchRunner(client, schedule=fixed).schedule is fixed


def test_the_duration_key_is_the_operation_and_the_model_that_prices_it() -> None:
    from veo3._spec._operations import EXTEND, GENERATE

    prices = default_prices()
    assert duration_key(GENERATE, {}, prices) == KEY
    assert duration_key(GENERATE, {"model": "veo3"}, prices) == "generate:veo3"
    assert duration_key(EXTEND, {"model": "quality"}, prices) == "extend:quality"


def test_typical_durations_give_a_window_around_their_median() -> None:
    for key, (median, _) in TYPICAL_SECONDS.items():
        window = LearnedSchedule(typical=TYPICAL_SECONDS).window([], key)
        assert window is not None
        early, late = window
        assert early < median < late and statistics.fmean(window) == pytest.approx(median, rel=0.25)
