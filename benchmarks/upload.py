"""Upload: peak memory of ``Veo3Client.upload_file`` (streamed multipart) for a large file vs a small one."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from benchmarks._child import run_child
from benchmarks._servers import serve
from benchmarks._stats import Budget, Row, Section, Stat, Target, ratios

FLAT_TARGET = Target("<=", 1.1)
_BLOCK = 1 << 20


def _write(path: Path, megabytes: int) -> None:
    """A file of ``megabytes`` MB written 1 MiB at a time (the parent never holds it either)."""
    block = os.urandom(_BLOCK)
    remaining = megabytes * 1_000_000
    with path.open("wb") as out:
        while remaining > 0:
            out.write(block[: min(_BLOCK, remaining)])
            remaining -= _BLOCK


def _upload(url: str, path: Path) -> tuple[float, float]:
    """One child upload: (MB/s, the child's peak RSS in MiB)."""
    run = run_child([sys.executable, "-m", "benchmarks._upload_child", url, str(path)])
    result = json.loads(run.stdout.splitlines()[0])
    size = path.stat().st_size
    # The sink counts the whole form: the file plus the multipart headers and the two text fields.
    if not size < result["bytes"] < size + 4096:
        raise RuntimeError(f"the sink received {result['bytes']} bytes for a file of {size}")
    return size / result["seconds"] / 1e6, run.max_rss_mib


def measure(budget: Budget) -> Section:
    """Child peak RSS per file size; the largest over the smallest is the flatness ratio."""
    small, large = budget.upload_sizes_mb
    section = Section(
        key="upload",
        title="Upload: peak memory of a streamed multipart upload",
        method=(
            "A child uvicorn process plays kie's upload host: it reads and drops the body, then answers the "
            "documented success envelope with the byte count (checked against the file). Each upload runs in a "
            "fresh child process (`Veo3Client.upload_file`, the sink as both base and upload URL) after a 1-byte "
            "warm-up upload; peak memory is that child's own high-water mark (`VmHWM`). Files are random bytes "
            f"written 1 MiB at a time; sizes {small} MB and {large} MB, {min(5, budget.repeats)} uploads each, "
            "interleaved."
        ),
    )
    scratch = Path("/dev/shm") if Path("/dev/shm").is_dir() and os.access("/dev/shm", os.W_OK) else None
    rss: dict[int, list[float]] = {small: [], large: []}
    speed: dict[int, list[float]] = {small: [], large: []}
    with serve("benchmarks._apps:upload_sink") as url, tempfile.TemporaryDirectory(dir=scratch) as tmp:
        files = {size: Path(tmp) / f"{size}mb.bin" for size in (small, large)}
        for size, path in files.items():
            _write(path, size)
        for _ in range(min(5, budget.repeats)):
            for size in (small, large):
                mbps, peak = _upload(url, files[size])
                speed[size].append(mbps)
                rss[size].append(peak)
    for size in (small, large):
        section.rows.append(Row(f"{size} MB: throughput", "MB/s", Stat.of(speed[size])))
        section.rows.append(Row(f"{size} MB: child peak RSS", "MiB", Stat.of(rss[size])))
    section.rows.append(
        Row(
            f"veo3 peak RSS, {large} MB upload",
            "MiB",
            Stat.of(rss[large]),
            f"{small} MB upload",
            Stat.of(rss[small]),
            ratios(rss[large], rss[small]),
            FLAT_TARGET,
        )
    )
    return section
