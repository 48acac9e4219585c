"""kie's completion callbacks: verify their signature, read them into one typed event, receive them.

kie POSTs a JSON body to the ``callBackUrl`` of a generate, extend or 4K request when the task ends. With
webhook signing enabled in the kie settings, two headers come with it::

    X-Webhook-Timestamp: 1764028800                       (Unix seconds)
    X-Webhook-Signature: base64(HMAC-SHA256(key, taskId + "." + timestamp))

:func:`verify` checks them (constant-time, with a freshness window against replays); :func:`parse_callback`
turns any documented body shape into a :class:`CallbackEvent`; :class:`CallbackReceiver` is a small ASGI app
doing both, dropping duplicate deliveries (kie retries and may deliver twice) and letting code await the
event of a given task.

Every failure here raises :class:`veo3.errors.WebhookVerificationError`: a callback that cannot be verified
*or read* (not JSON, not one of the documented shapes) is refused the same way, with a reason that never
contains the key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import _events
from ._events import *  # noqa: F403 - the names listed in _events.__all__

if TYPE_CHECKING:
    from ._receiver import CallbackReceiver

__all__ = ["CallbackReceiver"]
__all__ += _events.__all__


def __getattr__(name: str) -> Any:
    # The receiver needs starlette: load it only when asked for, so `import veo3.webhooks` stays light.
    if name == "CallbackReceiver":
        from ._receiver import CallbackReceiver

        return CallbackReceiver
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
