"""``python -m veo3.spec_diff OLD NEW [OPTIONS]``: the ``veo3 spec-diff`` command itself (one front door)."""

from __future__ import annotations

import sys

from veo3.cli._app import app

if __name__ == "__main__":
    app(args=["spec-diff", *sys.argv[1:]], prog_name="python -m veo3.spec_diff")
