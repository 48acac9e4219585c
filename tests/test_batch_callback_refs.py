"""Callback references (``veo3.webhooks._refs``): a batch create whose reply is lost is named by its callback.

In one run: the create's reply times out (``OutcomeUnknownError``), the simulator's callback, posted to the
URL the create carried, names the task; the job succeeds and nothing is resent. The SIGKILL case (the
reply lost with the process, resolved by the re-run) is in ``test_cli_signals_process.py``.
"""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path
from typing import Any

from veo3 import AsyncVeo3Client
from veo3.batch import SUCCESS, MemoryStore
from veo3.cli._commands.batch import _serve_receiver
from veo3.mock import Fault, MockConfig, MockServer
from veo3.mock._control import inject_fault
from veo3.webhooks import CallbackReceiver
from veo3.webhooks._refs import REF_PARAM, ref_digest, ref_in, with_ref

GENERATE = "generate-veo3-1-video"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_reference_is_a_digest_in_storage_and_replaces_an_earlier_one() -> None:
    url = with_ref(with_ref("https://me.example/kie?kind=video", "first"), "second")
    assert url == f"https://me.example/kie?kind=video&{REF_PARAM}=second"
    assert ref_in({"prompt": "p", "call_back_url": url}) == ref_digest("second")
    assert "second" not in ref_digest("second")
    assert ref_in({"call_back_url": "https://me.example/kie"}) is None


def test_a_create_whose_reply_timed_out_is_named_by_its_callback_and_never_resent(tmp_path: Path) -> None:
    port = free_port()
    store = MemoryStore()
    with MockServer(MockConfig(time_scale=0.001, seed=4)) as srv:
        # The first create is made, and its reply held past the client's timeout: it is lost.
        inject_fault(srv.state, Fault("latency", on_calls={1}, delay=5.0), GENERATE)

        async def main() -> list[Any]:
            async with AsyncVeo3Client(api_key="k", base_url=srv.url, rate_limit=None, timeout=1.0) as client:
                client.callback_receiver = CallbackReceiver()
                with _serve_receiver(client, f"http://127.0.0.1:{port}/kie", None):
                    jobs = [{"id": "lost-reply", "prompt": "a paid video"}]
                    options: Any = {"store": store, "out_dir": tmp_path, "via": "callback"}
                    options["callback_url"] = f"http://127.0.0.1:{port}/kie"
                    return [r async for r in client.batch(jobs, **options)]

        [result] = asyncio.run(main())
        made = [t.task_id for t in srv.state.tasks.values() if t.kind == "generate"]
    assert result.status == SUCCESS, result.error
    assert result.task_ids == made  # one task, named by its callback
    assert len(made) == 1  # not resent
    assert (tmp_path / "lost-reply.mp4").stat().st_size > 0
