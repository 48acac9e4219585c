"""The regeneration pipeline: a spec change is caught by check-generated until `make generate` runs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from generator_support import generator_env

ROOT = Path(__file__).resolve().parent.parent


def _run(script: str, repo: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **generator_env()}
    return subprocess.run(["bash", str(repo / "scripts" / script)], cwd=repo, env=env, capture_output=True, text=True)


def test_changing_one_bound_fails_check_generated_until_regenerated(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    for part in ("openapi", "scripts", "generated"):
        shutil.copytree(ROOT / part, repo / part, ignore=shutil.ignore_patterns("__pycache__"))
    assert _run("check_generated.sh", repo).returncode == 0

    spec_path = repo / "openapi" / "veo3-api.json"
    spec = json.loads(spec_path.read_text())
    spec["components"]["schemas"]["Seeds"]["maximum"] = 99998
    spec_path.write_text(json.dumps(spec, indent=2) + "\n")

    drift = _run("check_generated.sh", repo)
    assert drift.returncode == 1
    assert "make generate" in drift.stderr and "99998" in drift.stderr

    assert _run("generate.sh", repo).returncode == 0
    assert _run("check_generated.sh", repo).returncode == 0
    assert '"maximum": 99998' in (repo / "generated" / "veo3_api" / "openapi.json").read_text()
