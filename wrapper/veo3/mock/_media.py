"""The simulator's media files: a tiny, playable MP4 as long as the task asked for (or a JPEG preview).

The assets are made once by ``scripts/make_mock_media.py`` and committed. A video of another length is the
same frames on a stretched clock: every duration and timestamp of the MP4's ``moov`` box is multiplied by
the wanted seconds and every timescale by the asset's own seconds, so any whole number of seconds (a
``duration`` value the spec may add tomorrow included) plays that long without re-encoding. Those files
are written once per length to a private temporary folder, so Starlette's ``FileResponse`` can answer
``Range`` requests (206, ``Content-Range``, ``Accept-Ranges``) as it does for the assets.
"""

from __future__ import annotations

import struct
import tempfile
import threading
from pathlib import Path

ASSETS = Path(__file__).resolve().parent / "assets"
VIDEO = ASSETS / "sample.mp4"
PREVIEW = ASSETS / "preview.jpg"

# Boxes that hold other boxes on the way to the ones rewritten below.
_CONTAINERS = frozenset({b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts"})
_lock = threading.Lock()
_made: dict[int, Path] = {}


def asset_for(name: str, seconds: int | None = None) -> tuple[Path, str]:
    """The file and media type served for a media name such as ``video.mp4`` or ``4k.jpg``.

    ``seconds``: how long the video plays (``None``: the asset's own length).
    """
    if name.endswith(".jpg"):
        return PREVIEW, "image/jpeg"
    return (VIDEO if seconds is None else video_of(seconds)), "video/mp4"


def video_of(seconds: int) -> Path:
    """The sample video stretched to play ``seconds`` long (made on first use, then reused)."""
    if isinstance(seconds, bool) or not isinstance(seconds, int) or not 1 <= seconds <= 3600:
        raise ValueError(f"a video length must be 1-3600 whole seconds, got {seconds!r}")
    with _lock:
        path = _made.get(seconds)
        if path is None:
            folder = Path(tempfile.mkdtemp(prefix="veo3-mock-media-"))
            path = folder / f"sample-{seconds}s.mp4"
            path.write_bytes(stretched(VIDEO.read_bytes(), seconds))
            _made[seconds] = path
        return path


def own_seconds(mp4: bytes) -> int:
    """The whole number of seconds an MP4 asset plays (its ``mvhd`` duration over its timescale)."""
    for kind, start, _ in _boxes(mp4, 0, len(mp4)):
        if kind == b"mvhd":
            timescale, duration = _time_fields(mp4, start)
            seconds, rest = divmod(duration, timescale)
            if rest:
                raise ValueError("the asset must last a whole number of seconds")
            return seconds
    raise ValueError("no mvhd box")


def stretched(mp4: bytes, seconds: int) -> bytes:
    """``mp4`` made to play ``seconds`` long: durations times ``seconds``, timescales times its own length."""
    own = own_seconds(mp4)
    out = bytearray(mp4)
    for kind, start, _end in _boxes(mp4, 0, len(mp4)):
        version = mp4[start]
        if kind in (b"mvhd", b"mdhd"):
            _scale_times(out, start, version, own, seconds)
        elif kind == b"tkhd":  # duration after ids: v0 at +20, v1 at +28 (8-byte times)
            _scale(out, start + (28 if version else 20), 8 if version else 4, seconds)
        elif kind in (b"stts", b"ctts"):  # entries of (count, delta or offset)
            count = struct.unpack_from(">I", mp4, start + 4)[0]
            for i in range(count):
                _scale(out, start + 8 + 8 * i + 4, 4, seconds, signed=kind == b"ctts")
        elif kind == b"elst":  # entries of (segment duration, media time, rate)
            count = struct.unpack_from(">I", mp4, start + 4)[0]
            width = 8 if version else 4
            for i in range(count):
                entry = start + 8 + i * (2 * width + 4)
                _scale(out, entry, width, seconds)
                if struct.unpack_from(">q" if version else ">i", mp4, entry + width)[0] >= 0:  # -1: empty edit
                    _scale(out, entry + width, width, seconds, signed=True)
    return bytes(out)


def _boxes(data: bytes, start: int, end: int) -> list[tuple[bytes, int, int]]:
    """``(type, payload start, end)`` of every box below ``start``..``end``, depth first."""
    found = []
    at = start
    while at + 8 <= end:
        size, kind = struct.unpack_from(">I4s", data, at)
        header = 8
        if size == 1:
            size, header = struct.unpack_from(">Q", data, at + 8)[0], 16
        if size < header or at + size > end:
            raise ValueError(f"malformed MP4 box {kind!r}")
        found.append((kind, at + header, at + size))
        if kind in _CONTAINERS:
            found += _boxes(data, at + header, at + size)
        at += size
    return found


def _time_fields(data: bytes, start: int) -> tuple[int, int]:
    """``(timescale, duration)`` of an ``mvhd``/``mdhd`` payload."""
    if data[start]:
        return struct.unpack_from(">IQ", data, start + 20)
    return struct.unpack_from(">II", data, start + 12)


def _scale_times(out: bytearray, start: int, version: int, own: int, seconds: int) -> None:
    at = start + (20 if version else 12)
    _scale(out, at, 4, own)  # timescale
    _scale(out, at + 4, 8 if version else 4, seconds)  # duration


def _scale(out: bytearray, at: int, width: int, factor: int, *, signed: bool = False) -> None:
    code = {4: "i" if signed else "I", 8: "q" if signed else "Q"}[width]
    value = struct.unpack_from(">" + code, out, at)[0]
    struct.pack_into(">" + code, out, at, value * factor)
