"""MkDocs hook: renders the CLI reference (docs/reference/cli.md) from the Click command Typer builds.

It replaces the marker ``<!-- veo3-cli-reference -->`` with one section per visible command: its help
text, its usage line and a table of its arguments and options, each from the same objects ``veo3 COMMAND
--help`` prints from, so the page cannot drift from the code.

Why not mkdocs-click: it keeps only parameters that are ``click.Option`` instances, and Typer (0.2x)
builds its commands on its own vendored copy of Click, so every option silently disappeared from its
pages. The parameters' own ``get_help_record`` is all this needs.
"""

from __future__ import annotations

import inspect
from typing import Any

import typer
from veo3.cli._app import app

MARKER = "<!-- veo3-cli-reference -->"


def _cell(text: str, code: bool = False) -> str:
    """A Markdown table cell on one line; pipes escaped, except in a code span (where Python-Markdown's tables
    already leave them alone and the backslash would show)."""
    text = " ".join(text.split())
    return f"`{text}`" if code else text.replace("|", "\\|")


def _section(name: str, command: Any, parent: Any) -> str:
    ctx = typer.Context(command, info_name=name, parent=parent)
    lines = [f"## veo3 {name}", "", inspect.cleandoc(command.help or ""), "", "```text"]
    lines += [command.get_usage(ctx), "```", ""]
    rows = [record for p in command.get_params(ctx) if (record := p.get_help_record(ctx)) is not None]
    if rows:
        lines += ["| Argument or option | Meaning |", "|---|---|"]
        lines += [f"| {_cell(names, code=True)} | {_cell(help_text)} |" for names, help_text in rows]
        lines.append("")
    return "\n".join(lines)


def render() -> str:
    """The reference's Markdown: the root's help, then every visible command in name order."""
    root = typer.main.get_command(app)
    parent = typer.Context(root, info_name="veo3")
    commands = root.commands  # type: ignore[attr-defined]
    head = ["```text", root.get_usage(parent), "```", "", inspect.cleandoc(root.help or ""), ""]
    if root.epilog:
        head += [root.epilog, ""]
    sections = [_section(n, c, parent) for n, c in sorted(commands.items()) if not c.hidden]
    return "\n".join(head + sections)


def on_page_markdown(markdown: str, page: Any, **kwargs: Any) -> str:
    """MkDocs event: fill the marker (only cli.md has it)."""
    return markdown.replace(MARKER, render()) if MARKER in markdown else markdown
