"""Defaults shared by both clients and the CLI (one home, as openai-python's ``_constants.py``)."""

from __future__ import annotations

#: kie's API host; ``$VEO3_BASE_URL`` or ``base_url=`` replace it.
DEFAULT_BASE_URL = "https://api.kie.ai"
#: Seconds per HTTP request, and how often one request may be repeated.
DEFAULT_TIMEOUT = 60.0
DEFAULT_MAX_RETRIES = 3
#: How long the waits give a task, a 1080p and a 4K video (kie: generations take 1-5 min; 1080p about
#: 1-2 min more; 4K several minutes).
WAIT_TIMEOUT = 900.0
HD_TIMEOUT = 600.0
UHD_TIMEOUT = 1200.0
