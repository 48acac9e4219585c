"""What both clients share: configuration (key, base URLs, retries, pacing), the flow core, and the ``Engine``
seam through which the tools built on a client (``veo3.batch``, ``veo3.testing``, the CLI) reach it."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

from veo3._core._flows import Core
from veo3._spec import _document as _spec
from veo3._utils._logging import Secret
from veo3.errors import ConfigurationError

from ._constants import DEFAULT_BASE_URL, chosen_base_url
from ._senders import check_base_url

if TYPE_CHECKING:
    from veo3.webhooks._receiver import CallbackReceiver

__all__ = ["DEFAULT_BASE_URL", "BaseClient", "Engine", "RateLimitSetting", "async_twin"]

DriverT = TypeVar("DriverT")
ClientT = TypeVar("ClientT", bound="BaseClient")


#: ``(creates, seconds)``; ``"kie"``: the documented limit, read from the spec's ``x-rate-limit``;
#: ``None``: no pacing (a 429 on a create is still retried, as kie refused it).
RateLimitSetting = tuple[int, float] | Literal["kie"] | None


@dataclass(frozen=True, slots=True, repr=False)
class Engine(Generic[DriverT]):
    """A client's sans-IO flows and the driver that performs them (``client.engine``).

    The named seam for code built on a client: the batch runner runs its own flows on it, the CLI
    validates a request without sending it (``engine.flows.generate(...).close()``), the testing kit
    swaps the clock and the sleeps. Applications call the client's methods instead.
    """

    flows: Core
    driver: DriverT

    def use_time(
        self,
        *,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], None] | Callable[[float], Awaitable[None]] | None = None,
    ) -> None:
        """Measure deadlines and pacing on ``clock`` and/or wait with ``sleep`` from now on."""
        if clock is not None:
            self.flows.ctx.set_clock(clock)
        if sleep is not None:
            driver: Any = self.driver
            driver.sleep = sleep


class BaseClient:
    """What both clients hold; the API key lives only inside a ``Secret``."""

    def __init__(
        self,
        api_key: str | None,
        *,
        base_url: str | None,
        timeout: float,
        max_retries: int,
        webhook_key: str | None,
        rate_limit: RateLimitSetting = "kie",
        upload_base_url: str | None = None,
    ) -> None:
        key = api_key if api_key is not None else os.environ.get("KIE_API_KEY")
        if not key:
            raise ConfigurationError("no API key: pass api_key=... or set KIE_API_KEY")
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
            raise ConfigurationError(f"max_retries must be an integer >= 0, got {max_retries!r}")
        if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
            raise ConfigurationError(f"timeout must be a positive number of seconds, got {timeout!r}")
        self._api_key = Secret(key)
        self._base_url = check_base_url(chosen_base_url(base_url))
        self._upload_base_url = _upload_base_url(upload_base_url, self._base_url)
        hook_key = webhook_key if webhook_key is not None else os.environ.get("KIE_WEBHOOK_HMAC_KEY")
        self._webhook_key = Secret(hook_key) if hook_key else None
        self._timeout = float(timeout)
        if rate_limit == "kie":
            documented = _spec.create_rate_limit()
            rate_limit = (documented.creates, documented.seconds)
        if rate_limit is not None and not (
            isinstance(rate_limit, tuple)
            and len(rate_limit) == 2
            and isinstance(rate_limit[0], int)
            and rate_limit[0] >= 1
            and isinstance(rate_limit[1], int | float)
            and rate_limit[1] > 0
        ):
            raise ConfigurationError(f"rate_limit must be (creates >= 1, seconds > 0) or None, got {rate_limit!r}")
        # kie's typical task durations seed the polling schedule only for kie's host: another server (the
        # simulator on a scaled clock, a proxy, a recording) is polled on what it is seen to take.
        typical = self._base_url == DEFAULT_BASE_URL
        # The lock guards the create limiter, which a blocking client shares with its batch's loop thread.
        self._core = Core(
            max_retries=max_retries,
            clock=time.monotonic,
            rate_limit=rate_limit,
            make_lock=threading.Lock,
            typical=typical,
        )
        self._receiver: CallbackReceiver | None = None

    @property
    def callback_receiver(self) -> CallbackReceiver:
        """An ASGI app receiving kie's callbacks, verified with ``webhook_key`` (created on first use).

        Serve it (e.g. ``uvicorn.run(client.callback_receiver, port=8000)``) at the ``call_back_url`` you
        pass to ``generate``/``extend``; ``wait(task_id, via="callback")`` then wakes when the callback
        arrives. Assign your own ``CallbackReceiver`` to share one between clients.
        """
        if self._receiver is None:
            from veo3.webhooks._receiver import CallbackReceiver

            key = self._webhook_key.reveal() if self._webhook_key is not None else None
            self._receiver = CallbackReceiver(key=key)
        return self._receiver

    @callback_receiver.setter
    def callback_receiver(self, receiver: CallbackReceiver) -> None:
        self._receiver = receiver

    @property
    def base_url(self) -> str:
        """The API's base URL."""
        return self._base_url

    @property
    def upload_base_url(self) -> str:
        """The File Upload API's base URL (uploads go there; the key only over HTTPS or to loopback)."""
        return self._upload_base_url

    @property
    def max_retries(self) -> int:
        """How many times a request may be repeated."""
        return self._core.ctx.policy.max_retries

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self._base_url!r}, api_key=***)"


def async_twin(client: BaseClient, cls: type[ClientT]) -> ClientT:
    """A ``cls`` client (the async face) with ``client``'s settings, sharing its create limiter (one rate
    budget for both) and its callback receiver: how the blocking client runs a batch on an event loop."""
    twin = cls(
        client._api_key.reveal(),
        base_url=client._base_url,
        upload_base_url=client._upload_base_url,
        timeout=client._timeout,
        max_retries=client.max_retries,
        webhook_key=client._webhook_key.reveal() if client._webhook_key is not None else None,
        rate_limit=client._core.ctx.rate_limit,
    )
    twin._core.ctx.share_limiter(client._core.ctx)
    if client._receiver is not None:
        twin._receiver = client._receiver
    return twin


def _upload_base_url(explicit: str | None, base_url: str) -> str:
    """``upload_base_url=``, else ``$VEO3_UPLOAD_BASE_URL``, else the main base URL when that was moved off
    kie's (so one simulator URL serves both), else the spec's upload server."""
    chosen = explicit or os.environ.get("VEO3_UPLOAD_BASE_URL")
    if not chosen:
        chosen = base_url if base_url != DEFAULT_BASE_URL else _spec.upload_server_url()
    return check_base_url(chosen)
