"""A call interrupted while its paid create is in flight never drops the task id (issue 19).

Against the simulator, with every create's reply held (the task exists before the reply leaves):
cancelling the task, an ``asyncio.timeout``, a task group closing, or ``KeyboardInterrupt`` in the sync
client waits for the reply, hands the task to ``on_task_created``, and notes its id on the exception;
nothing is sent after the interruption. A reply that is lost says a paid task may exist.
"""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest
from signal_support import StderrLines
from veo3 import AsyncVeo3Client, Task
from veo3.mock import Fault, MockConfig, MockServer
from veo3.mock._control import inject_fault

GENERATE = "generate-veo3-1-video"
HELD = 1.0  # wall seconds the simulator holds each create's reply
DEADLINE = 30.0


@pytest.fixture
def srv() -> Iterator[MockServer]:
    with MockServer(MockConfig(time_scale=0.001, generation_seconds=86_400, seed=11)) as server:
        yield server


def hold_creates(srv: MockServer, kind: str = "latency") -> None:
    inject_fault(srv.state, Fault(kind, probability=1.0, delay=HELD), GENERATE)


def created(srv: MockServer) -> list[str]:
    return [t.task_id for t in list(srv.state.tasks.values()) if t.kind == "generate"]


async def until_created(srv: MockServer, count: int = 1) -> None:
    limit = time.monotonic() + DEADLINE
    while len(created(srv)) < count:
        assert time.monotonic() < limit, "the simulator never created the task"
        await asyncio.sleep(0.005)


def async_client(srv: MockServer, hook: list[Task]) -> AsyncVeo3Client:
    return AsyncVeo3Client(api_key="k-cancel-test", base_url=srv.url, rate_limit=None, on_task_created=hook.append)


def test_cancelling_the_task_waits_for_the_create_reply_and_hands_over_its_id(srv: MockServer) -> None:
    hook: list[Task] = []

    async def main() -> BaseException:
        async with async_client(srv, hook) as client:
            call = asyncio.create_task(client.generate("a paid video"))
            await until_created(srv)
            call.cancel()
            with pytest.raises(asyncio.CancelledError) as caught:
                await call
            return caught.value

    hold_creates(srv)
    error = asyncio.run(main())
    [task_id] = created(srv)
    assert [t.task_id for t in hook] == [task_id]
    assert any(task_id in note for note in call_notes(error))
    assert len(srv.state.requests_for(GENERATE)) == 1


def call_notes(error: BaseException | None) -> list[str]:
    """The notes on ``error`` and on the exceptions it was raised from (awaiting a cancelled task raises a
    new ``CancelledError`` whose context is the one the call raised)."""
    notes: list[str] = []
    while error is not None:
        notes += getattr(error, "__notes__", [])
        error = error.__context__
    return notes


def test_a_timeout_around_generate_and_wait_still_names_the_task(srv: MockServer) -> None:
    hook: list[Task] = []

    async def main() -> BaseException:
        async with async_client(srv, hook) as client:
            with pytest.raises(TimeoutError) as caught:
                async with asyncio.timeout(HELD / 4):  # fires while the create's reply is held
                    await client.generate_and_wait("a paid video", timeout=60)
            return caught.value

    hold_creates(srv)
    error = asyncio.run(main())
    [task_id] = created(srv)
    assert [t.task_id for t in hook] == [task_id]
    assert isinstance(error.__context__, asyncio.CancelledError)
    assert any(task_id in note and "client.wait" in note for note in call_notes(error))
    assert srv.state.requests_for("get-veo3-1-video-details") == []  # nothing sent after the interruption


def test_a_task_group_closing_hands_over_every_task_its_creates_made(srv: MockServer) -> None:
    hook: list[Task] = []

    async def main() -> None:
        async with async_client(srv, hook) as client:

            async def fail_once_all_are_sent() -> None:
                await until_created(srv, 3)
                raise RuntimeError("another part of the app failed")

            with pytest.raises(ExceptionGroup):
                async with asyncio.TaskGroup() as group:
                    for n in range(3):
                        group.create_task(client.generate(f"video {n}"))
                    group.create_task(fail_once_all_are_sent())

    hold_creates(srv)
    asyncio.run(main())
    assert sorted(t.task_id for t in hook) == sorted(created(srv))
    assert len(created(srv)) == 3


def test_a_lost_reply_on_a_cancelled_call_says_a_paid_task_may_exist(srv: MockServer) -> None:
    hook: list[Task] = []
    # The task is made, and its reply held past the client's request timeout: it never arrives.
    inject_fault(srv.state, Fault("latency", probability=1.0, delay=HELD * 4), GENERATE)

    async def main() -> BaseException:
        async with AsyncVeo3Client(api_key="k", base_url=srv.url, rate_limit=None, timeout=HELD) as client:
            client.on_task_created = hook.append
            call = asyncio.create_task(client.generate("a paid video"))
            await until_created(srv)
            call.cancel()
            with pytest.raises(BaseException) as caught:
                await call
            return caught.value

    error = asyncio.run(main())
    assert hook == []
    assert len(created(srv)) == 1
    assert isinstance(error, asyncio.CancelledError)
    assert any("a paid task may exist" in note and "OutcomeUnknownError" in note for note in call_notes(error))


# The sync cases run in a child interpreter that gets a real SIGINT, as Ctrl-C sends it. In this process a
# KeyboardInterrupt can land inside another library's gc callback (hypothesis installs one) and be
# swallowed there, which would make the test, not the client, flaky.
_CHILD = """
import logging, sys
from veo3 import Veo3Client
logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="LOG %(message)s")
hook = []
client = Veo3Client(api_key="k", base_url=sys.argv[1], rate_limit=None, on_task_created=hook.append)
try:
    client.generate_and_wait("a paid video", timeout=60)
except KeyboardInterrupt as exc:
    print("HOOK", *[t.task_id for t in hook], flush=True)
    print("NOTES", *getattr(exc, "__notes__", []), sep="\\n", flush=True)
"""


def _child(srv: MockServer) -> subprocess.Popen[str]:
    command = [
        sys.executable,
        "-c",
        "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.executable, sys.argv[1:])",
        sys.executable,
        "-c",
        _CHILD,
        srv.url,
    ]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _until(condition: Any, what: str) -> None:
    limit = time.monotonic() + DEADLINE
    while not condition():
        assert time.monotonic() < limit, f"gave up waiting for {what}"
        time.sleep(0.005)


def test_keyboard_interrupt_in_the_sync_client_waits_for_the_reply(srv: MockServer) -> None:
    hold_creates(srv)
    proc = _child(srv)
    try:
        _until(lambda: created(srv), "the task created, its reply held")
        proc.send_signal(signal.SIGINT)
        stdout, _ = proc.communicate(timeout=DEADLINE)
    finally:
        if proc.poll() is None:
            proc.kill()
    [task_id] = created(srv)
    assert f"HOOK {task_id}" in stdout
    assert any(task_id in line and "client.wait" in line for line in stdout.splitlines())
    assert srv.state.requests_for("get-veo3-1-video-details") == []  # nothing sent after the interruption


def test_a_second_keyboard_interrupt_stops_the_wait_and_says_a_task_may_exist(srv: MockServer) -> None:
    inject_fault(srv.state, Fault("latency", probability=1.0, delay=DEADLINE * 2), GENERATE)
    proc = _child(srv)
    err = StderrLines(proc)
    try:
        _until(lambda: created(srv), "the task created, its reply held")
        proc.send_signal(signal.SIGINT)
        _until(lambda: "waiting for its reply" in err.text, "the first interrupt taken")
        proc.send_signal(signal.SIGINT)
        stdout, _ = proc.communicate(timeout=DEADLINE)  # well before the held reply
    finally:
        if proc.poll() is None:
            proc.kill()
        err.thread.join(DEADLINE)
    assert "HOOK\n" in stdout  # no task id came
    assert "a paid task may exist" in stdout
