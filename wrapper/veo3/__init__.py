"""veo3: client for the kie.ai Veo 3.1 API.

``from veo3 import Veo3Client, AsyncVeo3Client, Task, TaskInfo, TaskStatus`` and every error class
(``from veo3 import RateLimitError``, as httpx and openai offer theirs). Names load on first use (PEP 562),
so ``import veo3`` stays light.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from . import errors as _errors_module_names  # a light module: only class definitions

if TYPE_CHECKING:
    from veo3._client._async import AsyncVeo3Client
    from veo3._client._sync import Veo3Client

    from .errors import *  # noqa: F403
    from .types import Task, TaskInfo, TaskStatus, UploadedFile

__all__ = [
    "AsyncVeo3Client",
    "Task",
    "TaskInfo",
    "TaskStatus",
    "UploadedFile",
    "Veo3Client",
    *_errors_module_names.__all__,
]

_EXPORTS = {
    "Veo3Client": "._client._sync",
    "AsyncVeo3Client": "._client._async",
    "Task": ".types",
    "TaskInfo": ".types",
    "TaskStatus": ".types",
    "UploadedFile": ".types",
    **dict.fromkeys(_errors_module_names.__all__, ".errors"),
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'veo3' has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
