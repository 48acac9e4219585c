"""The ``veo3`` Typer application: one thin function per command.

Commands parse options (the request's own come from the spec: ``_spec_options``), then hand over to
:mod:`veo3.cli._commands` (what each command does; journaled API calls in :mod:`veo3.cli._tasks`) inside
:meth:`Session.run`, which turns exceptions into the documented exit codes. Request bounds are not
checked here: the library validates every request against the spec and raises
``RequestValidationError`` (exit 2) before anything is sent. Heavy modules (the client, httpx, the
simulator) are imported inside the commands so ``veo3 --help`` stays fast.
"""

# No `from __future__ import annotations` here: Typer would evaluate every annotation string again each
# time it builds the command (4x slower start-up).
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from veo3._client._constants import HD_TIMEOUT, UHD_TIMEOUT, WAIT_TIMEOUT
from veo3._spec._operations import EXTEND, GENERATE, GET_4K, GET_1080P
from veo3.cli._options import (
    SESSION,
    ApiKeyOpt,
    BaseUrlOpt,
    JournalOpt,
    JsonOpt,
    OutputOpt,
    PollOpt,
    SpecOptions,
    TimeoutOpt,
    WaitFlag,
    session_options,
)
from veo3.cli._session import CliUsageError, Session
from veo3.cli._spec_options import spec_options
from veo3.mcp._command import mcp_command

from ._commands import tasks as _commands

app = typer.Typer(
    name="veo3",
    help="Generate, extend and download Veo 3.1 videos through the kie.ai API (or its local simulator).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help: Rich-formatted help costs more start-up time than the whole command (`make bench`).
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=(
        "Exit codes: 0 ok, 1 unexpected error, 2 usage or validation (nothing sent), 3 API error, "
        "4 task failed, 5 timed out, 130 interrupted (SIGINT), 143 terminated (SIGTERM). "
        "Environment: KIE_API_KEY, VEO3_BASE_URL, VEO3_JOURNAL."
    ),
)


def _show_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"veo3 {version('veo3')}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", help="Show the version and exit.", callback=_show_version, is_eager=True)
    ] = False,
) -> None:
    """Generate, extend and download Veo 3.1 videos through the kie.ai API (or its local simulator)."""


# -- options shared by the commands: veo3/cli/_options.py ------------------------------------------


# -- generate / extend / chain ------------------------------------------------------------------


@app.command()
@session_options(poll=True)
@spec_options(GENERATE.operation_id)
def generate(
    prompt: Annotated[str, typer.Argument(metavar="PROMPT", help="What the video should show.")],
    options: SpecOptions,
    image: Annotated[
        list[str] | None,
        typer.Option(
            "--image",
            metavar="PATH_OR_URL",
            help="Image file (uploaded first, with a progress bar) or URL; repeat for several, in order "
            "(after any --image-urls). JPEG, PNG or WebP within the documented size limit.",
        ),
    ] = None,
    wait: WaitFlag = False,
    timeout: TimeoutOpt = WAIT_TIMEOUT,
    output: OutputOpt = None,
    session: Session = SESSION,
) -> None:
    """Create a video from a prompt (and optional images); prints the task id."""
    request = {"prompt": prompt, **options}
    wants_video = wait or output is not None
    session.run(lambda: _commands.generate(session, request, image or [], wants_video, timeout, output), graceful=True)


@app.command()
@session_options(poll=True)
@spec_options(EXTEND.operation_id)
def extend(
    task_id: Annotated[str, typer.Argument(metavar="TASK_ID", help="The successful task to continue.")],
    prompt: Annotated[str, typer.Argument(metavar="PROMPT", help="What happens next.")],
    options: SpecOptions,
    wait: WaitFlag = False,
    timeout: TimeoutOpt = WAIT_TIMEOUT,
    output: OutputOpt = None,
    session: Session = SESSION,
) -> None:
    """Extend a finished video with a new prompt; prints the new task id."""
    request = {"task_id": task_id, "prompt": prompt, **options}
    session.run(
        lambda: _commands.create_and_report(
            session, "extend", request, task_id, wait or output is not None, timeout, output
        ),
        graceful=True,
    )


@app.command()
@session_options(poll=True)
@spec_options(EXTEND.operation_id)
def chain(
    task_id: Annotated[str, typer.Argument(metavar="TASK_ID", help="The successful task to start from.")],
    prompts: Annotated[list[str], typer.Argument(metavar="PROMPT...", help="One prompt per extension, in order.")],
    options: SpecOptions,
    timeout: Annotated[
        float, typer.Option("--timeout", help="Seconds to wait for EACH extension (exit 5).")
    ] = WAIT_TIMEOUT,
    output: OutputOpt = None,
    session: Session = SESSION,
) -> None:
    """Extend a video several times in a row, each extension continuing the previous one."""
    session.run(lambda: _commands.chain(session, task_id, prompts, options, timeout, output), graceful=True)


# -- status / wait ------------------------------------------------------------------------------


@app.command()
@session_options(journal=False)
def upload(
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="Files to upload (kie keeps them >= 24 h).")],
    upload_path: Annotated[
        str | None,
        typer.Option("--upload-path", help="Folder on kie's upload host (default: veo3/uploads).", show_default=False),
    ] = None,
    session: Session = SESSION,
) -> None:
    """Upload files to kie's File Upload API (host: $VEO3_UPLOAD_BASE_URL); prints each file's URL."""
    from ._commands import upload as _upload

    session.run(lambda: _upload.upload_command(session, files, upload_path), graceful=True)


@app.command()
@session_options()
def status(
    task_id: Annotated[str, typer.Argument(metavar="TASK_ID", help="Task id.")],
    session: Session = SESSION,
) -> None:
    """Show a task's current status (one request, no waiting)."""
    session.run(lambda: _commands.status(session, task_id))


@app.command(name="wait")
@session_options(poll=True)
def wait_command(
    task_id: Annotated[
        str | None, typer.Argument(metavar="[TASK_ID]", help="Task id (omit with --resume).", show_default=False)
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Wait for every unfinished task in the journal (same base URL).")
    ] = False,
    timeout: TimeoutOpt = WAIT_TIMEOUT,
    session: Session = SESSION,
) -> None:
    """Wait until a task finishes (exit 4 if it failed, 5 on timeout)."""
    session.run(lambda: _commands.wait(session, task_id, resume, timeout))


# -- download / hd / 4k -------------------------------------------------------------------------


@app.command()
@session_options()
def download(
    source: Annotated[str, typer.Argument(metavar="TASK_ID_OR_URL", help="A task id (its video) or a video URL.")],
    dest: Annotated[
        str | None,
        typer.Argument(metavar="[DEST]", help="File or folder to write (default: current folder).", show_default=False),
    ] = None,
    session: Session = SESSION,
) -> None:
    """Download a task's video (or any result URL), resuming a partial file."""
    session.run(lambda: _commands.download(session, source, dest))


@app.command()
@session_options()
@spec_options(GET_1080P.operation_id)
def hd(
    task_id: Annotated[str, typer.Argument(metavar="TASK_ID", help="A successful task.")],
    options: SpecOptions,
    no_wait: Annotated[bool, typer.Option("--no-wait", help="Ask once; do not wait for the 1080p video.")] = False,
    timeout: TimeoutOpt = HD_TIMEOUT,
    output: OutputOpt = None,
    session: Session = SESSION,
) -> None:
    """Get the 1080p version of a video (the task cannot be extended afterwards)."""
    session.run(
        lambda: _commands.upgrade(session, "1080p", task_id, options, not no_wait, timeout, output), graceful=True
    )


@app.command(name="4k")
@session_options()
@spec_options(GET_4K.operation_id)
def four_k(
    task_id: Annotated[str, typer.Argument(metavar="TASK_ID", help="A successful task.")],
    options: SpecOptions,
    no_wait: Annotated[bool, typer.Option("--no-wait", help="Request it and return; do not wait.")] = False,
    timeout: TimeoutOpt = UHD_TIMEOUT,
    output: OutputOpt = None,
    session: Session = SESSION,
) -> None:
    """Get the 4K version of a video (a paid request; recorded in the journal)."""
    session.run(lambda: _commands.upgrade(session, "4k", task_id, options, not no_wait, timeout, output), graceful=True)


# -- account, journal ---------------------------------------------------------------------------


@app.command()
@session_options(journal=False)
def credits(
    session: Session = SESSION,
) -> None:
    """Show the account's remaining credits."""
    session.run(lambda: _commands.credits(session))


@app.command()
@session_options(api=False)
def tasks(
    unfinished: Annotated[bool, typer.Option("--unfinished", help="Only tasks still running.")] = False,
    limit: Annotated[int | None, typer.Option("--limit", help="At most this many (newest first).")] = None,
    session: Session = SESSION,
) -> None:
    """List the tasks in the journal, newest first."""
    session.run(lambda: _commands.list_tasks(session, unfinished, limit))


# -- tools: simulator, conformance, spec diff ---------------------------------------------------


class ReportFormat(StrEnum):
    """``veo3 spec-diff --format``."""

    text = "text"
    json = "json"
    markdown = "markdown"


class FailOn(StrEnum):
    """``veo3 spec-diff --fail-on``: the lowest level that fails the command (oasdiff's ``--fail-on``)."""

    breaking = "breaking"
    warn = "warn"


@app.command()
def mock(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8787,
    api_key: Annotated[
        list[str] | None,
        typer.Option(
            "--api-key",
            help="The key the simulator accepts (repeat for several; default: $KIE_API_KEY, else a new one, printed).",
            show_default=False,
        ),
    ] = None,
    time_scale: Annotated[
        float | None, typer.Option("--time-scale", help="Multiplies every simulated duration (0.1: ten times faster).")
    ] = None,
    seed: Annotated[
        int | None, typer.Option("--seed", help="Makes task ids, random failures and faults reproducible.")
    ] = None,
    webhook_key: Annotated[
        str | None, typer.Option("--webhook-key", help="Signs callbacks (X-Webhook-Signature).", show_default=False)
    ] = None,
    mirror_http_status: Annotated[
        bool, typer.Option("--mirror-http-status", help="Send error codes as the HTTP status too.")
    ] = False,
    control: Annotated[
        bool, typer.Option("--control", help="Serve the control API under /__control/ (loopback callers only).")
    ] = False,
    control_remote: Annotated[
        bool, typer.Option("--control-remote", help="Let non-loopback callers use the control API too.")
    ] = False,
) -> None:
    """Serve the embedded kie.ai simulator (Ctrl-C stops it)."""
    from ._commands import tools as _tools

    session = Session()
    options = {"time_scale": time_scale, "seed": seed, "webhook_key": webhook_key}
    flags = {"mirror_http_status": mirror_http_status, "control": control, "control_remote": control_remote}
    session.run(lambda: _tools.serve_mock(session, host, port, api_key, **options, **flags))


PhaseOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--phase",
        help="Run only this schemathesis phase: examples, coverage, fuzzing or stateful (repeatable; default: all).",
        show_default=False,
    ),
]
JunitOpt = Annotated[
    Path | None, typer.Option("--junit", help="Write the results as JUnit XML here (for CI).", show_default=False)
]


@app.command()
def conformance(
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            help="Server to test (default: $VEO3_BASE_URL, else an embedded simulator started for the run).",
            show_default=False,
        ),
    ] = None,
    api_key: ApiKeyOpt = None,
    max_examples: Annotated[int, typer.Option("--max-examples", help="Generated cases per operation.")] = 25,
    report: Annotated[Path | None, typer.Option("--report", help="Write a Markdown report here.")] = None,
    allow_paid: Annotated[
        bool, typer.Option("--allow-paid", help="Also send requests that cost credits to a non-local server.")
    ] = False,
    phase: PhaseOpt = None,
    junit: JunitOpt = None,
    json_mode: JsonOpt = False,
) -> None:
    """Run the contract suite against a server; exit 0 conforms, 1 violations found, 2 the run failed."""
    from ._commands import tools as _tools

    session = Session(json_mode=json_mode, api_key=api_key, base_url=base_url)
    phases = _phases(phase)
    options = {"max_examples": max_examples, "allow_paid": allow_paid, "phases": phases}
    session.run(lambda: _tools.conformance(session, base_url, api_key, report=report, junit=junit, **options))


def _phases(chosen: list[str] | None) -> tuple[str, ...]:
    # runner.PHASES, spelled out: importing it loads schemathesis (a test keeps the two equal).
    known = ("examples", "coverage", "fuzzing", "stateful")
    unknown = sorted(set(chosen or ()) - set(known))
    if unknown:
        raise typer.BadParameter(f"unknown phase(s) {unknown}; choose from {list(known)}", param_hint="--phase")
    return tuple(chosen or known)


@app.command(name="check-traffic")
def check_traffic(
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE", help="Recorded traffic: HAR 1.2, or a schemathesis VCR cassette (YAML).", dir_okay=False
        ),
    ],
    api_key: Annotated[
        list[str] | None,
        typer.Option("--api-key", help="Also redact this key wherever it appears (repeatable).", show_default=False),
    ] = None,
    junit: JunitOpt = None,
    json_mode: JsonOpt = False,
) -> None:
    """Check recorded kie traffic against the spec and the in-band rules; exit 0 conforms, 1 violations, 2 unreadable.

    Authorization headers (and the keys given) are never printed.
    """
    from ._commands import tools as _tools

    session = Session(json_mode=json_mode)
    session.run(lambda: _tools.check_traffic(session, file, api_keys=api_key or [], junit=junit))


@app.command(name="spec-diff")
def spec_diff(
    old: Annotated[Path, typer.Argument(metavar="OLD", help="The previous spec.", exists=True, dir_okay=False)],
    new: Annotated[Path, typer.Argument(metavar="NEW", help="The new spec.", exists=True, dir_okay=False)],
    output_format: Annotated[
        ReportFormat | None,
        typer.Option(
            "--format",
            help="Report format: text (default), json (one document on stdout) or markdown.",
            show_default=False,
        ),
    ] = None,
    ignore: Annotated[
        Path | None,
        typer.Option(
            "--ignore",
            help="Accepted breaking changes, each with a reason "
            "(default: openapi/spec-diff-ignore.json when it exists here).",
            exists=True,
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    json_mode: Annotated[bool, typer.Option("--json", help="The same as --format json.")] = False,
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help="Exit 1 on breaking changes only (default), or on warnings too.")
    ] = FailOn.breaking,
) -> None:
    """Compare two versions of the OpenAPI spec; exit 1 on a breaking change the ignore file does not accept.

    Exit 0: none (warnings are printed, and fail only with --fail-on warn); 1: some; 2: bad input or an
    internal error of the differ.
    """
    chosen = ReportFormat.json if json_mode else output_format or ReportFormat.text
    session = Session(json_mode=chosen is ReportFormat.json)

    def body() -> int:
        from ._commands import spec_diff as _spec_diff

        if json_mode and output_format not in (None, ReportFormat.json):
            raise CliUsageError(f"--json means --format json; it cannot go with --format {output_format.value}")
        return _spec_diff.run(session.out, old, new, chosen.value, ignore, fail_on.value)

    session.run(body)


# -- spec: kie's docs as the spec's upstream (veo3/spec_sync) -------------------------------------

spec_app = typer.Typer(help="Build the spec from kie's pages + our overlay; sync the pages from kie's site.")
app.add_typer(spec_app, name="spec")
RootOpt = Annotated[Path, typer.Option("--root", help="The project checkout.", file_okay=False)]


@spec_app.command(name="build")
def spec_build(
    root: RootOpt = Path("."),
    check: Annotated[bool, typer.Option("--check", help="Write nothing; exit 1 when the spec is stale.")] = False,
) -> None:
    """Build openapi/veo3-api.json from openapi/upstream/ and openapi/overlay.yaml (make spec)."""
    from ._commands import spec as _spec

    session = Session(json_mode=False)
    session.run(lambda: _spec.build(session.out, root, check))


@spec_app.command(name="sync")
def spec_sync(
    docs_url: Annotated[
        str | None,
        typer.Option("--docs-url", help="Replace the origin of every kie docs URL (a mirror, a test server)."),
    ] = None,
    check: Annotated[bool, typer.Option("--check", help="Write nothing; exit 1 when kie's pages moved.")] = False,
    root: RootOpt = Path("."),
    report: Annotated[
        Path | None, typer.Option("--report", help="Also write the report (Markdown) to this file.", dir_okay=False)
    ] = None,
    json_mode: JsonOpt = False,
) -> None:
    """Fetch kie's pages, update openapi/upstream/, rebuild the spec, report; exit 0 ok, 1 breaking, 2 failure."""
    from ._commands import spec as _spec

    session = Session(json_mode=json_mode)
    session.run(lambda: _spec.sync(session.out, root, docs_url, check, report))


@app.command(hidden=True)
def demo(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the videos.")] = Path("out/demo"),
    time_scale: Annotated[float, typer.Option("--time-scale", help="Multiplies the simulator's durations.")] = 1.5,
) -> None:
    """The main job end to end (``make demo``): generate, wait, extend twice, 1080p, download."""
    from veo3.cli._commands.demo import run_demo
    from veo3.mock import MockConfig

    raise typer.Exit(run_demo(app, out_dir, MockConfig(time_scale=time_scale, seed=2026)))


# `veo3 mcp`: the MCP server for agents (its own package; the SDK loads only when it runs).
app.command(name="mcp")(mcp_command)


# -- batch --------------------------------------------------------------------------------------


@app.command()
def batch(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Jobs: JSON Lines, or CSV with a header (.csv).")],
    out: Annotated[Path, typer.Option("--out", help="Folder for the videos and manifest.jsonl.")] = Path("batch-out"),
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check every line and estimate the credits; send nothing paid.")
    ] = False,
    concurrency: Annotated[int, typer.Option("--concurrency", help="Jobs in flight at once.")] = 8,
    rate_limit: Annotated[
        str | None,
        typer.Option(
            "--rate-limit", help="Create pacing: 'kie' (the spec's x-rate-limit), 'none', or CREATES/SECONDS."
        ),
    ] = None,
    prices: Annotated[
        Path | None, typer.Option("--prices", help="Price table (default: the packaged veo3/prices.json).")
    ] = None,
    callback_url: Annotated[
        str | None,
        typer.Option("--callback-url", help="Public URL of the callback receiver this command serves (see --listen)."),
    ] = None,
    listen: Annotated[
        str | None,
        typer.Option("--listen", help="HOST:PORT for the callback receiver (default: 127.0.0.1, the URL's port)."),
    ] = None,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds to wait for each task.")] = 1800.0,
    poll_interval: PollOpt = None,
    json_mode: Annotated[
        bool, typer.Option("--json", help="Print the manifest lines on stdout (one per job).")
    ] = False,
    api_key: ApiKeyOpt = None,
    base_url: BaseUrlOpt = None,
    journal: JournalOpt = None,
) -> None:
    """Make many videos from a file; resumable (run it again after a crash), paced, priced (--dry-run).

    Exit 0 all jobs succeeded, 4 some did not (see OUT/manifest.jsonl), 2 the file is invalid (nothing
    sent), 3 the API refused to go on (e.g. credits: no new work started).
    """
    from ._commands import batch as _batch

    session = Session(
        json_mode=json_mode, api_key=api_key, base_url=base_url, journal_path=journal, poll_interval=poll_interval
    )
    args = _batch.BatchArgs(file, out, dry_run, concurrency, rate_limit, prices, callback_url, listen, timeout)
    session.run(lambda: _batch.run(session, args), graceful=True)


# -- gallery ------------------------------------------------------------------------------------


@app.command()
def gallery(
    directory: Annotated[Path, typer.Argument(metavar="DIR", help="A batch's --out folder (with manifest.jsonl).")],
    file: Annotated[
        Path | None, typer.Option("--file", help="The batch's job file, named in the page's re-run advice.")
    ] = None,
) -> None:
    """Rebuild DIR/index.html, the contact sheet of a batch, from DIR/manifest.jsonl (exit 2 without one)."""
    from veo3.gallery import MANIFEST, write_gallery

    if not (directory / MANIFEST).is_file():
        typer.echo(f"error: no {MANIFEST} in {directory} (the folder `veo3 batch --out` wrote)", err=True)
        raise typer.Exit(2)
    typer.echo(write_gallery(directory, source=file))
