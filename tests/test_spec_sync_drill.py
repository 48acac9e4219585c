"""The API-change drill from kie's side: kie publishes a change, and `veo3 spec sync` + `make generate` are all
it costs.

In a copy of the project, a local stand-in for kie's site publishes the drill's change (tests/
test_api_change_drill.py: a new enum field on generate, a new bounded integer on extend, a new model value);
`veo3 spec sync` carries it into the spec, `make spec` agrees, the real `make generate` runs, and with no
hand-written file touched the copy's library, CLI and simulator accept the new fields and refuse an
out-of-bounds value before any request.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from kie_site import kie_site
from test_api_change_drill import NEW_EXTEND_FIELD, NEW_GENERATE_FIELD, NEW_MODEL, SCRIPT, _copy, _env
from test_spec_sync import additive


@pytest.mark.timeout(300)
def test_kie_publishes_a_change_and_sync_plus_make_generate_carry_it_everywhere(tmp_path: Path) -> None:
    from veo3._spec import _document as _spec

    repo = _copy(tmp_path)
    (repo / "pyproject.toml").write_text((Path(__file__).parent.parent / "pyproject.toml").read_text())
    env = {**_env(repo), "VEO3": f"{sys.executable} -m veo3.cli"}
    with kie_site("2026-04-29") as site:
        additive(site)
        synced = subprocess.run(
            [sys.executable, "-m", "veo3.cli", "spec", "sync", "--docs-url", site.url, "--json"],
            cwd=repo, env=env, capture_output=True, text=True,
        )  # fmt: skip
    assert synced.returncode == 0, synced.stderr[-2000:]
    report = json.loads(synced.stdout)
    assert report["breaking"] is False and report["version"] == "0.2.0"
    for name in (NEW_GENERATE_FIELD[0], NEW_EXTEND_FIELD[0], NEW_MODEL):
        assert name in json.dumps(report["carried"]) + json.dumps(report["spec_changes"])

    before = (repo / "openapi" / "veo3-api.json").read_text()
    made = subprocess.run(
        ["make", "-o", "install", "spec", "generate"], cwd=repo, env=env, capture_output=True, text=True
    )
    assert made.returncode == 0, made.stderr[-2000:]
    assert (repo / "openapi" / "veo3-api.json").read_text() == before  # make spec agrees with the sync
    gen_kw, ext_kw = (_spec.python_name(name) for name in (NEW_GENERATE_FIELD[0], NEW_EXTEND_FIELD[0]))
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT, gen_kw, ext_kw, "--" + ext_kw.replace("_", "-"), NEW_MODEL],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen["spec_file"].startswith(str(repo))
    generate_body, extend_body = seen["library_bodies"][0], seen["library_bodies"][-1]
    assert generate_body[NEW_GENERATE_FIELD[0]] == "dont_allow" and generate_body["model"] == NEW_MODEL
    assert extend_body[NEW_EXTEND_FIELD[0]] == 7
    assert seen["refused_field"] == ext_kw and seen["requests_after_refusal"] == 0
    assert seen["cli_generate"][0] == 0, seen["cli_generate"]
    assert seen["cli_bodies"][-1][NEW_GENERATE_FIELD[0]] == "allow_all"
    assert seen["cli_bad_extend"] == [2, 0]
