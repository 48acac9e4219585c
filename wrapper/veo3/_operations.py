"""The API's operations as the wrapper sees them: spec operationId, generated module, paid or not."""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

from veo3_api.api.account import get_account_credits, get_download_url
from veo3_api.api.veo import (
    extend_veo3_1_video,
    generate_veo3_1_video,
    get_veo3_1_4k_video,
    get_veo3_1_1080p_video,
    get_veo3_1_video_details,
)

from . import _spec

__all__ = ["CREDITS", "DETAILS", "DOWNLOAD_URL", "EXTEND", "GENERATE", "GET_4K", "GET_1080P", "Operation"]


@dataclass(frozen=True, slots=True)
class Operation:
    """One API operation: ``paid`` ones create billable work and are never repeated blindly."""

    operation_id: str
    module: ModuleType
    paid: bool

    @property
    def body_ref(self) -> str:
        """The spec's ``$ref`` for this operation's JSON body."""
        ref = _spec.operation(self.operation_id).body_schema_ref
        if ref is None:
            raise LookupError(f"{self.operation_id} takes no body")
        return ref


GENERATE = Operation("generate-veo3-1-video", generate_veo3_1_video, paid=True)
EXTEND = Operation("extend-veo3-1-video", extend_veo3_1_video, paid=True)
GET_4K = Operation("get-veo3-1-4k-video", get_veo3_1_4k_video, paid=True)
DETAILS = Operation("get-veo3-1-video-details", get_veo3_1_video_details, paid=False)
GET_1080P = Operation("get-veo3-1-1080p-video", get_veo3_1_1080p_video, paid=False)
CREDITS = Operation("get-account-credits", get_account_credits, paid=False)
# Only hands out a temporary link: repeating it costs nothing.
DOWNLOAD_URL = Operation("get-download-url", get_download_url, paid=False)
