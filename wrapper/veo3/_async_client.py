"""``AsyncVeo3Client``: the asyncio client. Same operations, same flows as ``Veo3Client``."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Self, cast

import httpx
from veo3_api.client import AuthenticatedClient

from . import _spec
from ._base_client import BaseClient, RateLimitSetting
from ._core import ProgressCallback
from ._drivers import AsyncDriver
from ._transport import AsyncSender
from ._upload import DEFAULT_UPLOAD_PATH, ImageSource, UploadProgress
from .errors import ConfigurationError
from .types import Task, TaskInfo, UploadedFile

__all__ = ["AsyncVeo3Client"]


class AsyncVeo3Client(BaseClient):
    """Client for the kie.ai Veo 3.1 API (asyncio); see ``Veo3Client`` for the behaviour of each method.

    ``http_client`` is an ``httpx.AsyncClient`` of the caller's (not closed by ``aclose()``).
    ``max_in_flight`` bounds the requests (downloads included) this client has in flight at once; the
    others wait their turn, so ``asyncio.gather`` over thousands of calls stays fast. The default, 100, is
    httpx's default pool size: match it to your ``http_client``'s ``max_connections``. ``None``: no bound.
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float = 60.0,
        max_retries: int = 3,
        http_client: httpx.AsyncClient | None = None,
        webhook_key: str | None = None,
        rate_limit: RateLimitSetting = "kie",
        upload_base_url: str | None = None,
        max_in_flight: int | None = 100,
    ) -> None:
        super().__init__(
            api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            webhook_key=webhook_key,
            rate_limit=rate_limit,
            upload_base_url=upload_base_url,
        )
        if max_in_flight is not None and (
            isinstance(max_in_flight, bool) or not isinstance(max_in_flight, int) or max_in_flight < 1
        ):
            raise ConfigurationError(f"max_in_flight must be an integer >= 1 or None, got {max_in_flight!r}")
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else httpx.AsyncClient(timeout=self._timeout)
        api = AuthenticatedClient(base_url=self._base_url, token="")
        api.set_async_httpx_client(cast(httpx.AsyncClient, AsyncSender(self._http, self._base_url, self._api_key)))
        # The upload operations live on their own host (the spec's servers entry); the driver routes them.
        upload = AuthenticatedClient(base_url=self._upload_base_url, token="")
        upload.set_async_httpx_client(
            cast(httpx.AsyncClient, AsyncSender(self._http, self._upload_base_url, self._api_key))
        )
        self._driver = AsyncDriver(
            api, self._http, max_in_flight=max_in_flight, hosts={_spec.upload_server_url(): upload}
        )

    async def aclose(self) -> None:
        """Close the HTTP connections (unless the ``http_client`` was the caller's)."""
        if self._owns_http:
            await self._http.aclose()

    async def close(self) -> None:
        """Alias of ``aclose()``."""
        await self.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def generate(
        self,
        prompt: str,
        *,
        model: str | None = None,
        generation_type: str | None = None,
        image_urls: Sequence[ImageSource] | None = None,
        aspect_ratio: str | None = None,
        resolution: str | None = None,
        seeds: int | None = None,
        watermark: str | None = None,
        callback_url: str | None = None,
        enable_translation: bool | None = None,
    ) -> Task:
        """Start generating a video (async ``Veo3Client.generate``)."""
        flow = self._core.generate(
            prompt,
            model=model,
            generation_type=generation_type,
            image_urls=image_urls,
            aspect_ratio=aspect_ratio,
            resolution=resolution,
            seeds=seeds,
            watermark=watermark,
            callback_url=callback_url,
            enable_translation=enable_translation,
        )
        return await self._driver.run(flow)

    async def extend(
        self,
        task_id: str,
        prompt: str,
        *,
        seeds: int | None = None,
        watermark: str | None = None,
        callback_url: str | None = None,
        model: str | None = None,
    ) -> Task:
        """Start extending a video (async ``Veo3Client.extend``)."""
        flow = self._core.extend(
            task_id, prompt, seeds=seeds, watermark=watermark, callback_url=callback_url, model=model
        )
        return await self._driver.run(flow)

    async def get_task(self, task_id: str) -> TaskInfo:
        """A task's current state (async ``Veo3Client.get_task``)."""
        return await self._driver.run(self._core.get_task(task_id))

    async def wait(
        self,
        task_id: str,
        *,
        timeout: float = 900.0,
        poll_interval: float | None = None,
        on_progress: ProgressCallback | None = None,
        via: Literal["poll", "callback"] = "poll",
    ) -> TaskInfo:
        """Wait for a task to finish, one deadline (async ``Veo3Client.wait``)."""
        flow = self._core.wait(
            task_id,
            timeout=timeout,
            poll_interval=poll_interval,
            on_progress=on_progress,
            via=via,
            receiver=self._receiver,
        )
        return await self._driver.run(flow)

    async def generate_and_wait(
        self,
        prompt: str,
        *,
        timeout: float = 900.0,
        on_progress: ProgressCallback | None = None,
        **generate_kwargs: Any,
    ) -> TaskInfo:
        """Generate, then wait (async ``Veo3Client.generate_and_wait``)."""
        flow = self._core.generate_and_wait(prompt, timeout=timeout, on_progress=on_progress, **generate_kwargs)
        return await self._driver.run(flow)

    async def extend_and_wait(
        self,
        task_id: str,
        prompt: str,
        *,
        timeout: float = 900.0,
        on_progress: ProgressCallback | None = None,
        **kwargs: Any,
    ) -> TaskInfo:
        """Extend, then wait (async ``Veo3Client.extend_and_wait``)."""
        flow = self._core.extend_and_wait(task_id, prompt, timeout=timeout, on_progress=on_progress, **kwargs)
        return await self._driver.run(flow)

    async def extend_chain(
        self,
        task_id: str,
        prompts: Sequence[str],
        *,
        timeout: float = 900.0,
        on_progress: ProgressCallback | None = None,
        **kwargs: Any,
    ) -> list[TaskInfo]:
        """Several extensions in a row (async ``Veo3Client.extend_chain``)."""
        flow = self._core.extend_chain(task_id, prompts, timeout=timeout, on_progress=on_progress, **kwargs)
        return await self._driver.run(flow)

    async def get_1080p(self, task_id: str, *, index: int = 0, wait: bool = True, timeout: float = 600.0) -> str:
        """The 1080p URL (async ``Veo3Client.get_1080p``)."""
        return await self._driver.run(self._core.get_1080p(task_id, index=index, wait=wait, timeout=timeout))

    async def get_4k(
        self,
        task_id: str,
        *,
        index: int = 0,
        callback_url: str | None = None,
        wait: bool = True,
        timeout: float = 1200.0,
    ) -> list[str]:
        """The 4K URLs (async ``Veo3Client.get_4k``)."""
        flow = self._core.get_4k(task_id, index=index, callback_url=callback_url, wait=wait, timeout=timeout)
        return await self._driver.run(flow)

    async def credits(self) -> float:
        """Remaining credits (async ``Veo3Client.credits``)."""
        return await self._driver.run(self._core.credits())

    async def download_url(self, url: str) -> str:
        """A temporary download link (async ``Veo3Client.download_url``)."""
        return await self._driver.run(self._core.download_url(url))

    async def download(
        self,
        url_or_taskinfo: str | TaskInfo,
        dest: str | os.PathLike[str],
        *,
        resume: bool = True,
        on_progress: Callable[[int, int | None], None] | None = None,
    ) -> Path:
        """Download a video to ``dest`` (async ``Veo3Client.download``)."""
        flow = self._core.download(url_or_taskinfo, dest, resume=resume, on_progress=on_progress)
        result: Path = await self._driver.run(flow)
        return result

    # -- uploads (kie's File Upload API: free, retried like reads) ------------------------------------

    async def upload_file(
        self,
        path: str | os.PathLike[str],
        *,
        upload_path: str = DEFAULT_UPLOAD_PATH,
        file_name: str | None = None,
        on_progress: UploadProgress | None = None,
    ) -> UploadedFile:
        """Upload a local file; returns its kie URL (``.url``), for ``image_urls``. Kept at least 24 hours.

        Streamed (constant memory) to ``upload_base_url``; stored under a unique name (kie overwrites
        files of the same name) unless ``file_name``. ``on_progress(bytes_sent, total)`` as it goes.
        """
        return await self._driver.run(
            self._core.upload_file(path, upload_path=upload_path, file_name=file_name, on_progress=on_progress)
        )

    async def upload_bytes(
        self,
        data: bytes,
        file_name: str,
        *,
        upload_path: str = DEFAULT_UPLOAD_PATH,
        unique: bool = True,
        on_progress: UploadProgress | None = None,
    ) -> UploadedFile:
        """Upload ``data`` as a file: a unique name with ``file_name``'s extension (``unique=False``: ``file_name``)."""
        return await self._driver.run(
            self._core.upload_bytes(data, file_name, upload_path=upload_path, unique=unique, on_progress=on_progress)
        )

    async def upload_url(
        self, url: str, *, upload_path: str = DEFAULT_UPLOAD_PATH, file_name: str | None = None
    ) -> UploadedFile:
        """Have kie fetch ``url`` and store a copy (useful for links kie cannot fetch at generate time)."""
        return await self._driver.run(self._core.upload_url(url, upload_path=upload_path, file_name=file_name))
