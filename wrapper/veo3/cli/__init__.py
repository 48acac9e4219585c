"""The ``veo3`` command line (console script ``veo3 = "veo3.cli:main"``).

Importing this package is cheap; the Typer app and everything it drives load when :func:`main` runs.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["main", "run_command"]


def main() -> None:
    """Run the ``veo3`` command line with ``sys.argv``."""
    from veo3.cli._app import app

    app()


def run_command(name: str, argv: Sequence[str] | None, prog_name: str) -> int:
    """Run one ``veo3`` command as another front door (``python -m veo3.mock``); return its exit code.

    The ``python -m`` entry points delegate here so each tool has one set of options: the Typer command's.
    """
    import sys

    import typer

    from veo3.cli._app import app

    args = list(sys.argv[1:] if argv is None else argv)
    command = typer.main.get_command(app).commands[name]  # type: ignore[attr-defined]
    try:
        command.main(args=args, prog_name=prog_name)  # exits, as the console script does
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0
