"""An embedded simulator of kie.ai's Veo 3.1 API: offline, fast, deterministic under a seed.

``create_app(config)`` gives the ASGI app (for in-process tests with ``httpx.ASGITransport``);
``MockServer(config)`` runs it on a free loopback port; ``serve()`` blocks (``veo3 mock``,
``python -m veo3.mock``). Requests are validated against the packaged OpenAPI spec.
"""

from __future__ import annotations

from ._app import MockApp, create_app
from ._config import FAULT_KINDS, Fault, MockConfig
from ._rules import FAILURE_MESSAGES
from ._server import MockServer, serve
from ._state import Calls, DeliveredCallback, MockState, MockTask, RecordedRequest

__all__ = [
    "FAILURE_MESSAGES",
    "FAULT_KINDS",
    "Calls",
    "DeliveredCallback",
    "Fault",
    "MockApp",
    "MockConfig",
    "MockServer",
    "MockState",
    "MockTask",
    "RecordedRequest",
    "create_app",
    "serve",
]
