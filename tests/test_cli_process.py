"""The ``veo3`` command as a real process: SIGKILL mid-wait then ``wait --resume``, stdout purity,
``veo3 mock``, and the demo flow."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import av
import httpx
import pytest
from typer.testing import CliRunner
from veo3.cli._app import app
from veo3.mock import MockConfig, MockServer

KEY = "sk-test-process-Kq93LmSecret"
VEO3 = (sys.executable, "-m", "veo3.cli")
DEADLINE = 60.0  # a bound for hangs only; never asserted as a speed
# Ctrl-C reaches a job that a terminal runs in the foreground, which starts with SIGINT at its default.
# A child of a process that ignores SIGINT inherits SIG_IGN instead (a background job of a
# non-interactive shell, e.g. `make test &` in a script, or a runner that ignores it), and then Python,
# like every program, rightly keeps ignoring it: the test then waited 60 s for nothing. So the Ctrl-C test
# starts the command as a terminal would, with SIGINT reset to its default before exec.
AS_FOREGROUND_JOB = (
    sys.executable,
    "-c",
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.executable, sys.argv[1:])",
    sys.executable,
)


def env_for(base_url: str, journal: Path) -> dict[str, str]:
    return dict(os.environ, KIE_API_KEY=KEY, VEO3_BASE_URL=base_url, VEO3_JOURNAL=str(journal))


def rows(journal: Path) -> list[dict[str, Any]]:
    with sqlite3.connect(journal) as db:
        db.row_factory = sqlite3.Row
        return [dict(r) for r in db.execute("SELECT * FROM tasks ORDER BY id")]


def has_task_id(journal: Path) -> bool:
    """Whether the journal holds a task id yet (the file may exist before its table does)."""
    try:
        return journal.exists() and any(r["task_id"] for r in rows(journal))
    except sqlite3.OperationalError:
        return False


def wait_for(condition: Any, what: str) -> None:
    limit = time.monotonic() + DEADLINE
    while not condition():
        if time.monotonic() > limit:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.02)


def test_sigkill_mid_wait_then_resume_finishes_the_task(tmp_path: Path) -> None:
    journal = tmp_path / "journal.sqlite3"
    # Generation takes a day (86 s of wall time) unless the test moves the simulator's clock.
    with MockServer(MockConfig(time_scale=0.001, generation_seconds=86_400)) as srv:
        env = env_for(srv.url, journal)
        proc = subprocess.Popen(
            [*VEO3, "generate", "a paid video", "--wait", "--poll-interval", "0.02", "--json"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            wait_for(lambda: has_task_id(journal), "the task id")
            wait_for(lambda: sum(r.operation == "get-veo3-1-video-details" for r in srv.state.requests) >= 2, "polls")
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.communicate(timeout=DEADLINE)
        assert proc.returncode == -signal.SIGKILL
        (row,) = rows(journal)
        task_id = row["task_id"]
        assert row["state"] == "running"
        assert task_id in srv.state.tasks

        srv.state.advance(86_400)  # the task finishes while nobody is watching
        # The resume runs in-process (Typer's runner): the journal file is all it shares with the dead one.
        done = CliRunner().invoke(app, ["wait", "--resume", "--poll-interval", "0.01", "--json"], env=env)
    assert done.exit_code == 0, done.stderr
    doc = json.loads(done.stdout)
    assert [(t["task_id"], t["status"]) for t in doc["tasks"]] == [(task_id, "SUCCESS")]
    (row,) = rows(journal)
    assert row["state"] == "success"
    assert KEY not in done.stdout + done.stderr


def test_ctrl_c_mid_wait_exits_130_and_keeps_the_task(tmp_path: Path) -> None:
    journal = tmp_path / "journal.sqlite3"
    with MockServer(MockConfig(time_scale=0.001, generation_seconds=86_400)) as srv:
        proc = subprocess.Popen(
            [*AS_FOREGROUND_JOB, *VEO3[1:], "generate", "a paid video", "--wait", "--poll-interval", "0.02"],
            env=env_for(srv.url, journal),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            wait_for(lambda: has_task_id(journal), "the task id")
            wait_for(lambda: any(r.operation == "get-veo3-1-video-details" for r in srv.state.requests), "a poll")
        finally:
            proc.send_signal(signal.SIGINT)
            _, stderr = proc.communicate(timeout=DEADLINE)
    assert proc.returncode == 130
    assert "veo3 wait --resume" in stderr
    (row,) = rows(journal)
    assert row["state"] == "running"


def test_the_cli_module_does_not_load_the_client() -> None:
    """``veo3 --help`` needs Typer only: the client, httpx and the simulator load when a command runs."""
    heavy = "('httpx', 'veo3.mock', 'veo3_api', 'veo3._client._sync')"
    probe = f"import sys; from veo3.cli import _app; print(sorted(m for m in {heavy} if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=DEADLINE, check=True)
    assert loaded.stdout.strip() == "[]"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_mock_command_serves_the_simulator() -> None:
    port = free_port()
    argv = [*VEO3, "mock", "--port", str(port), "--api-key", KEY]
    server = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:

        def up() -> bool:
            try:
                httpx.get(url + "/api/v1/chat/credit", timeout=1.0)
            except httpx.TransportError:
                return False
            return True

        wait_for(up, "veo3 mock to listen")
        answer = httpx.get(url + "/api/v1/chat/credit", headers={"Authorization": f"Bearer {KEY}"}).json()
        assert answer["code"] == 200
        assert answer["data"] > 0
    finally:
        server.terminate()
        server.communicate(timeout=DEADLINE)


def test_demo_flow_writes_playable_videos(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``make demo``'s flow, on a fast simulator: every step's command succeeds and the videos decode."""
    from veo3.cli._commands import demo as _demo

    monkeypatch.delenv("VEO3_LIVE", raising=False)
    environment = dict(os.environ)
    code = _demo.run_demo(app, tmp_path / "demo", MockConfig(time_scale=0.001, hd_seconds=0.0, seed=1))
    assert code == 0
    assert dict(os.environ) == environment  # the steps' configuration did not leak into this process
    videos = sorted((tmp_path / "demo").glob("*.mp4"))
    assert len(videos) == 4  # the first video, the final extended one, its 1080p version, image-to-video
    assert any(v.name.endswith("-1080p.mp4") for v in videos)
    assert (tmp_path / "demo" / "image-to-video.mp4") in videos
    for video in videos:
        with av.open(str(video)) as container:
            assert next(container.decode(container.streams.video[0])).width > 0
    kinds = [(r["kind"], r["state"]) for r in rows(tmp_path / "demo" / "journal.sqlite3")]
    assert kinds == [
        ("generate", "success"),
        ("extend", "success"),
        ("extend", "success"),
        ("1080p", "success"),
        ("generate", "success"),
    ]
    # The image-to-video task was given the simulator's URLs of the two uploaded frames.
    last = json.loads(rows(tmp_path / "demo" / "journal.sqlite3")[-1]["request"])
    assert [url.rsplit(".", 1)[-1] for url in last["image_urls"]] == ["png", "png"]
    assert last["generation_type"] == "FIRST_AND_LAST_FRAMES_2_VIDEO"


def test_live_demo_needs_a_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from veo3.cli._commands import demo as _demo

    monkeypatch.setenv("VEO3_LIVE", "1")
    monkeypatch.delenv("KIE_API_KEY", raising=False)
    assert _demo.run_demo(app, tmp_path / "demo") == 2
    assert list((tmp_path / "demo").glob("*")) == []
