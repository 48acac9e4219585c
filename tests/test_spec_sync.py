"""``make spec`` and ``veo3 spec sync``: kie's pages as the spec's upstream, against a local copy of kie's site.

Every sync here runs on a copy of the project's ``openapi/`` (plus pyproject.toml) and a local server
serving stored pages (tests/kie_site.py): nothing leaves the machine and the checkout is never written.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from kie_site import KieSite, kie_site
from veo3 import spec_sync
from veo3.spec_sync import _fetch

ROOT = Path(__file__).resolve().parent.parent
GENERATE = "veo3-api/generate-veo-3-video"
EXTEND = "veo3-api/extend-video"


def tree(root: Path) -> dict[str, str]:
    """Every file under ``root`` by its sha256 (what "nothing changed" is checked against)."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def project(tmp_path: Path) -> spec_sync.Project:
    shutil.copytree(ROOT / "openapi", tmp_path / "openapi", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return spec_sync.Project(tmp_path)


@pytest.fixture
def site() -> Iterator[KieSite]:
    with kie_site("2026-04-29") as running:
        yield running


def spec_of(project: spec_sync.Project) -> dict:  # type: ignore[type-arg]
    return json.loads(project.spec.read_text())


# -- make spec ---------------------------------------------------------------------------------------


def test_the_build_is_todays_committed_spec_byte_for_byte() -> None:
    built = spec_sync.build(spec_sync.Project(ROOT))
    assert built.text == (ROOT / "openapi" / "veo3-api.json").read_text(encoding="utf-8")
    assert built.carried == []  # today the overlay states everything kie publishes
    assert all(result.matched for result in built.actions), "every overlay action matches something"


def test_every_overlay_action_has_a_one_line_reason() -> None:
    actions = spec_sync.read_actions(
        spec_sync._build.read_overlay_document(ROOT / "openapi" / "overlay.yaml"), "overlay"
    )
    assert len(actions) > 60
    assert all(a.reason and "\n" not in a.reason and not a.reason.startswith("TODO") for a in actions)


def test_manifest_lists_every_stored_page_with_its_checksum() -> None:
    manifest = json.loads((ROOT / "openapi" / "upstream" / "manifest.json").read_text())
    stored = {
        p.relative_to(ROOT / "openapi" / "upstream").as_posix() for p in (ROOT / "openapi" / "upstream").rglob("*.*")
    }
    assert stored - {"manifest.json"} == {page["file"] for page in manifest["pages"]}
    for page in manifest["pages"]:
        text = (ROOT / "openapi" / "upstream" / page["file"]).read_text(encoding="utf-8")
        assert hashlib.sha256(text.encode()).hexdigest() == page["sha256"]
        assert page["url"].startswith("https://docs.kie.ai/") and page["changed"]


def test_a_hand_edit_of_the_built_spec_fails_the_check(project: spec_sync.Project) -> None:
    project.spec.write_text(project.spec.read_text().replace('"2026.11.0"', '"2026.11.1"'))
    run = subprocess.run(
        [sys.executable, "-m", "veo3.cli", "spec", "build", "--check", "--root", str(project.root)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 1 and "make spec" in run.stderr
    subprocess.run([sys.executable, "-m", "veo3.cli", "spec", "build", "--root", str(project.root)], check=True)
    assert project.spec.read_text() == (ROOT / "openapi" / "veo3-api.json").read_text()


def test_a_hand_edit_of_an_upstream_page_is_refused(project: spec_sync.Project) -> None:
    page = project.upstream / f"{GENERATE}.yaml"
    page.write_text(page.read_text() + "\n# edited\n")
    with pytest.raises(spec_sync.SpecSyncError, match="sha256"):
        spec_sync.build(project)


# -- sync: nothing moved, the dated snapshots, --check -----------------------------------------------


def test_sync_with_nothing_moved_leaves_the_tree_untouched(project: spec_sync.Project, site: KieSite) -> None:
    before = tree(project.root)
    report = spec_sync.sync(project, docs_url=site.url)
    assert (report.exit_code, report.changed_pages, report.written) == (0, [], False)
    assert tree(project.root) == before
    assert "/runway-api/generate-ai-video.md" not in site.requests  # other kie APIs are not read


def test_sync_to_the_august_pages_reads_the_new_fence_style(project: spec_sync.Project) -> None:
    with kie_site("2026-08-19") as site:
        report = spec_sync.sync(project, docs_url=site.url)
    assert report.changed_pages == [f"{GENERATE}.yaml", f"{EXTEND}.yaml"]
    stored = (project.upstream / f"{GENERATE}.yaml").read_text()
    assert stored.startswith("paths:\n  path: /api/v1/veo/generate\n  method: post")  # verbatim, Mintlify shape
    assert any("duration" in change for change in report.upstream_changes)
    # Our spec already had everything the August pages add; kie's new enableTranslation default is a
    # conflict the overlay keeps on purpose, and sync says so.
    assert report.verdict_changes == [] and report.exit_code == 0
    assert any("enableTranslation" in o and "keeps ours" in o for o in report.overriding_actions)
    manifest = json.loads(project.manifest.read_text())
    changed = {p["file"]: p["changed"] for p in manifest["pages"]}
    assert changed[f"{GENERATE}.yaml"] != "2026-04-29" and changed[f"{record_info()}.yaml"] == "2026-04-29"
    assert spec_sync.build(project).text == project.spec.read_text()  # make spec agrees with the sync


def record_info() -> str:
    return "veo3-api/get-veo-3-video-details"


def test_check_writes_nothing_and_exits_1_when_upstream_moved(project: spec_sync.Project) -> None:
    before = tree(project.root)
    with kie_site("2026-08-19") as site:
        report = spec_sync.sync(project, docs_url=site.url, check=True)
    assert report.exit_code == 1 and report.changed_pages
    assert tree(project.root) == before


# -- an additive change: carried into the spec --------------------------------------------------------

NEW_FIELD = """                watermark:
                  type: string"""


def additive(site: KieSite) -> None:
    """kie adds a field, an enum value and a bounded integer (the drill's API change)."""
    site.edit(
        GENERATE,
        "                    - veo3_lite\n                  default: veo3_fast",
        "                    - veo3_lite\n                    - veo3_ultra\n                  default: veo3_fast",
    )
    site.edit(
        GENERATE,
        "                resolution:\n                  type: string\n                  enum:",
        "                personGeneration:\n                  type: string\n                  enum:\n"
        "                    - allow_all\n                    - dont_allow\n"
        "                resolution:\n                  type: string\n                  enum:",
    )
    site.edit(
        EXTEND,
        "                watermark:\n                  type: string\n",
        "                motionStrength:\n                  type: integer\n                  minimum: 1\n"
        "                  maximum: 10\n                watermark:\n                  type: string\n",
    )


def test_an_additive_change_reaches_the_spec_and_is_a_minor_release(project: spec_sync.Project, site: KieSite) -> None:
    additive(site)
    report = spec_sync.sync(project, docs_url=site.url)
    assert report.exit_code == 0 and not report.verdict_breaking
    schemas = spec_of(project)["components"]["schemas"]
    assert schemas["GenerateModel"]["enum"][-1] == "veo3_ultra"
    assert schemas["GenerateRequest"]["properties"]["personGeneration"]["enum"] == ["allow_all", "dont_allow"]
    assert schemas["ExtendRequest"]["properties"]["motionStrength"] == {"type": "integer", "minimum": 1, "maximum": 10}
    assert {c.split(": ")[0] for c in report.carried} >= {"POST /api/v1/veo/generate request application/json"}
    assert {rule for rule, _, _ in report.verdict_changes} >= {"request-property-added-optional"}
    assert report.overriding_actions == []  # nothing kie added was overridden...
    assert [r.split(" (")[0] for r in report.restated_changed] == [  # ...but the restated operations are named
        "#7 remove $.paths['/api/v1/veo/generate']",
        "#15 remove $.paths['/api/v1/veo/extend']",
    ]
    # A release: minor bump, and a CHANGELOG entry written from the report.
    assert report.version == "0.2.0"
    assert 'version = "0.2.0"' in (project.root / "pyproject.toml").read_text()
    changelog = (project.root / "CHANGELOG.md").read_text()
    assert "## 0.2.0" in changelog and "additive" in changelog and "motionStrength" in changelog
    # make spec on the synced tree gives the same bytes, and a second sync finds nothing to do.
    assert spec_sync.build(project).text == project.spec.read_text()
    before = tree(project.root)
    assert spec_sync.sync(project, docs_url=site.url).changed_pages == []
    assert tree(project.root) == before


def test_a_new_page_under_a_covered_prefix_is_reported_not_tracked(project: spec_sync.Project, site: KieSite) -> None:
    page = site.pages["/veo3-api/get-veo-3-1080-p-video.md"].replace(
        "/api/v1/veo/get-1080p-video", "/api/v1/veo/get-gif"
    )
    site.pages["/veo3-api/get-veo-3-gif.md"] = page
    site.pages["/llms.txt"] += "- [Get GIF](https://docs.kie.ai/veo3-api/get-veo-3-gif.md): a GIF of a video\n"
    report = spec_sync.sync(project, docs_url=site.url)
    assert report.new_pages == ["`veo3-api/get-veo-3-gif` adds /api/v1/veo/get-gif"]
    assert report.changed_pages == [] and "/api/v1/veo/get-gif" not in spec_of(project)["paths"]


# -- a breaking change: a field removed, a bound tightened --------------------------------------------


def test_a_breaking_change_follows_into_the_overlay_and_exits_1(project: spec_sync.Project, site: KieSite) -> None:
    site.edit(EXTEND, "                watermark:\n                  type: string\n", "")
    site.edit(EXTEND, "                  maximum: 99999\n", "                  maximum: 50000\n")
    report = spec_sync.sync(project, docs_url=site.url)
    assert report.exit_code == 1 and report.verdict_breaking
    rules = {rule for rule, breaking, _ in report.verdict_changes if breaking}
    assert {"request-property-removed", "request-property-max-decreased"} <= rules
    schemas = spec_of(project)["components"]["schemas"]
    assert "watermark" not in schemas["ExtendRequest"]["properties"]
    assert schemas["Seeds"]["maximum"] == 50000
    assert "watermark" in schemas["GenerateRequest"]["properties"]  # generate's page did not change
    # The overlay's restatement was edited, so make spec reproduces the synced spec.
    overlay = spec_sync._build.read_overlay_document(project.overlay)
    restated = next(
        a["update"]["ExtendRequest"] for a in overlay["actions"] if "ExtendRequest" in (a.get("update") or {})
    )
    assert "watermark" not in restated["properties"]
    assert spec_sync.build(project).text == project.spec.read_text()
    assert report.version == "1.0.0" and "breaking" in (project.root / "CHANGELOG.md").read_text()


def test_a_deliberate_difference_is_kept_and_reported(project: spec_sync.Project, site: KieSite) -> None:
    # kie gives the 1080p page's index a minimum of 1; ours states minimum 0 on purpose (drift row 30).
    site.edit(
        "veo3-api/get-veo-3-1080-p-video",
        "          schema:\n            type: integer\n",
        "          schema:\n            type: integer\n            minimum: 1\n",
    )
    report = spec_sync.sync(project, docs_url=site.url)
    assert any("minimum" in o and "keeps ours" in o for o in report.overriding_actions), report.overriding_actions
    assert spec_of(project)["components"]["schemas"]["VideoIndex"]["minimum"] == 0


# -- bad inputs: exit 2, nothing under openapi/ changed -----------------------------------------------

BAD_YAML = "paths:\n  /api/v1/veo/generate: [unclosed\n"


def _bad_page(site: KieSite, fragment: str) -> None:
    site.pages[f"/{GENERATE}.md"] = f"# Generate\n\n## OpenAPI Specification\n\n```yaml\n{fragment}```\n"


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ("missing page", "HTTP 404"),
        ("server error", "HTTP 503"),
        ("malformed yaml", "malformed YAML"),
        ("no paths", "has no 'paths'"),
        ("no fragment", "no OpenAPI YAML block"),
        ("alias bomb", "alias bomb"),
        ("oversized page", "larger than"),
        ("endless page", "still arriving"),
        ("network error", "network error"),
        ("empty index", "no page links"),
    ],
)
def test_a_bad_input_fails_cleanly_and_changes_nothing(
    project: spec_sync.Project, site: KieSite, monkeypatch: pytest.MonkeyPatch, fault: str, message: str
) -> None:
    additive(site)  # a good change elsewhere must not be half-applied either
    page = f"/{EXTEND}.md"
    docs_url = site.url
    if fault == "missing page":
        del site.pages[page]
    elif fault == "server error":
        site.faults[page] = 503
    elif fault == "malformed yaml":
        _bad_page(site, BAD_YAML)
    elif fault == "no paths":
        _bad_page(site, "openapi: 3.0.1\ninfo: {title: x}\ncomponents: {}\n")
    elif fault == "no fragment":
        site.pages[page] = "# Extend\n\nThis page lost its OpenAPI block.\n"
    elif fault == "alias bomb":
        bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
            f"{n}: &{n} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
            for p, n in zip("abcdef", "bcdefg", strict=True)
        )
        _bad_page(site, bomb + "paths: {}\n")
    elif fault == "oversized page":
        site.faults[page] = "huge"
    elif fault == "endless page":
        monkeypatch.setattr(_fetch, "DEADLINE_SECONDS", 0.5)
        site.faults[page] = "endless"
    elif fault == "network error":
        docs_url = "http://127.0.0.1:9"  # discard port: nothing listens
    elif fault == "empty index":
        site.pages["/llms.txt"] = "# Kie.ai\n\nNo links today.\n"
    before = tree(project.root)
    with pytest.raises(spec_sync.SpecSyncError, match=message):
        spec_sync.sync(project, docs_url=docs_url)
    assert tree(project.root) == before


def test_cli_exit_codes(project: spec_sync.Project, site: KieSite) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        cmd = [sys.executable, "-m", "veo3.cli", "spec", "sync", "--root", str(project.root), "--docs-url", site.url]
        return subprocess.run([*cmd, *args], capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})

    assert run().returncode == 0
    additive(site)
    checked = run("--check", "--json")
    assert checked.returncode == 1 and json.loads(checked.stdout)["changed_pages"]
    del site.pages[f"/{EXTEND}.md"]
    failed = run()
    assert failed.returncode == 2 and "nothing under openapi/ changed" in failed.stderr and "HTTP 404" in failed.stderr


def test_the_weekly_workflow_syncs_regenerates_tests_and_proposes_the_report() -> None:
    import yaml

    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "spec-sync.yml").read_text())
    assert "schedule" in workflow[True] and "cron" in workflow[True]["schedule"][0]  # YAML 1.1 reads `on` as True
    steps = workflow["jobs"]["sync"]["steps"]
    commands = " ".join(step.get("run", "") for step in steps)
    assert "veo3 spec sync --report" in commands and "make generate" in commands and "make test" in commands
    pr = next(step for step in steps if str(step.get("uses", "")).startswith("peter-evans/create-pull-request@"))
    assert pr["with"]["body-path"].endswith("sync-report.md")
    assert subprocess.run(
        [str(Path(sys.executable).parent / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows",
         str(ROOT / ".github" / "workflows" / "spec-sync.yml")],
        capture_output=True,
    ).returncode == 0  # fmt: skip


def test_kie_catching_up_with_a_deliberate_difference_is_reported(project: spec_sync.Project, site: KieSite) -> None:
    # record-info's successFlag: kie's schema lists 0, 1, 2; ours adds 3 on the evidence of its text (drift 22).
    site.edit(
        "veo3-api/get-veo-3-video-details",
        "                          - 2\n                        examples:",
        "                          - 2\n                          - 3\n                        examples:",
    )
    report = spec_sync.sync(project, docs_url=site.url)
    assert any("enum value 3, as ours does" in a for a in report.agreeing_actions), report.agreeing_actions
    assert report.verdict_changes == [] and report.exit_code == 0


def _set_levels(project: spec_sync.Project, levels: dict) -> None:  # type: ignore[type-arg]
    path = project.root / "openapi" / "spec-diff-ignore.json"
    document = json.loads(path.read_text())
    document["levels"] = levels
    path.write_text(json.dumps(document))


def test_the_sync_verdict_follows_the_projects_rule_levels(project: spec_sync.Project, site: KieSite) -> None:
    # The project moves a tightened request maximum down to a warning: sync's verdict agrees with spec-diff's.
    _set_levels(project, {"request-property-max-decreased": {"level": "warn", "reason": "tested"}})
    site.edit(EXTEND, "                  maximum: 99999\n", "                  maximum: 50000\n")
    report = spec_sync.sync(project, docs_url=site.url)
    assert "request-property-max-decreased" in {rule for rule, _, _ in report.verdict_changes}
    assert not report.verdict_breaking and report.exit_code == 0


def test_a_bad_rule_level_fails_the_sync_and_changes_nothing(project: spec_sync.Project, site: KieSite) -> None:
    _set_levels(project, {"no-such-rule": {"level": "warn", "reason": "typo"}})
    site.edit(EXTEND, "                  maximum: 99999\n", "                  maximum: 50000\n")
    before = tree(project.root)
    with pytest.raises(spec_sync.SpecSyncError, match="no-such-rule"):
        spec_sync.sync(project, docs_url=site.url)
    assert tree(project.root) == before
