"""Driving ``veo3 mcp`` with the MCP SDK's own stdio client (shared by the MCP tests)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

KEY = "sk-mcp-test-key-Qw7Lm2Zx9"
VEO3 = (sys.executable, "-m", "veo3.cli")
TOOLS = [
    "generate_videos",
    "extend_video",
    "upgrade_video",
    "get_tasks",
    "wait_for_tasks",
    "download_video",
    "upload_file",
    "get_credits",
]


class Run:
    """One ``veo3 mcp`` process and what its client saw."""

    def __init__(self, session: ClientSession, stderr: Path) -> None:
        self.session = session
        self.stderr = stderr
        self.texts: list[str] = []  # every result and notification text, for the key check
        self.progress: list[tuple[float, float | None, str | None]] = []

    async def call(self, name: str, arguments: dict[str, Any], *, progress: bool = False) -> tuple[bool, Any]:
        async def on_progress(done: float, total: float | None, message: str | None) -> None:
            self.progress.append((done, total, message))
            self.texts.append(message or "")

        result = await self.session.call_tool(name, arguments, progress_callback=on_progress if progress else None)
        text = "".join(getattr(block, "text", "") for block in result.content)
        self.texts.append(text)
        assert "Traceback" not in text
        return result.is_error, json.loads(text)


@asynccontextmanager
async def veo3_mcp(
    tmp_path: Path, base_url: str, *args: str, key: str = KEY, extra_env: dict[str, str] | None = None
) -> AsyncIterator[Run]:
    env = {
        **os.environ,
        "KIE_API_KEY": key,
        "VEO3_BASE_URL": base_url,
        "VEO3_JOURNAL": str(tmp_path / "journal.sqlite3"),
    }
    env.pop("VEO3_MCP_BUDGET", None)
    env.pop("VEO3_UPLOAD_BASE_URL", None)
    env.update(extra_env or {})
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "veo3.cli", "mcp", "--poll-interval", "0.2", *args],
        env=env,
        cwd=str(tmp_path),
    )
    stderr = tmp_path / "server-stderr.log"
    with stderr.open("w") as errlog:
        async with stdio_client(params, errlog=errlog) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            yield Run(session, stderr)
