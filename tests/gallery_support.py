"""A real batch on the simulator whose folder the gallery tests look at (unit tests and the browser)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner
from veo3.cli._app import app
from veo3.mock import MockConfig, MockServer

#: A prompt a person typed that must show as text: markup, an attribute breaker and an entity.
HOSTILE = 'A red fox <script>document.title="pwned"</script> <img src=x onerror=alert(1)> & "friends"'
JOBS: list[dict[str, Any]] = [
    {"id": "fox", "prompt": HOSTILE, "model": "veo3_fast", "aspect_ratio": "9:16"},
    {"id": "cat", "prompt": "A cat on a sofa", "hd": True},
    {"id": "doomed", "prompt": "A doomed video [fail:422]"},
    {"id": "lighthouse", "prompt": "A lighthouse on a cliff at dawn", "extend": ["The camera rises"], "duration": 6},
]
SUCCEEDED = {"fox", "cat", "lighthouse"}


def run_batch(tmp_path: Path) -> tuple[Path, Any]:
    """Run ``veo3 batch`` on JOBS; returns the output folder and the CLI result."""
    jobs, out = tmp_path / "jobs.jsonl", tmp_path / "out"
    jobs.write_text("".join(json.dumps(j) + "\n" for j in JOBS))
    with MockServer(MockConfig(time_scale=0.001, seed=3)) as srv:
        env = {"KIE_API_KEY": "gallery-key", "VEO3_BASE_URL": srv.url, "VEO3_JOURNAL": str(tmp_path / "j.sqlite3")}
        args = ["batch", str(jobs), "--out", str(out), "--poll-interval", "0.01"]
        result = CliRunner().invoke(app, args, env=env)
    return out, result
