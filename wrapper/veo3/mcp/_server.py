"""The MCP server: the tool table, argument checks, errors as tool errors, transports and signals.

Built on the official SDK's low-level ``Server``: it takes each tool's input schema as JSON Schema, which
here comes from the spec (``_schemas``), where ``MCPServer`` would derive it from Python type hints.
Arguments are checked against that schema before a tool runs, so a bad value costs no request. A tool's
``veo3.errors`` error reaches the agent as a tool error carrying its message; anything else as a short
"internal error" (the traceback goes to the server's log, redacted). Every result, log line and
notification goes through the library's redaction: the API key never leaves.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import mcp_types as types
from mcp.server.context import ServerRequestContext
from mcp.server.lowlevel import Server

from veo3._utils._logging import RedactingFilter, get_logger, redact
from veo3.errors import RequestValidationError, Veo3Error

from ._budget import Budget
from ._schemas import tool_schemas
from ._tools import TOOLS, ServerStoppingError, Services

__all__ = ["TOOL_TABLE", "ServerConfig", "build_server", "list_tools", "run"]

logger = get_logger("veo3.mcp")

_PAID = types.ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=False, open_world_hint=True)
_READ = types.ToolAnnotations(read_only_hint=True, open_world_hint=True)


@dataclass(frozen=True)
class ToolInfo:
    """How a tool presents itself: title, description, MCP annotations."""

    title: str
    description: str
    annotations: types.ToolAnnotations


# The one table of the tool surface (its schemas: `_schemas.tool_schemas`; its code: `_tools.TOOLS`).
TOOL_TABLE: Mapping[str, ToolInfo] = {
    "generate_videos": ToolInfo(
        "Generate videos",
        "PAID. Start making one or more Veo 3.1 videos (a list of jobs, each a prompt and options). Every job is "
        "checked and priced first; without a budget nothing is sent and the price comes back. Returns task ids at "
        "once: then call wait_for_tasks, then download_video.",
        _PAID,
    ),
    "extend_video": ToolInfo(
        "Extend a video",
        "PAID. Continue a finished video with a new prompt; returns the new task id (wait_for_tasks next).",
        _PAID,
    ),
    "upgrade_video": ToolInfo(
        "Get 1080p or 4K",
        "PAID. Get the 1080p or 4K version of a finished video, waiting for it up to timeout_seconds; "
        "on timeout call it again later.",
        _PAID,
    ),
    "get_tasks": ToolInfo("Task status", "Free. The current status of tasks (one request each, no waiting).", _READ),
    "wait_for_tasks": ToolInfo(
        "Wait for tasks",
        "Free. Wait until the tasks finish, with progress notifications, at most timeout_seconds; on timeout "
        "returns each task's last known state and how to resume (the tasks go on).",
        _READ,
    ),
    "download_video": ToolInfo(
        "Download a video",
        "Free. Save a finished task's video (or a result URL) in the server's folder; returns the file's path.",
        types.ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=True, open_world_hint=True),
    ),
    "upload_file": ToolInfo(
        "Upload an image",
        "Free. Upload a file from the server's folder to kie (kept at least 24 hours); returns its URL for image_urls.",
        types.ToolAnnotations(
            read_only_hint=False, destructive_hint=False, idempotent_hint=False, open_world_hint=True
        ),
    ),
    "get_credits": ToolInfo(
        "Credits", "Free. The account's remaining credits and what is left of this server's budget.", _READ
    ),
}


@cache
def _validators() -> dict[str, Any]:
    from jsonschema import Draft202012Validator, FormatChecker

    return {
        name: Draft202012Validator(schema, format_checker=FormatChecker()) for name, schema in tool_schemas().items()
    }


def list_tools() -> list[types.Tool]:
    """The eight tools as ``tools/list`` shows them (schemas from the spec)."""
    schemas = tool_schemas()
    return [
        types.Tool(
            name=name,
            title=info.title,
            description=info.description,
            input_schema=schemas[name],
            annotations=info.annotations.model_copy(update={"title": info.title}),
        )
        for name, info in TOOL_TABLE.items()
    ]


def check_arguments(name: str, arguments: Mapping[str, Any]) -> None:
    """Refuse arguments that do not fit the tool's schema (``RequestValidationError``, nothing sent)."""
    errors = sorted(_validators()[name].iter_errors(arguments), key=lambda e: (list(e.absolute_path), e.validator))
    if not errors:
        return
    first = errors[0]
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in first.absolute_path).lstrip(".") or "arguments"
    value = first.instance
    message = first.message if len(first.message) <= 300 else first.message[:300] + "..."
    raise RequestValidationError(where, str(first.validator), value, f"{message}; nothing was sent")


def _result(document: Mapping[str, Any], secrets: tuple[str, ...], *, error: bool = False) -> types.CallToolResult:
    text = redact(json.dumps(document, default=str, indent=1), also=secrets)
    return types.CallToolResult(
        content=[types.TextContent(type="text", text=text)],
        structured_content=None if error else json.loads(text),
        is_error=error,
    )


def build_server(services: Services, *, secrets: tuple[str, ...] = ()) -> Server[Any]:
    """The low-level SDK server, its tools bound to ``services``."""

    async def on_list_tools(
        ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        return types.ListToolsResult(tools=list_tools())

    async def on_call_tool(ctx: ServerRequestContext[Any], params: types.CallToolRequestParams) -> types.CallToolResult:
        name, arguments = params.name, dict(params.arguments or {})
        if name not in TOOLS:
            return _result({"error": f"unknown tool {name!r}; the tools are {list(TOOLS)}"}, secrets, error=True)

        async def progress(done: float, total: float | None, message: str) -> None:
            try:
                await ctx.session.report_progress(done, total, redact(message, also=secrets))
            except Exception:  # a client that went away must not fail the tool (nor a paid create)
                logger.debug("progress notification not delivered", exc_info=True)

        paid = TOOL_TABLE[name].annotations is _PAID
        try:
            check_arguments(name, arguments)
            if paid and services.stopping:
                raise ServerStoppingError("this server is stopping: nothing was sent; call again once it is back")
            services.in_flight += paid
            try:
                document = await TOOLS[name](services, arguments, progress)
            finally:
                services.in_flight -= paid
        except Veo3Error as exc:
            logger.info("tool %s refused: %s", name, exc)
            error = {"error": str(exc), "kind": type(exc).__name__}
            return _result(error, secrets, error=True)
        except Exception:
            logger.exception("tool %s failed", name)
            return _result({"error": f"internal error in {name}; see the server's log"}, secrets, error=True)
        return _result(document, secrets)

    from importlib.metadata import version

    return Server(
        "veo3",
        version=version("veo3"),
        title="veo3: kie.ai Veo 3.1 videos",
        instructions=(
            "Make videos with Veo 3.1: generate_videos (or extend_video) returns task ids at once; wait_for_tasks "
            "waits with progress (call it again on timeout); download_video saves the result. Paid tools spend "
            "only within the budget the person running this server set; without one they answer with the price."
        ),
        on_list_tools=on_list_tools,
        on_call_tool=on_call_tool,
    )


# -- running -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServerConfig:
    """``veo3 mcp``'s options."""

    folder: Path
    budget: float | None = None
    http: tuple[str, int] | None = None
    api_key: str | None = None
    base_url: str | None = None
    journal_path: Path | None = None
    poll_interval: float | None = None


def _log_to_stderr() -> None:
    # stdout is the protocol's on stdio: logs go to stderr, each record redacted at the handler (which sees
    # the SDK's records as well as veo3's).
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RedactingFilter())
    handler.setFormatter(logging.Formatter("veo3 mcp: %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(handlers=[handler], level=os.environ.get("VEO3_MCP_LOG_LEVEL", "WARNING").upper())


def run(config: ServerConfig) -> int:
    """Serve until the client goes away (stdio) or a signal; the exit code.

    A client that goes away cancels the calls in flight, but a create already sent runs shielded: it
    finishes and is journaled. On stdio the first SIGINT/SIGTERM refuses new paid calls, lets those in flight
    finish and answer, then exits 130/143; a second one stops at once (``_stop_on_signals``).
    """
    _log_to_stderr()
    return asyncio.run(_main(config))


async def _main(config: ServerConfig) -> int:
    from veo3 import AsyncVeo3Client
    from veo3._client._constants import chosen_base_url
    from veo3._spec._prices import default_prices
    from veo3.cli._journal import Journal

    base_url = chosen_base_url(config.base_url)
    secrets = tuple(s for s in (config.api_key, os.environ.get("KIE_API_KEY")) if s)
    folder = config.folder.expanduser().resolve()
    folder.mkdir(parents=True, exist_ok=True)
    journal = Journal(config.journal_path)
    try:
        async with AsyncVeo3Client(config.api_key, base_url=base_url) as client:
            budget = Budget(default_prices(), config.budget)
            services = Services(
                client, journal, budget, folder, base_url, lambda t: redact(t, also=secrets), config.poll_interval
            )
            if config.http is None:  # uvicorn handles signals itself (graceful: it lets requests in flight end)
                _stop_on_signals(services)
            await _serve(build_server(services, secrets=secrets), config)
    finally:
        journal.close()
    return 0


def _stop_on_signals(services: Services) -> None:
    """First SIGINT/SIGTERM: take no new paid call, let those in flight finish and answer, exit 130/143.

    The stdio transport reads stdin in a thread no cancellation reaches, so the server cannot unwind by
    cancelling: it exits once nothing paid is in flight (the journal commits every write as it goes). A second
    signal exits at once; a create then in flight keeps its ``submitting`` row, which ``veo3 tasks`` shows.
    """
    loop = asyncio.get_running_loop()
    received: list[int] = []

    async def exit_when_drained(code: int) -> None:
        while services.in_flight:
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.2)  # let the last answers reach the client
        logger.warning("stopped: nothing paid in flight (exit %d)", code)
        services.journal.close()
        logging.shutdown()
        os._exit(code)

    def on_signal(signum: int) -> None:
        if received:
            os._exit(128 + received[0])
        received.append(signum)
        services.stopping = True
        logger.warning("stopping: finishing the paid requests in flight (signal again to stop at once)")
        _exits.add(loop.create_task(exit_when_drained(128 + signum)))

    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, on_signal, signum)


_exits: set[asyncio.Task[None]] = set()  # a reference to the exit task, which asyncio holds only weakly


async def _serve(server: Server[Any], config: ServerConfig) -> None:
    if config.http is None:
        from mcp.server.stdio import stdio_server

        async with stdio_server() as (read_stream, write_stream):
            await server.run(read_stream, write_stream, server.create_initialization_options())
        return
    import uvicorn

    host, port = config.http
    app = server.streamable_http_app(host=host)
    settings = uvicorn.Config(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=60)
    await uvicorn.Server(settings).serve()
