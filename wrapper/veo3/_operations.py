"""The API's operations as the wrapper sees them: spec operationId, generated module, paid or not."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cached_property
from types import ModuleType

from . import _spec

__all__ = [
    "CREDITS",
    "DETAILS",
    "DOWNLOAD_URL",
    "EXTEND",
    "GENERATE",
    "GET_4K",
    "GET_1080P",
    "UPLOAD_BASE64",
    "UPLOAD_STREAM",
    "UPLOAD_URL",
    "Operation",
]


@dataclass(frozen=True)
class Operation:
    """One API operation: ``paid`` ones create billable work and are never repeated blindly."""

    operation_id: str
    #: The generated module under ``veo3_api.api`` (``tag.name``); imported on first use, which keeps
    #: ``from veo3 import Veo3Client`` from loading every operation and its models (BENCHMARKS.md, start-up).
    module_name: str
    paid: bool

    @cached_property
    def module(self) -> ModuleType:
        """The generated module whose ``sync_detailed``/``asyncio_detailed`` send this operation."""
        return importlib.import_module(f"veo3_api.api.{self.module_name}")

    @cached_property
    def own_server(self) -> str | None:
        """The spec's ``servers`` URL when the operation lives on another host (the upload host), else ``None``."""
        spec_op = _spec.operation(self.operation_id)
        return spec_op.server_url if spec_op.has_own_server else None

    @cached_property
    def errors_in_http_status(self) -> bool:
        """Whether errors come as real HTTP statuses (the File Upload API), not in-band codes."""
        return _spec.operation(self.operation_id).errors_in_http_status

    @property
    def form_ref(self) -> str:
        """The spec's ``$ref`` for this operation's ``multipart/form-data`` body."""
        ref = _spec.operation(self.operation_id).request_schema_ref("multipart/form-data")
        if ref is None:
            raise LookupError(f"{self.operation_id} takes no multipart body")
        return ref

    @property
    def body_ref(self) -> str:
        """The spec's ``$ref`` for this operation's JSON body."""
        ref = _spec.operation(self.operation_id).body_schema_ref
        if ref is None:
            raise LookupError(f"{self.operation_id} takes no body")
        return ref


GENERATE = Operation("generate-veo3-1-video", "veo.generate_veo3_1_video", paid=True)
EXTEND = Operation("extend-veo3-1-video", "veo.extend_veo3_1_video", paid=True)
GET_4K = Operation("get-veo3-1-4k-video", "veo.get_veo3_1_4k_video", paid=True)
DETAILS = Operation("get-veo3-1-video-details", "veo.get_veo3_1_video_details", paid=False)
GET_1080P = Operation("get-veo3-1-1080p-video", "veo.get_veo3_1_1080p_video", paid=False)
CREDITS = Operation("get-account-credits", "account.get_account_credits", paid=False)
# Only hands out a temporary link: repeating it costs nothing.
DOWNLOAD_URL = Operation("get-download-url", "account.get_download_url", paid=False)
# Uploads are free (kie's File Upload API), so they are retried like reads. Their own host: ``own_server``.
UPLOAD_STREAM = Operation("upload-file-stream", "upload.upload_file_stream", paid=False)
UPLOAD_URL = Operation("upload-file-url", "upload.upload_file_url", paid=False)
UPLOAD_BASE64 = Operation("upload-file-base64", "upload.upload_file_base64", paid=False)
