"""docs/guides/mcp.md says what the server does: its config snippets start it, its price table is the batch's."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner
from veo3._spec._operations import EXTEND, GENERATE, GET_4K, GET_1080P
from veo3._spec._prices import default_prices
from veo3.cli._app import app

ROOT = Path(__file__).resolve().parent.parent
GUIDE = (ROOT / "docs" / "guides" / "mcp.md").read_text()


def _options() -> set[str]:
    help_text = CliRunner().invoke(app, ["mcp", "--help"], terminal_width=200).output
    return set(re.findall(r"--[a-z][a-z-]+", help_text))


def test_every_config_snippet_is_json_that_starts_veo3_mcp_with_real_options() -> None:
    blocks = re.findall(r"```json\n(.*?)```", GUIDE, re.S)
    assert len(blocks) >= 5
    options = _options()
    started = 0
    for block in blocks:
        servers = json.loads(block)
        for entry in (servers.get("mcpServers") or servers["servers"]).values():
            if "url" in entry:
                assert entry["url"].startswith("http://127.0.0.1:")
                continue
            assert entry["command"] == "veo3" and entry["args"][0] == "mcp"
            assert {a for a in entry["args"] if a.startswith("--")} <= options
            started += 1
    assert started >= 4
    for flag in re.findall(r"`(--[a-z-]+)", GUIDE):
        assert flag in options, flag


def test_the_price_table_is_the_batchs() -> None:
    prices = default_prices()
    rows = {line.split("`")[1]: line for line in GUIDE.splitlines() if line.startswith("| `")}
    generate, extend, upgrade = rows["generate_videos"], rows["extend_video"], rows["upgrade_video"]
    for model in ("veo3", "veo3_fast", "veo3_lite"):
        assert f"`{model}` {prices.cost(GENERATE.operation_id, {'model': model}):g}" in generate
    for model in ("quality", "fast", "lite"):
        assert f"`{model}` {prices.cost(EXTEND.operation_id, {'model': model}):g}" in extend
    assert f"1080p {prices.cost(GET_1080P.operation_id):g}, 4k {prices.cost(GET_4K.operation_id):g}" in upgrade
    for free in ("get_tasks", "wait_for_tasks", "download_video", "upload_file", "get_credits"):
        assert rows[free].rstrip(" |").endswith("free"), free
