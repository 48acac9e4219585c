"""The regeneration pipeline: a spec change is caught by check-generated until `make spec` and `make generate` run."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from generator_support import generator_env

ROOT = Path(__file__).resolve().parent.parent


def _run(script: str, repo: Path) -> subprocess.CompletedProcess[str]:
    bin_dir = Path(sys.executable).parent
    tool = generator_env()  # the pinned generator (its own environment)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{tool['PATH']}",
        "OPC": tool["OPC"],
        "VEO3": f"{sys.executable} -m veo3.cli",  # this environment's veo3 builds the copy's spec (--root .)
    }
    return subprocess.run(["bash", str(repo / "scripts" / script)], cwd=repo, env=env, capture_output=True, text=True)


def _make_spec(repo: Path) -> None:
    subprocess.run([sys.executable, "-m", "veo3.cli", "spec", "build", "--root", str(repo)], check=True)


def test_changing_one_bound_fails_check_generated_until_regenerated(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    for part in ("openapi", "scripts", "generated"):
        shutil.copytree(ROOT / part, repo / part, ignore=shutil.ignore_patterns("__pycache__"))
    assert _run("check_generated.sh", repo).returncode == 0

    spec_path = repo / "openapi" / "veo3-api.json"
    spec = json.loads(spec_path.read_text())
    spec["components"]["schemas"]["Seeds"]["maximum"] = 99998
    spec_path.write_text(json.dumps(spec, indent=2) + "\n")
    # A hand edit of the built spec is refused: the spec is built from openapi/upstream/ + the overlay.
    hand_edit = _run("check_generated.sh", repo)
    assert hand_edit.returncode == 1 and "make spec" in hand_edit.stderr

    # The same bound changed where it belongs (the overlay), then `make spec`.
    overlay = repo / "openapi" / "overlay.yaml"
    assert overlay.read_text().count("maximum: 99999") == 1
    overlay.write_text(overlay.read_text().replace("maximum: 99999", "maximum: 99998"))
    _make_spec(repo)
    drift = _run("check_generated.sh", repo)
    assert drift.returncode == 1
    assert "make generate" in drift.stderr and "99998" in drift.stderr

    assert _run("generate.sh", repo).returncode == 0
    assert _run("check_generated.sh", repo).returncode == 0
    assert '"maximum": 99998' in (repo / "generated" / "veo3_api" / "openapi.json").read_text()
