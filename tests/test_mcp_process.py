"""``veo3 mcp`` as a process: SIGTERM mid-create, streamable HTTP, the loopback rule, httpx beside httpx2."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from mcp import ClientSession
from mcp_support import KEY, TOOLS, VEO3, veo3_mcp
from veo3._spec._operations import GENERATE
from veo3.mock import Fault, MockConfig, MockServer

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.timeout(180)


def _server_pid() -> int:
    """The ``veo3 mcp`` child of this test process (the SDK's stdio client does not expose it)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == os.getpid() and b"mcp" in cmdline and b"veo3.cli" in cmdline:
            return int(entry.name)
    raise AssertionError("no veo3 mcp child process")


def _alive(pid: int) -> bool:
    try:  # a zombie has exited: the SDK's client reaps it when it closes
        return (Path(f"/proc/{pid}") / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="finds the server's pid in /proc")
def test_sigterm_mid_create_finishes_the_create_and_journals_it(tmp_path: Path) -> None:
    latency = Fault("latency", on_calls={1}, delay=2.0)
    config = MockConfig(time_scale=0.01, seed=7, rate_limit=None, faults={GENERATE.operation_id: latency})
    with MockServer(config) as srv:

        async def body() -> Any:
            async with veo3_mcp(tmp_path, srv.url, "--budget", "1000") as mcp:
                pid = _server_pid()
                call = asyncio.ensure_future(
                    mcp.session.call_tool("generate_videos", {"jobs": [{"prompt": "late", "model": "veo3_lite"}]})
                )
                await asyncio.sleep(0.8)  # the create is at the simulator, its answer 1.2 s away
                os.kill(pid, signal.SIGTERM)
                answer = await asyncio.wait_for(call, timeout=10)  # the call in flight still gets its answer
                deadline = time.monotonic() + 10
                while time.monotonic() < deadline and _alive(pid):  # and then the server exits by itself
                    await asyncio.sleep(0.05)
                assert not _alive(pid), "the server did not exit after SIGTERM"
                return answer

        answer = asyncio.run(body())
        created = list(srv.state.tasks)
    assert len(created) == 1, "the create in flight did not reach the simulator"
    assert answer.structured_content["created"] == created
    env = {**os.environ, "VEO3_JOURNAL": str(tmp_path / "journal.sqlite3")}
    listed = subprocess.run([*VEO3, "tasks", "--json"], env=env, capture_output=True, text=True, check=True)
    rows = json.loads(listed.stdout)
    rows = rows["tasks"] if isinstance(rows, dict) else rows
    assert [(r["task_id"], r["state"]) for r in rows] == [(created[0], "running")]
    log = (tmp_path / "server-stderr.log").read_text()
    assert "stopping" in log and "(exit 143)" in log


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_streamable_http_serves_the_same_tools_on_loopback(tmp_path: Path) -> None:
    from mcp.client.streamable_http import streamable_http_client

    port = _free_port()
    env = {**os.environ, "KIE_API_KEY": KEY, "VEO3_BASE_URL": "http://127.0.0.1:9", "VEO3_JOURNAL": str(tmp_path / "j")}
    process = subprocess.Popen(
        [*VEO3, "mcp", "--http", f"127.0.0.1:{port}"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            time.sleep(0.1)

        async def body() -> Any:
            url = f"http://127.0.0.1:{port}/mcp"
            async with streamable_http_client(url) as (read, write), ClientSession(read, write) as session:
                await session.initialize()
                tools = await session.list_tools()
                dry = await session.call_tool("generate_videos", {"jobs": [{"prompt": "a", "model": "veo3"}]})
                return [t.name for t in tools.tools], dry

        names, dry = asyncio.run(body())
        assert sorted(names) == sorted(TOOLS)
        assert dry.structured_content["sent"] is False and dry.structured_content["credits"] == 250
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=30)
    assert KEY not in err


@pytest.mark.parametrize("listen", ["0.0.0.0:8999", "192.0.2.1:8999", "nonsense", "127.0.0.1:0"])
def test_http_refuses_a_non_loopback_address_or_a_bad_one_without_being_told(listen: str, tmp_path: Path) -> None:
    done = subprocess.run([*VEO3, "mcp", "--http", listen], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert done.returncode == 2
    assert "--http" in done.stderr


def test_httpx_and_httpx2_sit_side_by_side(tmp_path: Path) -> None:
    # Our client's httpx and the MCP SDK's httpx2 in one process, each against the simulator.
    script = (
        "import httpx, httpx2, mcp.client.streamable_http, veo3\n"
        "from veo3.mock import MockServer\n"
        "assert httpx.__file__ != httpx2.__file__ and httpx.Client is not httpx2.Client\n"
        "import httpcore, httpcore2\n"
        "assert httpcore.__file__ != httpcore2.__file__\n"
        "with MockServer() as s, veo3.Veo3Client('k-side-by-side', base_url=s.url) as c:\n"
        "    c.credits()\n"
        "    assert httpx2.get(s.url + '/api/v1/chat/credit', headers={'Authorization': 'Bearer k-side-by-side'})"
        ".status_code == 200\n"
        "from importlib.metadata import version\n"
        "print(httpx.__version__, httpx2.__version__, version('httpx'), version('httpx2'))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    httpx_version, httpx2_version, httpx_installed, httpx2_installed = done.stdout.split()
    assert httpx_version.startswith("0.") and httpx2_version.startswith("2.")  # two distributions, two majors
    # Each import is the distribution installed under its own name (not one shadowing the other), in the
    # locked environment as in the lowest/highest resolutions CI also runs this on.
    assert (httpx_version, httpx2_version) == (httpx_installed, httpx2_installed)


def test_without_the_mcp_extra_the_cli_works_and_veo3_mcp_says_what_to_install(tmp_path: Path) -> None:
    # A base install: the SDK cannot be imported (None in sys.modules makes every import of it fail).
    script = (
        "import sys\n"
        "sys.modules['mcp'] = sys.modules['mcp_types'] = None\n"
        "from veo3.cli import main\n"
        "sys.argv = ['veo3', *sys.argv[1:]]\n"
        "main()\n"
    )
    helped = subprocess.run([sys.executable, "-c", script, "--help"], capture_output=True, text=True, timeout=60)
    assert helped.returncode == 0 and "mcp" in helped.stdout
    served = subprocess.run([sys.executable, "-c", script, "mcp"], capture_output=True, text=True, timeout=60)
    assert served.returncode == 2
    assert "pip install 'veo3[mcp]'" in served.stderr and "Traceback" not in served.stderr
