"""One interrupted ``veo3 batch`` run against the simulator, then the same command again: shared by
``test_cli_signals_process.py`` and ``scripts/signal_soak.py`` (which runs it many times and counts).

Every wait is for a state (a request the simulator recorded, a journal row, a file), never a sleep.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from test_cli_process import AS_FOREGROUND_JOB, DEADLINE, VEO3, env_for, wait_for
from veo3.mock import Fault, MockConfig, MockServer
from veo3.mock._control import clear_faults, inject_fault

DAY = 86_400  # tasks take a (scaled) day unless the test moves the simulator's clock
JOBS = 8
GENERATE = "generate-veo3-1-video"
#: Wall seconds the simulator holds a create's reply (the task already exists): the signal lands in it.
HELD_REPLY = 1.5
ARGS = ("--concurrency", str(JOBS), "--rate-limit", "none", "--poll-interval", "0.02", "--json")
PHASES = ("creates", "polls", "downloads")


class StderrLines:
    """A process's stderr, read as it comes (to wait for a line, not for a time)."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.text = ""
        assert proc.stderr is not None
        stream = proc.stderr
        self.thread = threading.Thread(target=lambda: self._read(stream), daemon=True)
        self.thread.start()

    def _read(self, stream: Any) -> None:
        for line in stream:
            self.text += line


def journal_rows(journal: Path) -> list[dict[str, Any]]:
    try:
        with sqlite3.connect(journal) as db:
            db.row_factory = sqlite3.Row
            return [dict(r) for r in db.execute("SELECT * FROM tasks ORDER BY id")]
    except sqlite3.OperationalError:  # not created yet
        return []


def created_on_server(srv: MockServer) -> list[str]:
    return [t.task_id for t in list(srv.state.tasks.values()) if t.kind in ("generate", "extend")]


def creates_received(srv: MockServer) -> int:
    return sum(r.operation == GENERATE for r in list(srv.state.requests))


def write_jobs(path: Path) -> None:
    path.write_text("".join(json.dumps({"id": f"job-{n}", "prompt": f"scene {n}"}) + "\n" for n in range(JOBS)))


def popen(command: list[str], env: dict[str, str], signum: int) -> subprocess.Popen[str]:
    # SIGINT: started as a terminal starts a foreground job (see AS_FOREGROUND_JOB).
    if signum == signal.SIGINT:
        command = [*AS_FOREGROUND_JOB, *command[1:]]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(proc: subprocess.Popen[str], srv: MockServer) -> tuple[str, str]:
    """Let ``proc`` run to its end, moving the simulator's clock past every running task."""
    limit = time.monotonic() + DEADLINE
    while proc.poll() is None and time.monotonic() < limit:
        now = srv.state.now()
        if any(task.status(now) == 0 for task in list(srv.state.tasks.values())):
            srv.state.advance(DAY)
        time.sleep(0.02)
    return proc.communicate(timeout=DEADLINE)


@dataclass
class Outcome:
    """What one interrupted run and its re-run did."""

    phase: str
    signum: int
    exit_code: int | None
    outcome_unknown: int
    untracked: int  # tasks the simulator created whose id the journal lacks
    rerun_exit_code: int | None
    created: int  # tasks the simulator created in all (JOBS when none was created twice)
    succeeded: int
    stderr: str
    rerun_stderr: str

    @property
    def duplicates(self) -> int:
        return self.created - JOBS


def interrupted_batch(tmp: Path, phase: str, signum: int) -> Outcome:
    """Run a batch, send ``signum`` during ``phase``, then run the same command again to its end."""
    jobs, out, journal = tmp / "jobs.jsonl", tmp / "out", tmp / "journal.sqlite3"
    write_jobs(jobs)
    command = [*VEO3, "batch", str(jobs), "--out", str(out), *ARGS]
    config = MockConfig(time_scale=0.001, generation_seconds=DAY, seed=19)
    with MockServer(config) as srv:
        env = env_for(srv.url, journal)
        if phase == "creates":  # every create's reply is held: the signal comes while they are in flight
            inject_fault(srv.state, Fault("latency", probability=1.0, delay=HELD_REPLY), GENERATE)
        first = popen(command, env, signum)
        try:
            if phase == "creates":
                wait_for(lambda: len(created_on_server(srv)) >= 1, "a task created, its reply held")
            else:
                wait_for(lambda: sum(bool(r["task_id"]) for r in journal_rows(journal)) == JOBS, "every task created")
                if phase == "polls":
                    wait_for(lambda: len(srv.state.requests_for("get-veo3-1-video-details")) >= JOBS, "polls")
                else:
                    srv.state.advance(DAY)  # the tasks succeed: the downloads begin
                    wait_for(lambda: out.exists() and any(out.glob("*.mp4")), "a download to end")
        except BaseException:
            first.kill()
            first.communicate(timeout=DEADLINE)
            raise
        first.send_signal(signum)
        _, stderr = first.communicate(timeout=DEADLINE)
        rows = journal_rows(journal)
        known = {r["task_id"] for r in rows if r["task_id"]}
        untracked = len(set(created_on_server(srv)) - known)
        unknown = sum(r["state"] == "outcome_unknown" for r in rows)
        clear_faults(srv.state)
        second = popen(command, env, signal.SIGTERM)
        _, rerun_stderr = finish(second, srv)
        lines = [json.loads(x) for x in (out / "manifest.jsonl").read_text().splitlines()]
        return Outcome(
            phase=phase,
            signum=signum,
            exit_code=first.returncode,
            outcome_unknown=unknown,
            untracked=untracked,
            rerun_exit_code=second.returncode,
            created=len(created_on_server(srv)),
            succeeded=len({line["id"] for line in lines if line["status"] == "success"}),
            stderr=stderr,
            rerun_stderr=rerun_stderr,
        )
