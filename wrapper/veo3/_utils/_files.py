"""Files only their owner may read: the journal (task ids, requests) and the conformance report.

Modes are set with ``chmod`` after creation, so a permissive umask (``0o000``) cannot widen them; only
folders this code creates are restricted (``0o700``), never a folder the user already had.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

__all__ = ["FILE_MODE", "FOLDER_MODE", "make_private_dirs", "private_file", "write_private_text"]

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def make_private_dirs(folder: Path) -> None:
    """Create ``folder`` and any missing parents, each readable by its owner only."""
    missing: list[Path] = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        try:
            path.mkdir(mode=FOLDER_MODE)
        except FileExistsError:  # created meanwhile by someone else: not ours to change
            continue
        os.chmod(path, FOLDER_MODE)


def private_file(path: Path) -> None:
    """Create ``path`` (empty) with mode ``0o600``, or tighten it to ``0o600`` if it is ours and wider."""
    make_private_dirs(path.parent)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | getattr(os, "O_BINARY", 0), FILE_MODE)
    try:
        info = os.fstat(descriptor)
        ours = not hasattr(os, "getuid") or info.st_uid == os.getuid()
        if ours and info.st_mode & 0o777 != FILE_MODE and hasattr(os, "fchmod"):
            with contextlib.suppress(OSError):  # e.g. a file system without Unix modes
                os.fchmod(descriptor, FILE_MODE)
    finally:
        os.close(descriptor)


def write_private_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path``, which is created (or kept) readable by its owner only."""
    private_file(path)
    with path.open("w", encoding="utf-8") as file:
        file.write(text)
