"""Defaults shared by both clients and the CLI (one home, as openai-python's ``_constants.py``)."""

from __future__ import annotations

import os

#: kie's API host; ``$VEO3_BASE_URL`` or ``base_url=`` replace it.
DEFAULT_BASE_URL = "https://api.kie.ai"


def chosen_base_url(base_url: str | None) -> str:
    """The base URL in force: the one given, else ``$VEO3_BASE_URL``, else kie's (no trailing slash)."""
    return (base_url or os.environ.get("VEO3_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")


#: Seconds per HTTP request, and how often one request may be repeated.
DEFAULT_TIMEOUT = 60.0
DEFAULT_MAX_RETRIES = 3
#: How long the waits give a task, a 1080p and a 4K video (kie: generations take 1-5 min; 1080p about
#: 1-2 min more; 4K several minutes).
WAIT_TIMEOUT = 900.0
HD_TIMEOUT = 600.0
UHD_TIMEOUT = 1200.0
