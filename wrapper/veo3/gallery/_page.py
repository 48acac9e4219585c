"""The contact sheet: ``index.html`` from ``manifest.jsonl``, one tile per job.

Everything shown comes from untrusted hands (prompts are user text; file names, task ids and error
messages come from the server or the manifest), so every text and attribute goes through
:func:`html.escape`, links name only files that exist directly in the folder (by their base name,
percent-encoded), and the page's one inline script and one stylesheet are allowed by their hashes in a
Content-Security-Policy: markup that slipped through could still not run. No fonts, scripts or images
from anywhere else: the page works offline, from ``file://`` or any static server, and on a phone.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shlex
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote

from veo3.gallery._poster import make_poster, pyav_available

INDEX = "index.html"
MANIFEST = "manifest.jsonl"
POSTERS = "posters"
#: While a batch runs the page reloads itself this often (not while a video is playing).
REFRESH_SECONDS = 10

#: What a person can do about a job that did not succeed, by manifest status. ``{rerun}`` is the batch's
#: own command line when known.
ADVICE: Mapping[str, str] = {
    "failed": "The task failed at kie. Edit the prompt or its options (an edited line is a new job), then run {rerun}.",
    "incomplete": "Stopped short (interrupted, timed out or the credits ran out). Run {rerun} to resume it: "
    "tasks already created are waited for, never paid twice (or `veo3 wait --resume`).",
    "not_started": "Never started (the batch stopped creating new work, e.g. credits). Top up if needed, then run "
    "{rerun}.",
    "outcome_unknown": "The create request left but its reply was lost: the task may exist and may have cost "
    "credits. Check your kie.ai dashboard before sending it again (`veo3 tasks` lists the journal).",
}
UNKNOWN_ADVICE = "Status not known to this version of veo3: see manifest.jsonl, then run {rerun}."


@dataclass
class Tile:
    """One job as the page shows it."""

    id: str
    status: str
    prompt: str
    #: The job's own request fields other than the prompt, then the spec's defaults it left out.
    fields: list[tuple[str, str, bool]]
    task_ids: list[str]
    credits: float | None
    error: str | None
    #: Video files in the folder (base names), the main video first.
    videos: list[str] = field(default_factory=list)
    poster: str | None = None


def read_manifest(path: Path) -> list[dict[str, Any]]:
    """The manifest's jobs, the last line of each id winning; lines that are not JSON objects are skipped
    (the file may be being written)."""
    jobs: dict[str, dict[str, Any]] = {}
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return []
    for raw in text.splitlines():
        try:
            line = json.loads(raw)
        except ValueError:
            continue
        if isinstance(line, dict):
            jobs[str(line.get("id", len(jobs)))] = line
    return list(jobs.values())


def _spec_defaults() -> list[tuple[str, str]]:
    """``(keyword, default)`` of the generate request's non-deprecated fields that have one (the model, the
    duration, ...): read from the spec, so the page names no field by hand."""
    from veo3._spec._document import operation
    from veo3._spec._operations import GENERATE

    return [
        (f.python_name, _text(f.schema["default"]))
        for f in operation(GENERATE.operation_id).request_fields
        if "default" in f.schema and not f.deprecated
    ]


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def tile(line: Mapping[str, Any], directory: Path, defaults: Iterable[tuple[str, str]] = ()) -> Tile:
    """A manifest line as a tile (any field may be missing or of the wrong type: the manifest is a file)."""
    source = line.get("input") if isinstance(line.get("input"), Mapping) else {}
    assert isinstance(source, Mapping)
    given = [(str(k), _text(v), False) for k, v in source.items() if k not in ("prompt", "id") and v is not None]
    named = {k for k, _, _ in given}
    fields = given + [(k, v, True) for k, v in defaults if k not in named]
    videos = []
    for name in line.get("files") or []:
        # Only a file directly in this folder, by its base name: a manifest can never point the page elsewhere.
        base = Path(str(name)).name
        if base and (directory / base).is_file() and base not in videos:
            videos.append(base)
    credits = line.get("credits")
    return Tile(
        id=str(line.get("id", "?")),
        status=str(line.get("status", "unknown")),
        prompt=_text(source.get("prompt", "")),
        fields=fields,
        task_ids=[str(t) for t in line.get("task_ids") or [] if t],
        credits=float(credits) if isinstance(credits, int | float) else None,
        error=str(line["error"]) if line.get("error") else None,
        videos=videos,
    )


def _line_number(job: Mapping[str, Any]) -> int:
    line = job.get("line")
    return line if isinstance(line, int) else 0


def _poster_for(directory: Path, video: str) -> str | None:
    """The poster's path relative to the folder, made once per video (again when the video is newer)."""
    name = hashlib.sha256(video.encode()).hexdigest()[:20] + ".jpg"  # never an untrusted name on disk
    dest = directory / POSTERS / name
    source = directory / video
    if dest.is_file() and dest.stat().st_mtime >= source.stat().st_mtime:
        return f"{POSTERS}/{name}"
    return f"{POSTERS}/{name}" if make_poster(source, dest) else None


# -- the page -----------------------------------------------------------------------------------------

STYLE = """
:root{color-scheme:light dark;--bg:#f6f6f4;--card:#fff;--ink:#1d1d1f;--dim:#666;--line:#ddd;--ok:#1a7f37;
--bad:#c62828;--warn:#a15c00;--chip:#eef0f2}
@media (prefers-color-scheme:dark){:root{--bg:#121212;--card:#1e1e1e;--ink:#eee;--dim:#aaa;--line:#333;
--ok:#4caf50;--bad:#ef5350;--warn:#ffb74d;--chip:#2a2d31}}
*{box-sizing:border-box}
body{margin:0;padding:16px;background:var(--bg);color:var(--ink);
font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
header{margin:0 0 16px}h1{font-size:20px;margin:0 0 4px}header p{margin:2px 0;color:var(--dim)}
.grid{display:grid;gap:14px;grid-template-columns:repeat(auto-fill,minmax(min(100%,280px),1fr))}
.tile{background:var(--card);border:1px solid var(--line);border-radius:10px;overflow:hidden;display:flex;
flex-direction:column}
.media{display:block;position:relative;aspect-ratio:16/9;background:#000;color:#fff}
.media img,.media video{width:100%;height:100%;object-fit:contain;display:block}
.media .play{position:absolute;inset:auto 8px 8px auto;background:rgba(0,0,0,.6);border-radius:14px;
padding:2px 10px;font-size:13px}
.empty{display:flex;align-items:center;justify-content:center;min-height:56px;background:var(--chip);
color:var(--dim);font-size:13px;padding:8px;text-align:center}
.body{padding:10px 12px 12px;display:flex;flex-direction:column;gap:6px}
.top{display:flex;justify-content:space-between;gap:8px;align-items:baseline}
.id{font-weight:600;overflow-wrap:anywhere}
.status{font-size:12px;font-weight:600;text-transform:uppercase;letter-spacing:.03em;white-space:nowrap}
.s-success{color:var(--ok)}.s-failed,.s-outcome_unknown{color:var(--bad)}.s-other{color:var(--warn)}
.prompt{margin:0;white-space:pre-wrap;overflow-wrap:anywhere}
.chips{display:flex;flex-wrap:wrap;gap:4px;margin:0;padding:0;list-style:none}
.chips li{background:var(--chip);border-radius:6px;padding:1px 7px;font-size:12px;overflow-wrap:anywhere}
.chips li.default{opacity:.65}
.tasks{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace;color:var(--dim);overflow-wrap:anywhere}
.error{border-left:3px solid var(--bad);padding:4px 8px;background:var(--chip);border-radius:4px;font-size:13px}
.error p{margin:2px 0;overflow-wrap:anywhere}.error .what{color:var(--dim)}
.files a{font-size:13px;margin-right:8px}
dialog{padding:0;border:0;background:#000;max-width:96vw;max-height:92vh}
dialog::backdrop{background:rgba(0,0,0,.8)}
dialog video{display:block;width:min(96vw,1280px);max-height:86vh;background:#000}
dialog form{text-align:right}dialog button{margin:4px;font-size:15px}
footer{margin-top:18px;color:var(--dim);font-size:13px}
"""

# Clicking a poster plays its video in a dialog; without script the link opens the file itself. While the
# batch runs the page reloads every few seconds, except while a video is open.
SCRIPT = """
const dialog = document.getElementById("player"), video = dialog.querySelector("video");
document.querySelectorAll("a.media").forEach((link) => link.addEventListener("click", (event) => {
  event.preventDefault(); video.src = link.getAttribute("href"); dialog.showModal(); video.play().catch(() => {});
}));
dialog.addEventListener("close", () => { video.pause(); video.removeAttribute("src"); video.load(); });
const refresh = Number(document.body.dataset.refresh || 0);
if (refresh) setInterval(() => { if (!dialog.open) location.reload(); }, refresh * 1000);
"""


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


CSP = (
    f"default-src 'none'; img-src 'self' file:; media-src 'self' file:; style-src {_sha256(STYLE)}; "
    f"script-src {_sha256(SCRIPT)}"
)


def _code(escaped: str) -> str:
    """`command` spans of already-escaped advice as <code> (the advice is ours; what it quotes is escaped)."""
    return re.sub(r"`([^`]*)`", r"<code>\1</code>", escaped)


def _tile_html(t: Tile, rerun: str) -> str:
    e = escape
    parts = [f'<article class="tile" id="job-{e(t.id)}" data-status="{e(t.status)}">']
    if t.videos and t.poster:
        parts.append(
            f'<a class="media" href="{e(quote(t.videos[0]))}" title="play">'
            f'<img src="{e(t.poster)}" alt="poster of {e(t.id)}" loading="lazy"><span class="play">▶ play</span></a>'
        )
    elif t.videos:  # no PyAV: the browser draws the video's first frame itself
        parts.append(
            f'<a class="media" href="{e(quote(t.videos[0]))}" title="play"><video src="{e(quote(t.videos[0]))}" '
            f'preload="metadata" muted playsinline></video><span class="play">▶ play</span></a>'
        )
    else:
        parts.append(f'<div class="empty">{"no video" if t.status != "success" else "video file missing"}</div>')
    kind = t.status if t.status in ("success", "failed", "outcome_unknown") else "other"
    parts.append(
        f'<div class="body"><div class="top"><span class="id">{e(t.id)}</span>'
        f'<span class="status s-{kind}">{e(t.status.replace("_", " "))}</span></div>'
        f'<p class="prompt">{e(t.prompt)}</p>'
    )
    default = ' class="default" title="the spec default"'
    chips = [f"<li{default if d else ''}>{e(k)}: {e(v)}</li>" for k, v, d in t.fields]
    if t.credits is not None:
        chips.append(f"<li>credits: {t.credits:g}</li>")
    parts.append(f'<ul class="chips">{"".join(chips)}</ul>')
    if t.task_ids:
        parts.append(f'<div class="tasks">task {" → ".join(e(x) for x in t.task_ids)}</div>')
    if t.status != "success":
        advice = ADVICE.get(t.status, UNKNOWN_ADVICE).format(rerun=rerun)
        error = f'<p class="message">{e(t.error)}</p>' if t.error else ""
        parts.append(f'<div class="error" role="note">{error}<p class="what">{_code(e(advice))}</p></div>')
    if len(t.videos) > 1:
        links = "".join(f'<a href="{e(quote(v))}">{e(v)}</a>' for v in t.videos)
        parts.append(f'<div class="files">{links}</div>')
    parts.append("</div></article>")
    return "".join(parts)


def render(
    tiles: list[Tile], *, title: str, rerun: str, running: bool = False, total: int | None = None, note: str = ""
) -> str:
    """The page's HTML (a pure function of its arguments but for the time stamp)."""
    counts: dict[str, int] = {}
    for t in tiles:
        counts[t.status] = counts.get(t.status, 0) + 1
    credits = sum(t.credits or 0 for t in tiles)
    ended = f"{len(tiles)} of {total} jobs ended" if total is not None else f"{len(tiles)} jobs"
    summary = ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in sorted(counts.items()))
    state = f"running: this page reloads every {REFRESH_SECONDS} s" if running else "finished"
    stamp = time.strftime("%Y-%m-%d %H:%M:%S")
    body = "\n".join(_tile_html(t, rerun) for t in tiles) or '<p class="none">No job has ended yet.</p>'
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{escape(CSP)}">
<meta name="referrer" content="no-referrer">
<title>{escape(title)}</title>
<style>{STYLE}</style></head>
<body data-refresh="{REFRESH_SECONDS if running else 0}">
<header><h1>{escape(title)}</h1>
<p>{escape(ended)}{": " + escape(summary) if summary else ""} · {credits:g} credits (estimated) · {escape(state)}</p>
<p>Updated {escape(stamp)}. Click a picture to play the video.</p></header>
<main class="grid">
{body}
</main>
<dialog id="player"><form method="dialog"><button>close ✕</button></form><video controls playsinline></video></dialog>
<footer>{escape(note)}</footer>
<script>{SCRIPT}</script>
</body></html>
"""


def write_gallery(
    directory: Path,
    *,
    source: Path | None = None,
    running: bool = False,
    total: int | None = None,
) -> Path:
    """Rebuild ``directory/index.html`` from ``directory/manifest.jsonl``: make the posters still missing, render,
    write beside and rename (a reader never sees half a page). ``source`` is the batch's job file (for the
    re-run advice); ``running`` makes the page reload itself; ``total`` is the number of jobs in the batch."""
    directory = Path(directory)
    defaults = _spec_defaults()
    lines = sorted(read_manifest(directory / MANIFEST), key=_line_number)
    tiles = [tile(line, directory, defaults) for line in lines]  # in the job file's order
    for t in tiles:
        if t.videos:
            t.poster = _poster_for(directory, t.videos[0])
    rerun = f"`veo3 batch {shlex.quote(str(source or 'FILE'))} --out {shlex.quote(str(directory))}`"
    note = "" if pyav_available() else "Posters are the videos' own first frames: install veo3[gallery] for stills."
    page = render(
        tiles, title=f"veo3 batch: {directory.name or directory}", rerun=rerun, running=running, total=total, note=note
    )
    index = directory / INDEX
    partial = directory / f".{INDEX}.part"
    partial.write_text(page, encoding="utf-8")
    os.replace(partial, index)
    return index


class GalleryWriter:
    """Keeps a running batch's ``index.html`` current: :meth:`update` after each job that ends (at most once
    every ``interval`` seconds), and the finished page when the ``with`` block exits, however it exits."""

    def __init__(self, directory: Path, source: Path | None = None, total: int | None = None, interval: float = 2.0):
        self.directory, self.source, self.total, self.interval = Path(directory), source, total, interval
        self._last = -interval

    def update(self) -> None:
        """Rewrite the page if the last rewrite is older than ``interval``."""
        now = time.monotonic()
        if now - self._last >= self.interval:
            self._last = now
            write_gallery(self.directory, source=self.source, running=True, total=self.total)

    def __enter__(self) -> GalleryWriter:
        write_gallery(self.directory, source=self.source, running=True, total=self.total)
        return self

    def __exit__(self, *exc: object) -> None:
        write_gallery(self.directory, source=self.source, running=False, total=self.total)
