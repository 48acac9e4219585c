"""`make install` behind a TLS-intercepting proxy whose CA is only in the system trust store.

The real case: a company proxy re-signs every HTTPS answer with its own CA, installed in the system store
(on Debian: /etc/ssl/certs, via update-ca-certificates), while SSL_CERT_FILE is unset. pip and curl work
there; uv, with its bundled roots, does not unless asked to use the system store.

Faithful and harmless: a throwaway CA signs a package index served on 127.0.0.1, and the commands run in a
private user + mount namespace (``unshare``) where /etc/ssl/certs holds only that CA. What uv (through
rustls-platform-verifier / openssl-probe), pip and Python's ssl read as "the system store" is then that
folder, exactly as on such a machine; the real machine's store is never touched. Where namespaces are not
allowed the end-to-end test skips (saying why); the Makefile check always runs.
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import importlib.util
import json
import os
import shutil
import ssl
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
SYSTEM_STORE = Path("/etc/ssl/certs")
# Everything that would point a tool at certificates other than the system store's.
CERT_VARIABLES = (
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "REQUESTS_CA_BUNDLE",
    "CURL_CA_BUNDLE",
    "PIP_CERT",
    "NIX_SSL_CERT_FILE",
)


def _bootstrap() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bootstrap_uv", ROOT / "scripts" / "bootstrap_uv.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _uv() -> str:
    return os.environ.get("UV") or shutil.which("uv") or str(ROOT / ".venv-tools" / "bin" / "uv")


def test_every_make_target_asks_uv_for_the_system_store() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("UV_") and k not in ("UV", *CERT_VARIABLES)}
    probe = 'probe-tls: ; @echo "$$UV_SYSTEM_CERTS $$UV_NATIVE_TLS"'
    seen = subprocess.run(
        ["make", "-s", "--no-print-directory", "-f", str(ROOT / "Makefile"), "--eval", probe, "probe-tls"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert seen.stdout.split() == ["true", "true"]
    # A user's own choice wins.
    mine = subprocess.run(
        ["make", "-s", "--no-print-directory", "-f", str(ROOT / "Makefile"), "--eval", probe, "probe-tls"],
        cwd=ROOT, env={**env, "UV_SYSTEM_CERTS": "false"}, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert mine.stdout.split()[0] == "false"


# -- the end-to-end check ------------------------------------------------------------------------------------


def _namespaces_work() -> str | None:
    """Why the private-namespace test cannot run here, or None."""
    if not sys.platform.startswith("linux") or shutil.which("unshare") is None or shutil.which("openssl") is None:
        return "needs Linux with unshare and openssl"
    if not SYSTEM_STORE.is_dir():
        return f"no {SYSTEM_STORE} on this machine"
    tried = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "mount", "--bind", "/tmp", str(SYSTEM_STORE)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    return None if tried.returncode == 0 else f"user namespaces are not allowed here: {tried.stderr.strip()}"


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def _make_ca_and_server_cert(folder: Path) -> None:
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
             "-subj", "/CN=veo3 test proxy CA", "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=folder)  # fmt: skip
    _openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
             "-subj", "/CN=localhost", cwd=folder)  # fmt: skip
    (folder / "ext.cnf").write_text(
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\n"
        "keyUsage=critical,digitalSignature,keyEncipherment\n"
    )
    _openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
             "-out", "server.pem", "-days", "2", "-extfile", "ext.cnf", cwd=folder)  # fmt: skip


def _wheel(folder: Path, name: str, version: str, files: dict[str, bytes]) -> Path:
    """A minimal valid wheel (METADATA, WHEEL, RECORD with hashes)."""
    info = f"{name}-{version}.dist-info"
    files = {
        **files,
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode(),
        f"{info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: veo3-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = []
    for path, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(data)}")
    files[f"{info}/RECORD"] = ("\n".join([*record, f"{info}/RECORD,,"]) + "\n").encode()
    wheel = folder / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for path, data in files.items():
            archive.writestr(path, data)
    return wheel


def _index(root: Path, wheels: list[Path]) -> None:
    """A PEP 503 simple index of ``wheels`` under ``root/simple``."""
    for wheel in wheels:
        project = wheel.name.split("-")[0].replace("_", "-")
        page = root / "simple" / project
        page.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
        shutil.copy2(wheel, root / wheel.name)
        (page / "index.html").write_text(f'<a href="/{wheel.name}#sha256={digest}">{wheel.name}</a>\n')
        entry = {"filename": wheel.name, "url": f"/{wheel.name}", "hashes": {"sha256": digest}}
        (page / "index.json").write_text(
            json.dumps({"meta": {"api-version": "1.0"}, "name": project, "files": [entry]})
        )


@pytest.fixture
def proxy_index(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """An HTTPS package index on 127.0.0.1 signed by a throwaway CA; yields (index URL, CA file)."""
    why = _namespaces_work()
    if why is not None:
        pytest.skip(why)
    certs = tmp_path / "pki"
    certs.mkdir()
    _make_ca_and_server_cert(certs)
    site = tmp_path / "site"
    site.mkdir()
    # A stand-in for uv's wheel (the binary: a script that runs the real uv), tagged for this machine.
    fake_uv = f'#!/bin/sh\nexec "{_uv()}" "$@"\n'.encode()
    tag = sorted(t for t in _bootstrap().platform_tags() if t.startswith("manylinux_2_17") or t.startswith("linux"))[0]
    uv_wheel = _wheel(
        tmp_path, "uv", _bootstrap().UV_VERSION, {f"uv-{_bootstrap().UV_VERSION}.data/scripts/uv": fake_uv}
    )
    uv_wheel = uv_wheel.rename(uv_wheel.with_name(uv_wheel.name.replace("-any.whl", f"-{tag}.whl")))
    _index(site, [_wheel(tmp_path, "tinypkg", "1.0", {"tinypkg/__init__.py": b"ANSWER = 42\n"}), uv_wheel])

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(site), **kwargs)  # type: ignore[arg-type]

        def do_GET(self) -> None:
            listing = site / self.path.strip("/") / "index.json"
            if "json" in self.headers.get("Accept", "") and listing.is_file():  # PEP 691, as bootstrap_uv asks
                data = listing.read_bytes()
                self.send_response(200)
                self.send_header("Content-Type", "application/vnd.pypi.simple.v1+json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                return
            super().do_GET()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certs / "server.pem", certs / "server.key")
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://localhost:{server.server_address[1]}/simple", certs / "ca.pem"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _in_proxy_machine(
    store: Path, command: list[str], cwd: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """Run ``command`` where the system trust store (/etc/ssl/certs) is ``store`` (a private mount)."""
    script = 'mount --bind "$0" /etc/ssl/certs && exec "$@"'
    return subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script, str(store), *command],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def _system_store(tmp_path: Path, ca: Path) -> Path:
    """A trust store folder holding only ``ca``, under Debian's bundle file name (as update-ca-certificates writes)."""
    store = tmp_path / "system-store"
    store.mkdir()
    shutil.copy2(ca, store / "ca-certificates.crt")
    return store


@pytest.mark.timeout(400)
def test_make_install_works_with_the_proxy_ca_only_in_the_system_store(
    proxy_index: tuple[str, Path], tmp_path: Path
) -> None:
    index, ca = proxy_index
    store = _system_store(tmp_path, ca)
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy2(ROOT / "Makefile", project / "Makefile")
    (project / "pyproject.toml").write_text(
        '[project]\nname = "tls-probe"\nversion = "0"\nrequires-python = ">=3.11"\ndependencies = ["tinypkg"]\n'
        "[tool.uv]\npackage = false\n"
    )
    tools = tmp_path / "bin"
    tools.mkdir()
    (tools / "uv").symlink_to(_uv())
    home = tmp_path / "home"
    env = {
        "PATH": f"{tools}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "UV_CACHE_DIR": str(tmp_path / "uv-cache"),  # nothing cached: every answer crosses the "proxy"
        "UV_DEFAULT_INDEX": index,
        "UV_PYTHON": sys.executable,
        "UV_PYTHON_DOWNLOADS": "never",
    }  # no SSL_CERT_FILE, SSL_CERT_DIR, UV_SYSTEM_CERTS, ...: only the system store
    locked = _in_proxy_machine(store, [_uv(), "lock", "--system-certs"], project, env)
    assert locked.returncode == 0, locked.stderr

    # The control: uv's own roots do not know the proxy's CA, so plain uv fails here...
    plain = _in_proxy_machine(store, [_uv(), "sync", "--frozen"], project, env)
    assert plain.returncode != 0
    assert "certificate" in plain.stderr.lower(), plain.stderr
    # ...while `make install` works, and installed the package from behind the "proxy".
    made = _in_proxy_machine(store, ["make", "install"], project, env)
    assert made.returncode == 0, made.stdout + made.stderr
    check = [str(project / ".venv" / "bin" / "python"), "-c", "import tinypkg; print(tinypkg.ANSWER)"]
    assert subprocess.run(check, capture_output=True, text=True, check=True).stdout.strip() == "42"


@pytest.mark.timeout(400)
def test_uv_is_bootstrapped_with_the_proxy_ca_only_in_the_system_store(
    proxy_index: tuple[str, Path], tmp_path: Path
) -> None:
    index, ca = proxy_index
    store = _system_store(tmp_path, ca)
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path / "home"),
        "PIP_INDEX_URL": index,
        "PIP_RETRIES": "1",
        "PIP_CONFIG_FILE": os.devnull,
    }
    dest = tmp_path / "tools"
    made = _in_proxy_machine(
        store, [sys.executable, str(ROOT / "scripts" / "bootstrap_uv.py"), str(dest)], tmp_path, env
    )
    assert made.returncode == 0, made.stderr
    assert subprocess.run([str(dest / "bin" / "uv"), "--version"], check=True, capture_output=True).returncode == 0
    # pip 23.3 and later trust the system store themselves (24.2 by default, older ones with the flag the
    # script adds); an older pip fails and the script's own download, through Python's ssl (OpenSSL's
    # defaults: the system store), takes over.
    pip = subprocess.run([str(dest / "bin" / "python"), "-m", "pip", "--version"], capture_output=True, text=True)
    major, minor = (int(part) for part in pip.stdout.split()[1].split(".")[:2])
    fell_back = "downloading uv's wheel instead" in made.stderr
    assert fell_back == ((major, minor) < (23, 3)), (pip.stdout, made.stderr)
