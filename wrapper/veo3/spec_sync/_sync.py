"""``veo3 spec sync``: kie's pages in, ``openapi/upstream/`` and the spec out, with a report.

Steps: read ``llms.txt``; fetch every page the manifest tracks (and, to report them, untracked pages of
the same doc sections whose fragments add paths under the manifest's ``prefixes``); extract and check each
fragment; build the spec from the new pages and the overlay; compare. Nothing is written until every page
was read and the build succeeded (all or nothing); ``check`` writes nothing at all.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from veo3.spec_sync._build import (
    Build,
    Project,
    build_from,
    dump_overlay,
    is_fragment,
    normalised_upstream,
    read_manifest,
    read_overlay_document,
    sha256,
    stored_files,
)
from veo3.spec_sync._errors import SpecSyncError
from veo3.spec_sync._extract import extract_fragment
from veo3.spec_sync._fetch import MAX_INDEX_BYTES, TIMEOUT, fetch_text, index_pages, page_key, with_origin
from veo3.spec_sync._follow import follow_upstream, restated_view
from veo3.spec_sync._normalise import fragment_paths
from veo3.spec_sync._overlay import read_actions, select
from veo3.spec_sync._release import release
from veo3.spec_sync._yaml import load_yaml

# Containers the overlay adds into: a change anywhere under them is not an override of that change.
_CONTAINERS = ("$", "$.paths", "$.components.schemas")


@dataclass
class SyncReport:
    """What one sync found and did; :meth:`markdown` is the pull request body and the CHANGELOG entry."""

    changed_pages: list[str] = field(default_factory=list)
    upstream_changes: list[str] = field(default_factory=list)
    verdict_breaking: bool = False
    verdict_changes: list[tuple[str, bool, str]] = field(default_factory=list)
    carried: list[str] = field(default_factory=list)
    followed: list[str] = field(default_factory=list)
    unmatched_actions: list[str] = field(default_factory=list)
    agreeing_actions: list[str] = field(default_factory=list)
    overriding_actions: list[str] = field(default_factory=list)
    restated_changed: list[str] = field(default_factory=list)
    new_pages: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    written: bool = False
    version: str | None = None
    check: bool = False

    @property
    def exit_code(self) -> int:
        """0: nothing moved, or a non-breaking change applied; 1: breaking applied (or moved, under --check)."""
        if self.check:
            return 1 if self.changed_pages else 0
        return 1 if self.verdict_breaking else 0

    def document(self) -> dict[str, Any]:
        """The report as one JSON document (``--json``)."""
        return {
            "changed_pages": self.changed_pages,
            "upstream_changes": self.upstream_changes,
            "breaking": self.verdict_breaking,
            "spec_changes": [{"id": i, "breaking": b, "message": m} for i, b, m in self.verdict_changes],
            "carried": self.carried,
            "followed": self.followed,
            "overlay": {
                "unmatched": self.unmatched_actions,
                "agrees_upstream": self.agreeing_actions,
                "overrides_changed_upstream": self.overriding_actions,
                "restates_changed_operation": self.restated_changed,
            },
            "new_pages": self.new_pages,
            "notes": self.notes,
            "written": self.written,
            "version": self.version,
            "exit_code": self.exit_code,
        }

    def markdown(self) -> str:
        """The report as Markdown."""
        lines = ["## kie docs sync", ""]
        if not self.changed_pages:
            lines.append("No page the spec covers changed upstream.")
        else:
            lines.append("Changed pages: " + ", ".join(f"`{p}`" for p in self.changed_pages))
        sections = [
            ("What changed in kie's fragments", self.upstream_changes),
            ("Added to the spec from kie's pages (no overlay action states them)", self.carried),
            ("Narrowed or removed as kie did (the overlay's restatement edited)", self.followed),
            (
                "Spec verdict: " + ("**BREAKING**" if self.verdict_breaking else "not breaking"),
                [f"{rule} ({'breaking' if brk else 'ok'}): {msg}" for rule, brk, msg in self.verdict_changes],
            ),
            ("Overlay actions that now match nothing (delete or retarget)", self.unmatched_actions),
            ("Overlay actions upstream now agrees with (stale corrections to delete)", self.agreeing_actions),
            ("Overlay actions overriding something kie changed (review their reason)", self.overriding_actions),
            (
                "Operations kie changed that the overlay restates (carried and followed changes are above; "
                "review the rest against the spec-diff lines)",
                self.restated_changed,
            ),
            ("New pages adding paths under the covered prefixes (not tracked yet)", self.new_pages),
            ("Notes", self.notes),
        ]
        for title, items in sections:
            if items or title.startswith("Spec verdict"):
                lines += ["", f"### {title}", ""] + [f"- {item}" for item in items or ["no change to the spec"]]
        if self.version:
            lines += ["", f"Release: {self.version}"]
        return "\n".join(lines) + "\n"


def _fetch_pages(
    client: httpx.Client, manifest: dict[str, Any], origin: str | None, report: SyncReport
) -> dict[str, str]:
    index_url = with_origin(str(manifest.get("index", "https://docs.kie.ai/llms.txt")), origin)
    indexed = index_pages(fetch_text(client, index_url, MAX_INDEX_BYTES))
    if not indexed:
        raise SpecSyncError(f"{index_url}: no page links in the index")
    files: dict[str, str] = {}
    tracked = set()
    for page in manifest["pages"]:
        key = page_key(page["url"])
        tracked.add(key)
        if key not in indexed:
            report.notes.append(f"`{key}` is no longer listed in llms.txt (still fetched)")
        url = with_origin(page["url"], origin) + ".md"
        text = fetch_text(client, url)
        if is_fragment(page["file"]):
            text = extract_fragment(text, url)
            fragment_paths(load_yaml(text, url), url)  # refuses a fragment without paths now, not mid-build
        files[page["file"]] = text
    sections = {key.split("/")[0] for key in tracked}
    prefixes = tuple(manifest.get("prefixes") or ())
    for key in indexed:
        if key in tracked or key.split("/")[0] not in sections:
            continue  # other kie APIs (Runway, Suno, ...) are not ours
        url = with_origin("https://docs.kie.ai/" + key, origin) + ".md"
        try:
            paths = fragment_paths(load_yaml(extract_fragment(fetch_text(client, url), url), url), url)
        except SpecSyncError as exc:
            if "no OpenAPI YAML block" not in str(exc):  # guides and overviews have none
                report.notes.append(f"untracked page `{key}` not read: {exc}")
            continue
        covered = [p for p in paths if p.startswith(prefixes)]
        if covered:
            report.new_pages.append(f"`{key}` adds {', '.join(covered)}")
    return files


def _compare(project: Project, old: Build, new: Build, report: SyncReport) -> None:
    from veo3 import spec_diff

    committed = json.loads(project.spec.read_text(encoding="utf-8")) if project.spec.is_file() else old.spec
    ignore_file = project.root / spec_diff.IGNORE_FILE
    try:
        # The verdict uses the project's own rule levels, as `veo3 spec-diff` and `make spec-gate` do.
        levels = spec_diff.load_level_overrides(ignore_file) if ignore_file.is_file() else {}
        upstream_changes = spec_diff.diff_specs(old.upstream, new.upstream, levels=levels)
        changes = spec_diff.diff_specs(committed, new.spec, levels=levels)
    except Exception as exc:  # a differ failure is no verdict: exit 2 with nothing written, never "breaking"
        raise SpecSyncError(f"spec-diff could not compare the specs: {type(exc).__name__}: {exc}") from exc
    for change in upstream_changes:
        report.upstream_changes.append(f"{change.id}: {change.location}: {change.message}")
    report.verdict_breaking = bool(spec_diff.triage(changes, []).breaking)
    report.verdict_changes = [(c.id, c.breaking, f"{c.location}: {c.message}") for c in changes]
    report.carried = [f"{c.location}: {c.what}" for c in new.carried]
    for result in new.actions:
        label = f"{result.action.label} ({result.action.reason})"
        if result.matched == 0:
            report.unmatched_actions.append(label)
        elif not result.changed:
            report.agreeing_actions.append(label)
        if result.action.target in _CONTAINERS:
            continue
        before = [v for _, v in select(old.upstream, result.action.target)]
        after = [v for _, v in select(new.upstream, result.action.target)]
        if before and before != after:
            restates = result.action.remove and result.action.target.startswith("$.paths[")
            (report.restated_changed if restates else report.overriding_actions).append(label)


def _write_all(
    project: Project, manifest: dict[str, Any], files: dict[str, str], new: Build, overlay: str | None, today: str
) -> None:
    staged: list[tuple[Path, str]] = []
    if overlay is not None:
        staged.append((project.overlay, overlay))
    for page in manifest["pages"]:
        text = files[page["file"]]
        if sha256(text) != page["sha256"]:
            page["sha256"], page["changed"] = sha256(text), today
            staged.append((project.upstream / page["file"], text))
    staged.append((project.manifest, json.dumps(manifest, indent=2) + "\n"))
    staged.append((project.spec, new.text))
    temps = []
    for path, text in staged:  # write every file beside its target first, then swap them all in
        tmp = path.with_name(path.name + ".sync-tmp")
        tmp.write_text(text, encoding="utf-8")
        temps.append((tmp, path))
    for tmp, path in temps:
        os.replace(tmp, path)


def sync(
    project: Project,
    *,
    docs_url: str | None = None,
    check: bool = False,
    client: httpx.Client | None = None,
    today: dt.date | None = None,
) -> SyncReport:
    """Fetch kie's pages, rebuild, compare, and (unless ``check``) write; ``SpecSyncError``: nothing written."""
    report = SyncReport(check=check)
    manifest = read_manifest(project.manifest)
    overlay_doc = read_overlay_document(project.overlay)
    actions = read_actions(overlay_doc, str(project.overlay))
    old_files = stored_files(project, manifest)
    owned = client is None
    http = client or httpx.Client(timeout=TIMEOUT, follow_redirects=False, trust_env=True)
    try:
        files = _fetch_pages(http, manifest, docs_url, report)
    finally:
        if owned:
            http.close()
    report.changed_pages = [name for name, text in files.items() if text != old_files.get(name)]
    if not report.changed_pages:
        return report  # nothing moved: nothing to build, nothing written
    old = build_from(old_files, actions)
    # kie's removals and narrowings, applied to the overlay's restatements where they followed kie.
    followed = follow_upstream(old.upstream, normalised_upstream(files), restated_view(actions))
    report.followed = [f"{f.location}: {f.what}" for f in followed if not (f.kept or f.agrees)]
    report.overriding_actions += [f"{f.location}: {f.what}; the overlay keeps ours" for f in followed if f.kept]
    report.agreeing_actions += [f"{f.location}: {f.what} (drop the difference?)" for f in followed if f.agrees]
    overlay_text = None
    if report.followed:
        text = project.overlay.read_text(encoding="utf-8")
        header = "".join(line for line in text.splitlines(keepends=True)[:20] if line.startswith("#"))
        overlay_text = dump_overlay(overlay_doc, header)
        actions = read_actions(overlay_doc, str(project.overlay))
    new = build_from(files, actions)
    _compare(project, old, new, report)
    if check:
        return report
    day = (today or dt.datetime.now(dt.UTC).date()).isoformat()
    _write_all(project, manifest, files, new, overlay_text, day)
    report.written = True
    if report.verdict_changes:
        report.version = release(project.root, report.verdict_breaking, day, report.markdown)
    return report
