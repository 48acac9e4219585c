"""``veo3 mcp`` driven by the MCP SDK's own client over stdio (a real ``veo3 mcp`` process) against the simulator.

Done-when of issue 22: the eight tools are listed with the spec's bounds and enums; a bad value is refused
with no request sent; without a budget nothing is spent and the price comes back; with one a job is created,
waited on with progress notifications and visible in ``veo3 tasks``, and a call past the budget is refused
with no request; the key never appears in a result, a notification or the server's log.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mcp_support import KEY, TOOLS, VEO3, Run, veo3_mcp
from veo3._spec._operations import EXTEND, GENERATE
from veo3._spec._prices import default_prices
from veo3.mock import Fault, MockConfig, MockServer

PAID = {"generate_videos", "extend_video", "upgrade_video"}
READ_ONLY = {"get_tasks", "wait_for_tasks", "get_credits"}

pytestmark = pytest.mark.timeout(180)


@pytest.fixture(scope="module")
def server() -> Iterator[MockServer]:
    # Generations take ~1 s: long enough for a few progress notifications, short enough for a quick suite.
    with MockServer(MockConfig(time_scale=0.3, seed=22, rate_limit=None)) as srv:
        yield srv


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def creates(server: MockServer) -> int:
    return len(server.state.requests)


# -- the tool list --------------------------------------------------------------------------------------


def test_the_eight_tools_are_listed_with_the_specs_bounds_enums_and_annotations(
    server: MockServer, tmp_path: Path
) -> None:
    async def body() -> Any:
        async with veo3_mcp(tmp_path, server.url) as mcp:
            return (await mcp.session.list_tools()).tools

    tools = {tool.name: tool for tool in run(body())}
    assert sorted(tools) == sorted(TOOLS)

    job = tools["generate_videos"].input_schema["properties"]["jobs"]["items"]
    spec_fields = {f.python_name: f.schema for f in GENERATE.request_fields if not f.deprecated}
    assert set(job["properties"]) == set(spec_fields)
    assert job["required"] == ["prompt"] and job["additionalProperties"] is False
    for name, schema in spec_fields.items():  # every enum and bound of the spec, as the spec states it
        for rule in ("enum", "minimum", "maximum", "maxItems", "pattern"):
            if rule in schema:
                assert job["properties"][name][rule] == schema[rule], (name, rule)
    assert job["properties"]["model"]["enum"] == ["veo3", "veo3_fast", "veo3_lite"]
    assert job["properties"]["duration"]["enum"] == [4, 6, 8]
    assert job["properties"]["image_urls"]["items"]["pattern"].startswith("^https?://")  # $ref inlined
    extend = tools["extend_video"].input_schema
    assert set(extend["required"]) == {f.python_name for f in EXTEND.request_fields if f.required}
    assert tools["upgrade_video"].input_schema["properties"]["resolution"]["enum"] == ["1080p", "4k"]
    assert "$ref" not in json.dumps([t.input_schema for t in tools.values()])

    for name, tool in tools.items():
        hints = tool.annotations
        assert hints is not None
        if name in PAID:
            assert hints.read_only_hint is False and hints.idempotent_hint is False, name
            assert tool.description and tool.description.startswith("PAID"), name
        if name in READ_ONLY:
            assert hints.read_only_hint is True, name


# -- money ----------------------------------------------------------------------------------------------


def test_without_a_budget_paid_tools_answer_the_price_and_send_nothing(server: MockServer, tmp_path: Path) -> None:
    prices = default_prices()
    expected = prices.cost(GENERATE.operation_id, {"model": "veo3"}) + prices.cost(
        GENERATE.operation_id, {"model": "veo3_lite"}
    )

    async def body() -> list[Any]:
        async with veo3_mcp(tmp_path, server.url) as mcp:
            before = creates(server)
            answers = [
                await mcp.call(
                    "generate_videos",
                    {"jobs": [{"prompt": "a cat", "model": "veo3"}, {"prompt": "a dog", "model": "veo3_lite"}]},
                ),
                await mcp.call("extend_video", {"task_id": "veo_task_x", "prompt": "it rains", "model": "lite"}),
                await mcp.call("upgrade_video", {"task_id": "veo_task_x", "resolution": "4k"}),
            ]
            assert creates(server) == before, "a dry run sent a request"
            return answers

    (gen_error, gen), (ext_error, ext), (up_error, up) = run(body())
    assert not gen_error and gen["sent"] is False and gen["dry_run"] is True
    assert gen["credits"] == expected == 280 and [j["credits"] for j in gen["jobs"]] == [250, 30]
    assert "NOT SENT" in gen["message"] and "--budget" in gen["message"]
    assert not ext_error and ext["sent"] is False and ext["credits"] == 30
    assert not up_error and up["sent"] is False and up["credits"] == 120


def test_with_a_budget_a_job_is_created_waited_on_with_progress_and_journaled(
    server: MockServer, tmp_path: Path
) -> None:
    async def body() -> tuple[Any, ...]:
        async with veo3_mcp(tmp_path, server.url, "--budget", "300") as mcp:
            made = await mcp.call("generate_videos", {"jobs": [{"prompt": "a lighthouse", "model": "veo3_lite"}]})
            task_ids = made[1]["created"]
            waited = await mcp.call("wait_for_tasks", {"task_ids": task_ids, "timeout_seconds": 60}, progress=True)
            before = creates(server)
            refused = await mcp.call("generate_videos", {"jobs": [{"prompt": "a", "model": "veo3"}] * 2})
            sent_after_refusal = creates(server) - before
            credits = await mcp.call("get_credits", {})
            got = await mcp.call("download_video", {"task_id": task_ids[0]})
            return made, waited, refused, sent_after_refusal, credits, got, mcp

    (made_error, made), (wait_error, waited), (ref_error, refused), sent, (_, credits), (dl_error, got), mcp = run(
        body()
    )
    assert not made_error and made["budget"] == {"dry_run": False, "budget": 300.0, "spent": 30.0, "remaining": 270.0}
    task_id = made["created"][0]
    assert task_id in server.state.tasks

    assert not wait_error and waited["all_finished"] is True
    assert waited["tasks"][0]["status"] == "SUCCESS" and waited["tasks"][0]["video_url"]
    assert any(done == 0 and "GENERATING" in (message or "") for done, _, message in mcp.progress), mcp.progress
    assert any(task_id in (message or "") for _, _, message in mcp.progress)
    assert mcp.progress[-1][0] == mcp.progress[-1][1] == 1

    assert ref_error and refused["kind"] == "BudgetExceededError"
    assert "500" in refused["error"] and "270" in refused["error"] and "nothing was sent" in refused["error"]
    assert sent == 0
    assert credits["budget"]["remaining"] == 270.0

    assert not dl_error and Path(got["path"]).parent == tmp_path.resolve()
    assert Path(got["path"]).read_bytes()[4:8] == b"ftyp"  # an MP4

    env = {**os.environ, "VEO3_JOURNAL": str(tmp_path / "journal.sqlite3")}
    listed = subprocess.run([*VEO3, "tasks", "--json"], env=env, capture_output=True, text=True, check=True)
    rows = json.loads(listed.stdout)
    rows = rows["tasks"] if isinstance(rows, dict) else rows
    row = next(r for r in rows if r["task_id"] == task_id)
    assert row["kind"] == "generate" and row["state"] == "success" and row["paths"] == [got["path"]]
    assert KEY not in "".join(mcp.texts) + mcp.stderr.read_text() + listed.stdout


def test_the_budget_env_var_stands_for_the_flag(server: MockServer, tmp_path: Path) -> None:
    async def body() -> Any:
        async with veo3_mcp(tmp_path, server.url, extra_env={"VEO3_MCP_BUDGET": "10"}) as mcp:
            return await mcp.call("generate_videos", {"jobs": [{"prompt": "a", "model": "veo3_lite"}]})

    before = creates(server)
    error, refused = run(body())
    assert error and refused["kind"] == "BudgetExceededError" and creates(server) == before
    assert "30 credits" in refused["error"] and "10 of the budget of 10" in refused["error"]


# -- bad input --------------------------------------------------------------------------------------------


BAD_CALLS = [
    ("generate_videos", {"jobs": [{"prompt": "a cat", "duration": 7}]}, "jobs[0].duration"),
    ("generate_videos", {"jobs": [{"prompt": "a cat", "model": "veo9"}]}, "jobs[0].model"),
    ("generate_videos", {"jobs": [{"prompt": "ok"}, {"prompt": "a", "seeds": 5}]}, "jobs[1].seeds"),
    ("generate_videos", {"jobs": [{"prompt": "a cat", "aspectRatio": "16:9"}]}, "jobs[0]"),
    ("generate_videos", {"jobs": []}, "jobs"),
    ("generate_videos", {"jobs": [{"prompt": "   "}]}, "jobs[0].prompt"),
    # The spec's cross-field rule (REFERENCE_2_VIDEO takes 8 s only): the library's own check.
    (
        "generate_videos",
        {
            "jobs": [
                {
                    "prompt": "a",
                    "generation_type": "REFERENCE_2_VIDEO",
                    "duration": 4,
                    "image_urls": ["https://example.com/a.png"],
                }
            ]
        },
        "duration",
    ),
    ("extend_video", {"task_id": "veo_task_x", "prompt": "more", "seeds": 100000}, "seeds"),
    ("upgrade_video", {"task_id": "veo_task_x", "resolution": "8k"}, "resolution"),
    ("upgrade_video", {"task_id": "veo_task_x", "resolution": "1080p", "index": -1}, "index"),
    ("get_tasks", {"task_ids": [f"t{n}" for n in range(33)]}, "task_ids"),
    ("wait_for_tasks", {"task_ids": ["t"], "timeout_seconds": 3600}, "timeout_seconds"),
    ("download_video", {"task_id": "t", "file_name": "../../evil.mp4"}, "file_name"),
    ("download_video", {"task_id": "t", "file_name": "..", "url": "https://example.com/x.mp4"}, "arguments"),
    ("upload_file", {"path": "../outside.png"}, "path"),
    ("upload_file", {"path": "/etc/passwd"}, "path"),
]


@pytest.mark.parametrize("budget", [(), ("--budget", "100000")], ids=["dry-run", "budget"])
def test_bad_input_is_refused_with_an_actionable_message_and_no_request(
    server: MockServer, tmp_path: Path, budget: tuple[str, ...]
) -> None:
    (tmp_path.parent / "outside.png").write_bytes(b"\x89PNG")

    async def body() -> list[Any]:
        async with veo3_mcp(tmp_path, server.url, *budget) as mcp:
            before = creates(server)
            answers = [await mcp.call(name, arguments) for name, arguments, _ in BAD_CALLS]
            assert creates(server) == before, "a refused call sent a request"
            return answers

    for (name, _, where), (is_error, answer) in zip(BAD_CALLS, run(body()), strict=True):
        assert is_error, (name, answer)
        assert answer["kind"] == "RequestValidationError", (name, answer)
        assert where in answer["error"], (name, where, answer["error"])


def test_download_and_upload_stay_inside_the_folder(server: MockServer, tmp_path: Path) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-secret.png"
    outside.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    (tmp_path / "link.png").symlink_to(outside)

    async def body() -> list[Any]:
        async with veo3_mcp(tmp_path, server.url) as mcp:
            return [
                await mcp.call("upload_file", {"path": "link.png"}),
                await mcp.call("download_video", {"url": f"{server.url}/media/x/..%2F..%2Fescape.mp4"}),
            ]

    (link_error, link), (dl_error, dl) = run(body())
    assert link_error and "inside" in link["error"]
    # The URL's name is untrusted: whatever came of the download, nothing was written outside the folder.
    assert not (tmp_path.parent / "escape.mp4").exists()
    if not dl_error:
        assert Path(dl["path"]).parent == tmp_path.resolve()


# -- timeout, errors, keys ---------------------------------------------------------------------------------


def test_a_wait_that_times_out_names_the_last_state_and_how_to_resume(tmp_path: Path) -> None:
    slow = MockConfig(time_scale=1.0, generation_seconds=600.0, seed=9, rate_limit=None)
    with MockServer(slow) as srv:

        async def body() -> Any:
            async with veo3_mcp(tmp_path, srv.url, "--budget", "1000") as mcp:
                made = await mcp.call("generate_videos", {"jobs": [{"prompt": "slow", "model": "veo3_lite"}]})
                ids = made[1]["created"]
                return ids, await mcp.call("wait_for_tasks", {"task_ids": ids, "timeout_seconds": 1.5}, progress=True)

        ids, (is_error, answer) = run(body())
    assert not is_error
    assert answer["all_finished"] is False and answer["timed_out"] is True
    task = answer["tasks"][0]
    assert task["task_id"] == ids[0] and task["timed_out"] is True and task["status"] == "GENERATING"
    assert ids[0] in answer["resume"] and "wait_for_tasks" in answer["resume"]


def test_api_errors_are_tool_errors_with_the_typed_message_and_never_the_key(tmp_path: Path) -> None:
    with MockServer(MockConfig(api_keys=["the-only-good-key"], time_scale=0.01)) as srv:

        async def body() -> tuple[list[Any], Run]:
            async with veo3_mcp(tmp_path, srv.url, "--budget", "1000") as mcp:
                answers = [
                    await mcp.call("get_credits", {}),
                    await mcp.call("generate_videos", {"jobs": [{"prompt": "a"}, {"prompt": "b"}]}),
                    await mcp.call("get_tasks", {"task_ids": ["veo_task_nope"]}),
                ]
                return answers, mcp

        ((cred_error, cred), (gen_error, gen), (_, tasks)), mcp = run(body())
    assert cred_error and cred["kind"] == "AuthenticationError" and cred["error"]
    assert not gen_error and gen["created"] == []
    assert gen["tasks"][0]["kind"] == "AuthenticationError"
    assert gen["tasks"][1]["sent"] is False  # the same error would follow: not sent
    assert gen["budget"]["spent"] == 0  # refused creates give their reservation back
    assert tasks["tasks"][0]["kind"] == "AuthenticationError"
    assert KEY not in "".join(mcp.texts) + mcp.stderr.read_text()


# -- a client that goes away loses no paid task --------------------------------------------------------------


def test_a_client_that_disconnects_mid_create_loses_no_paid_task(tmp_path: Path) -> None:
    latency = Fault("latency", on_calls={1}, delay=1.5)
    config = MockConfig(time_scale=0.01, seed=4, rate_limit=None, faults={GENERATE.operation_id: latency})
    with MockServer(config) as srv:

        async def body() -> None:
            async with veo3_mcp(tmp_path, srv.url, "--budget", "1000") as mcp:
                with pytest.raises(TimeoutError):
                    async with asyncio.timeout(0.5):
                        await mcp.call("generate_videos", {"jobs": [{"prompt": "cut off", "model": "veo3_lite"}]})
            # Leaving the block closed the server's stdin (then signalled it): it has exited.

        run(body())
        created = list(srv.state.tasks)
    assert len(created) == 1
    env = {**os.environ, "VEO3_JOURNAL": str(tmp_path / "journal.sqlite3")}
    listed = subprocess.run([*VEO3, "tasks", "--json"], env=env, capture_output=True, text=True, check=True)
    rows = json.loads(listed.stdout)
    rows = rows["tasks"] if isinstance(rows, dict) else rows
    assert [(r["task_id"], r["state"]) for r in rows] == [(created[0], "running")]


def test_extend_and_upgrade_with_a_budget_are_journaled_and_charged(server: MockServer, tmp_path: Path) -> None:
    async def body() -> list[Any]:
        async with veo3_mcp(tmp_path, server.url, "--budget", "100") as mcp:
            made = await mcp.call("generate_videos", {"jobs": [{"prompt": "a boat", "model": "veo3_lite"}]})
            first = made[1]["created"][0]
            await mcp.call("wait_for_tasks", {"task_ids": [first], "timeout_seconds": 60})
            extended = await mcp.call("extend_video", {"task_id": first, "prompt": "it sails", "model": "lite"})
            second = extended[1]["task_id"]
            await mcp.call("wait_for_tasks", {"task_ids": [second], "timeout_seconds": 60})
            hd = await mcp.call("upgrade_video", {"task_id": second, "resolution": "1080p", "timeout_seconds": 60})
            before = creates(server)
            too_dear = await mcp.call("upgrade_video", {"task_id": second, "resolution": "4k"})
            return [extended, hd, too_dear, creates(server) - before, first, second]

    (ext_error, extended), (hd_error, hd), (dear_error, dear), sent, first, second = run(body())
    assert not ext_error and extended["credits"] == 30 and server.state.tasks[second].params["taskId"] == first
    assert not hd_error and hd["ready"] is True and hd["urls"] and hd["budget"]["spent"] == 65
    assert dear_error and dear["kind"] == "BudgetExceededError" and "35" in dear["error"] and sent == 0
    env = {**os.environ, "VEO3_JOURNAL": str(tmp_path / "journal.sqlite3")}
    listed = subprocess.run([*VEO3, "tasks", "--json"], env=env, capture_output=True, text=True, check=True)
    rows = json.loads(listed.stdout)
    rows = rows["tasks"] if isinstance(rows, dict) else rows
    kinds = {(r["kind"], r["parent_task_id"]) for r in rows}
    assert {("generate", None), ("extend", first), ("1080p", second)} <= kinds
