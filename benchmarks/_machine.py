"""A description of the machine and software a benchmark run used."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path


def _cpu_model() -> str:
    """The CPU model name from /proc/cpuinfo (or what ``platform`` knows elsewhere)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def _git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip()


def describe() -> dict[str, str]:
    """Name → value pairs for the report's machine table."""
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return {
        "CPU": _cpu_model(),
        "Cores (usable)": str(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()),
        "Memory": mem or "unknown",
        "OS": f"{platform.system()} {platform.release()} ({platform.machine()})",
        "Python": f"{platform.python_implementation()} {platform.python_version()} ({sys.executable})",
        "veo3": _version("veo3"),
        "httpx": _version("httpx"),
        "starlette": _version("starlette"),
        "uvicorn": _version("uvicorn"),
        "h11 / httptools / uvloop": " / ".join(_version(d) for d in ("h11", "httptools", "uvloop")),
        "git commit": _git_commit(),
    }
