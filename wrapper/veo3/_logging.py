"""The ``veo3`` logger and the secrets it must never print.

Every client registers its API key (and webhook key) here; a filter on the ``veo3`` logger replaces them,
and any ``Bearer <token>`` / ``Authorization: <value>``, in the formatted message before a handler sees it.
"""

from __future__ import annotations

import logging
import re
import threading

__all__ = ["REDACTED", "RedactingFilter", "Secret", "get_logger", "logger", "redact"]

REDACTED = "***"
_HEADER = re.compile(r"(?i)(authorization['\"]?\s*[:=]\s*['\"]?(?:bearer\s+)?|bearer\s+)[^\s'\",}]+")

_secrets: set[str] = set()
_lock = threading.Lock()


class Secret:
    """A string that never shows itself: ``repr``/``str`` print ``***``; ``reveal()`` returns the value."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value
        if len(value) >= 4:  # redacting 1-3 character strings would mangle ordinary log text
            with _lock:
                _secrets.add(value)

    def reveal(self) -> str:
        """The secret value (only for building the request header)."""
        return self._value

    def __repr__(self) -> str:
        return REDACTED

    __str__ = __repr__

    def __reduce__(self) -> str:  # pickling would write the key somewhere: refuse
        raise TypeError("a Secret cannot be pickled")


def redact(text: str) -> str:
    """``text`` with every registered secret and every bearer/authorization value replaced by ``***``."""
    if _secrets:
        for secret in tuple(_secrets):
            if secret in text:
                text = text.replace(secret, REDACTED)
    if "earer" in text or "uthorization" in text:
        text = _HEADER.sub(lambda m: m.group(1) + REDACTED, text)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites a record's message with secrets redacted (the message is formatted once, here)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        return True


logger = logging.getLogger("veo3")
"""The package's logger. Filters on a logger do not apply to its children, so every module logs here."""
if not any(isinstance(f, RedactingFilter) for f in logger.filters):
    logger.addFilter(RedactingFilter())
    # A library configures no output: without this, Python's last-resort handler prints warnings to stderr.
    logger.addHandler(logging.NullHandler())


def get_logger(name: str) -> logging.Logger:
    """A ``veo3.*`` child logger with the redacting filter (a parent's filters do not see child records)."""
    child = logging.getLogger(name)
    if not any(isinstance(f, RedactingFilter) for f in child.filters):
        child.addFilter(RedactingFilter())
    return child
