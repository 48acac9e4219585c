"""Other local users: what the command line writes about tasks is readable by its owner only, whatever the umask.

The journal (and SQLite's ``-journal``/``-wal``/``-shm`` side files), the folders created for it, and the
conformance report are checked under umask ``000``, where a careless ``open`` would make them world-readable.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from veo3._utils._files import private_file, write_private_text
from veo3.cli._journal import Journal

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="Unix permissions")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def test_a_new_journal_and_its_new_folders_are_owner_only(tmp_path: Path, open_umask: None) -> None:
    before = mode(tmp_path)
    path = tmp_path / "data" / "veo3" / "journal.sqlite3"
    with Journal(path) as journal:
        journal.begin("generate", {"prompt": "a cat"}, base_url="http://127.0.0.1:1")
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700 and mode(path.parent.parent) == 0o700
    assert mode(tmp_path) == before  # a folder the user already had is not ours to change


def test_an_existing_wide_journal_is_tightened(tmp_path: Path, open_umask: None) -> None:
    path = tmp_path / "journal.sqlite3"
    sqlite3.connect(path).close()
    path.chmod(0o644)
    Journal(path).close()
    assert mode(path) == 0o600


@pytest.mark.parametrize("journal_mode", ["DELETE", "WAL"])
def test_sqlite_side_files_are_owner_only_too(tmp_path: Path, open_umask: None, journal_mode: str) -> None:
    """Hold a write transaction open from a second connection, so the side files exist, and look at them."""
    path = tmp_path / "journal.sqlite3"
    Journal(path).close()
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute(f"PRAGMA journal_mode={journal_mode}")
        other.execute("BEGIN IMMEDIATE")
        other.execute(
            "INSERT INTO tasks (kind, base_url, state, request, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
            ("generate", "http://h", "submitting", "{}", time.time(), time.time()),
        )
        side = [p for p in tmp_path.iterdir() if p.name != path.name]
        assert side, "SQLite made no side file"
        assert {p.name: mode(p) for p in side} == {p.name: 0o600 for p in side}
        other.execute("ROLLBACK")
    finally:
        other.close()


def test_private_files_are_created_owner_only(tmp_path: Path, open_umask: None) -> None:
    report = tmp_path / "reports" / "conformance.md"
    write_private_text(report, "# report\n")
    assert report.read_text() == "# report\n"
    assert mode(report) == 0o600 and mode(report.parent) == 0o700
    private_file(report)  # existing: kept, content untouched
    assert report.read_text() == "# report\n"
