"""MkDocs hook: the Click command Typer builds from ``veo3``'s app, for mkdocs-click (docs/reference/cli.md).

mkdocs-click imports ``module:attribute``; a Typer app is not a Click command until
``typer.main.get_command`` builds one. Building it here (not in the package) keeps a docs-only object out of
``veo3.cli``; registering this module under a plain name lets mkdocs-click import it like any module.
"""

from __future__ import annotations

import sys

import typer
from veo3.cli._app import app

#: What `veo3 --help` and every `veo3 COMMAND --help` print come from this very object.
command = typer.main.get_command(app)

sys.modules["veo3_cli_reference"] = sys.modules[__name__]
