"""Callback references: a create's callback URL names the job, so its callback resolves a lost reply.

kie has no endpoint that lists an account's tasks: a create whose reply was lost (SIGKILL, a dropped
connection) made a task nobody can find. But kie POSTs the task's callback to the URL the create gave,
query included. So a batch puts a fresh unguessable token in each create's callback URL
(``?veo3_ref=...``) and records only the token's digest; when the callback arrives, the receiver hands
on the digest (``CallbackEvent.ref``) and the journal row that was waiting for a task id gets it. The
token is never logged or stored in clear (the journal masks query values; the digest cannot be reversed),
and it is not the API key, so a leaked callback URL exposes nothing but one job's identity.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlparse, urlunparse

__all__ = ["REF_PARAM", "new_ref", "ref_digest", "ref_in", "with_ref"]

#: The callback URL's query parameter carrying the reference token.
REF_PARAM = "veo3_ref"


def new_ref() -> str:
    """A fresh unguessable token (128 bits)."""
    return secrets.token_urlsafe(16)


def ref_digest(token: str) -> str:
    """What is stored and compared: a digest of the token, never the token."""
    return hashlib.sha256(f"veo3-callback-ref:{token}".encode()).hexdigest()[:32]


def with_ref(url: str, token: str) -> str:
    """``url`` with ``token`` as its reference (any earlier one replaced)."""
    parts = urlparse(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != REF_PARAM]
    return urlunparse(parts._replace(query=urlencode([*query, (REF_PARAM, token)])))


def ref_in(request: Mapping[str, Any]) -> str | None:
    """The digest of the reference in a request's callback URL (any string value carrying one), else None."""
    for value in request.values():
        if isinstance(value, str) and REF_PARAM in value:
            token = dict(parse_qsl(urlparse(value).query)).get(REF_PARAM)
            if token:
                return ref_digest(token)
    return None
