"""``veo3 mcp``: a Model Context Protocol server over the client, for agents within a budget.

Eight tools, named for what an agent does: ``generate_videos``, ``extend_video``, ``upgrade_video`` (paid:
priced first, sent only within ``--budget``), ``get_tasks``, ``wait_for_tasks``, ``download_video``,
``upload_file``, ``get_credits`` (free). Their input schemas come from the spec (``_schemas``); what they do is
in ``_tools``, the SDK wiring in ``_server``, the command line in ``_command``. Needs the ``mcp`` extra
(``pip install 'veo3[mcp]'``); importing this package does not load the SDK.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._budget import ENV_VAR, Budget, BudgetExceededError

if TYPE_CHECKING:
    from ._schemas import tool_schemas
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

_LAZY = {
    "tool_schemas": "_schemas",
    **dict.fromkeys(("TOOL_TABLE", "ServerConfig", "build_server", "list_tools", "run"), "_server"),
}


def __getattr__(name: str) -> Any:
    # Loaded on first use: the SDK (the `mcp` extra may be absent), and the spec walk of the schemas.
    if name in _LAZY:
        return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'veo3.mcp' has no attribute {name!r}")
