"""Contains all the data models used in inputs/outputs"""

from .aspect_ratio import AspectRatio
from .credits_code import CreditsCode
from .credits_response import CreditsResponse
from .download_url_code import DownloadUrlCode
from .download_url_request import DownloadUrlRequest
from .download_url_response import DownloadUrlResponse
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

__all__ = (
    "AspectRatio",
    "CreditsCode",
    "CreditsResponse",
    "DownloadUrlCode",
    "DownloadUrlRequest",
    "DownloadUrlResponse",
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
