"""The README's ``make demo`` on a fresh machine: a PEP 668 system ``python3``, no ``uv``, an empty ``HOME``.

Slow (it downloads uv and every locked wheel from the package index) and needs the index, so it runs only
when asked: ``VEO3_FRESH_MACHINE=1 .venv/bin/python -m pytest -p no:xdist tests/test_fresh_machine.py``
(``.ci/run`` does). It works on a clone of the committed ``HEAD``: commit before running it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SYSTEM_PYTHON = Path("/usr/bin/python3")
TOOLS = (Path("/usr/bin"), Path("/bin"))
NETWORK = ("http_proxy", "https_proxy", "no_proxy", "ssl_cert_file", "ssl_cert_dir")
LIMIT = 1800.0  # seconds: a bound for hangs on a slow link, never asserted as a speed

pytestmark = [
    pytest.mark.skipif(os.environ.get("VEO3_FRESH_MACHINE") != "1", reason="set VEO3_FRESH_MACHINE=1 (slow, network)"),
    pytest.mark.skipif(sys.platform != "linux", reason="a Debian/Ubuntu system python3 is a Linux thing"),
]


def system_python_is_externally_managed() -> bool:
    probe = (
        "import os, sysconfig; print(os.path.exists(os.path.join(sysconfig.get_path('stdlib'), 'EXTERNALLY-MANAGED')))"
    )
    if not SYSTEM_PYTHON.exists():
        return False
    answer = subprocess.run([str(SYSTEM_PYTHON), "-c", probe], capture_output=True, text=True, check=False)
    return answer.stdout.strip() == "True"


def bare_path(bin_dir: Path) -> str:
    """A PATH of one folder holding the system's tools, minus any uv: python3 there is the system's."""
    bin_dir.mkdir()
    for folder in TOOLS:
        for tool in folder.iterdir():
            if tool.name not in ("uv", "uvx") and not (bin_dir / tool.name).exists():
                (bin_dir / tool.name).symlink_to(tool)
    return str(bin_dir)


def test_make_demo_on_a_pep668_python_without_uv(tmp_path: Path) -> None:
    if not system_python_is_externally_managed():
        pytest.skip(f"{SYSTEM_PYTHON} is not an externally managed (PEP 668) python")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True, timeout=LIMIT)
    home = tmp_path / "home"
    home.mkdir()
    path = bare_path(tmp_path / "bin")
    assert shutil.which("uv", path=path) is None
    assert Path(str(shutil.which("python3", path=path))).resolve() == SYSTEM_PYTHON.resolve()
    # The machine's way to the network (proxy, TLS roots) stays; nothing else of this environment does.
    network = {k: v for k, v in os.environ.items() if k.lower() in NETWORK}
    # UV_PYTHON_DOWNLOADS=never: the test fails rather than pass by fetching a Python of uv's own.
    env = {"PATH": path, "HOME": str(home), "LANG": "C.UTF-8", "UV_PYTHON_DOWNLOADS": "never", **network}

    demo = subprocess.run(["make", "demo"], cwd=clone, env=env, capture_output=True, text=True, timeout=LIMIT)
    assert demo.returncode == 0, demo.stdout[-3000:] + demo.stderr[-3000:]

    assert (clone / ".venv-tools" / "bin" / "uv").exists()  # uv was installed privately, not into the system
    probe = "import sys, veo3; print(sys.base_prefix, sys.version_info >= (3, 11))"
    venv = subprocess.run(
        [str(clone / ".venv" / "bin" / "python"), "-c", probe], env=env, capture_output=True, text=True
    )
    assert venv.stdout.split() == [str(SYSTEM_PYTHON.resolve().parent.parent), "True"], venv.stderr
    # The demo wrote videos and each decodes, in the clone's own environment (which steps make which video:
    # tests/test_cli_process.py).
    videos = [str(v) for v in sorted((clone / "out" / "demo").glob("*.mp4"))]
    assert videos, demo.stdout[-3000:]
    decode = "import av, sys\nfor p in sys.argv[1:]:\n    next(av.open(p).decode(video=0))"
    decoded = subprocess.run([str(clone / ".venv" / "bin" / "python"), "-c", decode, *videos], env=env)
    assert decoded.returncode == 0
    # Everything the run wrote is ignored by git: a fresh clone stays clean.
    status = subprocess.run(["git", "status", "--porcelain"], cwd=clone, capture_output=True, text=True, check=True)
    assert status.stdout == ""
