"""Soak the graceful stop: interrupt ``veo3 batch`` N times per signal and phase, rerun it, count.

Not part of ``make test`` (it runs for minutes): ``make signal-soak`` or
``.venv/bin/python scripts/signal_soak.py --runs 20``. Each run is ``tests/signal_support.interrupted_batch``:
a batch against the simulator, SIGINT or SIGTERM during its creates (replies held), polls or downloads,
then the same command again. Prints one line per signal and phase: runs, the exit codes seen,
``outcome_unknown`` rows, tasks missing from the journal, duplicate tasks, and re-runs that did not finish
every job. Exit 1 if any run lost, duplicated or failed anything.
"""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from signal_support import JOBS, PHASES, interrupted_batch


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="runs per signal and phase (default 20)")
    parser.add_argument("--phase", choices=PHASES, action="append", help="only this phase (repeatable)")
    args = parser.parse_args()
    bad = 0
    print(f"{'signal':8} {'phase':10} {'runs':>4}  exit codes      unknown  untracked  duplicates  rerun-not-done")
    for signum in (signal.SIGINT, signal.SIGTERM):
        for phase in args.phase or PHASES:
            codes: Counter[int | None] = Counter()
            unknown = untracked = duplicates = unfinished = 0
            for _ in range(args.runs):
                with tempfile.TemporaryDirectory() as tmp:
                    outcome = interrupted_batch(Path(tmp), phase, signum)
                codes[outcome.exit_code] += 1
                unknown += outcome.outcome_unknown
                untracked += outcome.untracked
                duplicates += outcome.duplicates
                unfinished += outcome.rerun_exit_code != 0 or outcome.succeeded != JOBS
            wrong_codes = sum(n for code, n in codes.items() if code != 128 + signum)
            bad += unknown + untracked + duplicates + unfinished + wrong_codes
            shown = ",".join(f"{code}x{n}" for code, n in sorted(codes.items(), key=str))
            name = signal.Signals(signum).name
            print(
                f"{name:8} {phase:10} {args.runs:>4}  {shown:15} {unknown:>7}  {untracked:>9}  {duplicates:>10}  "
                f"{unfinished:>14}",
                flush=True,
            )
    print("OK: nothing lost, nothing created twice" if not bad else f"FAILED: {bad} problem(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
