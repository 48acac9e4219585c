"""Local files meant for upload: is it there and readable, what is it (by content), is it a usable image.

The accepted image types and the size limit come from the spec (``x-image-limits`` on the stream upload's
form); only the magic numbers that recognise a type live here. Every check raises
``RequestValidationError`` before anything is sent.
"""

from __future__ import annotations

import os
from pathlib import Path

from veo3.errors import RequestValidationError

from . import _document as _spec

__all__ = ["check_image", "check_local_file", "sniff_media_type", "solid_png"]

# The first bytes of each type (what `file` would look at); WebP is a RIFF container tagged WEBP.
_MAGIC: tuple[tuple[str, bytes, int], ...] = (
    ("image/png", b"\x89PNG\r\n\x1a\n", 0),
    ("image/jpeg", b"\xff\xd8\xff", 0),
    ("image/webp", b"WEBP", 8),
    ("image/gif", b"GIF8", 0),
)
_HEAD = 16


def sniff_media_type(head: bytes) -> str | None:
    """The image media type ``head`` (a file's first bytes) starts with, or ``None`` if none is recognised."""
    for media_type, magic, offset in _MAGIC:
        if head[offset : offset + len(magic)] == magic and (media_type != "image/webp" or head[:4] == b"RIFF"):
            return media_type
    return None


def check_local_file(path: str | os.PathLike[str], field: str = "path") -> Path:
    """``path`` as a ``Path`` if it is a readable regular file; else ``RequestValidationError`` naming ``field``."""
    resolved = Path(os.fspath(path)).expanduser()
    if not resolved.exists():
        raise RequestValidationError(field, "exists", str(path), "no such file")
    if not resolved.is_file():
        raise RequestValidationError(field, "isFile", str(path), "not a regular file")
    try:
        with resolved.open("rb"):
            pass
    except OSError as exc:
        raise RequestValidationError(field, "readable", str(path), f"cannot be read: {exc.strerror}") from exc
    return resolved


def check_image(path: str | os.PathLike[str], field: str = "image") -> tuple[Path, str]:
    """Check a local image against the spec's limits (type by content, size); returns it and its media type."""
    resolved = check_local_file(path, field)
    limits = _spec.image_limits()
    size = resolved.stat().st_size
    if size > limits.max_bytes:
        raise RequestValidationError(
            field, "maxBytes", str(path), f"{size} bytes is more than the documented limit of {limits.max_bytes}"
        )
    with resolved.open("rb") as fh:
        head = fh.read(_HEAD)
    media_type = sniff_media_type(head)
    if media_type not in limits.media_types:
        shown = media_type or "not a recognised image"
        accepted = ", ".join(limits.media_types)
        raise RequestValidationError(field, "mediaType", str(path), f"{shown} (by its content); kie accepts {accepted}")
    return resolved, media_type


def solid_png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A solid-colour PNG drawn with the stdlib (zlib + struct): a real image for demos and tests."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + bytes(rgb) * width  # filter byte 0, then one RGB triple per pixel
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit truecolour
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )
