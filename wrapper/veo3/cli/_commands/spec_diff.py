"""The body of ``veo3 spec-diff``: read both specs and the ignore file, diff, print, choose the exit code."""

from __future__ import annotations

from pathlib import Path

from veo3.cli._exit import ExitCode
from veo3.cli._output import Output
from veo3.cli._session import CliUsageError


def run(out: Output, old: Path, new: Path, output_format: str, ignore: Path | None) -> int:
    """Exit 0: no breaking change left unaccepted; 1: some; ``CliUsageError`` (2): an unreadable input.

    ``ignore`` None means the project's ``openapi/spec-diff-ignore.json`` when it exists here.
    """
    from veo3 import spec_diff as differ

    if ignore is None and differ.IGNORE_FILE.is_file():
        ignore = differ.IGNORE_FILE
    try:
        old_spec, new_spec = (differ.load_spec_file(p) for p in (old, new))
        accepted = differ.load_ignore_file(ignore) if ignore is not None else []
    except (OSError, ValueError) as exc:
        raise CliUsageError(str(exc)) from exc
    report = differ.triage(differ.diff_specs(old_spec, new_spec), accepted)
    for warning in differ.stale_warnings(report, str(ignore)):
        out.note(warning)
    text = differ.render_markdown(report) if output_format == "markdown" else differ.render_text(report)
    out.result(
        differ.report_document(report), lambda console: console.print(text, markup=False, emoji=False, highlight=False)
    )
    return ExitCode.UNEXPECTED if report.breaking else ExitCode.OK
