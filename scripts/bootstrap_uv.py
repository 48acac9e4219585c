"""Install a private copy of uv into DIR/bin/uv (default ``.venv-tools/``) for ``make install``.

Why: on a fresh Debian or Ubuntu machine the only Python is the system ``python3``, which is "externally
managed" (PEP 668): ``pip install uv`` outside a virtual environment is refused, and the python3-venv and
python3-pip packages (ensurepip, pip) are often absent too. So nothing is installed into the system
Python, nothing outside the project folder is touched, and no root is needed:

1. ``python3 -m venv DIR`` and ``DIR/bin/python -m pip install uv==VERSION`` when that works: pip honours
   the user's own configuration (index mirror, proxy, certificates) and trusts the system's certificate
   store (pip 24.2 does by default; 23.3 to 24.1 are asked to with ``--use-feature=truststore``), where a
   company's TLS-intercepting proxy CA lives.
2. Otherwise (no ensurepip, no pip, or pip failed: an older pip knows only its own roots) uv's wheel is
   fetched from the package index's simple API (PEP 691 JSON; ``$PIP_INDEX_URL`` if set) with Python's
   ``ssl`` defaults (OpenSSL's, i.e. the system store), its sha256 is checked against the index's, and the
   ``uv`` binary it carries under ``uv-VERSION.data/scripts/`` is unpacked to ``DIR/bin/uv``.

Only the standard library is used: this runs before any virtual environment exists. The Makefile calls
it only when no ``uv`` is on ``PATH`` and ``DIR/bin/uv`` does not exist yet; ``uv`` itself then creates
``.venv/`` (it does not need the ``venv`` module) from ``uv.lock``.

Usage: ``python3 scripts/bootstrap_uv.py [DIR] [--method auto|pip|download]``
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

# The uv this project is developed with (``uv.lock`` revision 5 needs a recent uv); a pinned version
# makes every fresh machine get the same tool.
UV_VERSION = "0.13.9"
DEFAULT_INDEX = "https://pypi.org/simple"
TIMEOUT = 120.0  # seconds per request: a 20 MB wheel over a slow link, but never a hang


class BootstrapError(Exception):
    """uv could not be installed; the message says why and what to do."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", nargs="?", default=".venv-tools", type=Path)
    parser.add_argument("--method", choices=("auto", "pip", "download"), default="auto")
    args = parser.parse_args(argv)
    try:
        uv = bootstrap(args.dir, args.method)
        version = run_version(uv)
    except BootstrapError as exc:
        print(f"bootstrap_uv: {exc}", file=sys.stderr)
        print("bootstrap_uv: install uv yourself (see uv's documentation) and run make again", file=sys.stderr)
        return 1
    print(f"bootstrap_uv: installed {uv} ({version})", file=sys.stderr)
    return 0


def bootstrap(dest: Path, method: str = "auto") -> Path:
    """Install uv ``UV_VERSION`` as ``dest/bin/uv``; returns that path."""
    uv = dest / "bin" / "uv"
    if method in ("auto", "pip"):
        problem = install_with_pip(dest)
        if problem is None:
            return uv
        if method == "pip":
            raise BootstrapError(problem)
        print(f"bootstrap_uv: {problem}; downloading uv's wheel instead", file=sys.stderr)
    install_from_wheel(uv, fetch_wheel(index_url(), UV_VERSION, platform_tags()))
    return uv


def install_with_pip(dest: Path) -> str | None:
    """Create a virtual environment at ``dest`` and pip-install uv into it; ``None`` on success, else why not."""
    made = subprocess.run(
        [sys.executable, "-m", "venv", "--clear", str(dest)], capture_output=True, text=True, check=False
    )
    python = dest / "bin" / "python"
    if made.returncode != 0 or not python.exists():
        shutil.rmtree(dest, ignore_errors=True)  # Debian leaves a half-made environment without ensurepip
        return "this python3 cannot create a virtual environment with pip (python3-venv missing?)"
    installed = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *_system_store_flags(python),
         f"uv=={UV_VERSION}"],
        check=False,
    )  # fmt: skip
    if installed.returncode != 0 or not (dest / "bin" / "uv").exists():
        return f"pip could not install uv (exit {installed.returncode})"
    return None


def _system_store_flags(python: Path) -> list[str]:
    """pip's flags that make it trust the system's certificate store (none when it does by default or cannot)."""
    asked = subprocess.run([str(python), "-m", "pip", "--version"], capture_output=True, text=True, check=False)
    found = re.match(r"pip (\d+)\.(\d+)", asked.stdout)
    version = (int(found[1]), int(found[2])) if found else (0, 0)
    # truststore came vendored in pip 23.3 behind this flag, and is the default from 24.2 (Python >= 3.10).
    return ["--use-feature=truststore"] if (23, 3) <= version < (24, 2) and sys.version_info >= (3, 10) else []


def index_url() -> str:
    """The package index: the user's ``$PIP_INDEX_URL`` if set, else PyPI."""
    return (os.environ.get("PIP_INDEX_URL") or DEFAULT_INDEX).rstrip("/")


def platform_tags() -> set[str]:
    """The wheel platform tags this machine runs (the subset uv publishes binaries for)."""
    machine = platform.machine().lower()
    machine = {"amd64": "x86_64", "arm64": "aarch64"}.get(machine, machine)
    if sys.platform == "darwin":
        major, minor = (int(p) for p in [*platform.mac_ver()[0].split("."), "0"][:2])
        arch = "arm64" if machine == "aarch64" else machine
        versions = [(x, y) for x in range(10, major + 1) for y in range(20) if (x, y) <= (major, minor)]
        return {f"macosx_{x}_{y}_{a}" for x, y in versions for a in (arch, "universal2")}
    if not sys.platform.startswith("linux"):
        raise BootstrapError(f"no uv wheel is chosen automatically for {sys.platform}")
    libc, version = platform.libc_ver()
    tags = {f"linux_{machine}"}
    if libc == "glibc":
        glibc_minor = int(version.split(".")[1])
        tags |= {f"manylinux_2_{y}_{machine}" for y in range(5, glibc_minor + 1)}
        tags |= {f"manylinux{name}_{machine}" for name, y in (("1", 5), ("2010", 12), ("2014", 17)) if y <= glibc_minor}
    else:  # musl (Alpine): libc_ver() does not recognise it
        tags |= {f"musllinux_1_{y}_{machine}" for y in range(3)}
    return tags


def fetch_wheel(index: str, version: str, tags: set[str]) -> bytes:
    """uv ``version``'s wheel for one of ``tags``, checked against the sha256 the index publishes."""
    listing = json.loads(
        http_get(f"{index}/uv/", accept="application/vnd.pypi.simple.v1+json").decode("utf-8"),
    )
    wheel = choose_wheel(listing.get("files", []), version, tags)
    expected = wheel.get("hashes", {}).get("sha256")
    if not isinstance(expected, str) or not re.fullmatch(r"[0-9a-f]{64}", expected):
        raise BootstrapError(f"the index gives no sha256 for {wheel['filename']}")
    url = urllib.parse.urljoin(f"{index}/uv/", wheel["url"])
    data = http_get(url.split("#", 1)[0])
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected:
        raise BootstrapError(f"{wheel['filename']}: sha256 {actual} is not the index's {expected}")
    return data


def choose_wheel(files: list[dict[str, object]], version: str, tags: set[str]) -> dict[str, object]:
    """The first non-yanked ``uv-VERSION-py3-none-PLATFORM.whl`` whose platform tags meet ``tags``."""
    prefix = f"uv-{version}-py3-none-"
    for entry in files:
        name = str(entry.get("filename", ""))
        if not (name.startswith(prefix) and name.endswith(".whl")) or entry.get("yanked"):
            continue
        if set(name[len(prefix) : -len(".whl")].split(".")) & tags:
            return entry
    raise BootstrapError(f"the index has no uv {version} wheel for this machine ({platform.machine()})")


def http_get(url: str, accept: str = "*/*") -> bytes:
    if not url.startswith(("https://", "http://", "file://")):
        raise BootstrapError(f"refusing to fetch {without_password(url)!r}")
    request = urllib.request.Request(url, headers={"Accept": accept, "User-Agent": "veo3-bootstrap-uv"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
            body: bytes = answer.read()
    except OSError as exc:  # URLError, HTTPError and timeouts are all OSErrors
        raise BootstrapError(f"could not fetch {without_password(url)}: {exc}") from exc
    return body


def without_password(url: str) -> str:
    """``url`` fit to print: an index URL may carry ``user:password@`` (``$PIP_INDEX_URL``)."""
    parts = urllib.parse.urlsplit(url)
    if parts.password is None:
        return url
    return urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@", 1)))


def install_from_wheel(uv: Path, wheel: bytes) -> None:
    """Unpack the ``uv`` binary from ``wheel`` to ``uv`` (atomically: a crash leaves no half binary)."""
    with zipfile.ZipFile(io.BytesIO(wheel)) as archive:
        member = next((n for n in archive.namelist() if re.fullmatch(r"uv-[^/]+\.data/scripts/uv", n)), None)
        if member is None:
            raise BootstrapError("the uv wheel carries no uv binary")
        binary = archive.read(member)
    uv.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=uv.parent, prefix=".uv-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(binary)
        os.chmod(tmp, 0o755)
        os.replace(tmp, uv)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def run_version(uv: Path) -> str:
    done = subprocess.run([str(uv), "--version"], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BootstrapError(f"{uv} does not run: {done.stderr.strip()}")
    return done.stdout.strip()


if __name__ == "__main__":
    sys.exit(main())
