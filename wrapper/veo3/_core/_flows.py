"""Every client operation, written once as a sans-IO flow (see ``_effects``).

Methods validate their arguments immediately (so ``RequestValidationError`` comes before any I/O) and
return a generator that a driver runs.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol, TypeVar

# The package loads each model on first use: importing the core does not import them all.
from veo3_api import models

from veo3._spec._operations import CREDITS, DETAILS, DOWNLOAD_URL, EXTEND, GENERATE, GET_4K, GET_1080P, Operation
from veo3._spec._prices import default_prices
from veo3._spec._validation import Prepared, prepare
from veo3.errors import (
    ConfigurationError,
    RequestValidationError,
    TaskFailedError,
    Veo3Error,
)
from veo3.types import Task, TaskInfo, _urls

from ._download import DEFAULT_NAME, DownloadJob, download_flow, name_from_url, resolve_destination
from ._effects import Flow, WaitFor
from ._policy import Progress, RetryPolicy, api_error, hd_progress, is_transient_read_error, uhd_progress
from ._polling import (
    HD_SCHEDULE,
    TASK_SCHEDULE,
    TYPICAL_SECONDS,
    UHD_SCHEDULE,
    Durations,
    LearnedSchedule,
    Pending,
    Schedule,
    duration_key,
    poll,
)
from ._request import Answer, Context, Unreadable, request
from ._upload import LOCAL_FILES_FIELD, UploadOps, has_local_files

__all__ = ["CallbackSource", "Core", "Params", "ProgressCallback"]

ProgressCallback = Callable[[TaskInfo], None]
#: A call's keywords: the spec's optional fields by Python name, plus ``extra_body``/``extra_query``/
#: ``extra_headers`` (typed for callers by ``veo3.params``).
Params = Mapping[str, Any]
_NONE: Params = {}
T = TypeVar("T")

# With a callback receiver, record-info is still checked this often in case the callback is lost.
CALLBACK_SAFETY_POLL = 60.0


class CallbackSource(Protocol):
    """What ``wait(via="callback")`` needs of a receiver (``veo3.webhooks.CallbackReceiver`` has it)."""

    def received(self, task_id: str, kind: Any = None) -> Any:
        """The latest callback event for ``task_id`` (of ``kind``), or ``None``."""


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


class Core(UploadOps):
    """The operations behind ``Veo3Client`` and ``AsyncVeo3Client`` (uploads: ``_upload.UploadOps``)."""

    def __init__(
        self,
        *,
        max_retries: int,
        clock: Callable[[], float],
        rng: random.Random | None = None,
        rate_limit: tuple[int, float] | None = None,
        make_lock: Callable[[], AbstractContextManager[Any]] | None = None,
        typical: bool = False,
    ) -> None:
        self.rng = rng or random.Random()
        self.ctx = Context(RetryPolicy(max_retries=max_retries, rng=self.rng), clock, rate_limit, make_lock)
        # Every wait polls on one schedule (the batch's too), learning from the tasks this client saw;
        # ``typical``: start from kie's typical durations (a client of kie's own host).
        self.schedule = LearnedSchedule(typical=TYPICAL_SECONDS if typical else {})
        self.durations = Durations()

    @property
    def clock(self) -> Callable[[], float]:
        """The monotonic clock deadlines are measured on."""
        return self.ctx.clock

    # -- creates -------------------------------------------------------------------------------------

    def generate(self, prompt: str, params: Params = _NONE) -> Flow[Task]:
        """Create a generation task; local files (``os.PathLike``) among ``image_urls`` are uploaded first, in
        order, after the whole request was checked with stand-in URLs."""
        images = params.get(LOCAL_FILES_FIELD)
        if images is not None and has_local_files(images):
            return self.with_uploaded_images(
                images, lambda urls: self.generate(prompt, {**params, LOCAL_FILES_FIELD: urls})
            )
        ready = prepare(GENERATE.operation_id, models.GenerateRequest, {"prompt": prompt}, params, what="generate")
        return self._create(GENERATE, ready, None)

    def extend(self, task_id: str, prompt: str, params: Params = _NONE) -> Flow[Task]:
        """Create an extension task continuing ``task_id``."""
        required = {"task_id": task_id, "prompt": prompt}
        ready = prepare(EXTEND.operation_id, models.ExtendRequest, required, params, what="extend")
        return self._create(EXTEND, ready, task_id)

    def _create(self, op: Operation, ready: Prepared, task_id: str | None) -> Flow[Task]:
        task = yield from request(
            self.ctx, op, ready.kwargs, _task_created, sent=ready.sent, task_id=task_id, extra=ready.extra
        )
        # Its age and model let wait() sleep until it can be done, then poll closely (``_polling``).
        self.durations.created(task.task_id, duration_key(op, ready.sent or {}, default_prices()), self.clock())
        return task

    # -- reads ---------------------------------------------------------------------------------------

    def get_task(self, task_id: str, params: Params = _NONE) -> Flow[TaskInfo]:
        """Read a task's state."""
        return self._get_task(task_id, self._details(task_id, params, "get_task"), None)

    @staticmethod
    def _details(task_id: str, params: Params, what: str) -> Prepared:
        return prepare(DETAILS.operation_id, None, {"task_id": task_id}, params, what=what)

    def _get_task(self, task_id: str, ready: Prepared, deadline: float | None) -> Flow[TaskInfo]:
        return request(
            self.ctx, DETAILS, ready.kwargs, _task_info, task_id=task_id, deadline=deadline, extra=ready.extra
        )

    def credits(self, params: Params = _NONE) -> Flow[float]:
        """Read the account's remaining credits."""
        ready = prepare(CREDITS.operation_id, None, {}, params, what="credits")
        return request(self.ctx, CREDITS, ready.kwargs, _credits, extra=ready.extra)

    def download_url(self, url: str, params: Params = _NONE) -> Flow[str]:
        """Turn a kie file URL into a temporary download link."""
        ready = prepare(DOWNLOAD_URL.operation_id, models.DownloadUrlRequest, {"url": url}, params, what="download_url")
        return request(self.ctx, DOWNLOAD_URL, ready.kwargs, _link, sent=ready.sent, extra=ready.extra)

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
        params: Params = _NONE,
    ) -> Flow[TaskInfo]:
        """Wait until the task finishes; one deadline for the whole wait.

        ``via="callback"`` waits for ``receiver`` to get the task's callback (polling slowly meanwhile, in
        case it is lost), then confirms with record-info, the final authority on a task's state.
        """
        if via not in ("poll", "callback"):
            raise RequestValidationError("via", "enum", via, "use 'poll' or 'callback'")
        ready = self._details(task_id, params, "wait")
        _check_positive("timeout", timeout)
        if poll_interval is not None:
            _check_positive("poll_interval", poll_interval)
        if via == "callback":
            if receiver is None:
                raise ConfigurationError(
                    "wait(via='callback') needs a callback receiver: serve client.callback_receiver "
                    "(an ASGI app) at the call_back_url you gave to generate/extend"
                )
            return self._wait_for_callback(task_id, ready, timeout, on_progress, receiver)
        return self._wait(task_id, ready, timeout, poll_interval, on_progress, start=None)

    def _task_step(
        self, task_id: str, ready: Prepared, on_progress: ProgressCallback | None
    ) -> Callable[[float], Flow[TaskInfo | Pending[TaskInfo]]]:
        def step(deadline: float) -> Flow[TaskInfo | Pending[TaskInfo]]:
            info = yield from self._get_task(task_id, ready, deadline)
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
        ready: Prepared,
        timeout: float,
        poll_interval: float | None,
        on_progress: ProgressCallback | None,
        *,
        start: float | None,
    ) -> Flow[TaskInfo]:
        # The one schedule: a task this client created is polled on what its model's tasks were seen to take.
        birth = self.durations.birth(task_id)
        if poll_interval is not None or birth is None:  # fixed by the caller, or a task of unknown age
            intervals, key, sleep_first = TASK_SCHEDULE.intervals(self.rng, poll_interval), None, False
        else:
            key, born = birth
            history, age = self.durations.of(key), (self.clock() - born) / self.schedule.scale
            intervals = self.schedule.intervals(history, age, self.rng, key)
            sleep_first = self.schedule.too_early(history, age, key)
        info = yield from self.poll_task(
            task_id,
            timeout=timeout,
            intervals=intervals,
            sleep_first=sleep_first,
            start=start,
            on_progress=on_progress,
            ready=ready,
        )
        if key is not None and info.created_at is not None and info.completed_at is not None:
            self.durations.add(key, (info.completed_at - info.created_at).total_seconds() / self.schedule.scale)
        return info

    def poll_task(
        self,
        task_id: str,
        *,
        timeout: float,
        intervals: Iterator[float],
        sleep_first: bool = False,
        start: float | None = None,
        on_progress: ProgressCallback | None = None,
        ready: Prepared | None = None,
    ) -> Flow[TaskInfo]:
        """Poll record-info until the task ends, sleeping ``intervals`` between checks (the batch hands in its
        learned schedule); ``sleep_first`` when the task was just created. One deadline: ``timeout`` after
        ``start`` (default: now)."""
        begun = self.clock() if start is None else start
        return poll(
            self._task_step(task_id, ready or self._details(task_id, _NONE, "wait"), on_progress),
            task_id=task_id,
            start=begun,
            deadline=begun + timeout,
            intervals=intervals,
            clock=self.clock,
            sleep_first=sleep_first,
        )

    def _wait_for_callback(
        self,
        task_id: str,
        ready: Prepared,
        timeout: float,
        on_progress: ProgressCallback | None,
        receiver: CallbackSource,
    ) -> Flow[TaskInfo]:
        start = self.clock()
        deadline = start + timeout
        step = self._task_step(task_id, ready, on_progress)
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
        return (yield from self._wait(task_id, ready, timeout, None, on_progress, start=start))

    def generate_and_wait(
        self, prompt: str, *, timeout: float, on_progress: ProgressCallback | None, params: Params = _NONE
    ) -> Flow[TaskInfo]:
        """Create a generation task and wait for it (the deadline covers both)."""
        _check_positive("timeout", timeout)
        return self._create_and_wait(self.generate(prompt, params), timeout, on_progress, params)

    def extend_and_wait(
        self,
        task_id: str,
        prompt: str,
        *,
        timeout: float,
        on_progress: ProgressCallback | None,
        params: Params = _NONE,
    ) -> Flow[TaskInfo]:
        """Create an extension task and wait for it (the deadline covers both)."""
        _check_positive("timeout", timeout)
        return self._create_and_wait(self.extend(task_id, prompt, params), timeout, on_progress, params)

    def _create_and_wait(
        self, create: Flow[Task], timeout: float, on_progress: ProgressCallback | None, params: Params
    ) -> Flow[TaskInfo]:
        start = self.clock()
        task = yield from create
        # The polls carry the caller's extra query and headers too (an extra body belongs to the create).
        ready = self._details(task.task_id, _poll_extras(params), "wait")
        return (yield from self._wait(task.task_id, ready, timeout, None, on_progress, start=start))

    def extend_chain(
        self,
        task_id: str,
        prompts: Sequence[str],
        *,
        timeout: float,
        on_progress: ProgressCallback | None,
        params: Params = _NONE,
    ) -> Flow[list[TaskInfo]]:
        """Extend ``task_id`` once per prompt, each step continuing the previous one's result.

        Every step's request is validated before the first is sent; ``timeout`` applies to each step.
        """
        if isinstance(prompts, str) or not prompts:
            raise RequestValidationError("prompts", "minItems", prompts, "give a non-empty list of prompts")
        _check_positive("timeout", timeout)
        for prompt in prompts:
            self.extend(task_id, prompt, params).close()  # validation only: nothing is sent
        return self._chain(task_id, list(prompts), timeout, on_progress, params)

    def _chain(
        self,
        task_id: str,
        prompts: list[str],
        timeout: float,
        on_progress: ProgressCallback | None,
        params: Params,
    ) -> Flow[list[TaskInfo]]:
        results: list[TaskInfo] = []
        current = task_id
        for prompt in prompts:
            step = self.extend(current, prompt, params)
            info = yield from self._create_and_wait(step, timeout, on_progress, params)
            results.append(info)
            current = info.task_id
        return results

    # -- 1080p and 4K --------------------------------------------------------------------------------

    def get_1080p(self, task_id: str, *, wait: bool, timeout: float, params: Params = _NONE) -> Flow[str]:
        """The 1080p video's URL; waits through "processing" answers when ``wait`` (else "" if not ready)."""
        ready = prepare(GET_1080P.operation_id, None, {"task_id": task_id}, params, what="get_1080p")
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
            if hd_progress(answer.code, answer.message) is Progress.PENDING:  # kie's quirks: see _policy
                return Pending(answer.message)
            raise _as_error(answer, GET_1080P, task_id)

        def step(deadline: float | None) -> Flow[str | Pending[str]]:
            return request(
                self.ctx, GET_1080P, ready.kwargs, extract,
                task_id=task_id, accept=(400, 422), deadline=deadline, extra=ready.extra,
            )  # fmt: skip

        return self._upgrade(step, step, task_id=task_id, wait=wait, timeout=timeout, schedule=HD_SCHEDULE, empty="")

    def get_4k(self, task_id: str, *, wait: bool, timeout: float, params: Params = _NONE) -> Flow[list[str]]:
        """The 4K video's URLs: the first call starts the (paid) job, repeats read its progress."""
        first = prepare(GET_4K.operation_id, models.Get4KRequest, {"task_id": task_id}, params, what="get_4k")
        _check_positive("timeout", timeout)
        # A repeat leaves out the callback URL (from the spec's callbacks): it starts nothing to call back about.
        repeat_body = {k: v for k, v in (first.sent or {}).items() if k not in GET_4K.callback_fields}
        repeat_kwargs = {"body": models.Get4KRequest.from_dict(repeat_body)}

        def extract(answer: Answer) -> list[str] | Pending[list[str]]:
            data = answer.data
            if answer.code == 200 and not isinstance(data, models.Video4K):
                raise Unreadable("data is not a 4K job")
            urls = _urls(data.result_urls) if isinstance(data, models.Video4K) else []
            if urls:
                return urls
            if uhd_progress(answer.code, answer.message) is Progress.PENDING:  # kie's quirks: see _policy
                return Pending(answer.message)
            raise _as_error(answer, GET_4K, task_id)

        def start(deadline: float | None) -> Flow[list[str] | Pending[list[str]]]:
            return request(
                self.ctx, GET_4K, first.kwargs, extract,
                sent=first.sent, task_id=task_id, accept=(422,), deadline=deadline, extra=first.extra,
            )  # fmt: skip

        def repeat(deadline: float | None) -> Flow[list[str] | Pending[list[str]]]:
            # The job exists: a repeat only reports progress, so it may be retried like a read.
            return request(
                self.ctx, GET_4K, repeat_kwargs, extract,
                paid=False, task_id=task_id, accept=(422,), deadline=deadline, extra=first.extra,
            )  # fmt: skip

        return self._upgrade(
            start, repeat, task_id=task_id, wait=wait, timeout=timeout, schedule=UHD_SCHEDULE, empty=[]
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
        fallback = f"{source.task_id}.mp4" if isinstance(source, TaskInfo) else DEFAULT_NAME
        target = resolve_destination(dest, name_from_url(url, fallback))
        job = DownloadJob(url, target, resume=resume, on_progress=on_progress)
        return download_flow(job, self.ctx.policy)


def _poll_extras(params: Params) -> Params:
    return {k: v for k, v in params.items() if k in ("extra_query", "extra_headers")}


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
