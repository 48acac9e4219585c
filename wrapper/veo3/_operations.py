"""The API's operations as the wrapper sees them: the spec's operation, its generated module, paid or not.

Everything here is read from the spec: whether an operation is paid (``x-paid``), whether creates are paced
(``x-rate-limit``), and the generated module's name (openapi-python-client's: the tag's folder, the
operationId in snake_case).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cached_property
from types import ModuleType

from . import _spec

__all__ = ["CREDITS", "DETAILS", "DOWNLOAD_URL", "EXTEND", "GENERATE", "GET_4K", "GET_1080P", "Operation"]


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

    @property
    def body_ref(self) -> str:
        """The spec's ``$ref`` for this operation's JSON body."""
        ref = self.spec.body_schema_ref
        if ref is None:
            raise LookupError(f"{self.operation_id} takes no body")
        return ref


GENERATE = Operation("generate-veo3-1-video")
EXTEND = Operation("extend-veo3-1-video")
GET_4K = Operation("get-veo3-1-4k-video")
DETAILS = Operation("get-veo3-1-video-details")
GET_1080P = Operation("get-veo3-1-1080p-video")
CREDITS = Operation("get-account-credits")
DOWNLOAD_URL = Operation("download-url")
