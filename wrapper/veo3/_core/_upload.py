"""Uploads through kie's File Upload API, written once as sans-IO flows (see ``_effects``).

The upload operations live on their own host (the spec's ``servers`` entry on their paths; the drivers
route them), answer in their own envelope with real HTTP error statuses (``UploadError`` and subclasses),
and are free, so they are retried like reads. A file travels as streamed multipart: httpx reads the open
file in 64 KiB chunks, so memory stays flat whatever its size, and rewinds it before a retry.

kie overwrites a file uploaded under an existing name, so names are made unique unless the caller
chooses one.
"""

from __future__ import annotations

import io
import os
import uuid
from collections.abc import Callable, Sequence
from pathlib import PurePosixPath
from typing import IO, TYPE_CHECKING, Any, BinaryIO, cast
from urllib.parse import urlsplit

from veo3_api import models
from veo3_api.types import File

from veo3._spec import _document as _spec
from veo3._spec._images import check_local_file, sniff_media_type
from veo3._spec._operations import UPLOAD_STREAM, UPLOAD_URL, Operation
from veo3._spec._validation import build_body, check_body
from veo3.errors import RequestValidationError
from veo3.types import UploadedFile

from ._request import Answer, Unreadable, request

if TYPE_CHECKING:
    from ._effects import Flow
    from ._request import Context

__all__ = [
    "DEFAULT_UPLOAD_PATH",
    "LOCAL_FILES_FIELD",
    "ImageSource",
    "UploadOps",
    "UploadProgress",
    "has_local_files",
    "unique_name",
]

#: Folder uploads go to unless the caller names one (kie's ``uploadPath``).
DEFAULT_UPLOAD_PATH = "veo3/uploads"
#: ``on_progress(bytes_sent, total_bytes)`` during a file upload (``total`` is ``None`` if unknown).
UploadProgress = Callable[[int, int | None], None]
#: An ``image_urls`` entry: a URL (passed through) or a local file (uploaded first).
ImageSource = str | os.PathLike[str]
#: The one request field whose entries may be local files (generate's ``imageUrls``): kie must fetch the
#: images itself, so a path is uploaded first and replaced by its URL. ``veo3.params`` types it to match.
LOCAL_FILES_FIELD = "image_urls"

# A placeholder that satisfies the URL rules: validation of a generate request runs before its uploads.
_PLACEHOLDER_URL = "https://upload.invalid/pending.png"


def unique_name(original: str) -> str:
    """A fresh name keeping ``original``'s extension (lower-cased, if it is a plain one)."""
    suffix = PurePosixPath(original.replace("\\", "/")).suffix.lower()
    if not (suffix[1:].isascii() and suffix[1:].isalnum() and len(suffix) <= 8):
        suffix = ""
    return uuid.uuid4().hex + suffix


def _url_path(url: str) -> str:
    """The path of an http(s) URL ("" for anything else, or a URL too broken to split)."""
    if not url.startswith(("http://", "https://")):
        return ""
    try:
        return urlsplit(url).path
    except ValueError:
        return ""


def has_local_files(image_urls: object) -> bool:
    """Whether ``image_urls`` (as given to ``generate``) holds a local path that must be uploaded first."""
    if isinstance(image_urls, str | bytes) or not isinstance(image_urls, Sequence):
        return False
    return any(isinstance(item, os.PathLike) for item in image_urls)


class _ProgressReader:
    """A binary file that reports how much of it was read; httpx's multipart reads it in chunks, rewinding
    first (so a retried upload reports from zero again)."""

    def __init__(self, raw: IO[bytes], total: int | None, on_progress: UploadProgress | None) -> None:
        self._raw = raw
        self._total = total
        self._on_progress = on_progress
        self._sent = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self._raw.read(size)
        if chunk:
            self._sent += len(chunk)
            if self._on_progress is not None:
                self._on_progress(self._sent, self._total)
        return chunk

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        position = self._raw.seek(offset, whence)
        self._sent = position
        return position

    def tell(self) -> int:
        return self._raw.tell()

    def fileno(self) -> int:  # lets httpx learn the length (Content-Length) without reading the file
        return self._raw.fileno()


def _uploaded(op: Operation) -> Callable[[Answer], UploadedFile]:
    """The result reader of an upload operation (see ``_read_upload``)."""
    ref = _spec.operation(op.operation_id).success_schema_ref
    return lambda answer: _read_upload(ref, answer)


def _read_upload(envelope_ref: str, answer: Answer) -> UploadedFile:
    """The result, read leniently but never outside the spec: kie documents two shapes, so the envelope is
    checked against the spec's schema (which needs only a URL), then ``downloadUrl`` wins, else ``fileUrl``."""
    envelope = answer.envelope.to_dict() if hasattr(answer.envelope, "to_dict") else None
    error = next(iter(_spec.validator(envelope_ref).iter_errors(envelope)), None)
    if error is not None:
        where = "/".join(str(p) for p in error.path) or "(envelope)"
        raise Unreadable(f"{where}: {error.message}")
    data = envelope.get("data") if isinstance(envelope, dict) else None
    if not isinstance(data, dict):
        raise Unreadable("data is not an upload result")
    size = data.get("fileSize")
    return UploadedFile(
        url=str(data.get("downloadUrl") or data["fileUrl"]),
        file_name=_text(data.get("fileName")),
        file_path=_text(data.get("filePath")),
        size=size if isinstance(size, int) else None,
        mime_type=_text(data.get("mimeType")),
        uploaded_at=_text(data.get("uploadedAt")),
        retries_taken=answer.retries_taken,
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _media_type(head: bytes, name: str) -> str:
    import mimetypes

    return sniff_media_type(head) or mimetypes.guess_type(name)[0] or "application/octet-stream"


class UploadOps:
    """The upload operations of ``Core`` (a mixin: it needs the core's request ``ctx``).

    Every keyword is required here: the defaults are the client faces' (``Veo3Client.upload_file``...), once.
    """

    ctx: Context

    def upload_file(
        self,
        path: str | os.PathLike[str],
        *,
        upload_path: str,
        file_name: str | None,
        on_progress: UploadProgress | None,
    ) -> Flow[UploadedFile]:
        """Upload a local file (streamed multipart, constant memory) under a unique name unless ``file_name``."""
        local = check_local_file(path)
        name = file_name if file_name is not None else unique_name(local.name)
        sent = self._form(upload_path, name)
        return self._stream(lambda: local.open("rb"), sent, on_progress)

    def upload_bytes(
        self, data: bytes, file_name: str, *, upload_path: str, unique: bool, on_progress: UploadProgress | None
    ) -> Flow[UploadedFile]:
        """Upload bytes as a file; stored under a unique name with ``file_name``'s extension unless not ``unique``."""
        if not isinstance(data, bytes | bytearray | memoryview):
            raise RequestValidationError("data", "type", type(data).__name__, "give bytes")
        if not isinstance(file_name, str) or not file_name:
            raise RequestValidationError("file_name", "minLength", file_name, "name the file (with its extension)")
        sent = self._form(upload_path, unique_name(file_name) if unique else file_name)
        payload = bytes(data)
        return self._stream(lambda: io.BytesIO(payload), sent, on_progress)

    def upload_url(self, url: str, *, upload_path: str, file_name: str | None) -> Flow[UploadedFile]:
        """Have kie download ``url`` and store it (under a unique name unless ``file_name``)."""
        name = file_name
        if name is None and isinstance(url, str):
            name = unique_name(_url_path(url))
        values = {"file_url": url, "upload_path": upload_path, "file_name": name}
        body_model, body = build_body(models.UploadUrlRequest, UPLOAD_URL.body_ref, values)
        return request(self.ctx, UPLOAD_URL, {"body": body_model}, _uploaded(UPLOAD_URL), sent=body)

    def resolve_images(
        self,
        image_urls: Sequence[ImageSource],
        *,
        upload_path: str = DEFAULT_UPLOAD_PATH,
        on_progress: Callable[[int, int, int | None], None] | None = None,
    ) -> Flow[list[str]]:
        """``image_urls`` with every local path uploaded (in order) and replaced by its URL; strings pass.

        Every path is checked before the first upload. ``on_progress(index, sent, total)`` per file.
        """
        for i, item in enumerate(image_urls):
            if isinstance(item, os.PathLike):
                check_local_file(item, f"image_urls[{i}]")
        return self._resolve(list(image_urls), upload_path, on_progress)

    def _resolve(
        self,
        items: list[ImageSource],
        upload_path: str,
        on_progress: Callable[[int, int, int | None], None] | None,
    ) -> Flow[list[str]]:
        urls: list[str] = []
        for i, item in enumerate(items):
            if not isinstance(item, os.PathLike):
                urls.append(item)
                continue
            report = None if on_progress is None else (lambda sent, total, i=i: on_progress(i, sent, total))
            uploaded = yield from self.upload_file(item, upload_path=upload_path, file_name=None, on_progress=report)
            urls.append(uploaded.url)
        return urls

    def with_uploaded_images(
        self, image_urls: Sequence[ImageSource], create: Callable[[list[str] | None], Flow[Any]]
    ) -> Flow[Any]:
        """Run ``create(urls)`` after uploading ``image_urls``' local files; ``create`` is first called once
        with placeholders and closed unrun, so a request the spec forbids fails before any upload."""
        create([_PLACEHOLDER_URL] * len(image_urls)).close()
        uploads = self.resolve_images(image_urls)
        return self._then(uploads, create)

    @staticmethod
    def _then(uploads: Flow[list[str]], create: Callable[[list[str] | None], Flow[Any]]) -> Flow[Any]:
        urls = yield from uploads
        return (yield from create(urls))

    # -- helpers -------------------------------------------------------------------------------------

    @staticmethod
    def _form(upload_path: str, file_name: str) -> dict[str, Any]:
        """The form's text fields, checked against the spec (the file part is checked when opened)."""
        values = {"file": "", "upload_path": upload_path, "file_name": file_name}
        body = check_body(models.UploadStreamRequest, UPLOAD_STREAM.form_ref, values)
        body.pop("file")
        return body

    def _stream(
        self, open_file: Callable[[], IO[bytes]], sent: dict[str, Any], on_progress: UploadProgress | None
    ) -> Flow[UploadedFile]:
        with open_file() as raw:
            head = raw.read(16)
            total = raw.seek(0, io.SEEK_END)
            raw.seek(0)
            reader = _ProgressReader(raw, total, on_progress)
            name = str(sent["fileName"])
            part = File(payload=cast(BinaryIO, reader), file_name=name, mime_type=_media_type(head, name))
            form = models.UploadStreamRequest(file=part, upload_path=sent["uploadPath"], file_name=name)
            return (yield from request(self.ctx, UPLOAD_STREAM, {"body": form}, _uploaded(UPLOAD_STREAM), sent=sent))
