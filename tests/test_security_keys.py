"""The API key and the webhook key: never shown, never pickled, never sent anywhere but where they belong."""

from __future__ import annotations

import pickle

import pytest
from client_support import API_KEY
from veo3 import AsyncVeo3Client, Veo3Client
from veo3._utils._logging import Secret
from veo3.errors import WebhookVerificationError
from veo3.webhooks import _events as webhooks
from veo3.webhooks._signing import sign

HOOK_KEY = "whk-keys-test-0123456789abcdef"


def test_a_secret_never_shows_itself_and_cannot_be_pickled() -> None:
    secret = Secret(API_KEY)
    assert repr(secret) == str(secret) == "***" and f"{secret}" == "***"
    assert secret.reveal() == API_KEY
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(secret)


@pytest.mark.parametrize("cls", [Veo3Client, AsyncVeo3Client])
def test_clients_keep_their_keys_out_of_repr_and_pickles(cls: type) -> None:
    client = cls(api_key=API_KEY, webhook_key=HOOK_KEY)
    try:
        text = repr(client) + repr(vars(client))
        assert API_KEY not in text and HOOK_KEY not in text
        with pytest.raises(TypeError):
            pickle.dumps(client)
    finally:
        if isinstance(client, Veo3Client):
            client.close()


def test_signatures_are_compared_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """A forged signature is refused through ``hmac.compare_digest`` (no early exit leaking a prefix)."""
    calls: list[tuple[bytes, bytes]] = []
    real = webhooks.hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(webhooks.hmac, "compare_digest", spy)
    body = b'{"code": 200, "msg": "ok", "data": {"taskId": "t1"}}'
    webhooks.verify(body, timestamp="1000", signature=sign("t1", 1000, HOOK_KEY), key=HOOK_KEY, now=1000)
    with pytest.raises(WebhookVerificationError, match="does not match"):
        webhooks.verify(body, timestamp="1000", signature="A" * 44, key=HOOK_KEY, now=1000)
    assert len(calls) == 2
