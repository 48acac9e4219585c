"""The ``veo3`` command line (console script ``veo3 = "veo3.cli:main"``).

Importing this package is cheap; the Typer app and everything it drives load when :func:`main` runs.
"""

from __future__ import annotations

__all__ = ["main"]


def main() -> None:
    """Run the ``veo3`` command line with ``sys.argv``."""
    from veo3.cli._app import app

    app()
