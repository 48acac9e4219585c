"""The ``veo3`` loggers and the secrets they must never print: the one home of redaction.

Every client registers its API key (and webhook key) here, as do the callback receiver, the simulator, the
command line and the conformance report for the keys they are given. :func:`redact` replaces them, and any
``Bearer <token>`` / ``Authorization: <value>``; :class:`RedactingFilter` applies it to every record of every
``veo3`` logger (message, arguments, exception text and stack) before a handler sees it. Filters on a logger
do not see its children's records, so each module's logger comes from :func:`get_logger`.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable

__all__ = [
    "MIN_SECRET_LENGTH",
    "REDACTED",
    "RedactingFilter",
    "Secret",
    "get_logger",
    "logger",
    "redact",
    "register_secret",
]

REDACTED = "***"
#: Shorter strings are not redacted: replacing 1-3 characters would mangle ordinary text (real keys are long).
MIN_SECRET_LENGTH = 4
_HEADER = re.compile(r"(?i)(authorization['\"]?\s*[:=]\s*['\"]?(?:bearer\s+)?|bearer\s+)[^\s'\",}]+")

_secrets: set[str] = set()
_lock = threading.Lock()


def register_secret(value: str | bytes | None) -> None:
    """Make :func:`redact` (hence every ``veo3`` log record) hide ``value`` from now on."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if value and len(value) >= MIN_SECRET_LENGTH:
        with _lock:
            _secrets.add(value)


class Secret:
    """A string that never shows itself: ``repr``/``str`` print ``***``; ``reveal()`` returns the value."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value
        register_secret(value)

    def reveal(self) -> str:
        """The secret value (only for building the request header)."""
        return self._value

    def __repr__(self) -> str:
        return REDACTED

    __str__ = __repr__

    def __reduce__(self) -> str:  # pickling would write the key somewhere: refuse
        raise TypeError("a Secret cannot be pickled")


def redact(text: str, placeholder: str = REDACTED, *, also: Iterable[str | None] = (), headers: bool = True) -> str:
    """``text`` with every registered secret, and each of ``also``, replaced by ``placeholder``.

    ``also`` are secrets known to one caller only (the command line's, a report's key), kept out of the
    process-wide registry. With ``headers`` (the default) every ``Bearer <token>`` and ``Authorization:
    <value>`` is replaced too, whoever's token it is; the conformance report rewrites its curl lines itself.
    """
    secrets = (*_secrets, *(s for s in also if s and len(s) >= MIN_SECRET_LENGTH)) if also else tuple(_secrets)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, placeholder)
    if headers and ("earer" in text or "uthorization" in text):
        text = _HEADER.sub(lambda m: m.group(1) + placeholder, text)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites a record with secrets redacted: its message (formatted once, here), exception text and stack."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            # Handlers format the traceback after the filters ran: format it now, redacted, and drop the
            # exception object (Formatter prints exc_text alone; an exception may carry a key in its text).
            record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


logger = logging.getLogger("veo3")
"""The package's logger. Filters on a logger do not apply to its children: modules log here or via get_logger."""
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
