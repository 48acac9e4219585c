"""``scripts/bootstrap_uv.py``: how ``make install`` gets uv on a machine without it (offline parts).

The real thing, a fresh clone on a PEP 668 system python3 without uv, is ``tests/test_fresh_machine.py``.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import os
import platform
import subprocess
import sys
import zipfile
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "bootstrap_uv.py"
FAKE_UV = b"#!/bin/sh\necho 'uv 9.9.9 (fake)'\n"


def load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bootstrap_uv", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bootstrap_uv = load()


def wheel(version: str, binary: bytes = FAKE_UV) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(f"uv-{version}.dist-info/METADATA", "Name: uv\n")
        archive.writestr(f"uv-{version}.data/scripts/uv", binary)
    return buffer.getvalue()


def entry(name: str, data: bytes, **extra: Any) -> dict[str, Any]:
    return {
        "filename": name,
        "url": f"../../files/{name}",
        "hashes": {"sha256": hashlib.sha256(data).hexdigest()},
        **extra,
    }


def serve(monkeypatch: pytest.MonkeyPatch, files: list[dict[str, Any]], blobs: dict[str, bytes]) -> list[str]:
    """Answer the script's requests from memory; returns the URLs it asked for."""
    import json

    asked: list[str] = []

    def http_get(url: str, accept: str = "*/*") -> bytes:
        asked.append(url)
        if url.endswith("/uv/"):
            return json.dumps({"meta": {"api-version": "1.1"}, "files": files}).encode()
        return blobs[url.rsplit("/", 1)[1]]

    monkeypatch.setattr(bootstrap_uv, "http_get", http_get)
    return asked


LINUX = {"manylinux_2_17_x86_64", "manylinux2014_x86_64"}


def test_the_checked_wheel_binary_is_installed_executable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = wheel("1.2.3")
    names = ["uv-1.2.3-py3-none-win_amd64.whl", "uv-1.2.3-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"]
    asked = serve(monkeypatch, [entry(n, data) for n in names], {n: data for n in names})
    uv = tmp_path / "tools" / "bin" / "uv"
    bootstrap_uv.install_from_wheel(uv, bootstrap_uv.fetch_wheel("https://index.test/simple", "1.2.3", LINUX))
    assert asked[-1] == f"https://index.test/files/{names[1]}"  # the Linux wheel, its URL resolved against the index
    assert subprocess.run([str(uv)], capture_output=True, check=True).stdout == b"uv 9.9.9 (fake)\n"
    assert [p.name for p in uv.parent.iterdir()] == ["uv"]  # no temporary file left beside it


def test_a_wheel_whose_hash_differs_from_the_index_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    name = "uv-1.2.3-py3-none-manylinux_2_17_x86_64.whl"
    serve(monkeypatch, [entry(name, wheel("1.2.3"))], {name: wheel("1.2.3", b"#!/bin/sh\necho evil\n")})
    with pytest.raises(bootstrap_uv.BootstrapError, match="is not the index's"):
        bootstrap_uv.fetch_wheel("https://index.test/simple", "1.2.3", LINUX)


def test_a_wheel_without_a_published_hash_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    name = "uv-1.2.3-py3-none-manylinux_2_17_x86_64.whl"
    serve(monkeypatch, [{"filename": name, "url": name, "hashes": {}}], {name: wheel("1.2.3")})
    with pytest.raises(bootstrap_uv.BootstrapError, match="no sha256"):
        bootstrap_uv.fetch_wheel("https://index.test/simple", "1.2.3", LINUX)


def test_the_wheel_is_chosen_by_version_platform_and_yanked_flag() -> None:
    files = [
        {"filename": "uv-1.2.3-py3-none-manylinux_2_17_x86_64.whl", "yanked": "broken"},
        {"filename": "uv-1.2.30-py3-none-manylinux_2_17_x86_64.whl"},
        {"filename": "uv-1.2.3-py3-none-musllinux_1_1_x86_64.whl"},
        {"filename": "uv-1.2.3.tar.gz"},
        {"filename": "uv-1.2.3-py3-none-manylinux_2_17_aarch64.manylinux2014_aarch64.whl"},
    ]
    assert bootstrap_uv.choose_wheel(files, "1.2.3", {"manylinux2014_aarch64"}) == files[4]
    assert bootstrap_uv.choose_wheel(files, "1.2.3", {"musllinux_1_1_x86_64"}) == files[2]
    with pytest.raises(bootstrap_uv.BootstrapError, match=r"no uv 1\.2\.3 wheel"):
        bootstrap_uv.choose_wheel(files, "1.2.3", LINUX)  # the only glibc x86_64 one is yanked


@pytest.mark.skipif(
    sys.platform != "linux" or os.uname().machine != "x86_64" or platform.libc_ver()[0] != "glibc",
    reason="the tag names below are those of x86_64 glibc Linux",
)
def test_this_machine_takes_uvs_manylinux_wheel_and_no_other_architecture() -> None:
    tags = bootstrap_uv.platform_tags()
    assert {"manylinux_2_17_x86_64", "manylinux2014_x86_64"} <= tags
    assert all(t.endswith("x86_64") for t in tags)
    assert not any(t.startswith("musllinux") for t in tags)


def test_a_wheel_without_the_binary_is_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("uv-1.2.3.data/scripts/../../uv", FAKE_UV)
    with pytest.raises(bootstrap_uv.BootstrapError, match="no uv binary"):
        bootstrap_uv.install_from_wheel(tmp_path / "bin" / "uv", buffer.getvalue())
    assert not (tmp_path / "bin" / "uv").exists()


def test_an_index_password_is_never_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PIP_INDEX_URL", "http://user:s3cret-index-pw@127.0.0.1:9/simple")
    monkeypatch.setattr(bootstrap_uv, "install_with_pip", lambda dest: "no pip here")
    assert bootstrap_uv.main([str(tmp_path / "tools")]) == 1  # nothing listens on port 9: the fetch fails
    err = capsys.readouterr().err
    assert "could not fetch http://user:***@127.0.0.1:9/simple/uv/" in err
    assert "s3cret-index-pw" not in err
