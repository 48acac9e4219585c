"""Helpers for the wrapper's respx tests: fake time, envelopes, and one way to drive sync and async clients."""

from __future__ import annotations

import asyncio
import inspect
import logging
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from veo3 import AsyncVeo3Client, Veo3Client
from veo3.testing import use_time

API_KEY = "sk-test-KEY-0123456789abcdef"
BASE = "https://api.kie.ai"

# The spec's operationId -> (method, path); tests read them from the spec rather than from here.
GENERATE = "generate-veo3-1-video"
EXTEND = "extend-veo3-1-video"
DETAILS = "get-veo3-1-video-details"
HD = "get-veo3-1-1080p-video"
UHD = "get-veo3-1-4k-video"
CREDITS = "get-account-credits"
DOWNLOAD_URL = "download-url"


def envelope(code: int = 200, msg: str = "success", data: Any = None) -> dict[str, Any]:
    """kie's ``{code, msg, data}`` body."""
    return {"code": code, "msg": msg, "data": data}


def record(task_id: str = "t1", flag: int = 0, **extra: Any) -> dict[str, Any]:
    """A record-info body for a task with ``successFlag == flag``."""
    data = {"taskId": task_id, "successFlag": flag, **extra}
    return envelope(data=data)


@dataclass
class FakeTime:
    """A monotonic clock that only moves when something sleeps; records every sleep."""

    now: float = 1000.0
    sleeps: list[float] = field(default_factory=list)

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.now += seconds

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)


_SHARED_SYNC = httpx.Client()
_SHARED_ASYNC = httpx.AsyncClient()


class Driver:
    """Calls a client method the same way for ``Veo3Client`` and ``AsyncVeo3Client``."""

    def __init__(self, kind: str, time: FakeTime, **kwargs: Any) -> None:
        self.kind = kind
        self.time = time
        cls = Veo3Client if kind == "sync" else AsyncVeo3Client
        # One shared httpx client per kind: building one (its TLS context) costs ~0.1 s; respx patches them all.
        kwargs.setdefault("http_client", _SHARED_SYNC if kind == "sync" else _SHARED_ASYNC)
        kwargs.setdefault("api_key", API_KEY)
        kwargs.setdefault("base_url", BASE)
        self.client: Any = cls(**kwargs)
        use_time(self.client, clock=time.clock, sleep=time.sleep if kind == "sync" else time.asleep)

    def __call__(self, method: str, *args: Any, **kwargs: Any) -> Any:
        result = getattr(self.client, method)(*args, **kwargs)
        if inspect.iscoroutine(result):
            return asyncio.run(result)
        return result


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


def make(kind: str, time: FakeTime | None = None, **kwargs: Any) -> Driver:
    return Driver(kind, time or FakeTime(), **kwargs)


def assert_no_key(*texts: object) -> None:
    """The API key appears in none of ``texts``."""
    for text in texts:
        assert API_KEY not in str(text)
        assert API_KEY[8:] not in str(text)


def all_text(exc: BaseException, caplog: pytest.LogCaptureFixture) -> Iterator[str]:
    """Everything a user could see of an error: str, repr, chained causes, log lines."""
    seen: BaseException | None = exc
    yield "".join(traceback.format_exception(exc))
    while seen is not None:
        yield str(seen)
        yield repr(seen)
        yield repr(vars(seen)) if hasattr(seen, "__dict__") else ""
        seen = seen.__cause__ or seen.__context__
    for rec in caplog.records:
        yield rec.getMessage()
    yield caplog.text


def debug_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="veo3")
    caplog.set_level(logging.DEBUG, logger="httpx")


Call = Callable[..., Any]
