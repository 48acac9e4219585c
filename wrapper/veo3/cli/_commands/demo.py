"""``veo3 demo`` (what ``make demo`` runs): the main job end to end, through the real command line.

It starts the embedded simulator (unless ``VEO3_LIVE=1`` and ``KIE_API_KEY`` are set: then the same
flow runs against the real API and costs credits), then runs the very ``veo3`` commands a user would
type, through the same Typer app: generate → wait → chain of two extensions → 1080p → download, then
image-to-video: two frames drawn at run time are uploaded (``generate --image``) and used as the first and
last frames of a ``FIRST_AND_LAST_FRAMES_2_VIDEO`` generation.
Progress shows on the terminal; each command's ``--json`` answer feeds the next one. At the end it lists the
MP4 files it wrote (and checks that they decode, when PyAV is installed).
"""

from __future__ import annotations

import io
import json
import os
import shlex
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, redirect_stdout
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape

PROMPT = "A lighthouse on a cliff at dawn, waves crashing below, slow aerial orbit"
EXTENSIONS = (
    "The camera rises above the clouds as the sun breaks through",
    "Seagulls glide past the lens towards the open sea",
)
IMAGE_PROMPT = "The sunrise fades into a starry night over the same coast"
#: The frames of the image-to-video step: (file name, RGB colour), drawn as small solid PNGs.
FRAMES = (("first-frame.png", (250, 170, 60)), ("last-frame.png", (30, 40, 120)))
if TYPE_CHECKING:
    from veo3.mock import MockConfig

DEMO_KEY = "demo-key-not-secret"  # the simulator accepts any key; never a real one


class DemoError(Exception):
    """A step of the demo failed; carries the exit code of the command that failed."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


#: The ``veo3`` Typer app, handed in by the caller (``cli._app``): each step runs one of its commands.
App = Callable[..., Any]


def run_demo(app: App, out_dir: Path, config: MockConfig | None = None) -> int:
    """Run the demo through ``app``; returns the exit code. ``config`` sets up the simulator (default:
    real-time-ish)."""
    console = Console(stderr=True, highlight=False)
    live = os.environ.get("VEO3_LIVE") == "1"
    if live and not os.environ.get("KIE_API_KEY"):
        console.print("[red]VEO3_LIVE=1 needs KIE_API_KEY[/]")
        return 2
    out_dir = out_dir.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    started = time.monotonic()
    with ExitStack() as stack:
        if live:
            # Paid tasks go to the user's own journal (VEO3_JOURNAL or the default), like any other.
            console.print("[bold yellow]VEO3_LIVE=1: running against the real API; this costs credits.[/]")
        else:
            # Simulated tasks get a journal of their own, fresh for every run.
            journal = out_dir / "journal.sqlite3"
            journal.unlink(missing_ok=True)
            env["VEO3_JOURNAL"] = str(journal)
            from veo3.mock import MockConfig, MockServer

            server = stack.enter_context(MockServer(config or MockConfig(seed=2026)))
            env.update(VEO3_BASE_URL=server.url, KIE_API_KEY=DEMO_KEY)
            console.print(f"[bold]Embedded simulator[/] at {server.url} (time scale {server.config.time_scale:g})")
        try:
            files = _flow(app, console, env, out_dir, () if live else ("--poll-interval", "0.5"))
        except DemoError as exc:
            console.print(f"[bold red]demo failed:[/] {escape(str(exc))}")
            return exc.exit_code
    console.print(f"\n[bold green]Done in {time.monotonic() - started:.1f}s.[/] Videos written:")
    for path in files:
        sys.stdout.write(f"{path}{_playable(path)}\n")
    sys.stdout.flush()
    return 0


def _flow(app: App, console: Console, env: dict[str, str], out_dir: Path, polling: tuple[str, ...]) -> list[Path]:
    """The main job, one ``veo3`` command per step; returns the files written."""
    first = _veo3(app, console, env, "generate", PROMPT)["task_id"]
    _veo3(app, console, env, "wait", first, *polling)
    chained = _veo3(app, console, env, "chain", first, *EXTENSIONS, *polling)
    final = chained["task_id"]
    hd = _veo3(app, console, env, "hd", final, "--output", str(out_dir / f"{final}-1080p.mp4"))
    files = [
        Path(_veo3(app, console, env, "download", tid, str(out_dir / f"{tid}.mp4"))["path"]) for tid in (first, final)
    ]
    if "path" in hd:
        files.append(Path(hd["path"]))
    files.append(_image_to_video(app, console, env, out_dir, polling))
    return files


def _image_to_video(app: App, console: Console, env: dict[str, str], out_dir: Path, polling: tuple[str, ...]) -> Path:
    """Draw two frames, upload them through ``generate --image``, and make a video between them."""
    from veo3._spec._images import solid_png

    images: list[str] = []
    for name, rgb in FRAMES:
        frame = out_dir / name
        frame.write_bytes(solid_png(64, 36, rgb))
        images += ["--image", str(frame)]
    mode = ("--generation-type", "FIRST_AND_LAST_FRAMES_2_VIDEO")
    output = ("--wait", "--output", str(out_dir / "image-to-video.mp4"))
    return Path(_veo3(app, console, env, "generate", IMAGE_PROMPT, *mode, *images, *output, *polling)["path"])


def _veo3(app: App, console: Console, env: dict[str, str], *args: str) -> dict[str, Any]:
    """Run one ``veo3`` command (shown first, as a user would type it) and return its JSON answer.

    The command runs in this process through the same Typer app as the ``veo3`` script (a process
    per step would only add start-up time); its progress goes to stderr, its ``--json`` answer is read
    from stdout.
    """
    console.print(f"\n[bold cyan]$ veo3 {escape(shlex.join(args))}[/]")
    stdout = io.StringIO()
    with _environment(env), redirect_stdout(stdout):
        code = app([*args, "--json"], prog_name="veo3", standalone_mode=False)
    try:
        answer: dict[str, Any] = json.loads(stdout.getvalue())
    except ValueError as exc:
        raise DemoError(f"`veo3 {args[0]}` printed no JSON (exit {code})", int(code or 1)) from exc
    if code:
        raise DemoError(f"`veo3 {args[0]}` exited {code}: {answer.get('error')}", int(code))
    return answer


@contextmanager
def _environment(env: dict[str, str]) -> Iterator[None]:
    """``os.environ`` set to ``env`` for the duration (the command reads its configuration there)."""
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _playable(path: Path) -> str:
    """A note saying whether the file decodes (PyAV is a test dependency; skipped when missing)."""
    try:
        import av
    except ImportError:
        return ""
    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            frame = next(container.decode(stream))
            seconds = float(container.duration or 0) / 1_000_000
            return f"  ({frame.width}x{frame.height}, {seconds:.1f}s, decodes)"
    except Exception as exc:
        return f"  (does NOT decode: {type(exc).__name__})"
