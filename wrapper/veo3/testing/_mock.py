"""``Veo3Mock``: a running simulator as a test sees it (what ``veo3_mock`` gives).

The steering methods call the same functions as the simulator's HTTP control API (``veo3.mock._control``), so a
Python test and a test in another language steer the simulator alike.
"""

from __future__ import annotations

import secrets
from contextlib import ExitStack
from typing import Any

from veo3 import AsyncVeo3Client, Veo3Client
from veo3.mock import (
    Calls,
    DeliveredCallback,
    Fault,
    MockConfig,
    MockServer,
    MockState,
    MockTask,
    RecordedRequest,
    _control,
)
from veo3.testing._clock import scale_sleeps

#: The fixtures' simulator: tasks end in milliseconds, and clients wait in step (see ``_clock``).
DEFAULT_TIME_SCALE = 0.001


def new_key() -> str:
    """A fresh key for one simulator (it accepts exactly the keys it is given)."""
    return "veo3-test-" + secrets.token_hex(8)


class Veo3Mock:
    """A simulator serving on a free loopback port, with its key, introspection and controls.

    ``url`` and ``api_key`` are what a client needs; ``client()``/``async_client()`` make one pointed at it.
    Introspection: ``tasks``, ``requests``/``requests_for(operation_id)`` and ``callbacks``/``callbacks_for``
    (each with ``.count`` and ``.last``). Controls: ``inject``, ``clear_faults``, ``succeed``, ``fail``,
    ``advance``, ``reset``.
    """

    def __init__(self, config: MockConfig | None = None, **settings: Any) -> None:
        """Start a simulator with ``config`` or ``MockConfig(**settings)`` (defaults: one new key, fast time)."""
        if config is None:
            settings.setdefault("time_scale", DEFAULT_TIME_SCALE)
            settings.setdefault("api_keys", [new_key()])
            config = MockConfig(**settings)
        elif settings:
            raise TypeError("give either a MockConfig or its keywords, not both")
        self.config = config
        self.api_key = sorted(config.api_keys)[0] if config.api_keys else new_key()
        self._stack = ExitStack()
        self.server: MockServer = self._stack.enter_context(MockServer(config))

    def close(self) -> None:
        """Stop the simulator and close every client made by ``client()``/``async_client()``."""
        self._stack.close()

    def __enter__(self) -> Veo3Mock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- where ----------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The base URL to give a client, e.g. ``http://127.0.0.1:54321``."""
        return self.server.url

    @property
    def state(self) -> MockState:
        """The simulator's state (everything below reads it)."""
        return self.server.state

    def client(self, **kwargs: Any) -> Veo3Client:
        """A ``Veo3Client`` on this simulator (keywords as ``Veo3Client``'s; closed with the simulator)."""
        kwargs.setdefault("rate_limit", None)  # the simulator enforces kie's limit itself
        client = Veo3Client(kwargs.pop("api_key", self.api_key), base_url=self.url, **kwargs)
        scale_sleeps(client, self.config.time_scale)
        self._stack.callback(client.close)
        return client

    def async_client(self, **kwargs: Any) -> AsyncVeo3Client:
        """An ``AsyncVeo3Client`` on this simulator (close it with ``async with`` or ``await client.aclose()``)."""
        kwargs.setdefault("rate_limit", None)
        client = AsyncVeo3Client(kwargs.pop("api_key", self.api_key), base_url=self.url, **kwargs)
        scale_sleeps(client, self.config.time_scale)
        return client

    # -- introspection --------------------------------------------------------------------------

    @property
    def tasks(self) -> dict[str, MockTask]:
        """Task id -> ``MockTask``, every task the simulator created."""
        return self.state.tasks

    @property
    def requests(self) -> Calls[RecordedRequest]:
        """Every request received, oldest first."""
        return self.state.requests_for(None)

    def requests_for(self, operation_id: str) -> Calls[RecordedRequest]:
        """The requests to one operation (its operationId in the spec), oldest first."""
        return self.state.requests_for(operation_id)

    @property
    def callbacks(self) -> Calls[DeliveredCallback]:
        """Every callback sent (or refused), oldest first."""
        return self.state.callbacks_for(None)

    def callbacks_for(self, task_id: str) -> Calls[DeliveredCallback]:
        """One task's callbacks."""
        return self.state.callbacks_for(task_id)

    # -- controls -------------------------------------------------------------------------------

    def inject(self, fault: Fault | str, operation: str = "*", **fault_settings: Any) -> Fault:
        """Inject a fault (a ``Fault``, or its kind and keywords: ``inject("server_error", on_calls={1})``)."""
        if isinstance(fault, str):
            fault = Fault(fault, **fault_settings)
        _control.inject_fault(self.state, fault, operation)
        return fault

    def clear_faults(self) -> None:
        """Remove every injected fault."""
        _control.clear_faults(self.state)

    def succeed(self, task_id: str, *, after_polls: int = 0) -> MockTask:
        """End the task successfully: now, or after ``after_polls`` more record-info reads."""
        return _control.set_outcome(self.state, task_id, "success", after_polls=after_polls)

    def fail(
        self,
        task_id: str,
        error_code: int = _control.DEFAULT_ERROR_CODE,
        *,
        error_message: str | None = None,
        after_polls: int = 0,
        create_failed: bool = False,
    ) -> MockTask:
        """End the task failed (successFlag 3, or 2 with ``create_failed``): now, or after ``after_polls`` reads."""
        outcome = "create_fail" if create_failed else "fail"
        return _control.set_outcome(
            self.state, task_id, outcome, error_code=error_code, error_message=error_message, after_polls=after_polls
        )

    def advance(self, seconds: float) -> None:
        """Move the simulator clock ``seconds`` kie seconds forward (tasks finish, records age)."""
        self.state.advance(seconds)

    def reset(self) -> None:
        """Forget every task, request, callback and injected fault."""
        self.state.reset()
