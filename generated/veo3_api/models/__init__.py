"""Contains all the data models used in inputs/outputs.

The models load lazily (PEP 562): importing this package, or one model from it, does not import them all.
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .aspect_ratio import AspectRatio
    from .credits_code import CreditsCode
    from .credits_response import CreditsResponse
    from .download_url_code import DownloadUrlCode
    from .download_url_request import DownloadUrlRequest
    from .download_url_response import DownloadUrlResponse
    from .duration import Duration
    from .error_response import ErrorResponse
    from .extend_code import ExtendCode
    from .extend_model import ExtendModel
    from .extend_request import ExtendRequest
    from .extend_response import ExtendResponse
    from .generate_code import GenerateCode
    from .generate_model import GenerateModel
    from .generate_request import GenerateRequest
    from .generate_response import GenerateResponse
    from .generation_type import GenerationType
    from .get_4k_request import Get4KRequest
    from .resolution import Resolution
    from .success_flag import SuccessFlag
    from .task_created import TaskCreated
    from .task_details import TaskDetails
    from .task_details_code import TaskDetailsCode
    from .task_details_response import TaskDetailsResponse
    from .task_result import TaskResult
    from .upload_base_64_request import UploadBase64Request
    from .upload_code import UploadCode
    from .upload_error_response import UploadErrorResponse
    from .upload_response import UploadResponse
    from .upload_stream_request import UploadStreamRequest
    from .upload_url_request import UploadUrlRequest
    from .video_4k import Video4K
    from .video_4k_callback_data import Video4KCallbackData
    from .video_4k_callback_info import Video4KCallbackInfo
    from .video_4k_code import Video4KCode
    from .video_4k_generated_callback import Video4KGeneratedCallback
    from .video_4k_generated_callback_code import Video4KGeneratedCallbackCode
    from .video_4k_response import Video4KResponse
    from .video_1080p import Video1080P
    from .video_1080p_code import Video1080PCode
    from .video_1080p_response import Video1080PResponse
    from .video_callback_data import VideoCallbackData
    from .video_callback_data_prompt_json_type_0 import VideoCallbackDataPromptJsonType0
    from .video_callback_info import VideoCallbackInfo
    from .video_extended_callback import VideoExtendedCallback
    from .video_extended_callback_code import VideoExtendedCallbackCode
    from .video_generated_callback import VideoGeneratedCallback
    from .video_generated_callback_code import VideoGeneratedCallbackCode

_MODULES = {
    "AspectRatio": ".aspect_ratio",
    "CreditsCode": ".credits_code",
    "CreditsResponse": ".credits_response",
    "DownloadUrlCode": ".download_url_code",
    "DownloadUrlRequest": ".download_url_request",
    "DownloadUrlResponse": ".download_url_response",
    "Duration": ".duration",
    "ErrorResponse": ".error_response",
    "ExtendCode": ".extend_code",
    "ExtendModel": ".extend_model",
    "ExtendRequest": ".extend_request",
    "ExtendResponse": ".extend_response",
    "GenerateCode": ".generate_code",
    "GenerateModel": ".generate_model",
    "GenerateRequest": ".generate_request",
    "GenerateResponse": ".generate_response",
    "GenerationType": ".generation_type",
    "Get4KRequest": ".get_4k_request",
    "Resolution": ".resolution",
    "SuccessFlag": ".success_flag",
    "TaskCreated": ".task_created",
    "TaskDetails": ".task_details",
    "TaskDetailsCode": ".task_details_code",
    "TaskDetailsResponse": ".task_details_response",
    "TaskResult": ".task_result",
    "UploadBase64Request": ".upload_base_64_request",
    "UploadCode": ".upload_code",
    "UploadErrorResponse": ".upload_error_response",
    "UploadResponse": ".upload_response",
    "UploadStreamRequest": ".upload_stream_request",
    "UploadUrlRequest": ".upload_url_request",
    "Video1080P": ".video_1080p",
    "Video1080PCode": ".video_1080p_code",
    "Video1080PResponse": ".video_1080p_response",
    "Video4K": ".video_4k",
    "Video4KCallbackData": ".video_4k_callback_data",
    "Video4KCallbackInfo": ".video_4k_callback_info",
    "Video4KCode": ".video_4k_code",
    "Video4KGeneratedCallback": ".video_4k_generated_callback",
    "Video4KGeneratedCallbackCode": ".video_4k_generated_callback_code",
    "Video4KResponse": ".video_4k_response",
    "VideoCallbackData": ".video_callback_data",
    "VideoCallbackDataPromptJsonType0": ".video_callback_data_prompt_json_type_0",
    "VideoCallbackInfo": ".video_callback_info",
    "VideoExtendedCallback": ".video_extended_callback",
    "VideoExtendedCallbackCode": ".video_extended_callback_code",
    "VideoGeneratedCallback": ".video_generated_callback",
    "VideoGeneratedCallbackCode": ".video_generated_callback_code",
}


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = (
    "AspectRatio",
    "CreditsCode",
    "CreditsResponse",
    "DownloadUrlCode",
    "DownloadUrlRequest",
    "DownloadUrlResponse",
    "Duration",
    "ErrorResponse",
    "ExtendCode",
    "ExtendModel",
    "ExtendRequest",
    "ExtendResponse",
    "GenerateCode",
    "GenerateModel",
    "GenerateRequest",
    "GenerateResponse",
    "GenerationType",
    "Get4KRequest",
    "Resolution",
    "SuccessFlag",
    "TaskCreated",
    "TaskDetails",
    "TaskDetailsCode",
    "TaskDetailsResponse",
    "TaskResult",
    "UploadBase64Request",
    "UploadCode",
    "UploadErrorResponse",
    "UploadResponse",
    "UploadStreamRequest",
    "UploadUrlRequest",
    "Video1080P",
    "Video1080PCode",
    "Video1080PResponse",
    "Video4K",
    "Video4KCallbackData",
    "Video4KCallbackInfo",
    "Video4KCode",
    "Video4KGeneratedCallback",
    "Video4KGeneratedCallbackCode",
    "Video4KResponse",
    "VideoCallbackData",
    "VideoCallbackDataPromptJsonType0",
    "VideoCallbackInfo",
    "VideoExtendedCallback",
    "VideoExtendedCallbackCode",
    "VideoGeneratedCallback",
    "VideoGeneratedCallbackCode",
)
