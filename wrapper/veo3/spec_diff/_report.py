"""What ``veo3 spec-diff`` prints: the changes triaged against the accepted breaks, as text, JSON or Markdown."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from veo3.spec_diff._differ import Change


@dataclass(frozen=True)
class AcceptedBreak:
    """One entry of the ignore file: the change with rule ``id`` at ``location`` is accepted, for ``reason``."""

    id: str
    location: str
    reason: str


@dataclass(frozen=True)
class Entry:
    """A change, and the ignore-file entry that accepts it (None: not accepted)."""

    change: Change
    accepted: AcceptedBreak | None = None

    @property
    def blocking(self) -> bool:
        """A breaking change nobody accepted: it fails the gate."""
        return self.change.breaking and self.accepted is None

    @property
    def warning(self) -> bool:
        """A warn-level change nobody accepted: it fails the gate only with ``--fail-on warn``."""
        return self.change.level == "warn" and self.accepted is None


@dataclass(frozen=True)
class Report:
    """The triaged changes of one comparison, and the ignore entries that matched none of them (stale)."""

    entries: tuple[Entry, ...]
    stale: tuple[AcceptedBreak, ...] = ()

    @property
    def breaking(self) -> bool:
        """True when some breaking change is not accepted (``veo3 spec-diff`` exits 1)."""
        return any(e.blocking for e in self.entries)

    @property
    def warnings(self) -> bool:
        """True when some warn-level change is not accepted (``veo3 spec-diff --fail-on warn`` exits 1)."""
        return any(e.warning for e in self.entries)

    def group(self, name: str) -> list[Entry]:
        """``"breaking"`` (not accepted), ``"accepted"`` (breaking or warn, accepted), ``"warn"`` (not
        accepted) or ``"other"`` (info)."""
        return [e for e in self.entries if _group(e) == name]

    def summary(self) -> str:
        """``"2 breaking, 1 accepted, 1 warning, 3 non-breaking."`` (no warning count when there is
        none), or ``"No changes."``."""
        if not self.entries:
            return "No changes."
        counts = [f"{len(self.group('breaking'))} breaking"]
        if self.group("accepted"):
            counts.append(f"{len(self.group('accepted'))} accepted")
        if warnings := len(self.group("warn")):
            counts.append(f"{warnings} warning{'s' if warnings > 1 else ''}")
        counts.append(f"{len(self.group('other'))} non-breaking")
        return ", ".join(counts) + "."


def _group(entry: Entry) -> str:
    if entry.change.level == "info":
        return "other"
    if entry.accepted is not None:
        return "accepted"
    return "breaking" if entry.change.breaking else "warn"


_TITLES = (
    ("breaking", "Breaking changes"),
    ("accepted", "Accepted changes (in the ignore file)"),
    ("warn", "Warnings (may break some clients)"),
    ("other", "Non-breaking changes"),
)


def triage(changes: Iterable[Change], accepted: Sequence[AcceptedBreak] = ()) -> Report:
    """Match every change against the accepted breaks (same rule id and location); unmatched entries are stale."""
    by_key = {(a.id, a.location): a for a in accepted}
    entries = tuple(Entry(c, by_key.get((c.id, c.location))) for c in changes)
    used = {(e.accepted.id, e.accepted.location) for e in entries if e.accepted is not None}
    return Report(entries, tuple(a for a in accepted if (a.id, a.location) not in used))


def render_text(report: Report) -> str:
    """For a terminal: breaking changes first, then the accepted ones, then the rest, then a summary."""
    lines: list[str] = []
    for name, title in _TITLES:
        group = report.group(name)
        if group:
            lines.append(f"{title} ({len(group)}):")
            for e in group:
                lines.append(f"  - {e.change.location}: {e.change.message} [{e.change.id}]")
                if e.accepted is not None:
                    lines.append(f"    accepted: {e.accepted.reason}")
            lines.append("")
    lines.append(report.summary())
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def render_markdown(report: Report) -> str:
    """For a pull request or a release note: one table per group, stale ignore entries last."""
    lines = [f"### API changes: {report.summary()}" if report.entries else "### No API changes"]
    for name, title in _TITLES:
        group = report.group(name)
        if not group:
            continue
        lines += ["", f"#### {title} ({len(group)})", ""]
        reason = name == "accepted"
        lines.append("| Rule | Where | Change |" + (" Reason |" if reason else ""))
        lines.append("|---|---|---|" + ("---|" if reason else ""))
        for e in group:
            row = f"| `{e.change.id}` | {_cell(e.change.location)} | {_cell(e.change.message)} |"
            lines.append(row + (f" {_cell(e.accepted.reason)} |" if e.accepted is not None else ""))
    if report.stale:
        lines += ["", f"#### Stale ignore entries ({len(report.stale)}): they match no change; remove them", ""]
        lines += [f"- `{a.id}` at {_cell(a.location)}" for a in report.stale]
    return "\n".join(lines)


def report_document(report: Report) -> dict[str, Any]:
    """The ``--format json`` document: ``{"breaking", "warnings", "changes": [{"id", "breaking", "level",
    "location", "message", "ignored", "reason"?}], "stale_ignores": [{"id", "location", "reason"}]}``."""
    changes: list[dict[str, Any]] = []
    for e in report.entries:
        item: dict[str, Any] = {
            "id": e.change.id,
            "breaking": e.change.breaking,
            "level": e.change.level,
            "location": e.change.location,
            "message": e.change.message,
            "ignored": e.accepted is not None,
        }
        if e.accepted is not None:
            item["reason"] = e.accepted.reason
        changes.append(item)
    stale = [{"id": a.id, "location": a.location, "reason": a.reason} for a in report.stale]
    return {"breaking": report.breaking, "warnings": report.warnings, "changes": changes, "stale_ignores": stale}


def stale_warnings(report: Report, source: str) -> list[str]:
    """One warning line per stale ignore entry (the gate passes; the entry should go)."""
    return [
        f"warning: {source}: entry {a.id} at {a.location!r} matches no change (remove it once the baseline moves on)"
        for a in report.stale
    ]
