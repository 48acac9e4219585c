"""Make the simulator's media assets once: a tiny playable H.264 MP4 and a JPEG preview.

Run `uv run --frozen python scripts/make_mock_media.py` and commit the files under
`wrapper/veo3/mock/assets/`; the simulator serves them for every result URL.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av

ASSETS = Path(__file__).resolve().parent.parent / "wrapper" / "veo3" / "mock" / "assets"
WIDTH, HEIGHT, FPS, SECONDS = 128, 72, 8, 2


def frame_pixels(index: int) -> av.VideoFrame:
    """A moving gradient (RGB), so every frame differs and decoders have something to show."""
    rgb = bytearray()
    for y in range(HEIGHT):
        for x in range(WIDTH):
            rgb += bytes(((x * 2 + index * 8) % 256, (y * 3 + index * 4) % 256, 160))
    frame = av.VideoFrame(WIDTH, HEIGHT, "rgb24")
    frame.planes[0].update(bytes(rgb))  # WIDTH * 3 is a multiple of the plane alignment: no padding
    return frame


def make_video(path: Path) -> None:
    with av.open(str(path), mode="w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=FPS)
        stream.width, stream.height, stream.pix_fmt = WIDTH, HEIGHT, "yuv420p"
        stream.time_base = Fraction(1, FPS)
        stream.options = {"crf": "35", "preset": "veryslow", "tune": "stillimage"}
        for index in range(FPS * SECONDS):
            frame = frame_pixels(index).reformat(format="yuv420p")
            frame.pts = index
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))


def make_preview(path: Path) -> None:
    with av.open(str(path), mode="w", format="image2") as container:
        stream = container.add_stream("mjpeg", rate=1)
        stream.width, stream.height, stream.pix_fmt = WIDTH, HEIGHT, "yuvj420p"
        frame = frame_pixels(0).reformat(format="yuvj420p")
        container.mux(stream.encode(frame))
        container.mux(stream.encode(None))


def main() -> None:
    ASSETS.mkdir(parents=True, exist_ok=True)
    make_video(ASSETS / "sample.mp4")
    make_preview(ASSETS / "preview.jpg")
    for name in ("sample.mp4", "preview.jpg"):
        print(f"{name}: {(ASSETS / name).stat().st_size} bytes")


if __name__ == "__main__":
    main()
