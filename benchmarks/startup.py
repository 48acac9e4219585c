"""Start-up cost: ``python -c "import veo3"`` and ``veo3 --help`` against ``python -c "import httpx"``."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from benchmarks._child import run_child
from benchmarks._stats import Budget, Row, Section, Stat, Target, ratios

IMPORT_TARGET = Target("<=", 1.3)


def _cli_path() -> str | None:
    """The ``veo3`` console script next to this interpreter (the one ``uv run`` installed), if any."""
    beside = Path(sys.executable).with_name("veo3")
    return str(beside) if beside.exists() else shutil.which("veo3")


def _cli_works(cli: str) -> bool:
    try:
        run_child([cli, "--help"], timeout=60)
    except RuntimeError:
        return False
    return True


def measure(budget: Budget) -> Section:
    """Wall time and peak RSS of fresh interpreters importing veo3 / httpx, and of ``veo3 --help``."""
    section = Section(
        key="startup",
        title="Start-up: import time, import memory, CLI",
        method=(
            f"Each command runs {budget.startup_runs} times as a fresh child process, the commands interleaved; "
            "wall time from spawn to exit (`time.perf_counter`), peak memory = `ru_maxrss` of that child "
            "(`os.wait4`). Baseline: `python -c 'import httpx'` in the same run. `python -c pass` is shown "
            "for reference (the interpreter alone)."
        ),
    )
    py = sys.executable
    commands: dict[str, list[str]] = {
        "pass": [py, "-c", "pass"],
        "httpx": [py, "-c", "import httpx"],
        "veo3": [py, "-c", "import veo3"],
    }
    cli = _cli_path()
    if cli and _cli_works(cli):
        commands["cli"] = [cli, "--help"]
    else:
        section.notes.append(
            "`veo3 --help` was not measured: the `veo3` command did not exist or failed when this ran."
        )
    for argv in commands.values():  # warm the page cache and .pyc files
        run_child(argv)
    wall: dict[str, list[float]] = {k: [] for k in commands}
    rss: dict[str, list[float]] = {k: [] for k in commands}
    for i in range(budget.startup_runs):
        keys = list(commands) if i % 2 == 0 else list(reversed(commands))
        for key in keys:
            run = run_child(commands[key])
            wall[key].append(run.wall * 1000)
            rss[key].append(run.max_rss_mib)
    base_label = "`python -c 'import httpx'`"
    section.rows.append(
        Row(
            "`python -c pass` (reference)",
            "ms",
            Stat.of(wall["pass"]),
            base_label,
            Stat.of(wall["httpx"]),
            ratios(wall["pass"], wall["httpx"]),
        )
    )
    section.rows.append(
        Row(
            "`python -c 'import veo3'` wall time",
            "ms",
            Stat.of(wall["veo3"]),
            base_label,
            Stat.of(wall["httpx"]),
            ratios(wall["veo3"], wall["httpx"]),
            IMPORT_TARGET,
        )
    )
    section.rows.append(
        Row(
            "`python -c 'import veo3'` peak RSS",
            "MiB",
            Stat.of(rss["veo3"]),
            base_label,
            Stat.of(rss["httpx"]),
            ratios(rss["veo3"], rss["httpx"]),
        )
    )
    if "cli" in commands:
        section.rows.append(
            Row(
                "`veo3 --help` wall time",
                "ms",
                Stat.of(wall["cli"]),
                base_label,
                Stat.of(wall["httpx"]),
                ratios(wall["cli"], wall["httpx"]),
            )
        )
        section.rows.append(
            Row(
                "`veo3 --help` peak RSS",
                "MiB",
                Stat.of(rss["cli"]),
                base_label,
                Stat.of(rss["httpx"]),
                ratios(rss["cli"], rss["httpx"]),
            )
        )
    pure = [v - p for v, p in zip(wall["veo3"], wall["pass"], strict=True)]
    pure_httpx = [h - p for h, p in zip(wall["httpx"], wall["pass"], strict=True)]
    section.rows.append(
        Row(
            "`import veo3` minus interpreter start",
            "ms",
            Stat.of(pure),
            "`import httpx` minus interpreter start",
            Stat.of(pure_httpx),
            ratios(pure, pure_httpx),
        )
    )
    return section
