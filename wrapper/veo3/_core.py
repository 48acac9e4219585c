"""Every client operation, written once as a sans-IO flow (see ``_effects``).

Methods validate their arguments immediately (so ``RequestValidationError`` comes before any I/O) and
return a generator that a driver runs.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

import httpx

# The package loads each model on first use: importing the core does not import them all.
from veo3_api import models

from ._download import DownloadJob, IncompleteDownload, resolve_destination
from ._effects import Flow, Sleep, Stream, WaitFor
from ._error_map import api_error
from ._operations import CREDITS, DETAILS, DOWNLOAD_URL, EXTEND, GENERATE, GET_4K, GET_1080P, Operation
from ._polling import HD_SCHEDULE, TASK_SCHEDULE, UHD_SCHEDULE, Pending, Schedule, poll
from ._requests import Answer, Context, Unreadable, request
from ._retry import RetryPolicy, is_transient_read_error, retryable_code
from ._upload import ImageSource, UploadOps, has_local_files
from ._validation import build_body, check_query
from .errors import (
    ConfigurationError,
    DownloadError,
    RequestValidationError,
    TaskFailedError,
    TransportError,
    Veo3Error,
)
from .types import Task, TaskInfo, _urls

__all__ = ["CallbackSource", "Core", "ProgressCallback"]

ProgressCallback = Callable[[TaskInfo], None]
T = TypeVar("T")

# With a callback receiver, record-info is still checked this often in case the callback is lost.
CALLBACK_SAFETY_POLL = 60.0


class CallbackSource(Protocol):
    """What ``wait(via="callback")`` needs of a receiver (``veo3.webhooks.CallbackReceiver`` has it)."""

    def received(self, task_id: str, kind: Any = None) -> Any:
        """The latest callback event for ``task_id`` (of ``kind``), or ``None``."""


# kie's "not ready yet" answers (they arrive as 400/422 codes). Message texts, not spec rules.
_PROCESSING_MARKERS = ("processing", "record status is not success")


def _task_created(answer: Answer) -> Task:
    data = answer.data
    if not isinstance(data, models.TaskCreated) or not isinstance(data.task_id, str) or not data.task_id:
        raise Unreadable("data.taskId missing")
    return Task(data.task_id, answer.retries_taken)


def _task_info(answer: Answer) -> TaskInfo:
    if not isinstance(answer.data, models.TaskDetails) or not isinstance(answer.data.task_id, str):
        raise Unreadable("data is not a task record")
    return TaskInfo.from_details(answer.data, retries_taken=answer.retries_taken)


def _credits(answer: Answer) -> float:
    data = answer.data
    if isinstance(data, bool) or not isinstance(data, int | float):
        raise Unreadable("data is not a number")
    return float(data)


def _link(answer: Answer) -> str:
    if not isinstance(answer.data, str) or not answer.data:
        raise Unreadable("data is not a URL")
    return answer.data


def _is_processing(message: str) -> bool:
    lowered = message.lower()
    return any(marker in lowered for marker in _PROCESSING_MARKERS)


class Core(UploadOps):
    """The operations behind ``Veo3Client`` and ``AsyncVeo3Client`` (uploads: ``_upload.UploadOps``)."""

    def __init__(
        self,
        *,
        max_retries: int,
        clock: Callable[[], float],
        rng: random.Random | None = None,
        rate_limit: tuple[int, float] | None = None,
    ) -> None:
        self.rng = rng or random.Random()
        self.ctx = Context(RetryPolicy(max_retries=max_retries, rng=self.rng), clock, rate_limit)

    @property
    def clock(self) -> Callable[[], float]:
        """The monotonic clock deadlines are measured on."""
        return self.ctx.clock

    # -- creates -------------------------------------------------------------------------------------

    def generate(
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
    ) -> Flow[Task]:
        """Create a generation task; local paths in ``image_urls`` are uploaded first, in order."""
        if image_urls is not None and has_local_files(image_urls):  # issue 13: upload, then create with URLs
            options: dict[str, Any] = {
                "model": model,
                "generation_type": generation_type,
                "aspect_ratio": aspect_ratio,
                "resolution": resolution,
                "seeds": seeds,
                "watermark": watermark,
                "callback_url": callback_url,
                "enable_translation": enable_translation,
            }
            return self.with_uploaded_images(image_urls, lambda urls: self.generate(prompt, image_urls=urls, **options))
        values = {
            "prompt": prompt,
            "model": model,
            "generation_type": generation_type,
            "image_urls": _as_list(image_urls),
            "aspect_ratio": aspect_ratio,
            "resolution": resolution,
            "seeds": seeds,
            "watermark": watermark,
            "call_back_url": callback_url,
            "enable_translation": enable_translation,
        }
        return self._create(GENERATE, models.GenerateRequest, values)

    def extend(
        self,
        task_id: str,
        prompt: str,
        *,
        seeds: int | None = None,
        watermark: str | None = None,
        callback_url: str | None = None,
        model: str | None = None,
    ) -> Flow[Task]:
        """Create an extension task continuing ``task_id``."""
        values = {
            "task_id": task_id,
            "prompt": prompt,
            "seeds": seeds,
            "watermark": watermark,
            "call_back_url": callback_url,
            "model": model,
        }
        return self._create(EXTEND, models.ExtendRequest, values)

    def _create(self, op: Operation, model: type[Any], values: dict[str, Any]) -> Flow[Task]:
        body_model, body = build_body(model, op.body_ref, values)
        return request(self.ctx, op, {"body": body_model}, _task_created, sent=body, task_id=values.get("task_id"))

    # -- reads ---------------------------------------------------------------------------------------

    def get_task(self, task_id: str) -> Flow[TaskInfo]:
        """Read a task's state."""
        check_query(DETAILS.operation_id, {"taskId": ("task_id", task_id)})
        return self._get_task(task_id, None)

    def _get_task(self, task_id: str, deadline: float | None) -> Flow[TaskInfo]:
        return request(self.ctx, DETAILS, {"task_id": task_id}, _task_info, task_id=task_id, deadline=deadline)

    def credits(self) -> Flow[float]:
        """Read the account's remaining credits."""
        return request(self.ctx, CREDITS, {}, _credits)

    def download_url(self, url: str) -> Flow[str]:
        """Turn a kie file URL into a temporary download link."""
        body_model, body = build_body(models.DownloadUrlRequest, DOWNLOAD_URL.body_ref, {"url": url})
        return request(self.ctx, DOWNLOAD_URL, {"body": body_model}, _link, sent=body)

    # -- waiting -------------------------------------------------------------------------------------

    def wait(
        self,
        task_id: str,
        *,
        timeout: float,
        poll_interval: float | None = None,
        on_progress: ProgressCallback | None = None,
        via: str = "poll",
        receiver: CallbackSource | None = None,
    ) -> Flow[TaskInfo]:
        """Wait until the task finishes; one deadline for the whole wait.

        ``via="callback"`` waits for ``receiver`` to get the task's callback (polling slowly meanwhile, in
        case it is lost), then confirms with record-info, the final authority on a task's state.
        """
        if via not in ("poll", "callback"):
            raise RequestValidationError("via", "enum", via, "use 'poll' or 'callback'")
        check_query(DETAILS.operation_id, {"taskId": ("task_id", task_id)})
        _check_positive("timeout", timeout)
        if poll_interval is not None:
            _check_positive("poll_interval", poll_interval)
        if via == "callback":
            if receiver is None:
                raise ConfigurationError(
                    "wait(via='callback') needs a callback receiver: serve client.callback_receiver "
                    "(an ASGI app) at the callback_url you gave to generate/extend"
                )
            return self._wait_for_callback(task_id, timeout, on_progress, receiver)
        return self._wait(task_id, timeout, poll_interval, on_progress, start=None)

    def _task_step(
        self, task_id: str, on_progress: ProgressCallback | None
    ) -> Callable[[float], Flow[TaskInfo | Pending[TaskInfo]]]:
        def step(deadline: float) -> Flow[TaskInfo | Pending[TaskInfo]]:
            info = yield from self._get_task(task_id, deadline)
            if on_progress is not None:
                on_progress(info)
            if info.is_success:
                return info
            if info.is_failed:
                raise TaskFailedError(task_id, info.error_code, info.error_message, info)
            return Pending(info.status)

        return step

    def _wait(
        self,
        task_id: str,
        timeout: float,
        poll_interval: float | None,
        on_progress: ProgressCallback | None,
        *,
        start: float | None,
    ) -> Flow[TaskInfo]:
        begun = self.clock() if start is None else start
        return poll(
            self._task_step(task_id, on_progress),
            task_id=task_id,
            start=begun,
            deadline=begun + timeout,
            intervals=TASK_SCHEDULE.intervals(self.rng, poll_interval),
            clock=self.clock,
        )

    def _wait_for_callback(
        self, task_id: str, timeout: float, on_progress: ProgressCallback | None, receiver: CallbackSource
    ) -> Flow[TaskInfo]:
        start = self.clock()
        deadline = start + timeout
        step = self._task_step(task_id, on_progress)
        while (remaining := deadline - self.clock()) > 0:
            event = yield WaitFor(lambda: receiver.received(task_id, "video"), min(remaining, CALLBACK_SAFETY_POLL))
            if event is not None:
                break
            try:  # no callback yet: check anyway, it may have been lost
                outcome = yield from step(deadline)
            except Veo3Error as exc:
                if not is_transient_read_error(exc):
                    raise
            else:
                if not isinstance(outcome, Pending):
                    return outcome
        # The callback came (or time is up): record-info decides, polled for whatever time is left.
        return (yield from self._wait(task_id, timeout, None, on_progress, start=start))

    def generate_and_wait(
        self, prompt: str, *, timeout: float, on_progress: ProgressCallback | None, **kwargs: Any
    ) -> Flow[TaskInfo]:
        """Create a generation task and wait for it (the deadline covers both)."""
        _check_positive("timeout", timeout)
        return self._create_and_wait(self.generate(prompt, **kwargs), timeout, on_progress)

    def extend_and_wait(
        self, task_id: str, prompt: str, *, timeout: float, on_progress: ProgressCallback | None, **kwargs: Any
    ) -> Flow[TaskInfo]:
        """Create an extension task and wait for it (the deadline covers both)."""
        _check_positive("timeout", timeout)
        return self._create_and_wait(self.extend(task_id, prompt, **kwargs), timeout, on_progress)

    def _create_and_wait(
        self, create: Flow[Task], timeout: float, on_progress: ProgressCallback | None
    ) -> Flow[TaskInfo]:
        start = self.clock()
        task = yield from create
        return (yield from self._wait(task.task_id, timeout, None, on_progress, start=start))

    def extend_chain(
        self,
        task_id: str,
        prompts: Sequence[str],
        *,
        timeout: float,
        on_progress: ProgressCallback | None,
        **kwargs: Any,
    ) -> Flow[list[TaskInfo]]:
        """Extend ``task_id`` once per prompt, each step continuing the previous one's result.

        Every step's request is validated before the first is sent; ``timeout`` applies to each step.
        """
        if isinstance(prompts, str) or not prompts:
            raise RequestValidationError("prompts", "minItems", prompts, "give a non-empty list of prompts")
        _check_positive("timeout", timeout)
        for prompt in prompts:
            self.extend(task_id, prompt, **kwargs).close()  # validation only: nothing is sent
        return self._chain(task_id, list(prompts), timeout, on_progress, kwargs)

    def _chain(
        self,
        task_id: str,
        prompts: list[str],
        timeout: float,
        on_progress: ProgressCallback | None,
        kwargs: dict[str, Any],
    ) -> Flow[list[TaskInfo]]:
        results: list[TaskInfo] = []
        current = task_id
        for prompt in prompts:
            info = yield from self._create_and_wait(self.extend(current, prompt, **kwargs), timeout, on_progress)
            results.append(info)
            current = info.task_id
        return results

    # -- 1080p and 4K --------------------------------------------------------------------------------

    def get_1080p(self, task_id: str, *, index: int, wait: bool, timeout: float) -> Flow[str]:
        """The 1080p video's URL; waits through "processing" answers when ``wait`` (else "" if not ready)."""
        check_query(GET_1080P.operation_id, {"taskId": ("task_id", task_id), "index": ("index", index)})
        _check_positive("timeout", timeout)

        def extract(answer: Answer) -> str | Pending[str]:
            if answer.code == 200:
                data = answer.data
                if (
                    not isinstance(data, models.Video1080P)
                    or not isinstance(data.result_url, str)
                    or not data.result_url
                ):
                    raise Unreadable("data.resultUrl missing")
                return data.result_url
            if answer.code == 400 or _is_processing(answer.message):
                return Pending(answer.message)
            raise _as_error(answer, GET_1080P, task_id)

        def step(deadline: float | None) -> Flow[str | Pending[str]]:
            kwargs = {"task_id": task_id, "index": index}
            return request(self.ctx, GET_1080P, kwargs, extract, task_id=task_id, accept=(400, 422), deadline=deadline)

        return self._upgrade(step, step, task_id=task_id, wait=wait, timeout=timeout, schedule=HD_SCHEDULE, empty="")

    def get_4k(
        self, task_id: str, *, index: int, callback_url: str | None, wait: bool, timeout: float
    ) -> Flow[list[str]]:
        """The 4K video's URLs: the first call starts the (paid) job, repeats read its progress."""
        first_model, first_body = build_body(
            models.Get4KRequest, GET_4K.body_ref, {"task_id": task_id, "index": index, "call_back_url": callback_url}
        )
        _check_positive("timeout", timeout)
        repeat_model = first_model if callback_url is None else models.Get4KRequest(task_id=task_id, index=index)

        def extract(answer: Answer) -> list[str] | Pending[list[str]]:
            data = answer.data
            if answer.code == 200 and not isinstance(data, models.Video4K):
                raise Unreadable("data is not a 4K job")
            urls = _urls(data.result_urls) if isinstance(data, models.Video4K) else []
            if urls:
                return urls
            if answer.code == 200 or _is_processing(answer.message) or "success" in answer.message.lower():
                return Pending(answer.message)
            raise _as_error(answer, GET_4K, task_id)

        def first(deadline: float | None) -> Flow[list[str] | Pending[list[str]]]:
            return request(
                self.ctx, GET_4K, {"body": first_model}, extract,
                sent=first_body, task_id=task_id, accept=(422,), deadline=deadline,
            )  # fmt: skip

        def repeat(deadline: float | None) -> Flow[list[str] | Pending[list[str]]]:
            # The job exists: a repeat only reports progress, so it may be retried like a read.
            return request(
                self.ctx, GET_4K, {"body": repeat_model}, extract,
                paid=False, task_id=task_id, accept=(422,), deadline=deadline,
            )  # fmt: skip

        return self._upgrade(
            first, repeat, task_id=task_id, wait=wait, timeout=timeout, schedule=UHD_SCHEDULE, empty=[]
        )

    def _upgrade(
        self,
        first: Callable[[float | None], Flow[T | Pending[T]]],
        repeat: Callable[[float | None], Flow[T | Pending[T]]],
        *,
        task_id: str,
        wait: bool,
        timeout: float,
        schedule: Schedule,
        empty: T,
    ) -> Flow[T]:
        """Ask once; if not ready and ``wait``, repeat until ready or ``timeout`` (one deadline for both)."""
        start = self.clock()
        result = yield from first(start + timeout if wait else None)
        if not isinstance(result, Pending):
            return result
        if not wait:
            return empty
        return (
            yield from poll(
                repeat,
                task_id=task_id,
                start=start,
                deadline=start + timeout,
                intervals=schedule.intervals(self.rng),
                clock=self.clock,
                last_status=result.status,
                sleep_first=True,
            )
        )

    # -- downloads -----------------------------------------------------------------------------------

    def download(
        self,
        source: str | TaskInfo,
        dest: str | os.PathLike[str],
        *,
        resume: bool,
        on_progress: Callable[[int, int | None], None] | None,
    ) -> Flow[Any]:
        """Stream a media file to ``dest`` (resumable, verified, atomically renamed)."""
        url = source.video_url if isinstance(source, TaskInfo) else source
        if not url:
            raise RequestValidationError("url_or_taskinfo", "required", source, "the task has no video URL yet")
        if not url.startswith(("http://", "https://")):
            raise RequestValidationError("url_or_taskinfo", "format", url, "not an http(s) URL")
        job = DownloadJob(url, resolve_destination(url, dest), resume=resume, on_progress=on_progress)
        return self._download(job)

    def _download(self, job: DownloadJob) -> Flow[Any]:
        policy = self.ctx.policy
        failures = 0
        try:
            while True:
                had = job.have
                try:
                    yield Stream(job)
                    return job.finish()
                except (httpx.TransportError, IncompleteDownload, DownloadError) as exc:
                    if isinstance(exc, DownloadError) and not retryable_code(exc.http_status or 0, paid=False):
                        raise
                    job.close()
                    failures = 0 if job.have > had else failures + 1  # progress earns a fresh budget
                    if failures > policy.max_retries:
                        raise TransportError(
                            f"download interrupted: {type(exc).__name__}: {exc}", retries_taken=failures - 1
                        ) from exc
                    yield Sleep(policy.delay(failures - 1))
        except BaseException:
            job.abandon()
            raise


def _as_list(value: Any) -> Any:
    """Tuples and other sequences travel as JSON arrays; anything else is left for validation to judge."""
    if isinstance(value, Sequence) and not isinstance(value, str | bytes | list):
        return list(value)
    return value


def _check_positive(name: str, value: float) -> None:
    if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
        raise RequestValidationError(name, "exclusiveMinimum", value, "must be a positive number of seconds")


def _as_error(answer: Answer, op: Operation, task_id: str) -> Exception:
    return api_error(
        answer.code,
        answer.message,
        http_status=answer.http_status,
        task_id=task_id,
        operation=op.operation_id,
        retries_taken=answer.retries_taken,
    )
