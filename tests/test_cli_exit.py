"""Exceptions map to the documented exit codes; printed messages never carry a secret."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from veo3 import errors
from veo3.cli._exit import ExitCode, exit_code_for
from veo3.cli._output import REDACTED, Output
from veo3.types import TaskStatus

API_ERRORS = [
    errors.APIError(418, "odd"),
    errors.ContentPolicyError(400, "flagged"),
    errors.AuthenticationError(401, "no"),
    errors.InsufficientCreditsError(402, "broke"),
    errors.NotFoundError(404, "gone"),
    errors.UnprocessableError(422, "old"),
    errors.RateLimitError(429, "slow down", http_status=429),
    errors.ImageFetchError(451, "image"),
    errors.MaintenanceError(455, "later"),
    errors.ServerError(500, "oops"),
    errors.GenerationFailedError(501, "failed"),
    errors.FeatureDisabledError(505, "off"),
    errors.ResponseFormatError("not JSON", http_status=502),
    errors.TransportError("refused"),
    errors.OutcomeUnknownError("reply lost", operation="generate-veo3-1-video"),
]


@pytest.mark.parametrize("exc", API_ERRORS, ids=lambda e: type(e).__name__)
def test_api_errors_exit_3(exc: Exception) -> None:
    assert exit_code_for(exc) == ExitCode.API_ERROR == 3


@pytest.mark.parametrize(
    ("exc", "code"),
    [
        (errors.RequestValidationError("seeds", "minimum", 5), 2),
        (errors.ConfigurationError("no API key"), 2),
        (errors.TaskFailedError("t", 501, "boom"), 4),
        (errors.WaitTimeoutError("t", TaskStatus.GENERATING, 9.0), 5),
        (KeyboardInterrupt(), 130),
        (RuntimeError("bug"), 1),
        (KeyError("x"), 1),
    ],
)
def test_other_exit_codes(exc: BaseException, code: int) -> None:
    assert exit_code_for(exc) == code


KEY_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_."


@given(secret=st.text(alphabet=KEY_ALPHABET, min_size=8, max_size=80))
def test_error_reports_never_contain_the_secret(secret: str) -> None:
    """For every key-like string, a message that embeds it is printed with the key replaced."""
    out = Output(json_mode=True, secrets=(secret,))
    message = out.redact(f"bad key {secret}!")
    assert secret not in message
    assert REDACTED in message


def test_json_error_document(capsys: pytest.CaptureFixture[str]) -> None:
    out = Output(json_mode=True, secrets=("sk-SECRET-1",))
    out.error(errors.InsufficientCreditsError(402, "key sk-SECRET-1 is broke", task_id="t1"), 3)
    captured = capsys.readouterr()
    doc = json.loads(captured.out)
    assert doc["error"]["type"] == "InsufficientCreditsError"
    assert (doc["error"]["code"], doc["error"]["task_id"], doc["error"]["exit_code"]) == (402, "t1", 3)
    assert "sk-SECRET-1" not in captured.out + captured.err
