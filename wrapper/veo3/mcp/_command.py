"""``veo3 mcp``: the command line of the MCP server (registered in ``veo3.cli._app``).

Light on purpose: the MCP SDK is imported only when the command runs, so ``veo3 --help`` stays fast and a
base install (without the ``mcp`` extra) gets a clear message instead of an import error.
"""

# No `from __future__ import annotations`: Typer reads these annotations as objects.
import os
from pathlib import Path
from typing import Annotated

import typer

from veo3.cli._options import ApiKeyOpt, BaseUrlOpt, JournalOpt, PollOpt

from ._budget import ENV_VAR as BUDGET_ENV

__all__ = ["mcp_command", "parse_listen"]


def parse_listen(text: str, *, allow_remote: bool) -> tuple[str, int]:
    """``HOST:PORT`` (``[::1]:PORT`` for IPv6); a non-loopback host only with ``--allow-remote``."""
    from veo3._utils._net import is_loopback

    host, sep, port = text.rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise typer.BadParameter(f"expected HOST:PORT, got {text!r}", param_hint="--http")
    if not allow_remote and not is_loopback(f"http://[{host}]/" if ":" in host else f"http://{host}/"):
        raise typer.BadParameter(
            f"{host} is not a loopback address: anyone who reaches it could spend the budget; "
            "add --allow-remote if that is what you want",
            param_hint="--http",
        )
    return host, int(port)


def mcp_command(
    budget: Annotated[
        float | None,
        typer.Option(
            "--budget",
            metavar="CREDITS",
            min=0,
            help=f"Credits the agent may spend (default: ${BUDGET_ENV}; neither: paid tools only answer "
            "with the price and send nothing).",
            show_default=False,
        ),
    ] = None,
    folder: Annotated[
        Path,
        typer.Option(
            "--folder", help="Where download_video writes and upload_file reads (never outside it).", file_okay=False
        ),
    ] = Path("."),
    http: Annotated[
        str | None,
        typer.Option(
            "--http",
            metavar="HOST:PORT",
            help="Serve streamable HTTP at http://HOST:PORT/mcp instead of stdio (loopback only by default).",
            show_default=False,
        ),
    ] = None,
    allow_remote: Annotated[
        bool, typer.Option("--allow-remote", help="Let --http listen on a non-loopback address (no auth!).")
    ] = False,
    api_key: ApiKeyOpt = None,
    base_url: BaseUrlOpt = None,
    journal: JournalOpt = None,
    poll_interval: PollOpt = None,
) -> None:
    """Serve the Model Context Protocol (stdio by default) so agents can make videos within a budget."""
    try:
        from ._server import ServerConfig, run
    except ModuleNotFoundError as exc:  # the `mcp` extra is not installed
        typer.echo(f"veo3 mcp needs the MCP SDK: pip install 'veo3[mcp]' ({exc})", err=True)
        raise typer.Exit(2) from None
    if budget is None and os.environ.get(BUDGET_ENV):
        try:
            budget = float(os.environ[BUDGET_ENV])
        except ValueError:
            raise typer.BadParameter(f"${BUDGET_ENV} is not a number", param_hint="--budget") from None
        if budget < 0:
            raise typer.BadParameter(f"${BUDGET_ENV} must be >= 0", param_hint="--budget")
    listen = parse_listen(http, allow_remote=allow_remote) if http else None
    config = ServerConfig(
        folder=folder,
        budget=budget,
        http=listen,
        api_key=api_key,
        base_url=base_url,
        journal_path=journal,
        poll_interval=poll_interval,
    )
    raise typer.Exit(run(config))
