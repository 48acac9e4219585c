"""The API-change drill: a spec edit and `make generate` are all a new API field costs.

In a copy of the project, the spec gains an optional field on generate, a bounded integer on extend and a
new model value; the real `make generate` runs; then, with no hand-written file touched, the copy's library
and CLI send the new fields to the copy's simulator, refuse an out-of-bounds value before any request, and
the MCP server's tool schemas carry the new field, bound and value (and refuse the out-of-bounds one), and
`veo3 spec-diff` calls the change non-breaking and names the fields (docs/guides/api-changes.md).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from generator_support import generator_env

ROOT = Path(__file__).resolve().parent.parent

# The drill's new API, as kie might publish it (names no hand-written file knows).
NEW_GENERATE_FIELD = ("personGeneration", {"type": "string", "enum": ["allow_all", "dont_allow"]})
NEW_EXTEND_FIELD = ("motionStrength", {"type": "integer", "minimum": 1, "maximum": 10})
NEW_MODEL = "veo3_ultra"

# Runs inside the copy: a simulator, then the library and the CLI against it; prints what it saw.
SCRIPT = textwrap.dedent(
    """
    import json, os, subprocess, sys
    from veo3 import Veo3Client
    from veo3._spec import _document as _spec
    from veo3.errors import RequestValidationError
    from veo3.mock import MockConfig, MockServer

    gen_kw, ext_kw, ext_flag, model = sys.argv[1:5]
    out = {"spec_file": str(_spec._spec_path())}
    with MockServer(MockConfig(time_scale=0.001, rate_limit=None)) as server:
        state = server.state
        with Veo3Client("drill-key", base_url=server.url) as client:
            info = client.generate_and_wait("a cat", model=model, timeout=30, **{gen_kw: "dont_allow"})
            client.extend(info.task_id, "it rains", **{ext_kw: 7})
            before = len(state.requests)
            try:
                client.extend(info.task_id, "it rains", **{ext_kw: 11})
            except RequestValidationError as exc:
                out["refused_field"] = exc.field
            out["requests_after_refusal"] = len(state.requests) - before
        out["library_bodies"] = [r.body for r in state.requests if r.operation.endswith("video") and r.body]
        cli = [sys.executable, "-m", "veo3.cli"]
        env = {**os.environ, "KIE_API_KEY": "drill-key", "VEO3_BASE_URL": server.url, "VEO3_JOURNAL": "journal.db"}
        flag = "--" + gen_kw.replace("_", "-")
        made = subprocess.run(cli + ["generate", "a dog", flag, "allow_all", "--model", model, "--json"],
                              env=env, capture_output=True, text=True)
        out["cli_generate"] = [made.returncode, made.stderr[-500:]]
        before = len(state.requests)
        bad = subprocess.run(cli + ["extend", info.task_id, "x", ext_flag, "11", "--json"],
                             env=env, capture_output=True, text=True)
        out["cli_bad_extend"] = [bad.returncode, len(state.requests) - before]
        out["cli_bodies"] = [r.body for r in list(state.requests) if r.body]
    # The MCP tools, as tools/list serves them, and their argument check (which runs before any request).
    from veo3.mcp import list_tools
    from veo3.mcp._server import check_arguments
    tools = {t.name: t.input_schema for t in list_tools()}
    job = tools["generate_videos"]["properties"]["jobs"]["items"]["properties"]
    out["mcp"] = {"generate_field": job.get(gen_kw), "models": job["model"]["enum"],
                  "extend_field": tools["extend_video"]["properties"].get(ext_kw)}
    try:
        check_arguments("extend_video", {"task_id": "t", "prompt": "x", ext_kw: 11})
    except RequestValidationError as exc:
        out["mcp"]["refused_field"] = exc.field
    print(json.dumps(out))
    """
)  # the simulator accepting the new fields is shown by generate_and_wait succeeding


def _copy(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    for part in ("openapi", "scripts", "generated", "wrapper"):
        shutil.copytree(ROOT / part, repo / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(ROOT / "Makefile", repo / "Makefile")
    return repo


def _edit_spec(repo: Path) -> dict[str, Any]:
    path = repo / "openapi" / "veo3-api.json"
    old = json.loads(path.read_text())
    spec = json.loads(path.read_text())
    schemas = spec["components"]["schemas"]
    name, schema = NEW_GENERATE_FIELD
    schemas["GenerateRequest"]["properties"][name] = {**schema, "description": "Whether people may appear."}
    name, schema = NEW_EXTEND_FIELD
    schemas["ExtendRequest"]["properties"][name] = {**schema, "description": "How much the camera moves."}
    schemas["GenerateModel"]["enum"].append(NEW_MODEL)
    path.write_text(json.dumps(spec, indent=2, ensure_ascii=False) + "\n")
    return old


def _env(repo: Path) -> dict[str, str]:
    bin_dir = Path(sys.executable).parent
    tool = generator_env()  # the pinned generator (its own environment)
    return {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{tool['PATH']}",
        "OPC": tool["OPC"],
        "PYTHONPATH": f"{repo / 'wrapper'}{os.pathsep}{repo / 'generated'}",  # the copy, not the checkout
    }


@pytest.mark.timeout(300)
def test_a_new_field_reaches_library_cli_and_simulator_through_make_generate_alone(tmp_path: Path) -> None:
    from veo3._spec import _document as _spec

    repo = _copy(tmp_path)
    old_spec = _edit_spec(repo)
    env = _env(repo)
    # The real target; `-o install`: this environment is already installed (the drill is about generate).
    made = subprocess.run(["make", "-o", "install", "generate"], cwd=repo, env=env, capture_output=True, text=True)
    assert made.returncode == 0, made.stderr[-2000:]
    # Nothing hand-written changed: the copy's wrapper and Makefile are the checkout's.
    assert (
        subprocess.run(["diff", "-r", "-x", "__pycache__", str(ROOT / "wrapper"), str(repo / "wrapper")]).returncode
        == 0
    )

    gen_kw, ext_kw = (_spec.python_name(name) for name in (NEW_GENERATE_FIELD[0], NEW_EXTEND_FIELD[0]))
    ext_flag = "--" + ext_kw.replace("_", "-")
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT, gen_kw, ext_kw, ext_flag, NEW_MODEL],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    seen = json.loads(run.stdout.strip().splitlines()[-1])

    assert seen["spec_file"].startswith(str(repo)), "the drill must run the copy's generated package"
    generate_body, extend_body = seen["library_bodies"][0], seen["library_bodies"][-1]
    assert generate_body[NEW_GENERATE_FIELD[0]] == "dont_allow" and generate_body["model"] == NEW_MODEL
    assert extend_body[NEW_EXTEND_FIELD[0]] == 7
    assert seen["refused_field"] == ext_kw and seen["requests_after_refusal"] == 0

    assert seen["cli_generate"][0] == 0, seen["cli_generate"]
    assert seen["cli_bodies"][-1][NEW_GENERATE_FIELD[0]] == "allow_all"
    assert seen["cli_bodies"][-1]["model"] == NEW_MODEL
    assert seen["cli_bad_extend"] == [2, 0]

    mcp = seen["mcp"]
    assert mcp["generate_field"]["enum"] == NEW_GENERATE_FIELD[1]["enum"]
    assert NEW_MODEL in mcp["models"]
    assert (mcp["extend_field"]["minimum"], mcp["extend_field"]["maximum"]) == (1, 10)
    assert mcp["refused_field"] == ext_kw

    old = tmp_path / "old.json"
    old.write_text(json.dumps(old_spec))
    diff = subprocess.run(
        [sys.executable, "-m", "veo3.spec_diff", str(old), str(repo / "openapi" / "veo3-api.json"), "--format", "json"],
        cwd=tmp_path, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert diff.returncode == 0, diff.stdout + diff.stderr
    report = json.loads(diff.stdout)
    assert report["breaking"] is False
    locations = " ".join(change["location"] for change in report["changes"])
    assert NEW_GENERATE_FIELD[0] in locations and NEW_EXTEND_FIELD[0] in locations
