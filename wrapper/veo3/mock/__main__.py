"""``python -m veo3.mock [OPTIONS]``: the same command as ``veo3 mock`` (``--help`` lists the options)."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``veo3 mock`` with ``argv`` (default: the command line); return the exit code."""
    from veo3.cli import run_command

    return run_command("mock", argv, "python -m veo3.mock")


if __name__ == "__main__":
    sys.exit(main())
