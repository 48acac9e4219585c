"""A media download as a sans-IO state machine: the drivers stream bytes in, this decides what they mean.

The bytes go to ``.<name>.part`` next to the destination (same folder, so the final rename is atomic).
After an interruption the next attempt asks for ``Range: bytes=<have>-``; a 206 whose Content-Range
starts there is appended, a 200 starts over. The file is renamed to its final name only once the byte
count matches the announced length, so a partial file never sits under the final name.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO
from urllib.parse import unquote, urlsplit

from .errors import DownloadError

__all__ = ["DownloadJob", "IncompleteDownload", "resolve_destination"]

ProgressCallback = Callable[[int, int | None], None]

_CONTENT_RANGE = re.compile(r"bytes\s+(\d+)-(\d+)/(\d+|\*)")


class IncompleteDownload(Exception):
    """The body ended before the announced length; another attempt may resume it."""


def resolve_destination(url: str, dest: str | os.PathLike[str]) -> Path:
    """``dest`` itself, or ``dest/<file name from the URL>`` when ``dest`` is a folder."""
    path = Path(dest)
    if path.is_dir() or str(dest).endswith(("/", os.sep)):
        name = unquote(urlsplit(url).path.rsplit("/", 1)[-1]) or "video.mp4"
        path = path / name
    return path


class DownloadJob:
    """One file being downloaded, possibly over several HTTP attempts."""

    def __init__(self, url: str, dest: Path, *, resume: bool, on_progress: ProgressCallback | None) -> None:
        self.url = url
        self.dest = dest
        self.part = dest.with_name(f".{dest.name}.part")
        self.resume = resume
        self.on_progress = on_progress
        self.total: int | None = None
        self._file: IO[bytes] | None = None
        self.dest.parent.mkdir(parents=True, exist_ok=True)
        self.have = self.part.stat().st_size if resume and self.part.exists() else 0

    def request_headers(self) -> dict[str, str]:
        """Headers for the next attempt (a Range when part of the file is already here)."""
        headers = {"Accept-Encoding": "identity"}  # the byte count must match Content-Length
        if self.have:
            headers["Range"] = f"bytes={self.have}-"
        return headers

    def begin(self, status: int, headers: Mapping[str, str]) -> None:
        """Start writing an attempt's body, given its status and headers."""
        if status == 206 and self.have:
            match = _CONTENT_RANGE.match(headers.get("content-range", ""))
            if match and int(match.group(1)) == self.have:
                self.total = None if match.group(3) == "*" else int(match.group(3))
                self._open("ab")
                return
            self.have = 0  # a range we did not ask for: start over
            raise IncompleteDownload(f"unexpected Content-Range {headers.get('content-range')!r}")
        if status == 416 and self.have:  # our part file is no prefix of this resource
            self.have = 0
            raise IncompleteDownload("range not satisfiable; starting over")
        if status != 200:
            raise DownloadError(f"HTTP {status}", url=self.url, http_status=status)
        self.have = 0
        length = headers.get("content-length")
        self.total = int(length) if length and length.isdigit() else None
        self._open("wb")

    def _open(self, mode: str) -> None:
        self.close()
        self._file = self.part.open("ab" if mode == "ab" else "wb")  # closed by close(), across driver calls

    def write(self, chunk: bytes) -> None:
        """Append a chunk and report progress."""
        assert self._file is not None
        self._file.write(chunk)
        self.have += len(chunk)
        if self.on_progress is not None:
            self.on_progress(self.have, self.total)

    def close(self) -> None:
        """Close the part file (kept for a later resume)."""
        if self._file is not None:
            self._file.close()
            self._file = None

    def finish(self) -> Path:
        """Verify the length and move the part file to its final name."""
        self.close()
        if self.total is not None and self.have != self.total:
            raise IncompleteDownload(f"got {self.have} of {self.total} bytes")
        os.replace(self.part, self.dest)
        return self.dest

    def abandon(self) -> None:
        """Give up: close, and delete the part file unless it is kept for resuming."""
        self.close()
        if not self.resume:
            self.part.unlink(missing_ok=True)
