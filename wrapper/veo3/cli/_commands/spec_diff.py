"""The body of ``veo3 spec-diff``: read both specs and the ignore file, diff, print, choose the exit code."""

from __future__ import annotations

from pathlib import Path

from veo3.cli._exit import ExitCode
from veo3.cli._output import Output
from veo3.cli._session import CliUsageError


def run(out: Output, old: Path, new: Path, output_format: str, ignore: Path | None, fail_on: str = "breaking") -> int:
    """Exit 0: no breaking change left unaccepted (warnings too, with ``fail_on="warn"``); 1: some;
    2: an unreadable input (``CliUsageError``) or a failure of the differ itself.

    ``ignore`` None means the project's ``openapi/spec-diff-ignore.json`` when it exists here; its
    ``levels`` move rules to another level.
    """
    from veo3 import spec_diff as differ

    if ignore is None and differ.IGNORE_FILE.is_file():
        ignore = differ.IGNORE_FILE
    try:
        old_spec, new_spec = (differ.load_spec_file(p) for p in (old, new))
        accepted = differ.load_ignore_file(ignore) if ignore is not None else []
        levels = differ.load_level_overrides(ignore) if ignore is not None else {}
    except (OSError, ValueError) as exc:
        raise CliUsageError(str(exc)) from exc
    except RecursionError as exc:  # a parser's own limit: a document nested thousands deep
        raise CliUsageError(f"a spec or the ignore file is nested too deeply to read: {exc}") from exc
    try:
        report = differ.triage(differ.diff_specs(old_spec, new_spec, levels=levels), accepted)
    except Exception as exc:  # a bug in the differ is no verdict: 1 would read as "breaking" to a gate
        out.error(exc, ExitCode.USAGE)
        out.note("spec-diff failed on these specs (a bug in veo3 spec-diff: please report it with both files)")
        return ExitCode.USAGE
    for warning in differ.stale_warnings(report, str(ignore)):
        out.note(warning)
    text = differ.render_markdown(report) if output_format == "markdown" else differ.render_text(report)
    out.result(
        differ.report_document(report), lambda console: console.print(text, markup=False, emoji=False, highlight=False)
    )
    failed = report.breaking or (fail_on == "warn" and report.warnings)
    return ExitCode.UNEXPECTED if failed else ExitCode.OK
