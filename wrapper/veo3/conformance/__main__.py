"""``python -m veo3.conformance [OPTIONS]``: the same command as ``veo3 conformance`` (``--help`` lists them)."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``veo3 conformance`` with ``argv`` (default: the command line); return the exit code."""
    from veo3.cli import run_command

    return run_command("conformance", argv, "python -m veo3.conformance")


if __name__ == "__main__":
    sys.exit(main())
