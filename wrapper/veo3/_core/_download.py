"""A media download: the attempts as a sans-IO flow (``download_flow``) and each attempt as a state machine
(``DownloadJob``): the drivers stream bytes in, this decides what they mean.

Sans-IO for the network, not for the file system: the job writes its part file itself, and choosing the
destination looks at the disk (is ``dest`` a folder?), as a download cannot be decided without it.

The bytes go to ``.<name>.part`` next to the destination (same folder, so the final rename is atomic).
After an interruption the next attempt asks for ``Range: bytes=<have>-``; a 206 whose Content-Range
starts there is appended, a 200 starts over. The file is renamed to its final name only once the byte
count matches the announced length, so a partial file never sits under the final name.

Everything a server sends is untrusted here: the file name taken from a URL (or a task id) is reduced to
one safe base name that can only land inside the folder the user chose (:func:`safe_file_name`), the
part file is never followed through a symlink and resumed only when it is our own regular file, and a
body longer than announced or than :data:`MAX_DOWNLOAD_BYTES` is refused.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO, NoReturn
from urllib.parse import unquote, urlsplit

from veo3.errors import DownloadError, TransportError

from ._effects import Flow, Sleep, Stream, TransportFailed
from ._policy import Failure, RetryPolicy, retryable_code

__all__ = [
    "DEFAULT_NAME",
    "MAX_DOWNLOAD_BYTES",
    "DownloadJob",
    "IncompleteDownload",
    "download_flow",
    "name_from_url",
    "resolve_destination",
    "safe_file_name",
]

ProgressCallback = Callable[[int, int | None], None]

_CONTENT_RANGE = re.compile(r"bytes\s+(\d+)-(\d+)/(\d+|\*)")

#: The name a download gets when nothing safe can be taken from the server's text.
DEFAULT_NAME = "video.mp4"
#: A media file larger than this is refused (a Veo clip is tens of MB; this only stops a hostile or broken
#: server from filling the disk with an endless or absurdly announced body).
MAX_DOWNLOAD_BYTES = 8 << 30
# NAME_MAX is 255 bytes on the usual file systems; ``.<name>.part`` adds 6, and some room is left for them.
_MAX_NAME_BYTES = 200
_MAX_SUFFIX_CHARS = 16
# Characters Windows refuses in a file name (and ``:`` would open an NTFS alternate data stream).
_FORBIDDEN = str.maketrans(dict.fromkeys('<>:"|?*', "_"))
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{port}{n}" for port in ("COM", "LPT") for n in (*"123456789", "\u00b9", "\u00b2", "\u00b3")}
)
_MAX_DECODES = 8  # "%252e%252e" is ".." twice removed; more layers than this are decoded no further


class IncompleteDownload(Exception):
    """The body ended before the announced length; another attempt may resume it."""


def _decoded(text: str) -> str:
    for _ in range(_MAX_DECODES):
        once = unquote(text)
        if once == text:
            break
        text = once
    return text


def safe_file_name(text: str, fallback: str = DEFAULT_NAME) -> str:
    """One base name made from untrusted ``text``, safe to join to any folder; ``fallback`` if nothing is left.

    Percent-encoding is undone (repeatedly), anything up to the last ``/`` or ``\\`` is dropped, as are
    control and format characters (NUL, newlines, bidi overrides), characters Windows forbids, leading dots
    and spaces (no hidden files, no ``..``), trailing dots and spaces; a Windows device name (``CON``,
    ``NUL``, ``COM1``, ...) gets a ``_`` prefix, and a name over 200 UTF-8 bytes is shortened, keeping its
    extension. A name without an extension is not a media file name: ``fallback`` (itself made safe the same
    way, else :data:`DEFAULT_NAME`) is used instead.
    """
    name = _decoded(text).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if not unicodedata.category(c).startswith("C")).translate(_FORBIDDEN)
    name = name.lstrip(". ").rstrip(". ")
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem.strip(". ") or not suffix:
        return DEFAULT_NAME if fallback == DEFAULT_NAME else safe_file_name(fallback)
    if stem.split(".", 1)[0].rstrip(" ").upper() in _RESERVED:
        stem = "_" + stem
    suffix = suffix[:_MAX_SUFFIX_CHARS].rstrip(". ")
    if not suffix:
        return DEFAULT_NAME if fallback == DEFAULT_NAME else safe_file_name(fallback)
    budget = _MAX_NAME_BYTES - len(suffix.encode()) - 1
    stem = stem.encode()[:budget].decode("utf-8", "ignore").rstrip(". ")
    return f"{stem}.{suffix}" if stem else DEFAULT_NAME


def name_from_url(url: str, fallback: str = DEFAULT_NAME) -> str:
    """The safe file name for a download from ``url``: its path's last segment (see :func:`safe_file_name`)."""
    return safe_file_name(urlsplit(url).path.rsplit("/", 1)[-1], fallback)


def resolve_destination(dest: str | os.PathLike[str] | None, name: str) -> Path:
    """The file a download writes: ``dest`` itself, or ``dest/<safe name>`` when ``dest`` is a folder.

    ``dest`` is a folder when it is ``None`` (the current folder), exists as one, or ends with a path
    separator (``videos/``); ``~`` is expanded. ``name`` is untrusted (a URL's or a task's name) and goes
    through :func:`safe_file_name`; the result is checked to sit directly inside ``dest`` all the same.
    A ``dest`` naming a file is the caller's own choice and is used as given.
    """
    if dest is None:
        folder = Path.cwd()
    else:
        text = os.fspath(dest)
        path = Path(text).expanduser()
        if not (path.is_dir() or text.endswith(("/", "\\", os.sep))):
            return path
        folder = path
    target = folder / safe_file_name(name)
    if target.parent != folder or target.name in ("", ".", ".."):  # defence in depth: never outside ``folder``
        raise DownloadError(f"refusing the file name {name!r}", url=name)
    return target


def _own_regular_file(path: Path) -> bool:
    """Whether ``path`` is a regular file (not a symlink) owned by this user: only such a part file is resumed."""
    try:
        info = path.lstat()
    except OSError:
        return False
    getuid = getattr(os, "getuid", None)
    return stat.S_ISREG(info.st_mode) and (getuid is None or info.st_uid == getuid())


class DownloadJob:
    """One file being downloaded, possibly over several HTTP attempts."""

    def __init__(self, url: str, dest: Path, *, resume: bool, on_progress: ProgressCallback | None) -> None:
        self.url = url
        self.dest = dest
        self.part = dest.with_name(f".{dest.name}.part")
        self.resume = resume
        self.on_progress = on_progress
        self.total: int | None = None
        self.max_bytes = MAX_DOWNLOAD_BYTES
        self._file: IO[bytes] | None = None
        self.dest.parent.mkdir(parents=True, exist_ok=True)
        # Only our own regular file is resumed: in a shared folder another user could plant a symlink there.
        self.have = self.part.stat().st_size if resume and _own_regular_file(self.part) else 0

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
                self._check_size(self.total)
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
        self._check_size(self.total)
        self._open("wb")

    def _check_size(self, size: int | None) -> None:
        if size is not None and size > self.max_bytes:
            self._refuse(f"{size} bytes is more than the {self.max_bytes} accepted")

    def _refuse(self, reason: str) -> NoReturn:
        self.resume = False  # what was written is not worth keeping for a resume
        raise DownloadError(reason, url=self.url)

    def _open(self, mode: str) -> None:
        self.close()
        # O_NOFOLLOW: a symlink planted at the part file's name is refused, never written through.
        flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
        flags |= os.O_APPEND if mode == "ab" else os.O_TRUNC
        try:
            descriptor = os.open(self.part, flags, 0o666)
        except OSError as exc:
            raise DownloadError(f"cannot write {self.part}: {exc.strerror}", url=self.url) from exc
        self._file = os.fdopen(descriptor, mode)  # closed by close(), across driver calls

    def write(self, chunk: bytes) -> None:
        """Append a chunk and report progress; a body longer than announced (or than ``max_bytes``) is refused."""
        assert self._file is not None
        if self.have + len(chunk) > (self.max_bytes if self.total is None else min(self.total, self.max_bytes)):
            self._refuse(f"the body is longer than the {self.total or self.max_bytes} bytes expected")
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


def download_flow(job: DownloadJob, policy: RetryPolicy) -> Flow[Path]:
    """Attempt ``job`` until it is complete: resumed after an interruption, paced by ``policy``.

    An attempt that made progress earns a fresh retry budget (a long download over a flaky link must not
    fail for interruptions spread over an hour); an HTTP status the policy would not repeat, a redirect to
    another scheme or a redirect loop end it at once. The part file is removed when it ends in failure.
    """
    failures = 0
    try:
        while True:
            had = job.have
            try:
                yield Stream(job)
                return job.finish()
            except (TransportFailed, IncompleteDownload, DownloadError) as exc:
                if isinstance(exc, DownloadError) and not retryable_code(exc.http_status or 0, paid=False):
                    raise
                # A redirect to file:// or another scheme, or a redirect loop: a repeat would do the same.
                if isinstance(exc, TransportFailed) and exc.failure is Failure.SETUP:
                    raise DownloadError(f"refused: {exc.name}: {exc}", url=job.url) from exc
                job.close()
                failures = 0 if job.have > had else failures + 1  # progress earns a fresh budget
                if failures > policy.max_retries:
                    name = exc.name if isinstance(exc, TransportFailed) else type(exc).__name__
                    raise TransportError(f"download interrupted: {name}: {exc}", retries_taken=failures - 1) from exc
                yield Sleep(policy.delay(failures - 1))
    except BaseException:
        job.abandon()
        raise
