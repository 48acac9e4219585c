"""Poster frames: one still JPEG per video, taken with PyAV (the optional ``veo3[gallery]`` extra).

Without PyAV :func:`make_poster` returns ``False`` and the page shows the video element itself, whose
first frame the browser draws (``preload="metadata"``): the same picture, at the cost of the browser
opening every video.
"""

from __future__ import annotations

import os
from fractions import Fraction
from pathlib import Path

#: Posters are scaled to this width (tiles are at most ~400 CSS px wide; 2x for sharp phone screens).
WIDTH = 640


def pyav_available() -> bool:
    """Whether posters can be made here (PyAV importable)."""
    try:
        import av  # noqa: F401
    except ImportError:
        return False
    return True


def make_poster(video: Path, dest: Path, width: int = WIDTH) -> bool:
    """Write ``dest`` (JPEG) from a frame a third of a second into ``video`` (the very first frame is often
    black); ``False`` when PyAV is missing or the file does not decode (a broken download is shown as such,
    never as a crash of the batch). Written beside ``dest`` and renamed: never half a file."""
    try:
        import av
    except ImportError:
        return False
    partial = dest.with_name(f".{dest.name}.part")
    try:
        with av.open(str(video)) as container:
            stream = container.streams.video[0]
            frame = None
            for frame in container.decode(stream):
                if frame.time is not None and frame.time >= 1 / 3:
                    break
            if frame is None:
                return False
            scale = min(1.0, width / frame.width)
            # Even dimensions: the JPEG encoder's 4:2:0 chroma needs them.
            w, h = max(2, int(frame.width * scale) // 2 * 2), max(2, int(frame.height * scale) // 2 * 2)
            encoder = av.CodecContext.create("mjpeg", "w")
            encoder.width, encoder.height, encoder.pix_fmt = w, h, "yuvj420p"
            encoder.time_base = Fraction(1, 25)
            still = frame.reformat(width=w, height=h, format="yuvj420p")
            data = b"".join(bytes(p) for p in [*encoder.encode(still), *encoder.encode(None)])
    except (av.FFmpegError, OSError, IndexError, ValueError):
        return False
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial.write_bytes(data)
    os.replace(partial, dest)
    return True
