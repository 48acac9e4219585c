"""The bodies of ``veo3 spec build`` and ``veo3 spec sync`` (kie's docs as the spec's upstream)."""

from __future__ import annotations

from pathlib import Path

from veo3.cli._exit import ExitCode
from veo3.cli._output import Output
from veo3.cli._session import CliUsageError


def _need_spec_extra() -> None:
    """PyYAML and python-jsonpath come with the ``spec`` extra (the dev environment has them)."""
    from importlib.util import find_spec

    missing = [name for name in ("yaml", "jsonpath") if find_spec(name) is None]
    if missing:
        raise CliUsageError(f"veo3 spec needs the spec extra (pip install 'veo3[spec]'); missing: {', '.join(missing)}")


def build(out: Output, root: Path, check: bool) -> int:
    """Write ``openapi/veo3-api.json`` from upstream + overlay; with ``check``, exit 1 when it would change."""
    _need_spec_extra()
    from veo3 import spec_sync

    project = spec_sync.Project(root)
    try:
        built = spec_sync.build(project)
    except spec_sync.SpecSyncError as exc:
        raise CliUsageError(str(exc)) from exc
    current = project.spec.read_text(encoding="utf-8") if project.spec.is_file() else None
    for carried in built.carried:
        out.note(f"carried from kie's pages: {carried.location}: {carried.what}")
    if current == built.text:
        out.note(f"{project.spec} is up to date with openapi/upstream/ + openapi/overlay.yaml")
        return ExitCode.OK
    if check:
        out.note(f"{project.spec} differs from the build of openapi/upstream/ + openapi/overlay.yaml (run 'make spec')")
        return ExitCode.UNEXPECTED
    project.spec.write_text(built.text, encoding="utf-8")
    out.note(f"wrote {project.spec}")
    return ExitCode.OK


def sync(out: Output, root: Path, docs_url: str | None, check: bool, report_file: Path | None = None) -> int:
    """Refresh openapi/upstream/ from kie's site; exit 0 no change or additive, 1 breaking (or moved, with check)."""
    _need_spec_extra()
    from veo3 import spec_sync

    try:
        report = spec_sync.sync(spec_sync.Project(root), docs_url=docs_url, check=check)
    except spec_sync.SpecSyncError as exc:
        raise CliUsageError(f"spec sync failed, nothing under openapi/ changed: {exc}") from exc
    if report_file is not None:  # the weekly workflow's pull request body
        report_file.write_text(report.markdown(), encoding="utf-8")
    out.result(
        report.document(),
        lambda console: console.print(report.markdown(), markup=False, highlight=False, soft_wrap=True),
    )
    return report.exit_code
