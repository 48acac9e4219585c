"""Start ASGI apps in child processes under uvicorn, bound to loopback, and stop them afterwards."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from benchmarks._child import child_env


@contextmanager
def serve(factory: str, *, ready_path: str = "/", **kwargs: Any) -> Iterator[str]:
    """Serve ``factory(**kwargs)`` (``"module:name"``) on 127.0.0.1; yields the base URL.

    The parent binds the socket (no port race) and hands it to the child, which runs uvicorn.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(2048)
    port = sock.getsockname()[1]
    fd = sock.fileno()
    argv = [sys.executable, "-m", "benchmarks._serve", "--fd", str(fd), "--factory", factory]
    argv += ["--kwargs", json.dumps(kwargs)]
    proc = subprocess.Popen(argv, pass_fds=(fd,), env=child_env())
    sock.close()  # the child holds its own copy
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url + ready_path, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def _wait_ready(url: str, proc: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    """Block until the server answers anything at ``url`` (bounded)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            httpx.get(url, timeout=2.0)
            return
        except httpx.HTTPError:
            time.sleep(0.05)
    raise RuntimeError(f"server at {url} not ready after {timeout:.0f} s")
