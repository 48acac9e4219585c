"""kie's progress answers, read once in ``_core._policy``: which error codes mean "not ready yet"."""

from __future__ import annotations

import pytest
from veo3._core._policy import Progress, hd_progress, uhd_progress

PENDING, ERROR = Progress.PENDING, Progress.ERROR


@pytest.mark.parametrize(
    ("code", "message", "verdict"),
    [
        (400, "1080P is processing. It should be ready in 1-2 minutes. Please check back shortly.", PENDING),
        (400, "anything: kie documents 400 only as the processing answer", PENDING),
        (422, "record status is not success.", PENDING),  # asked before the original task finished
        (422, "record is null.", ERROR),
        (404, "Not found", ERROR),
        (451, "Failed to fetch the image", ERROR),
    ],
)
def test_1080p(code: int, message: str, verdict: Progress) -> None:
    assert hd_progress(code, message) is verdict


@pytest.mark.parametrize(
    ("code", "message", "verdict"),
    [
        (200, "success", PENDING),  # the request that starts the job: resultUrls null
        (422, "4k is processing. It should be ready in 5-10 minutes. Please check back shortly.", PENDING),
        (422, "The video has been generated successfully", PENDING),  # said before the URLs are in
        (422, "record result data is blank.", ERROR),
        (400, "1080P is missing", ERROR),  # a 400 is an error here: only 1080p uses it for progress
        (401, "Unauthorized", ERROR),
    ],
)
def test_4k(code: int, message: str, verdict: Progress) -> None:
    assert uhd_progress(code, message) is verdict
