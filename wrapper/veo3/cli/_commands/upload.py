"""``veo3 upload`` and ``generate --image``: local files checked, then uploaded with a progress bar.

Every check runs before the first request (exit 2, nothing sent): a file that is missing or unreadable,
an ``--image`` that is not an image kie accepts (by content, not by name) or is larger than the
documented limit (both from the spec's ``x-image-limits``), more images than the generation mode takes
(the spec's ``x-max-images``/``maxItems``), and the generate request itself (validated with stand-in URLs).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from veo3 import UploadedFile
    from veo3.cli._session import Session

_URL = re.compile(r"^https?://", re.IGNORECASE)
#: Stands in for an image's URL while the generate request is validated, before anything is uploaded.
_PLACEHOLDER = "https://upload.invalid/image.png"


def check_images(images: Sequence[str], request: dict[str, Any]) -> list[str | Path]:
    """Each ``--image`` as a URL (kept) or a checked local file; ``RequestValidationError`` otherwise."""
    from veo3._core._upload import LOCAL_FILES_FIELD
    from veo3._spec import _document as _spec
    from veo3._spec._images import check_image
    from veo3.errors import RequestValidationError

    generation_type = request.get(_spec.python_name("generationType"))
    urls_before = len(request.get(LOCAL_FILES_FIELD) or [])
    limit = _spec.max_images(generation_type) if generation_type in _modes() or generation_type is None else None
    total = urls_before + len(images)
    if limit is not None and total > limit:
        mode = generation_type or "any mode"
        raise RequestValidationError("image", "maxItems", total, f"{mode} takes at most {limit} image(s)")
    return [item if _URL.match(item) else check_image(item, f"image {item!r}")[0] for item in images]


def _modes() -> frozenset[str]:
    from veo3._spec import _document as _spec

    return frozenset(_spec.resolve("#/components/schemas/GenerationType")["enum"])


def upload_images(session: Session, request: dict[str, Any], images: list[str | Path]) -> None:
    """Validate the generate ``request`` with stand-ins for ``images``, upload the local ones (progress on
    stderr), and set the request's image URLs to the URLs in order (after any ``--image-urls``)."""
    from veo3._core._upload import LOCAL_FILES_FIELD

    given = list(request.get(LOCAL_FILES_FIELD) or [])
    options = {k: v for k, v in request.items() if k != "prompt"}
    stand_ins = given + [_PLACEHOLDER] * len(images)
    # Validation only (the flow is closed unrun): a request the spec forbids exits 2 before any upload.
    session.client.engine.flows.generate(request["prompt"], {**options, LOCAL_FILES_FIELD: stand_ins}).close()
    urls = [item if isinstance(item, str) else _upload(session, item).url for item in images]
    request[LOCAL_FILES_FIELD] = given + urls


def _upload(session: Session, path: Path) -> UploadedFile:
    with session.out.download_progress(f"uploading {path.name}") as on_progress:
        uploaded = session.client.upload_file(path, on_progress=on_progress)
    session.out.note(f"uploaded {path} -> {uploaded.url}")
    return uploaded


def upload_command(session: Session, files: Sequence[Path], upload_path: str | None) -> int:
    """``veo3 upload FILE...``: every file checked first, then each uploaded; prints the URLs."""
    from rich.markup import escape

    from veo3._spec._images import check_local_file
    from veo3.cli._exit import ExitCode

    local = [check_local_file(f, f"file {str(f)!r}") for f in files]
    client = session.client  # a missing key fails here, before anything is sent
    documents = []
    for path in local:
        with session.out.download_progress(f"uploading {path.name}") as on_progress:
            if upload_path is None:
                uploaded = client.upload_file(path, on_progress=on_progress)
            else:
                uploaded = client.upload_file(path, upload_path=upload_path, on_progress=on_progress)
        documents.append(
            {
                "path": str(path),
                "url": uploaded.url,
                "file_name": uploaded.file_name,
                "size": uploaded.size,
                "mime_type": uploaded.mime_type,
                "retries_taken": uploaded.retries_taken,
            }
        )

    def render(console: Any) -> None:
        for document in documents:
            console.print(escape(str(document["url"])), soft_wrap=True)

    session.out.result({"files": documents}, render)
    return ExitCode.OK
