"""``veo3 mcp``: a Model Context Protocol server over the client, for agents within a budget.

Eight tools, named for what an agent does: ``generate_videos``, ``extend_video``, ``upgrade_video`` (paid:
priced first, sent only within ``--budget``), ``get_tasks``, ``wait_for_tasks``, ``download_video``,
``upload_file``, ``get_credits`` (free). Their input schemas come from the spec (``_schemas``); what they do is
in ``_tools``, the SDK wiring in ``_server``, the command line in ``_command``. Needs the ``mcp`` extra
(``pip install 'veo3[mcp]'``); importing this package does not load the SDK.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._budget import ENV_VAR, Budget, BudgetExceededError
from ._schemas import tool_schemas

if TYPE_CHECKING:
    from ._server import TOOL_TABLE, ServerConfig, build_server, list_tools, run

__all__ = [
    "ENV_VAR",
    "TOOL_TABLE",
    "Budget",
    "BudgetExceededError",
    "ServerConfig",
    "build_server",
    "list_tools",
    "run",
    "tool_schemas",
]

_SERVER_NAMES = frozenset({"TOOL_TABLE", "ServerConfig", "build_server", "list_tools", "run"})


def __getattr__(name: str) -> Any:
    # The SDK loads on first use of a name that needs it (the `mcp` extra may be absent).
    if name in _SERVER_NAMES:
        from . import _server

        return getattr(_server, name)
    raise AttributeError(f"module 'veo3.mcp' has no attribute {name!r}")
