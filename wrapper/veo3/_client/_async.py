"""``AsyncVeo3Client``: the asyncio client, and the source ``scripts/unasync.py`` writes ``Veo3Client`` from."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Self, Unpack, cast

import httpx
from veo3_api.client import AuthenticatedClient

from veo3._core._flows import ProgressCallback
from veo3._core._upload import DEFAULT_UPLOAD_PATH, UploadProgress
from veo3._spec import _document as _spec
from veo3.errors import ConfigurationError
from veo3.types import Task, TaskInfo, UploadedFile

from ._base import BaseClient, Engine, RateLimitSetting
from ._constants import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT, HD_TIMEOUT, UHD_TIMEOUT, WAIT_TIMEOUT
from ._drivers import AsyncDriver
from ._senders import AsyncSender

if TYPE_CHECKING:
    from veo3.batch import BatchOptions, Job, JobResult
    from veo3.params import (
        CreditsParams,
        DownloadUrlParams,
        ExtendParams,
        GenerateParams,
        Get4kParams,
        Get1080pParams,
        TaskParams,
    )

__all__ = ["AsyncVeo3Client"]


class AsyncVeo3Client(BaseClient):
    """Client for the kie.ai Veo 3.1 API (asyncio: await each method).

    ``api_key`` defaults to ``$KIE_API_KEY``, ``base_url`` to ``$VEO3_BASE_URL`` or ``https://api.kie.ai``,
    ``webhook_key`` to ``$KIE_WEBHOOK_HMAC_KEY``. ``timeout`` is per HTTP request; ``max_retries`` bounds
    repeats of one request; ``rate_limit`` paces this client's creates (generate, extend, 4K) to stay under
    kie's limit instead of earning 429s: by default ``"kie"``, the documented limit from the spec;
    ``(creates, seconds)`` for an account with a raised limit; ``None`` sends at once (a 429 on a create is
    still retried). Bring your own ``http_client`` (an ``httpx.AsyncClient``) to control pooling, proxies or
    TLS; it is not closed by ``aclose()``.
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.AsyncClient | None = None,
        webhook_key: str | None = None,
        rate_limit: RateLimitSetting = "kie",
        upload_base_url: str | None = None,
        # unasync: async-only
        # How many requests (downloads included) this client has in flight at once; the others wait their
        # turn, so ``asyncio.gather`` over thousands of calls stays fast. The default, 100, is httpx's default
        # pool size: match it to your ``http_client``'s ``max_connections``. ``None``: no bound.
        max_in_flight: int | None = 100,
        # unasync: end
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
        # unasync: async-only
        if max_in_flight is not None and (
            isinstance(max_in_flight, bool) or not isinstance(max_in_flight, int) or max_in_flight < 1
        ):
            raise ConfigurationError(f"max_in_flight must be an integer >= 1 or None, got {max_in_flight!r}")
        # unasync: end
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
            api,
            self._http,
            hosts={_spec.upload_server_url(): upload},
            # unasync: async-only
            max_in_flight=max_in_flight,
            # unasync: end
        )
        #: The flows and their driver: the seam for ``veo3.batch``, ``veo3.testing`` and the CLI.
        self.engine = Engine(self._core, self._driver)

    async def aclose(self) -> None:
        """Close the HTTP connections (unless the ``http_client`` was the caller's)."""
        if self._owns_http:
            await self._http.aclose()

    # unasync: async-only
    async def close(self) -> None:
        """Alias of ``aclose()``."""
        await self.aclose()

    # unasync: end
    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def generate(self, prompt: str, **params: Unpack[GenerateParams]) -> Task:
        """Start generating a video; returns the created ``Task`` (not the finished video).

        Every optional field of the spec's generate request is a keyword, named in snake_case
        (``aspect_ratio``, ``image_urls``, ``duration``, ``call_back_url``; see ``veo3.params.GenerateParams``);
        ``None`` or leaving it out lets the server choose. Arguments are checked against the spec first
        (``RequestValidationError``, nothing sent); ``extra_body``/``extra_query``/``extra_headers`` send
        what the spec does not know yet. ``image_urls`` entries may be local files (``os.PathLike``, e.g.
        ``Path("frame.png")``): they are uploaded first, in order (see ``upload_file``), and their URLs
        sent. Never repeated after a reply was lost (``OutcomeUnknownError``).
        """
        return await self._driver.run(self._core.generate(prompt, params))

    async def extend(self, task_id: str, prompt: str, **params: Unpack[ExtendParams]) -> Task:
        """Start extending a successful video with a new prompt; returns the new ``Task``.

        Keywords: the spec's optional extend fields (``model``, ``seeds``, ...; see ``veo3.params.ExtendParams``).
        """
        return await self._driver.run(self._core.extend(task_id, prompt, params))

    async def get_task(self, task_id: str, **params: Unpack[TaskParams]) -> TaskInfo:
        """The task's current state (status, URLs, error)."""
        return await self._driver.run(self._core.get_task(task_id, params))

    async def wait(
        self,
        task_id: str,
        *,
        timeout: float = WAIT_TIMEOUT,
        poll_interval: float | None = None,
        on_progress: ProgressCallback | None = None,
        via: Literal["poll", "callback"] = "poll",
        **params: Unpack[TaskParams],
    ) -> TaskInfo:
        """Wait until the task finishes and return its final state.

        One deadline (``timeout`` seconds) covers the whole wait. Polls start short and back off (with
        jitter) unless ``poll_interval`` fixes them. Raises ``TaskFailedError`` if the task fails and
        ``WaitTimeoutError`` at the deadline. ``on_progress(info)`` is called after every poll.
        ``via="callback"`` waits for ``callback_receiver`` to get the task's callback instead (checking
        record-info every minute meanwhile, in case the callback is lost), then confirms with record-info.
        """
        flow = self._core.wait(
            task_id,
            timeout=timeout,
            poll_interval=poll_interval,
            on_progress=on_progress,
            via=via,
            receiver=self._receiver,
            params=params,
        )
        return await self._driver.run(flow)

    async def generate_and_wait(
        self,
        prompt: str,
        *,
        timeout: float = WAIT_TIMEOUT,
        on_progress: ProgressCallback | None = None,
        **params: Unpack[GenerateParams],
    ) -> TaskInfo:
        """``generate`` then ``wait``; ``timeout`` covers both."""
        return await self._driver.run(
            self._core.generate_and_wait(prompt, timeout=timeout, on_progress=on_progress, params=params)
        )

    async def extend_and_wait(
        self,
        task_id: str,
        prompt: str,
        *,
        timeout: float = WAIT_TIMEOUT,
        on_progress: ProgressCallback | None = None,
        **params: Unpack[ExtendParams],
    ) -> TaskInfo:
        """``extend`` then ``wait``; ``timeout`` covers both."""
        return await self._driver.run(
            self._core.extend_and_wait(task_id, prompt, timeout=timeout, on_progress=on_progress, params=params)
        )

    async def extend_chain(
        self,
        task_id: str,
        prompts: Sequence[str],
        *,
        timeout: float = WAIT_TIMEOUT,
        on_progress: ProgressCallback | None = None,
        **params: Unpack[ExtendParams],
    ) -> list[TaskInfo]:
        """Extend several times in a row (each step continues the previous result); every step's info.

        All requests are validated before the first is sent; ``timeout`` applies to each step.
        """
        return await self._driver.run(
            self._core.extend_chain(task_id, prompts, timeout=timeout, on_progress=on_progress, params=params)
        )

    async def get_1080p(
        self, task_id: str, *, wait: bool = True, timeout: float = HD_TIMEOUT, **params: Unpack[Get1080pParams]
    ) -> str:
        """The 1080p video's URL, waiting through "processing" answers (``""`` if ``wait=False`` and not ready).

        ``index`` (from the spec) picks one of the task's videos.
        """
        return await self._driver.run(self._core.get_1080p(task_id, wait=wait, timeout=timeout, params=params))

    async def get_4k(
        self, task_id: str, *, wait: bool = True, timeout: float = UHD_TIMEOUT, **params: Unpack[Get4kParams]
    ) -> list[str]:
        """The 4K video's URLs; starts the (paid) 4K job, then waits through "processing" answers.

        Returns ``[]`` when ``wait=False`` and the video is not ready yet. Keywords from the spec: ``index``,
        ``call_back_url``.
        """
        return await self._driver.run(self._core.get_4k(task_id, wait=wait, timeout=timeout, params=params))

    async def credits(self, **params: Unpack[CreditsParams]) -> float:
        """The account's remaining credits."""
        return await self._driver.run(self._core.credits(params))

    async def download_url(self, url: str, **params: Unpack[DownloadUrlParams]) -> str:
        """A temporary (20 minutes) download link for a kie file URL."""
        return await self._driver.run(self._core.download_url(url, params))

    async def download(
        self,
        url_or_taskinfo: str | TaskInfo,
        dest: str | os.PathLike[str],
        *,
        resume: bool = True,
        on_progress: Callable[[int, int | None], None] | None = None,
    ) -> Path:
        """Download a video (a URL, or a ``TaskInfo``'s ``video_url``) to ``dest`` (a file, or a folder).

        Streamed with constant memory into a temporary file beside ``dest``, resumed with HTTP Range after
        an interruption, checked against Content-Length, then renamed: ``dest`` is complete or absent.
        """
        flow = self._core.download(url_or_taskinfo, dest, resume=resume, on_progress=on_progress)
        result: Path = await self._driver.run(flow)
        return result

    def batch(
        self, jobs: Iterable[Job | Mapping[str, Any]], **options: Unpack[BatchOptions]
    ) -> AsyncIterator[JobResult]:
        """Make many videos: yields one ``JobResult`` per job as it ends (``veo3 batch`` runs this).

        ``jobs``: ``veo3.batch.Job``s (``veo3.batch.read_jobs(path)``) or mappings of ``generate`` keywords
        plus the job keys ``id``, ``extend``, ``hd``, ``uhd``, ``output``. The keywords
        (``veo3.batch.BatchOptions``): ``out_dir`` for the videos; a ``store`` (``veo3.batch.MemoryStore``,
        or your own ``BatchStore``) to resume a run: finished jobs are skipped, created tasks waited for, a
        create whose reply was lost never resent; ``concurrency``, ``timeout`` (per task), ``poll_interval``
        (default: learned per model); ``check_balance`` reads ``credits()`` first and starts no job the
        balance cannot pay for (``prices``: the price table, default ``veo3/prices.json``);
        ``callback_url`` and ``via="callback"`` to wake on callbacks. The blocking client runs the jobs on a
        private event loop thread, through an async twin sharing its settings and create limiter; leaving
        the iteration early cancels the jobs still running (a create in flight is then recorded as
        outcome-unknown in the ``store``).
        """
        from veo3.batch import batch_results

        return batch_results(self, jobs, **options)

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
