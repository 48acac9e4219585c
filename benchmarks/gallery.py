"""The batch gallery: what one poster frame and one rewrite of ``index.html`` cost while a batch runs.

``veo3 batch`` rewrites the page at most every 2 s as jobs end, making the posters still missing; so the
figures that matter are a rewrite of a large batch's page (target: at most 10 % of that interval) and a
poster against the bare decode of the same frame (the JPEG encoding and the file write on top).
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from pathlib import Path

from benchmarks._stats import Budget, Row, Section, Stat, Target

JOBS = 500
PROMPT = "A lighthouse on a cliff at dawn, slow aerial orbit, seagulls, waves, golden light <b>&</b> " * 2


def _folder(root: Path, jobs: int) -> Path:
    from veo3.mock._media import ASSETS

    out = root / "out"
    out.mkdir()
    lines = []
    for n in range(1, jobs + 1):
        ok = n % 10 != 0
        if ok:
            shutil.copyfile(ASSETS / "sample.mp4", out / f"job-{n}.mp4")
        lines.append({
            "id": f"job-{n}", "line": n, "input": {"prompt": f"{PROMPT} {n}", "model": "veo3_fast"},
            "status": "success" if ok else "failed", "task_ids": [f"veo_task_{n:016x}"],
            "files": [f"job-{n}.mp4"] if ok else [], "error": None if ok else "errorCode=422", "credits": 60.0,
        })  # fmt: skip
    (out / "manifest.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines))
    return out


def _decode_only(video: Path) -> None:
    import av

    with av.open(str(video)) as container:
        for frame in container.decode(container.streams.video[0]):
            if frame.time is not None and frame.time >= 1 / 3:
                break


def measure(budget: Budget) -> Section:
    """Poster cost against a bare decode; a page rewrite against reading the manifest it comes from."""
    jobs = 50 if budget.repeats == 1 else JOBS
    section = Section(
        key="gallery",
        title="Gallery: posters and page rewrites",
        method=(
            f"A batch folder of {jobs} jobs (9 in 10 with the simulator's sample MP4, 1 in 10 failed). "
            "(1) `veo3.gallery.make_poster` on one video (decode the frame a third of a second in, scale, "
            "encode a JPEG, write and rename) against decoding the same frame only; interleaved samples. "
            f"(2) `veo3.gallery.write_gallery` of all {jobs} jobs with their posters already made (what each "
            "rewrite during a batch costs) against reading and parsing the manifest; interleaved samples."
        ),
    )
    try:
        from veo3.gallery import make_poster, pyav_available, write_gallery
    except ImportError:
        section.notes.append("`veo3.gallery` missing: not measured.")
        return section
    if not pyav_available():
        section.notes.append("PyAV missing (the `gallery` extra): not measured.")
        return section
    with tempfile.TemporaryDirectory() as folder:
        out = _folder(Path(folder), jobs)
        video = out / "job-1.mp4"
        poster, decode = [], []
        for i in range(max(3, budget.repeats)):
            t = time.perf_counter()
            make_poster(video, Path(folder) / f"p{i}.jpg")
            poster.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            _decode_only(video)
            decode.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        write_gallery(out)  # the first write makes every poster
        first = (time.perf_counter() - t) * 1000
        rewrite, parse = [], []
        for _ in range(max(3, budget.repeats)):
            t = time.perf_counter()
            write_gallery(out)
            rewrite.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            _ = [json.loads(x) for x in (out / "manifest.jsonl").read_text().splitlines()]
            parse.append((time.perf_counter() - t) * 1000)
        size = (out / "index.html").stat().st_size
    section.rows.append(
        Row("poster frame, one video", "ms", Stat.of(poster), "decode the same frame", Stat.of(decode),
            Stat.of([p / d for p, d in zip(poster, decode, strict=True)]), Target("<=", 3.0))
    )  # fmt: skip
    section.rows.append(
        Row(f"rewrite index.html, {jobs} jobs, posters made", "ms", Stat.of(rewrite), "parse the manifest",
            Stat.of(parse), Stat.of([r / p for r, p in zip(rewrite, parse, strict=True)]),
            Target("<=", 200, on="value"))
    )  # fmt: skip
    section.notes.append(
        f"The first write of the {jobs}-job page, making every poster: {first:.0f} ms; the page is "
        f"{size / 1024:.0f} KiB ({size / jobs:.0f} bytes per job). During a batch posters are made as jobs end, "
        "one at a time, and the page is rewritten at most every 2 s, so the rewrite row bounds the gallery's share "
        "of a batch's time. The simulator's sample video is tiny (128x72): a real 1080p frame costs more to "
        "decode, the same for the poster and its baseline."
    )
    return section
