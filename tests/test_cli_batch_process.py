"""``veo3 batch`` as a real process against the simulator: the issue's "done when" scenario.

30 jobs (six with two extensions, one the simulator fails), SIGKILL half-way, the same command again:
a manifest of 30 lines naming the failure, and the simulator created exactly jobs + extensions tasks.
A file with one malformed line exits 2 naming it, with zero requests sent.
"""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

from signal_support import journal_rows
from test_cli_process import DEADLINE, KEY, VEO3, env_for, wait_for
from veo3.mock import MockConfig, MockServer

DAY = 86_400  # tasks take a (scaled) day unless the test moves the simulator's clock
JOBS = 30
FAILING = 7  # the line whose prompt the simulator fails
# Pace creates like the simulator's limit (20 per 10 kie seconds, x0.001), so none earns a 429.
ARGS = ("--concurrency", "30", "--rate-limit", "20/0.02", "--poll-interval", "0.02", "--json")


def write_jobs(path: Path) -> int:
    """The jobs file; returns the number of extensions in it."""
    extensions = 0
    with path.open("w") as handle:
        for line in range(1, JOBS + 1):
            job: dict[str, Any] = {"id": f"scene-{line}", "prompt": f"scene {line}"}
            if line == FAILING:
                job["prompt"] += " [fail:500]"
            elif line % 5 == 0:
                job["extend"] = [f"scene {line}, later", f"scene {line}, the end"]
                extensions += 2
            handle.write(json.dumps(job) + "\n")
    return extensions


def step_rows(journal: Path) -> list[dict[str, Any]]:
    return [row for row in journal_rows(journal) if row["batch_id"] is not None]


def manifest(out: Path) -> list[dict[str, Any]]:
    path = out / "manifest.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def created(srv: MockServer) -> int:
    return sum(task.kind in ("generate", "extend") for task in srv.state.tasks.values())


def running(srv: MockServer) -> bool:
    now = srv.state.now()
    return any(task.status(now) == 0 for task in list(srv.state.tasks.values()))


def test_sigkill_half_way_then_the_same_command_finishes_every_job_once(tmp_path: Path) -> None:
    jobs, out, journal = tmp_path / "jobs.jsonl", tmp_path / "out", tmp_path / "journal.sqlite3"
    extensions = write_jobs(jobs)
    command = [*VEO3, "batch", str(jobs), "--out", str(out), *ARGS]
    config = MockConfig(time_scale=0.001, generation_seconds=DAY, extension_seconds=DAY, seed=14)
    with MockServer(config) as srv:
        env = env_for(srv.url, journal)
        first = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            wait_for(lambda: sum(bool(r["task_id"]) for r in step_rows(journal)) == JOBS, "every generation created")
            srv.state.advance(DAY)  # the generations end; the extending jobs start their first extension
            wait_for(lambda: len(manifest(out)) == JOBS - extensions // 2, "the jobs without extensions to end")
            wait_for(
                lambda: sum(r["step"] == 1 and bool(r["task_id"]) for r in step_rows(journal)) == extensions // 2,
                "the first extensions created",
            )
        finally:
            first.send_signal(signal.SIGKILL)
            first.communicate(timeout=DEADLINE)
        assert first.returncode == -signal.SIGKILL
        assert created(srv) == JOBS + extensions // 2
        assert not [r for r in step_rows(journal) if r["state"] == "submitting"]

        second = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        limit = time.monotonic() + DEADLINE
        while second.poll() is None and time.monotonic() < limit:
            if running(srv):  # each extension ends once the clock moves on (records expire after 14 days)
                srv.state.advance(DAY)
            time.sleep(0.05)
        stdout, stderr = second.communicate(timeout=DEADLINE)

    assert second.returncode == 4, stderr  # one job failed
    lines = manifest(out)
    assert sorted(line["id"] for line in lines) == sorted(f"scene-{n}" for n in range(1, JOBS + 1))
    failed = [line for line in lines if line["status"] != "success"]
    assert [(f["id"], f["status"]) for f in failed] == [(f"scene-{FAILING}", "failed")], [f["error"] for f in failed]
    assert "500" in failed[0]["error"]
    assert created(srv) == JOBS + extensions  # nothing created twice
    for line in lines:
        if line["status"] == "success":
            expected = 1 + len(line["input"].get("extend", []))
            assert len(line["task_ids"]) == expected
            assert [Path(f).name for f in line["files"]] == [f"{line['id']}.mp4"]
            assert Path(line["files"][0]).stat().st_size > 0
    # --json: stdout holds the manifest lines only, one per job (the re-run reports the skipped jobs too).
    printed = [json.loads(text) for text in stdout.splitlines()]
    assert sorted(p["id"] for p in printed) == sorted(line["id"] for line in lines)
    assert KEY not in stdout + stderr


def test_a_malformed_line_exits_2_naming_it_and_sends_nothing(tmp_path: Path) -> None:
    jobs = tmp_path / "jobs.jsonl"
    jobs.write_text('{"prompt": "fine"}\n{"prompt": "also fine", "seeds": 1}\n{"prompt": "ok"}\n{"prompt": \n')
    with MockServer(MockConfig(time_scale=0.001)) as srv:
        done = subprocess.run(
            [*VEO3, "batch", str(jobs), "--out", str(tmp_path / "out")],
            env=env_for(srv.url, tmp_path / "journal.sqlite3"),
            capture_output=True,
            text=True,
            timeout=DEADLINE,
        )
        assert list(srv.state.requests) == []
    assert done.returncode == 2
    assert "line 2: invalid seeds" in done.stderr
    assert "line 4: not a JSON object" in done.stderr
    assert "2 invalid line(s)" in done.stderr
    assert not (tmp_path / "out").exists()
