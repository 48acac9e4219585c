"""Run every benchmark and write ``BENCHMARKS.md``: ``python -m benchmarks.run [--quick] [--only a,b]``."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from benchmarks import (
    _machine,
    batch,
    download,
    fanout,
    gallery,
    inprocess,
    loopback,
    polling,
    ratelimit,
    report,
    simulator,
    startup,
    upload,
)
from benchmarks._stats import Budget, Section

#: Every benchmark, in report order: key → measure(budget) -> Section.
BENCHMARKS: dict[str, Callable[[Budget], Section]] = {
    "inprocess": inprocess.measure,
    "loopback": loopback.measure,
    "startup": startup.measure,
    "fanout": fanout.measure,
    "ratelimit": ratelimit.measure,
    "download": download.measure,
    "upload": upload.measure,
    "polling": polling.measure,
    "simulator": simulator.measure,
    "batch": batch.measure,
    "gallery": gallery.measure,
}


def main(argv: list[str] | None = None) -> int:
    """Run the selected benchmarks; write the report; exit 1 if any benchmark crashed."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny budget: prove the benchmarks run, not timings")
    parser.add_argument("--only", default="", help="comma-separated keys: " + ",".join(BENCHMARKS))
    parser.add_argument("--output", default="BENCHMARKS.md", help="where to write the report ('-' for stdout)")
    args = parser.parse_args(argv)
    keys = [k for k in args.only.split(",") if k] or list(BENCHMARKS)
    unknown = set(keys) - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmarks: {sorted(unknown)}")
    budget = Budget.quick() if args.quick else Budget.full()
    started = dt.datetime.now(dt.UTC)
    t0 = time.perf_counter()
    sections: list[Section] = []
    failed = False
    for key in keys:
        print(f"[bench] {key} ...", file=sys.stderr, flush=True)
        t = time.perf_counter()
        try:
            sections.append(BENCHMARKS[key](budget))
        except Exception as exc:  # a crashed benchmark is reported, and fails the run
            failed = True
            traceback.print_exc()
            section = Section(key, key, "This benchmark crashed.")
            section.notes.append(f"Crashed: `{type(exc).__name__}: {exc}`")
            sections.append(section)
        print(f"[bench] {key} done in {time.perf_counter() - t:.1f} s", file=sys.stderr, flush=True)
    command = (
        report.REPRODUCE
        if not (args.quick or args.only)
        else "uv run --frozen python -m benchmarks.run "
        + " ".join((["--quick"] if args.quick else []) + ([f"--only {args.only}"] if args.only else []))
    )
    text = report.render(
        sections, _machine.describe(), started.strftime("%Y-%m-%d %H:%M UTC"), time.perf_counter() - t0, command
    )
    if args.output == "-":
        sys.stdout.write(text)
    else:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"[bench] wrote {args.output}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
