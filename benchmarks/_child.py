"""Run a child process and read its wall time and peak resident memory (``ru_maxrss`` of that child)."""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ChildRun:
    """What one child process cost and printed."""

    wall: float
    #: The child's own peak RSS if it printed ``VmHWM <KiB>`` (see ``_peak.py``), else its ``ru_maxrss``.
    max_rss_mib: float
    stdout: str
    returncode: int


ROOT = Path(__file__).resolve().parents[1]
PEAK = str(Path(__file__).with_name("_peak.py"))


def child_env() -> dict[str, str]:
    """This environment with the repository root on PYTHONPATH (``python -m benchmarks.…`` from anywhere)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    return env


def run_child(argv: Sequence[str], *, env: dict[str, str] | None = None, timeout: float = 300.0) -> ChildRun:
    """Run ``argv`` to completion; ``wait4`` gives the peak RSS of exactly this child (not of all children)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(argv), stdout=out, stderr=err, env=env if env is not None else child_env())
        killer = threading.Timer(timeout, proc.kill)  # bounded: a hung child is killed, then reported
        killer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            killer.cancel()
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace")
        if proc.returncode != 0:
            raise RuntimeError(f"{argv!r} exited {proc.returncode}: {err.read().decode(errors='replace')[-2000:]}")
    # Prefer the child's own VmHWM (printed by benchmarks/_peak.py): ru_maxrss includes the parent's
    # high-water mark, inherited over fork and exec. Linux reports both in KiB.
    peak = usage.ru_maxrss
    for line in reversed(stdout.splitlines()):
        if line.startswith("VmHWM "):
            peak = int(line.split()[1])
            break
    return ChildRun(wall, peak / 1024, stdout, proc.returncode)
