"""No configured key reaches a log record: every ``veo3`` logger carries the redacting filter.

Keys are configured four ways (client API key, client webhook key, a ``CallbackReceiver`` key, the simulator's
keys); each is logged through every ``veo3`` logger in a message, an argument, an exception's text and a stack,
and must appear nowhere a handler could see it.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import pkgutil
import re
from pathlib import Path

import httpx
import pytest
import veo3
from veo3 import Veo3Client
from veo3._utils._logging import REDACTED, RedactingFilter, redact
from veo3.mock import MockConfig, create_app
from veo3.mock import _callbacks as mock_callbacks
from veo3.webhooks import SIGNATURE_HEADER, TIMESTAMP_HEADER, CallbackReceiver
from veo3.webhooks._signing import sign

API_KEY = "sk-logtest-API-0123456789abcdef"
CLIENT_HOOK_KEY = "whk-logtest-client-0123456789"
RECEIVER_KEY = "whk-logtest-receiver-0123456789"
MOCK_HOOK_KEY = "whk-logtest-mock-0123456789"
MOCK_API_KEY = "sk-logtest-mock-0123456789"
KEYS = (API_KEY, CLIENT_HOOK_KEY, RECEIVER_KEY, MOCK_HOOK_KEY, MOCK_API_KEY)
PACKAGE = Path(veo3.__file__).parent


def _configure_every_key() -> None:
    Veo3Client(api_key=API_KEY, webhook_key=CLIENT_HOOK_KEY).close()
    CallbackReceiver(key=RECEIVER_KEY)
    create_app(MockConfig(webhook_key=MOCK_HOOK_KEY, api_keys=[MOCK_API_KEY]))


def _veo3_loggers() -> list[logging.Logger]:
    for module in pkgutil.walk_packages([str(PACKAGE)], prefix="veo3."):
        if module.name.startswith(("veo3.conformance", "veo3.cli.__main__", "veo3.mock.__main__")):
            continue
        importlib.import_module(module.name)
    manager = logging.Logger.manager.loggerDict
    return [logging.getLogger(name) for name, obj in manager.items() if name.startswith("veo3") and obj is not None]


def test_no_module_creates_a_logger_around_the_filter() -> None:
    """Source check: ``logging.getLogger`` appears only in ``_logging.py`` (everyone else uses ``get_logger``)."""
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if path.name != "_logging.py" and re.search(r"logging\.getLogger\(", path.read_text())
    ]
    assert offenders == []


def test_every_veo3_logger_has_the_redacting_filter() -> None:
    loggers = [lg for lg in _veo3_loggers() if isinstance(lg, logging.Logger)]
    names = {lg.name for lg in loggers}
    assert {"veo3", "veo3.webhooks", "veo3.mock"} <= names
    for lg in loggers:
        assert any(isinstance(f, RedactingFilter) for f in lg.filters), lg.name


def test_no_configured_key_reaches_any_log_record(caplog: pytest.LogCaptureFixture) -> None:
    _configure_every_key()
    loggers = [lg for lg in _veo3_loggers() if isinstance(lg, logging.Logger)]
    caplog.set_level(logging.DEBUG)
    for lg in loggers:
        for key in KEYS:
            lg.warning("message %s", key)
            lg.warning(f"inline {key} and Authorization: Bearer {key}")
            try:
                raise RuntimeError(f"boom with {key}")
            except RuntimeError:
                lg.exception("failed", stack_info=True)
    assert len(caplog.records) == len(loggers) * len(KEYS) * 3
    for record in caplog.records:
        seen = " ".join([record.getMessage(), str(record.exc_text), str(record.stack_info), repr(record.exc_info)])
        assert not any(key in seen for key in KEYS), seen
    assert not any(key in caplog.text for key in KEYS)
    assert REDACTED in caplog.text and "RuntimeError: boom with ***" in caplog.text


def test_a_failing_callback_handler_is_logged_without_the_key(caplog: pytest.LogCaptureFixture) -> None:
    """Functional: the receiver's own ``logger.exception`` when a user's handler raises with a key in its text."""

    def handler(event: object) -> None:
        raise ValueError(f"could not store {RECEIVER_KEY} / {API_KEY}")

    Veo3Client(api_key=API_KEY).close()
    receiver = CallbackReceiver(handler, key=RECEIVER_KEY, now=lambda: 1_764_028_800)
    caplog.set_level(logging.DEBUG, logger="veo3")
    signed = {TIMESTAMP_HEADER: "1764028800", SIGNATURE_HEADER: sign("t1", 1_764_028_800, RECEIVER_KEY)}

    async def post() -> int:
        transport = httpx.ASGITransport(app=receiver)
        async with httpx.AsyncClient(transport=transport, base_url="http://r") as client:
            body = b'{"code": 200, "msg": "ok", "data": {"taskId": "t1", "info": {"resultUrls": ["http://a/b.mp4"]}}}'
            return (await client.post("/", content=body, headers=signed)).status_code

    assert asyncio.run(post()) == 500
    assert "callback handler failed" in caplog.text
    assert RECEIVER_KEY not in caplog.text and API_KEY not in caplog.text


def test_the_simulators_undelivered_callback_log_line_is_filtered(caplog: pytest.LogCaptureFixture) -> None:
    record = logging.LogRecord("veo3.mock", logging.INFO, __file__, 1, "error: %s", (MOCK_HOOK_KEY,), None)
    create_app(MockConfig(webhook_key=MOCK_HOOK_KEY))
    assert mock_callbacks.logger.filter(record)
    assert MOCK_HOOK_KEY not in record.getMessage()


def test_redact_hides_bearer_values_and_extra_secrets_only_when_long_enough() -> None:
    assert redact("Authorization: Bearer abc.def") == "Authorization: Bearer ***"
    assert redact("key sk-only-here-123", also=["sk-only-here-123"]) == "key ***"
    assert redact("a toy k", also=["k"]) == "a toy k"
    assert redact("x sk-only-here-123", "$K", also=["sk-only-here-123"], headers=False) == "x $K"
