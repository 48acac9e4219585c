"""The keyword arguments of each call, as ``TypedDict``s for ``**params: Unpack[...]``.

Each combines the generated operation's ``Options`` (every optional request field of the spec, by its
snake_case name, with ``Literal`` types for enums: made by ``make generate`` from the spec, see
``openapi/templates/endpoint_module.py.jinja``) with ``RequestExtras``, what every call can send beyond the
spec. A field added to the spec therefore reaches these signatures, mypy and IDE completion with no edit
here. The clients import this module for type checking only, so ``from veo3 import Veo3Client`` does not
load every generated operation.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

from veo3_api.api.account import download_url, get_account_credits
from veo3_api.api.veo import (
    extend_veo3_1_video,
    generate_veo3_1_video,
    get_veo3_1_4k_video,
    get_veo3_1_1080p_video,
    get_veo3_1_video_details,
)

__all__ = [
    "CreditsParams",
    "DownloadUrlParams",
    "ExtendParams",
    "GenerateParams",
    "Get4kParams",
    "Get1080pParams",
    "RequestExtras",
    "TaskParams",
]


class RequestExtras(TypedDict, total=False):
    """For a spec that lags the API (as openai-python offers): sent as given, beside the spec's fields.

    A key the spec knows is still validated; an unknown one is sent unchecked (logged at debug level).
    ``extra_headers`` cannot set ``Authorization``.
    """

    extra_body: Mapping[str, Any] | None
    extra_query: Mapping[str, Any] | None
    extra_headers: Mapping[str, str] | None


class GenerateParams(generate_veo3_1_video.Options, RequestExtras, total=False):
    """Keywords of ``generate`` (and ``generate_and_wait``)."""

    # The one field that also takes local files, uploaded first (``veo3._upload.LOCAL_FILES_FIELD``).
    image_urls: Sequence[str | os.PathLike[str]] | None  # type: ignore[misc]


class ExtendParams(extend_veo3_1_video.Options, RequestExtras, total=False):
    """Keywords of ``extend`` (and ``extend_and_wait``, ``extend_chain``)."""


class TaskParams(get_veo3_1_video_details.Options, RequestExtras, total=False):
    """Keywords of ``get_task`` and ``wait``."""


class Get1080pParams(get_veo3_1_1080p_video.Options, RequestExtras, total=False):
    """Keywords of ``get_1080p``."""


class Get4kParams(get_veo3_1_4k_video.Options, RequestExtras, total=False):
    """Keywords of ``get_4k``."""


class CreditsParams(get_account_credits.Options, RequestExtras, total=False):
    """Keywords of ``credits``."""


class DownloadUrlParams(download_url.Options, RequestExtras, total=False):
    """Keywords of ``download_url``."""
