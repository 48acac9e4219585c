"""Callbacks: the documented payloads, signed like kie's, POSTed when a task ends, retried on failure.

Only loopback targets are contacted unless ``MockConfig.allow_external_callbacks`` is set: a test
simulator must never post to the internet because a fuzzer put a URL in ``callBackUrl``.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx

from veo3._utils._logging import get_logger
from veo3._utils._net import is_loopback
from veo3.webhooks._signing import sign

from ._state import SUCCESS, DeliveredCallback, MockState, MockTask

logger = get_logger("veo3.mock")  # with the key-redacting filter, like every veo3 logger

SUCCESS_MESSAGES = {
    "generate": "Veo3.1 video generated successfully.",
    "extend": "Veo3.1 video extension successful.",
    "4k": "4K Video generated successfully.",
}
#: The codes each callback schema allows (a failure with another code is reported with 500).
CALLBACK_CODES = {"generate": {400, 422, 500, 501}, "extend": {400, 500, 501}, "4k": {400, 500}}
#: Wall-clock seconds between looks at a pending task's end (it may be moved while the callback waits).
_RECHECK_SECONDS = 0.05


def _urls(urls: list[str], legacy: bool) -> list[str] | str:
    # kie's callback schema shows URL lists as one bracketed string: "[http://a.mp4]".
    return f"[{','.join(urls)}]" if legacy else urls


def payload(task: MockTask, legacy: bool = False) -> dict[str, Any]:
    """The callback body for a finished task, as the spec's callback examples show it."""
    ok = task.final_flag == SUCCESS
    if task.kind == "4k":
        if not ok:
            return {"code": 500, "msg": task.error_message or "", "data": {"taskId": task.task_id}}
        if legacy:
            data: dict[str, Any] = {
                "task_id": task.task_id,
                "result_urls": task.result_urls(),
                "media_ids": [task.task_id],
                "image_urls": task.image_urls(),
            }
        else:
            data = {"taskId": task.task_id, "info": {"resultUrls": task.result_urls(), "imageUrls": task.image_urls()}}
        return {"code": 200, "msg": SUCCESS_MESSAGES["4k"], "data": data}
    if not ok:
        code = task.error_code if task.error_code in CALLBACK_CODES[task.kind] else 500
        return {"code": code, "msg": task.error_message or "", "data": {"taskId": task.task_id, "fallbackFlag": False}}
    info: dict[str, Any] = {"resultUrls": _urls(task.result_urls(), legacy), "resolution": task.resolution}
    origin = task.origin_urls()
    if origin:
        info["originUrls"] = _urls(origin, legacy)
    data = {"taskId": task.task_id, "info": info, "fallbackFlag": False}
    if task.kind == "generate":
        data["promptJson"] = task.param_json if legacy else task.params
    return {"code": 200, "msg": SUCCESS_MESSAGES[task.kind], "data": data}


def schedule(state: MockState, task: MockTask, background: set[asyncio.Task[None]]) -> None:
    """Deliver the task's callback when it ends (call from the app's event loop)."""
    if not task.callback_url:
        return
    job = asyncio.get_running_loop().create_task(_deliver_when_done(state, task))
    background.add(job)  # keep a reference until it finishes, or the loop may drop it
    job.add_done_callback(background.discard)


async def _deliver_when_done(state: MockState, task: MockTask) -> None:
    # The end can move (the control API ends a task now, or holds it for N polls): look again on waking.
    while (left := task.ready_at - state.now()) > 0:
        await asyncio.sleep(min(left, _RECHECK_SECONDS))
    await deliver(state, task)


async def deliver(state: MockState, task: MockTask) -> DeliveredCallback:
    """POST the task's callback (signed when a webhook key is set), retrying; record the outcome."""
    config = state.config
    url = task.callback_url or ""
    body = payload(task, legacy=config.callback_style == "legacy")
    record = DeliveredCallback(url=url, task_id=task.task_id, kind=task.kind, payload=body, headers={})
    state.callbacks.append(record)
    if not (config.allow_external_callbacks or is_loopback(url)):
        record.error = "not sent: not a loopback address (set allow_external_callbacks)"
        return record
    content = json.dumps(body).encode()
    async with httpx.AsyncClient(timeout=config.callback_timeout) as client:
        for attempt in range(1 + config.callback_retries):
            if attempt:
                await asyncio.sleep(config.scaled(config.callback_retry_delay))
            headers = {"Content-Type": "application/json"}
            if config.webhook_key:
                timestamp = int(state.wall())
                headers["X-Webhook-Timestamp"] = str(timestamp)
                headers["X-Webhook-Signature"] = sign(task.task_id, timestamp, config.webhook_key)
            record.headers = headers
            try:
                response = await client.post(url, content=content, headers=headers)
            except httpx.HTTPError as exc:
                record.status_codes.append(None)
                record.error, record.attempts = f"{type(exc).__name__}: {exc}", attempt + 1
                continue
            record.status_codes.append(response.status_code)
            record.attempts = attempt + 1  # counted once the outcome is known, so tests can wait on it
            if response.is_success:
                record.delivered, record.error = True, None
                return record
            record.error = f"HTTP {response.status_code}"
    logger.info("callback for %s not delivered after %d attempts: %s", task.task_id, record.attempts, record.error)
    return record
