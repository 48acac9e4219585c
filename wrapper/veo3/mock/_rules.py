"""The business rules of the seven operations, on validated input; each returns an ``Answer``.

Failure markers in a prompt make outcomes reproducible (CODE: a 4xx or 5xx number):

- ``[fail:CODE]`` — the task is created and ends with successFlag 3 (GENERATION_FAILED), errorCode CODE;
- ``[create-fail:CODE]`` — the task ends with successFlag 2 (CREATE_FAILED), errorCode CODE;
- ``[reject:CODE]`` — the create call itself answers in-band CODE (no task, no credits spent);
- ``[4k-fail]`` — the task succeeds, but its 4K upgrade fails.
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import parse_qs, urlsplit

from veo3._spec import _document as _spec

from ._callbacks import schedule
from ._state import CREATE_FAILED, GENERATION_FAILED, SUCCESS, MockState, MockTask, missing_uploads

HD_PROCESSING = "1080P is processing. It should be ready in 1-2 minutes. Please check back shortly."
UHD_PROCESSING = "4k is processing. It should be ready in 5-10 minutes. Please check back shortly."
UHD_DONE = "The video has been generated successfully"
UHD_FAILED = "The 4K version of this video is unavailable. Please try a different video."
TOO_OLD = "Temporarily supports records within 14 days."
NOT_SUCCESS = "record status is not success."
NO_RESULT = "record result data not exist."
EXTERNAL_URL = "Invalid URL (External file URLs are not supported)"
NOT_FOUND = "Original video or task does not exist"
NO_CREDITS = "Insufficient credits"
AFTER_1080P = "A video that went through 1080P generation cannot be extended."
#: The code a task fails with when kie cannot fetch one of its images (kie's docs: 400 or 451, "Failed to
#: fetch the image"); the simulator uses it for an ``imageUrls`` entry naming a missing or expired upload.
IMAGE_FETCH_FAILED = 451
#: A download link is valid 20 minutes of wall-clock time (not scaled: it bounds a client's download).
DOWNLOAD_LINK_SECONDS = 20 * 60

FAILURE_MESSAGES = {
    400: "Your prompt was flagged by Website as violating content policies.",
    422: "Your request was rejected by Flow(Your prompt was flagged by Website as violating content policies). "
    "You may consider using our other fallback channels, which are likely to succeed. "
    "Please refer to the documentation.",
    451: "Failed to fetch the image. Kindly verify any access limits set by you or your service provider.",
    500: "Internal Error, Please try again later.",
    501: "Generation failed.",
    505: "This feature is disabled.",
}
Background = set[asyncio.Task[None]]
_MARKER = re.compile(r"\[(fail|create-fail|reject):([45]\d\d)\]")  # error codes only: 4xx or 5xx


@dataclass(frozen=True, slots=True)
class Answer:
    """An in-band answer: ``{code, msg, data}``; ``http_status`` forces the HTTP status.

    ``progress`` marks the non-error answers that kie sends with an error code (1080p and 4K
    "processing"/"generated"): they keep HTTP 200 even when the HTTP status mirrors the code.
    """

    code: int
    msg: str
    data: Any = None
    http_status: int | None = None
    progress: bool = False


@dataclass(frozen=True, slots=True)
class Caller:
    """Who asked and where: the key's fingerprint and the base URL media links are built on."""

    fingerprint: str
    base_url: str


@dataclass(frozen=True, slots=True)
class Outcome:
    """How a new task will end, and whether the create call is refused outright."""

    flag: int = SUCCESS
    error_code: int | None = None
    reject: int | None = None
    uhd_fails: bool = False


@cache
def spec_default(schema_name: str) -> Any:
    """The ``default`` a schema of the spec declares (e.g. the default model)."""
    return _spec.resolve(f"#/components/schemas/{schema_name}").get("default")


def video_seconds(task: MockTask) -> int:
    """How long the task's video plays: the ``duration`` it asked for, else the spec's default."""
    seconds = task.params.get("duration") or spec_default("Duration")
    return int(seconds)


def failure_message(code: int) -> str:
    """kie's message for a failure code."""
    return FAILURE_MESSAGES.get(code, f"Task failed with code {code}.")


def outcome_for(state: MockState, prompt: str) -> Outcome:
    """The outcome the prompt's markers ask for, else a seeded draw against ``failure_rate``."""
    uhd_fails = "[4k-fail]" in prompt
    match = _MARKER.search(prompt) if "[" in prompt else None
    if match:
        kind, code = match.group(1), int(match.group(2))
        if kind == "reject":
            return Outcome(reject=code, uhd_fails=uhd_fails)
        flag = GENERATION_FAILED if kind == "fail" else CREATE_FAILED
        return Outcome(flag=flag, error_code=code, uhd_fails=uhd_fails)
    rate = state.config.failure_rate
    if rate and state.random.random() < rate:
        return Outcome(flag=GENERATION_FAILED, error_code=501, uhd_fails=uhd_fails)
    return Outcome(uhd_fails=uhd_fails)


def param_json(body: dict[str, Any]) -> str:
    """The request as record-info's ``paramJson`` shows it (kie stores the watermark as ``waterMark``)."""
    stored = {("waterMark" if k == "watermark" else k): v for k, v in body.items()}
    return json.dumps(stored, separators=(",", ":"), ensure_ascii=False)


def _new_task(
    state: MockState, caller: Caller, kind: str, body: dict[str, Any], seconds: float, outcome: Outcome, **extra: Any
) -> MockTask:
    now = state.now()
    task = MockTask(
        task_id=state.new_task_id("veo_4k_" if kind == "4k" else "veo_task_"),
        kind=kind,
        params=body,
        param_json=param_json(body),
        base_url=caller.base_url,
        key_fingerprint=caller.fingerprint,
        created_at=now,
        created_wall=state.wall(),
        ready_at=now + state.config.scaled(seconds),
        final_flag=outcome.flag,
        error_code=outcome.error_code,
        error_message=failure_message(outcome.error_code) if outcome.error_code else None,
        callback_url=body.get("callBackUrl"),
        uhd_fails=outcome.uhd_fails,
        **extra,
    )
    state.tasks[task.task_id] = task
    return task


def _charge(state: MockState, model: str) -> bool:
    return state.charge(state.config.costs.get(model, 0.0))


def generate(state: MockState, caller: Caller, body: dict[str, Any], background: Background) -> Answer:
    """POST /api/v1/veo/generate."""
    outcome = outcome_for(state, body["prompt"])
    if missing_uploads(state, caller.base_url, body.get("imageUrls")):  # kie cannot fetch the image
        outcome = Outcome(flag=CREATE_FAILED, error_code=IMAGE_FETCH_FAILED, uhd_fails=outcome.uhd_fails)
    aspect_ratio = body.get("aspect_ratio") or spec_default("AspectRatio")
    resolution = body.get("resolution") or spec_default("Resolution")
    video = {"aspect_ratio": aspect_ratio, "resolution": resolution}
    return _create(state, caller, body, background, "generate", outcome, state.config.generation_seconds, video)


def _create(
    state: MockState,
    caller: Caller,
    body: dict[str, Any],
    background: Background,
    kind: str,
    outcome: Outcome,
    seconds: float,
    video: dict[str, Any],
) -> Answer:
    """What generate and extend share once the request is accepted: the prompt's outcome may refuse it, the
    model's price is charged (402 without the credits), then the task starts and its callback is scheduled."""
    if outcome.reject is not None:
        return Answer(outcome.reject, failure_message(outcome.reject))
    model_enum = "GenerateModel" if kind == "generate" else "ExtendModel"
    if not _charge(state, body.get("model") or spec_default(model_enum)):
        return Answer(402, NO_CREDITS)
    task = _new_task(state, caller, kind, body, seconds, outcome, **video)
    schedule(state, task, background)
    return Answer(200, "success", {"taskId": task.task_id})


def _find(state: MockState, task_id: str) -> MockTask | Answer:
    task = state.tasks.get(task_id)
    if task is None:
        return Answer(404, NOT_FOUND)
    if state.is_expired(task):
        return Answer(422, TOO_OLD)
    return task


def _find_successful_video(state: MockState, task_id: str, index: int = 0) -> MockTask | Answer:
    """A generation or extension that succeeded, with a video at ``index``."""
    task = _find(state, task_id)
    if isinstance(task, Answer):
        return task
    if task.kind == "4k" or index != 0:
        return Answer(422, NO_RESULT)
    if task.status(state.now()) != SUCCESS:
        return Answer(422, NOT_SUCCESS)
    return task


def extend(state: MockState, caller: Caller, body: dict[str, Any], background: Background) -> Answer:
    """POST /api/v1/veo/extend: only an existing, successful video that never went through 1080p."""
    parent = _find_successful_video(state, body["taskId"])
    if isinstance(parent, Answer):
        return parent
    if parent.went_through_1080p:
        return Answer(422, AFTER_1080P)
    outcome = outcome_for(state, body["prompt"])
    video = {"aspect_ratio": parent.aspect_ratio, "parent_id": parent.task_id}
    return _create(state, caller, body, background, "extend", outcome, state.config.extension_seconds, video)


def _timestamp_ms(seconds: float) -> int:
    return int(seconds * 1000)


def task_details(state: MockState, task: MockTask) -> dict[str, Any]:
    """record-info's ``data`` for a task, at the current simulator time."""
    if task.details_cache is not None:
        return task.details_cache
    flag = task.status(state.now())
    finished = flag != 0
    response = None
    if flag == SUCCESS:
        response = {
            "taskId": task.task_id,
            "resultUrls": task.result_urls(),
            "fullResultUrls": task.full_result_urls(),
            "originUrls": task.origin_urls(),
            "resolution": "4k" if task.kind == "4k" else task.resolution,
        }
    failed = finished and flag != SUCCESS
    details = {
        "taskId": task.task_id,
        "paramJson": task.param_json,
        "createTime": _timestamp_ms(task.created_wall),
        "completeTime": _timestamp_ms(task.created_wall + (task.ready_at - task.created_at)) if finished else None,
        "response": response,
        "successFlag": flag,
        "errorCode": task.error_code if failed else None,
        "errorMessage": task.error_message if failed else None,
        "fallbackFlag": False,
    }
    if finished:
        task.details_cache = details
    return details


def record_info(state: MockState, caller: Caller, query: dict[str, Any]) -> Answer:
    """GET /api/v1/veo/record-info."""
    task = state.tasks.get(query["taskId"])
    if task is None:
        return Answer(404, "Task does not exist.")
    if state.is_expired(task):
        return Answer(422, TOO_OLD)
    task.note_poll(state.now())
    return Answer(200, "success", task_details(state, task))


def get_1080p(state: MockState, caller: Caller, query: dict[str, Any]) -> Answer:
    """GET /api/v1/veo/get-1080p-video: "processing" (400) until the 1080p version is ready, then its URL."""
    task = _find_successful_video(state, query["taskId"], query.get("index", 0))
    if isinstance(task, Answer):
        return task
    now = state.now()
    if task.hd_ready_at is None:
        if not _charge(state, "1080p"):  # the first request starts the (priced) 1080p job
            return Answer(402, NO_CREDITS)
        already_hd = task.resolution == "1080p"
        task.hd_ready_at = now if already_hd else now + state.config.scaled(state.config.hd_seconds)
    if now < task.hd_ready_at:
        return Answer(400, HD_PROCESSING, progress=True)
    return Answer(200, "success", {"resultUrl": task.media_url("1080p.mp4")})


def get_4k(state: MockState, caller: Caller, body: dict[str, Any], background: Background) -> Answer:
    """POST /api/v1/veo/get-4k-video: 200 (started), then 422 "processing", then 422 "generated" with URLs."""
    index = body.get("index", 0)
    source = _find_successful_video(state, body["taskId"], index)
    if isinstance(source, Answer):
        return source
    job_id = source.uhd_jobs.get(index)
    if job_id is None:
        if not _charge(state, "4k"):
            return Answer(402, NO_CREDITS)
        outcome = Outcome(GENERATION_FAILED, 500) if source.uhd_fails else Outcome()
        job = _new_task(state, caller, "4k", body, state.config.uhd_seconds, outcome, parent_id=source.task_id)
        job.resolution, job.index = "4k", index
        if source.uhd_fails:
            job.error_message = UHD_FAILED
        source.uhd_jobs[index] = job.task_id
        schedule(state, job, background)
        return Answer(200, "success", {"taskId": job.task_id, "resultUrls": None, "imageUrls": None})
    job = state.tasks[job_id]
    flag = job.status(state.now())
    if flag == 0:
        return Answer(422, UHD_PROCESSING, {"taskId": job_id, "resultUrls": None, "imageUrls": None}, progress=True)
    if flag != SUCCESS:
        return Answer(500, UHD_FAILED)
    data = {"taskId": job_id, "resultUrls": job.result_urls(), "imageUrls": job.image_urls()}
    return Answer(422, UHD_DONE, data, progress=True)


def credits(state: MockState, caller: Caller, query: dict[str, Any]) -> Answer:
    """GET /api/v1/chat/credit."""
    return Answer(200, "success", state.credits)


def download_url(state: MockState, caller: Caller, body: dict[str, Any], background: Background) -> Answer:
    """POST /api/v1/common/download-url: a temporary link for a simulator-made file; external URLs → 422."""
    url: str = body["url"]
    task = media_task(state, url)
    if task is None:
        ours = urlsplit(url).netloc == urlsplit(caller.base_url).netloc
        return Answer(404, "File not found.") if ours else Answer(422, EXTERNAL_URL)
    expires = int(state.wall() + DOWNLOAD_LINK_SECONDS)
    return Answer(200, "success", f"{url.split('?', 1)[0]}?expires={expires}")


def media_task(state: MockState, url: str) -> MockTask | None:
    """The successful, unexpired task whose media file ``url`` names, if it is one of the simulator's."""
    parts = urlsplit(url).path.split("/")
    if len(parts) != 4 or parts[1] != "media":
        return None
    task = state.tasks.get(parts[2])
    if task is None or not url.startswith(task.base_url + "/media/") or not servable(state, task, parts[3]):
        return None
    return task


def servable(state: MockState, task: MockTask, name: str) -> bool:
    """Whether ``/media/{task}/{name}`` exists now."""
    return (
        name in task.media_names()
        and task.status(state.now()) == SUCCESS
        and not state.is_expired(task)
        and (name != "1080p.mp4" or task.hd_ready_at is not None)
    )


def link_expired(state: MockState, query: str) -> bool:
    """Whether a download link's ``expires`` parameter is in the past."""
    values = parse_qs(query).get("expires")
    try:
        return bool(values) and float(values[-1]) < state.wall()  # type: ignore[index]
    except ValueError:
        return True
