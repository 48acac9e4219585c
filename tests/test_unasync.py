"""The blocking client face is generated from the asyncio one (``scripts/unasync.py``), and a hand edit fails
``make check-generated``."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FACES = Path("wrapper/veo3/_client")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """The script, both faces and the ruff settings, in a scratch tree (with the package markers: ruff's import
    order tells first-party ``veo3`` by them)."""
    parts = ("scripts/unasync.py", "pyproject.toml", "wrapper/veo3/__init__.py", FACES / "__init__.py")
    for part in (*parts, FACES / "_async.py", FACES / "_sync.py"):
        (tmp_path / part).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / part, tmp_path / part)
    return tmp_path


def _check(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(tree / "scripts/unasync.py"), "--check"], capture_output=True, text=True, cwd=tree
    )


def test_the_committed_sync_face_is_the_generated_one(tree: Path) -> None:
    result = _check(tree)
    assert result.returncode == 0, result.stderr


def test_a_hand_edit_of_the_sync_face_fails_the_check(tree: Path) -> None:
    sync = tree / FACES / "_sync.py"
    text = sync.read_text()
    edited = text.replace('"""The account\'s remaining credits."""', '"""Credits left."""')
    assert edited != text
    sync.write_text(edited)
    result = _check(tree)
    assert result.returncode == 1
    assert "_sync.py differs" in result.stderr and '+        """Credits left."""' in result.stderr


def test_an_edit_of_the_async_face_alone_fails_until_regenerated(tree: Path) -> None:
    source = tree / FACES / "_async.py"
    source.write_text(source.read_text().replace("The account's remaining credits.", "Credits left on the account."))
    assert _check(tree).returncode == 1
    subprocess.run([sys.executable, str(tree / "scripts/unasync.py")], check=True, capture_output=True, cwd=tree)
    assert _check(tree).returncode == 0
    assert "Credits left on the account." in (tree / FACES / "_sync.py").read_text()


def test_async_only_blocks_stay_out_of_the_sync_face() -> None:
    sync = (ROOT / FACES / "_sync.py").read_text()
    source = (ROOT / FACES / "_async.py").read_text()
    assert "max_in_flight" in source and "max_in_flight" not in sync
    assert "unasync:" not in sync and "async def" not in sync and "await " not in sync
