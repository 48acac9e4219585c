"""The simulator's media files: every result URL serves the same tiny, playable MP4 (or JPEG preview).

The assets are made once by ``scripts/make_mock_media.py`` and committed. Starlette's ``FileResponse``
answers ``Range`` requests (206, ``Content-Range``, ``Accept-Ranges``).
"""

from __future__ import annotations

from pathlib import Path

ASSETS = Path(__file__).resolve().parent / "assets"
VIDEO = ASSETS / "sample.mp4"
PREVIEW = ASSETS / "preview.jpg"


def asset_for(name: str) -> tuple[Path, str]:
    """The file and media type served for a media name such as ``video.mp4`` or ``4k.jpg``."""
    if name.endswith(".jpg"):
        return PREVIEW, "image/jpeg"
    return VIDEO, "video/mp4"
