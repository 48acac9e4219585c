"""kie.ai's webhook signature: base64(HMAC-SHA256(key, f"{task_id}.{timestamp}")).

Shared by the verifier (``veo3.webhooks``) and the simulator, which signs the callbacks it sends.
"""

from __future__ import annotations

import base64
import hashlib
import hmac


def sign(task_id: str, timestamp: int | str, key: str | bytes) -> str:
    """The ``X-Webhook-Signature`` value kie sends for ``task_id`` at ``timestamp`` (Unix seconds)."""
    raw_key = key.encode() if isinstance(key, str) else key
    digest = hmac.new(raw_key, f"{task_id}.{timestamp}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")
