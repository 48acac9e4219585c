"""SIGINT and SIGTERM sent to real ``veo3`` processes while paid work is in flight (issue 19).

The first signal loses nothing: during creates (the simulator holds every create's reply, the task
already made), polls or downloads, the batch exits 130/143 with no ``outcome_unknown`` row and every task
the simulator made in the journal, and the same command again finishes every job, each task created once.
A single ``generate --wait`` interrupted mid-create journals its task id; ``wait --resume`` finishes it.
The second signal stops at once and names the creates whose reply had not come.
``scripts/signal_soak.py`` runs the batch case many times and counts.
"""

from __future__ import annotations

import json
import signal
import socket
import subprocess
from pathlib import Path

import pytest
from signal_support import (
    GENERATE,
    JOBS,
    PHASES,
    StderrLines,
    created_on_server,
    finish,
    interrupted_batch,
    journal_rows,
    popen,
    write_jobs,
)
from test_cli_process import DEADLINE, VEO3, env_for, wait_for
from veo3.mock import Fault, MockConfig, MockServer
from veo3.mock._control import clear_faults, inject_fault

SIGNALS = pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])


@SIGNALS
@pytest.mark.parametrize("phase", PHASES)
def test_a_signal_mid_batch_loses_nothing_and_the_rerun_creates_each_task_once(
    tmp_path: Path, phase: str, signum: int
) -> None:
    outcome = interrupted_batch(tmp_path, phase, signum)
    assert outcome.exit_code == 128 + signum, outcome.stderr
    assert outcome.outcome_unknown == 0, outcome.stderr
    assert outcome.untracked == 0, "a task the simulator created is missing from the journal"
    name = signal.Signals(signum).name
    assert f"stopped by {name}" in outcome.stderr
    assert "veo3 batch " in outcome.stderr.split(f"stopped by {name}")[1]  # the command that carries on
    assert outcome.rerun_exit_code == 0, outcome.rerun_stderr
    assert outcome.succeeded == JOBS
    assert outcome.created == JOBS  # nothing created twice


@SIGNALS
def test_a_signal_mid_create_of_generate_journals_the_task_and_wait_resume_finishes_it(
    tmp_path: Path, signum: int
) -> None:
    journal = tmp_path / "journal.sqlite3"
    config = MockConfig(time_scale=0.001, generation_seconds=86_400, seed=3)
    with MockServer(config) as srv:
        env = env_for(srv.url, journal)
        inject_fault(srv.state, Fault("latency", probability=1.0, delay=1.5), GENERATE)
        proc = popen([*VEO3, "generate", "a paid video", "--wait", "--poll-interval", "0.02"], env, signum)
        try:
            wait_for(lambda: len(created_on_server(srv)) == 1, "the task created, its reply held")
        except BaseException:
            proc.kill()
            proc.communicate(timeout=DEADLINE)
            raise
        proc.send_signal(signum)
        _, stderr = proc.communicate(timeout=DEADLINE)
        assert proc.returncode == 128 + signum, stderr
        [row] = journal_rows(journal)
        assert (row["task_id"], row["state"]) == (created_on_server(srv)[0], "running"), stderr
        assert "veo3 wait --resume" in stderr
        clear_faults(srv.state)
        resume = subprocess.Popen(
            [*VEO3, "wait", "--resume", "--poll-interval", "0.02"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        _, resume_stderr = finish(resume, srv)
        assert resume.returncode == 0, resume_stderr
        assert len(created_on_server(srv)) == 1
    assert [r["state"] for r in journal_rows(journal)] == ["success"]


def test_the_second_signal_stops_at_once_naming_the_creates_whose_reply_had_not_come(tmp_path: Path) -> None:
    jobs, journal = tmp_path / "jobs.jsonl", tmp_path / "journal.sqlite3"
    write_jobs(jobs)
    with MockServer(MockConfig(time_scale=0.001, generation_seconds=86_400, seed=5)) as srv:
        # Replies held far longer than the test runs: only the second signal can end the process.
        inject_fault(srv.state, Fault("latency", probability=1.0, delay=DEADLINE * 2), GENERATE)
        command = [*VEO3, "batch", str(jobs), "--out", str(tmp_path / "out"), "--rate-limit", "none"]
        proc = popen(command, env_for(srv.url, journal), signal.SIGTERM)
        lines = StderrLines(proc)
        try:
            wait_for(lambda: len(created_on_server(srv)) == JOBS, "every create sent, its reply held")
            proc.send_signal(signal.SIGTERM)
            wait_for(lambda: "SIGTERM: stopping" in lines.text, "the first signal's note")
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=DEADLINE)
        finally:
            if proc.poll() is None:
                proc.kill()
            lines.thread.join(DEADLINE)
        clear_faults(srv.state)
    assert proc.returncode == 143
    assert "second SIGTERM: stopped at once" in lines.text
    assert "a paid task may exist" in lines.text
    sending = [r for r in journal_rows(journal) if r["state"] == "submitting"]
    assert len(sending) == JOBS  # never resent: a re-run reports them outcome_unknown
    for n in range(JOBS):
        assert f"job job-{n} step 0 (generate)" in lines.text


def _port_open(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_with_callbacks_a_create_sigkilled_before_its_reply_resolves_from_its_callback(tmp_path: Path) -> None:
    jobs, out, journal = tmp_path / "jobs.jsonl", tmp_path / "out", tmp_path / "journal.sqlite3"
    write_jobs(jobs)
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    callback = f"http://127.0.0.1:{port}/kie"
    command = [*VEO3, "batch", str(jobs), "--out", str(out), "--rate-limit", "none", "--callback-url", callback]
    with MockServer(MockConfig(time_scale=0.001, generation_seconds=86_400, seed=8)) as srv:
        env = env_for(srv.url, journal)
        # Every create is made, and its reply held until after the process is gone: SIGKILL loses them all.
        inject_fault(srv.state, Fault("latency", probability=1.0, delay=DEADLINE * 2), GENERATE)
        first = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            wait_for(lambda: len(created_on_server(srv)) == JOBS, "every create made, its reply held")
        finally:
            first.kill()
            _, first_stderr = first.communicate(timeout=DEADLINE)
        rows = journal_rows(journal)
        assert [(r["state"], r["task_id"]) for r in rows] == [("submitting", None)] * JOBS
        assert all(r["callback_ref"] for r in rows)
        tokens = [str(r.body["callBackUrl"]).split("veo3_ref=")[1] for r in srv.state.requests_for(GENERATE)]
        assert len(set(tokens)) == JOBS  # one unguessable token per create
        stored = journal.read_bytes() + first_stderr.encode()
        assert not [t for t in tokens if t.encode() in stored]  # never kept or printed in clear
        clear_faults(srv.state)

        second = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            wait_for(lambda: _port_open(port), "the re-run's callback receiver")
        except BaseException:
            second.kill()
            raise
        _, stderr = finish(second, srv)  # the tasks end; the simulator posts their callbacks
        assert second.returncode == 0, stderr
        made = sorted(created_on_server(srv))
        assert len(made) == JOBS  # nothing resent
        assert sorted(r["task_id"] for r in journal_rows(journal)) == made
        assert {r["state"] for r in journal_rows(journal)} == {"success"}
        lines = [json.loads(x) for x in (out / "manifest.jsonl").read_text().splitlines()]
        assert sorted(x["status"] for x in lines) == ["success"] * JOBS
        assert all(Path(x["files"][0]).stat().st_size > 0 for x in lines)
