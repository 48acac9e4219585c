"""``veo3 mock`` as a user runs it (a real process on a real port): its keys, and conformance out of the box."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from xml.etree import ElementTree

import httpx
import pytest
from typer.testing import CliRunner
from veo3._spec import _document as _spec
from veo3.cli._app import app

KEY = "sk-mock-cli-KEY-0123456789"
CREDITS = "/api/v1/chat/credit"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def veo3_mock(*args: str, env: dict[str, str] | None = None) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """``veo3 mock ARGS`` in a child process; yields its URL once it answers."""
    port = free_port()
    argv = [sys.executable, "-m", "veo3.cli", "mock", "--port", str(port), *args]
    environment = {k: v for k, v in os.environ.items() if k != "KIE_API_KEY"} | (env or {})
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                httpx.get(url + CREDITS)
                break
            except httpx.TransportError:
                if process.poll() is not None:
                    raise AssertionError(
                        f"veo3 mock exited: {process.stderr.read() if process.stderr else ''}"
                    ) from None
                time.sleep(0.05)
        else:
            raise AssertionError("veo3 mock did not start")
        yield url, process
    finally:
        process.terminate()
        process.wait(timeout=10)


def code_for(url: str, key: str | None) -> int:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return int(httpx.get(url + CREDITS, headers=headers).json()["code"])


def test_veo3_mock_and_veo3_conformance_agree_out_of_the_box(tmp_path: Path) -> None:
    junit = tmp_path / "conformance.xml"
    with veo3_mock("--api-key", KEY, "--time-scale", "0.001") as (url, _):
        argv = ["conformance", "--base-url", url, "--api-key", KEY, "--max-examples", "2"]
        result = CliRunner().invoke(
            app, [*argv, "--phase", "examples", "--phase", "fuzzing", "--json", "--junit", str(junit)]
        )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["conforms"] is True and len(document["operations_tested"]) == len(list(_spec.iter_operations()))
    suite = ElementTree.parse(junit).getroot().find("testsuite")
    assert (
        suite is not None
        and suite.get("tests") == str(len(list(_spec.iter_operations())))
        and suite.get("failures") == "0"
    )
    assert KEY not in result.output and KEY not in junit.read_text()


def test_it_accepts_exactly_the_keys_it_is_given() -> None:
    with veo3_mock("--api-key", KEY, "--api-key", "second-key-987") as (url, process):
        assert code_for(url, KEY) == 200
        assert code_for(url, "second-key-987") == 200
        assert code_for(url, "anything-else") == 401
        assert code_for(url, None) == 401
    out, err = process.communicate()
    assert KEY not in out + err


def test_without_keys_it_takes_kie_api_key_from_the_environment() -> None:
    with veo3_mock(env={"KIE_API_KEY": KEY}) as (url, process):
        assert code_for(url, KEY) == 200
        assert code_for(url, "anything-else") == 401
    out, err = process.communicate()
    assert KEY not in out + err


def test_with_no_key_at_all_it_makes_one_and_prints_the_export_line() -> None:
    with veo3_mock() as (url, process):
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        assert line.startswith("export KIE_API_KEY=")
        key = line.partition("=")[2]
        assert len(key) > 20
        assert code_for(url, key) == 200
        assert code_for(url, "anything-else") == 401


def test_python_dash_m_takes_the_same_options() -> None:
    runner = CliRunner()
    typer_help = runner.invoke(app, ["mock", "--help"]).stdout
    module_help = subprocess.run(
        [sys.executable, "-m", "veo3.mock", "--help"], capture_output=True, text=True, check=True
    ).stdout
    options = re.compile(r"--[a-z][a-z-]+")
    assert set(options.findall(module_help)) == set(options.findall(typer_help)) >= {"--api-key", "--control"}
    conformance = subprocess.run([sys.executable, "-m", "veo3.conformance", "--no-such-option"], capture_output=True)
    assert conformance.returncode == 2


def test_the_phase_names_match_the_runner() -> None:
    from veo3.conformance._runner import PHASES

    result = CliRunner().invoke(app, ["conformance", "--phase", "nope"])
    assert result.exit_code == 2
    for phase in PHASES:
        assert phase in result.output


@pytest.mark.parametrize("bad", [["--api-key", ""]])
def test_an_empty_key_is_a_usage_error(bad: list[str]) -> None:
    result = subprocess.run([sys.executable, "-m", "veo3.cli", "mock", *bad], capture_output=True, text=True)
    assert result.returncode == 2
