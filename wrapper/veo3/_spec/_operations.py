"""The API's operations as the wrapper sees them: the spec's operation, its generated module, paid or not.

Everything here is read from the spec: whether an operation is paid (``x-paid``), whether creates are paced
(``x-rate-limit``), its host (a ``servers`` entry of its own: the upload host), whether its errors come as
HTTP statuses (``x-errors: http-status``), and the generated module's name (openapi-python-client's: the
tag's folder, the operationId in snake_case).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cached_property
from types import ModuleType

from . import _document as _spec

__all__ = [
    "CREDITS",
    "DETAILS",
    "DOWNLOAD_URL",
    "EXTEND",
    "GENERATE",
    "GET_4K",
    "GET_1080P",
    "UPLOAD_STREAM",
    "UPLOAD_URL",
    "Operation",
]


@dataclass(frozen=True)
class Operation:
    """One API operation: ``paid`` ones create billable work and are never repeated blindly."""

    operation_id: str

    @cached_property
    def spec(self) -> _spec.Operation:
        """The operation as the spec declares it."""
        return _spec.operation(self.operation_id)

    @property
    def paid(self) -> bool:
        """Starts billed work (``x-paid`` in the spec)."""
        return self.spec.paid

    @cached_property
    def paced(self) -> bool:
        """Counted against kie's create limit (listed in the spec's ``x-rate-limit``)."""
        return self.operation_id in _spec.create_rate_limit().operations

    @cached_property
    def module(self) -> ModuleType:
        """The generated module whose ``sync_detailed``/``asyncio_detailed`` send this operation.

        Imported on first use, which keeps ``from veo3 import Veo3Client`` from loading every operation and
        its models (BENCHMARKS.md, start-up).
        """
        return importlib.import_module(f"veo3_api.api.{self.spec.tag}.{_spec.python_name(self.operation_id)}")

    @cached_property
    def own_server(self) -> str | None:
        """The spec's ``servers`` URL when the operation lives on another host (the upload host), else ``None``."""
        return self.spec.server_url if self.spec.has_own_server else None

    @cached_property
    def errors_in_http_status(self) -> bool:
        """Whether errors come as real HTTP statuses (the File Upload API), not in-band codes."""
        return self.spec.errors_in_http_status

    @property
    def body_ref(self) -> str:
        """The spec's ``$ref`` for this operation's JSON body."""
        ref = self.spec.body_schema_ref
        if ref is None:
            raise LookupError(f"{self.operation_id} takes no body")
        return ref

    @property
    def form_ref(self) -> str:
        """The spec's ``$ref`` for this operation's ``multipart/form-data`` body."""
        ref = self.spec.request_schema_ref("multipart/form-data")
        if ref is None:
            raise LookupError(f"{self.operation_id} takes no multipart body")
        return ref


GENERATE = Operation("generate-veo3-1-video")
EXTEND = Operation("extend-veo3-1-video")
GET_4K = Operation("get-veo3-1-4k-video")
DETAILS = Operation("get-veo3-1-video-details")
GET_1080P = Operation("get-veo3-1-1080p-video")
CREDITS = Operation("get-account-credits")
DOWNLOAD_URL = Operation("download-url")
# kie's File Upload API, on its own host: free, so retried like reads. (Its base64 upload is in the spec,
# the simulator and the contract tests; the client sends files as multipart, which is less traffic.)
UPLOAD_STREAM = Operation("upload-file-stream")
UPLOAD_URL = Operation("upload-file-url")
