"""A batch's contact sheet: ``index.html`` beside ``manifest.jsonl``, one tile per job.

``veo3 batch`` keeps it current while it runs; ``veo3 gallery DIR`` (or :func:`write_gallery`) rebuilds it
from the manifest. Each tile shows a poster frame (PyAV, the ``veo3[gallery]`` extra; without it the
browser draws the video's first frame), the prompt, the status, the request's fields (model, duration,
...), the credits and the task ids; a click plays the video; a job that did not succeed shows its error and
what to do. The page is one self-contained file (no CDN, works offline and on a phone) and every text in it
is escaped: prompts are user text, file names and errors come from the server.
"""

from veo3.gallery._page import ADVICE, INDEX, MANIFEST, GalleryWriter, Tile, read_manifest, render, tile, write_gallery
from veo3.gallery._poster import make_poster, pyav_available

__all__ = [
    "ADVICE",
    "INDEX",
    "MANIFEST",
    "GalleryWriter",
    "Tile",
    "make_poster",
    "pyav_available",
    "read_manifest",
    "render",
    "tile",
    "write_gallery",
]
