"""Helpers for benchmarks that talk to the simulator: a successful source task, raw create-and-wait."""

from __future__ import annotations

import asyncio
import json
import random
import time
from typing import Any

import httpx

from benchmarks._payloads import GENERATE, RECORD_INFO

SIMULATOR = "benchmarks._apps:simulator"


def successful_task(client: httpx.Client, *, timeout: float = 30.0) -> str:
    """Create a task with raw httpx and poll until it succeeds; its id (a valid source for extend)."""
    reply = client.post(GENERATE, json={"prompt": "a benchmark source video"}).json()
    if reply.get("code") != 200:
        raise RuntimeError(f"simulator refused generate: {reply}")
    task_id: str = reply["data"]["taskId"]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        data = client.get(RECORD_INFO, params={"taskId": task_id}).json().get("data") or {}
        if data.get("successFlag") == 1:
            return task_id
        if data.get("successFlag") in (2, 3):
            raise RuntimeError(f"source task failed: {data}")
        time.sleep(0.01)
    raise RuntimeError("source task did not finish")


async def raw_create_and_wait(
    client: httpx.AsyncClient,
    path: str,
    body: dict[str, Any],
    poll_interval: float,
    *,
    jitter: float = 0.0,
    look_first: bool = False,
    timeout: float = 120.0,
) -> tuple[str, int]:
    """What a hand-written raw-httpx client does: create, then poll every ``poll_interval`` s (± ``jitter``).

    ``look_first``: ask once straight after the create, before the first interval (as veo3's ``wait()`` does).

    Returns (task id, number of polls). Raises on a refused create or a timeout.
    """
    reply = json.loads((await client.post(path, json=body)).content)
    if reply.get("code") != 200:
        raise RuntimeError(f"create refused: {reply.get('code')} {reply.get('msg')}")
    task_id: str = reply["data"]["taskId"]
    polls = 0
    deadline = time.monotonic() + timeout
    first = True
    while time.monotonic() < deadline:
        if not (first and look_first):
            await asyncio.sleep(poll_interval * random.uniform(1 - jitter, 1 + jitter))
        first = False
        polls += 1
        info = json.loads((await client.get(RECORD_INFO, params={"taskId": task_id})).content)
        flag = (info.get("data") or {}).get("successFlag")
        if flag in (1, 2, 3):
            return task_id, polls
    raise TimeoutError(task_id)
