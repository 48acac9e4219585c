"""The ``veo3`` command line against the embedded simulator (in-process with Typer's CliRunner).

Every command is run for real: a ``MockServer`` listens on a loopback port, the command talks to it
through the library, and the tests check exit codes, the ``--json`` document (which must be the only
thing on stdout), the simulator's introspection and the journal.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import av
import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner
from veo3.cli._app import app
from veo3.mock import MockConfig, MockServer

KEY = "sk-test-Zq8xW3cretKey-0123456789"
FAST = MockConfig(time_scale=0.001, hd_seconds=0.0, uhd_seconds=0.0, seed=7)
POLL = ("--poll-interval", "0.01")


@pytest.fixture(scope="module")
def server() -> Iterator[MockServer]:
    with MockServer(FAST) as srv:
        yield srv


@pytest.fixture
def mock(server: MockServer) -> MockServer:
    server.reset()
    return server


@pytest.fixture
def journal_path(tmp_path: Path) -> Path:
    return tmp_path / "journal.sqlite3"


class Veo3:
    """Runs ``veo3`` commands in-process against one simulator and one journal."""

    def __init__(self, base_url: str, journal: Path, key: str = KEY) -> None:
        self.env = {"KIE_API_KEY": key, "VEO3_BASE_URL": base_url, "VEO3_JOURNAL": str(journal)}
        self.runner = CliRunner()
        self.outputs: list[str] = []

    def __call__(self, *args: str, code: int = 0) -> Any:
        result = self.runner.invoke(app, list(args), env=self.env)
        self.outputs.extend([result.stdout, result.stderr])
        assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr, result.exception)
        return result

    def json(self, *args: str, code: int = 0) -> Any:
        """Run with ``--json``; stdout must hold exactly one JSON document."""
        return json.loads(self(*args, "--json", code=code).stdout)


@pytest.fixture
def veo3(mock: MockServer, journal_path: Path) -> Veo3:
    return Veo3(mock.url, journal_path)


def journal_rows(path: Path) -> list[dict[str, Any]]:
    with sqlite3.connect(path) as db:
        db.row_factory = sqlite3.Row
        return [dict(r) for r in db.execute("SELECT * FROM tasks ORDER BY id")]


def decodes(path: Path) -> bool:
    with av.open(str(path)) as container:
        frame = next(container.decode(container.streams.video[0]))
        return frame.width > 0


def finished_task(veo3: Veo3, prompt: str = "a lighthouse at dawn") -> str:
    task_id: str = veo3.json("generate", prompt, "--wait", *POLL)["task_id"]
    return task_id


# -- generate / extend / chain ----------------------------------------------------------------


def test_generate_prints_the_task_id_and_journals_it(veo3: Veo3, mock: MockServer, journal_path: Path) -> None:
    doc = veo3.json("generate", "a red fox in snow", "--model", "veo3_fast", "--seeds", "12345")
    task_id = doc["task_id"]
    assert task_id in mock.state.tasks
    assert mock.state.tasks[task_id].params["seeds"] == 12345
    (row,) = journal_rows(journal_path)
    assert (row["task_id"], row["kind"], row["state"]) == (task_id, "generate", "running")
    assert json.loads(row["request"]) == {"prompt": "a red fox in snow", "model": "veo3_fast", "seeds": 12345}
    assert row["base_url"] == mock.url


def test_generate_wait_reports_the_finished_task(veo3: Veo3, journal_path: Path) -> None:
    doc = veo3.json("generate", "a red fox", "--wait", *POLL)
    assert doc["task"]["status"] == "SUCCESS"
    assert doc["task"]["video_url"].endswith(".mp4")
    (row,) = journal_rows(journal_path)
    assert row["state"] == "success"
    assert json.loads(row["result_urls"]) == [doc["task"]["video_url"]]


def test_generate_passes_every_option_to_the_request(veo3: Veo3, mock: MockServer) -> None:
    doc = veo3.json(
        "generate", "two frames", "--aspect-ratio", "9:16", "--image-url", "http://127.0.0.1/a.png",
        "--image-url", "http://127.0.0.1/b.png", "--generation-type", "FIRST_AND_LAST_FRAMES_2_VIDEO",
        "--watermark", "Brand", "--no-enable-translation", "--resolution", "720p", "--duration", "6",
    )  # fmt: skip
    body = next(r.body for r in mock.state.requests if r.operation == "generate-veo3-1-video")
    assert body["aspect_ratio"] == "9:16"
    assert body["imageUrls"] == ["http://127.0.0.1/a.png", "http://127.0.0.1/b.png"]
    assert body["generationType"] == "FIRST_AND_LAST_FRAMES_2_VIDEO"
    assert body["watermark"] == "Brand"
    assert body["enableTranslation"] is False
    assert body["resolution"] == "720p"
    assert body["duration"] == 6
    assert doc["task_id"] in mock.state.tasks


def test_extend_prints_the_new_task_id(veo3: Veo3, mock: MockServer, journal_path: Path) -> None:
    parent = finished_task(veo3)
    doc = veo3.json("extend", parent, "the camera rises", "--wait", *POLL)
    assert doc["task_id"] != parent
    assert mock.state.tasks[doc["task_id"]].parent_id == parent
    assert doc["task"]["status"] == "SUCCESS"
    extend_row = journal_rows(journal_path)[-1]
    assert (extend_row["kind"], extend_row["parent_task_id"], extend_row["state"]) == ("extend", parent, "success")


def test_chain_extends_each_result_in_turn(veo3: Veo3, mock: MockServer, journal_path: Path) -> None:
    first = finished_task(veo3)
    doc = veo3.json("chain", first, "step one", "step two", *POLL)
    one, two = doc["task_ids"]
    assert mock.state.tasks[one].parent_id == first
    assert mock.state.tasks[two].parent_id == one
    assert doc["task_id"] == two
    assert [t["status"] for t in doc["tasks"]] == ["SUCCESS", "SUCCESS"]
    assert [r["state"] for r in journal_rows(journal_path)] == ["success"] * 3


# -- validation: exit 2, nothing sent ---------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("generate", "a cat", "--seeds", "5"),
        ("generate", "a cat", "--seeds", "100000"),
        ("generate", "a cat", "--aspect-ratio", "4:3"),
        ("generate", "a cat", "--model", "veo9"),
        ("generate", "a cat", "--resolution", "8k"),
        ("generate", "a cat", "--image-url", "a", "--image-url", "b", "--image-url", "c", "--image-url", "d"),
        ("extend", "veo_task_x", "more", "--model", "ultra"),
        ("chain", "veo_task_x", "ok", "--seeds", "1"),
        ("chain", "veo_task_x", "a fine first step", "   "),  # the blank second prompt stops the paid first
        ("hd", "veo_task_x", "--index", "-1"),
        ("wait", "veo_task_x", "--timeout", "0"),
        ("generate", "a cat", "--seeds", "not-a-number"),
        ("wait",),
        ("wait", "veo_task_x", "--resume"),
    ],
)
def test_invalid_input_exits_2_before_any_request(
    veo3: Veo3, mock: MockServer, journal_path: Path, args: tuple[str, ...]
) -> None:
    result = veo3(*args, code=2)
    assert list(mock.state.requests) == []
    assert not journal_path.exists() or journal_rows(journal_path) == []
    assert result.stdout == ""


def test_validation_error_as_json_names_the_field(veo3: Veo3, mock: MockServer) -> None:
    doc = veo3.json("generate", "a cat", "--seeds", "5", code=2)
    assert doc["error"]["type"] == "RequestValidationError"
    assert doc["error"]["field"] == "seeds"
    assert doc["error"]["exit_code"] == 2
    assert list(mock.state.requests) == []


# -- API errors, failed tasks, timeouts --------------------------------------------------------


def test_rejected_create_exits_3_and_the_journal_says_rejected(veo3: Veo3, journal_path: Path) -> None:
    doc = veo3.json("generate", "[reject:402] a cat", code=3)
    assert doc["error"]["code"] == 402
    assert doc["error"]["type"] == "InsufficientCreditsError"
    (row,) = journal_rows(journal_path)
    assert row["state"] == "rejected"
    assert row["task_id"] is None


def test_unknown_task_exits_3(veo3: Veo3) -> None:
    assert veo3.json("status", "veo_task_doesnotexist", code=3)["error"]["code"] == 404


def test_failed_task_exits_4(veo3: Veo3, journal_path: Path) -> None:
    doc = veo3.json("generate", "[fail:501] a cat", "--wait", *POLL, code=4)
    assert doc["error"]["type"] == "TaskFailedError"
    (row,) = journal_rows(journal_path)
    assert row["state"] == "failed"
    assert row["task_id"] == doc["error"]["task_id"]


def test_lost_create_reply_is_journaled_as_outcome_unknown(journal_path: Path) -> None:
    from veo3.mock import Fault

    config = MockConfig(time_scale=0.001, faults={"generate-veo3-1-video": [Fault("drop_after", on_calls={1})]})
    with MockServer(config) as srv:
        doc = Veo3(srv.url, journal_path).json("generate", "a cat", code=3)
        assert len(srv.state.tasks) == 1  # the task exists on the server...
    assert doc["error"]["type"] == "OutcomeUnknownError"
    (row,) = journal_rows(journal_path)
    assert row["state"] == "outcome_unknown"  # ...and the journal says its fate is unknown
    assert json.loads(row["request"]) == {"prompt": "a cat"}


def test_wait_timeout_exits_5(journal_path: Path) -> None:
    with MockServer(MockConfig(time_scale=0.001, generation_seconds=1e9)) as srv:
        veo3 = Veo3(srv.url, journal_path)
        task_id = veo3.json("generate", "slow")["task_id"]
        doc = veo3.json("wait", task_id, "--timeout", "0.05", *POLL, code=5)
    assert doc["error"]["type"] == "WaitTimeoutError"
    assert journal_rows(journal_path)[0]["state"] == "running"


# -- status / wait / tasks ---------------------------------------------------------------------


def test_status_and_wait(veo3: Veo3, journal_path: Path) -> None:
    task_id = veo3.json("generate", "a cat")["task_id"]
    status = veo3.json("status", task_id)
    assert status["task_id"] == task_id
    assert status["status"] in ("GENERATING", "SUCCESS")
    waited = veo3.json("wait", task_id, *POLL)
    assert (waited["status"], waited["success"], waited["finished"]) == ("SUCCESS", True, True)
    assert journal_rows(journal_path)[0]["state"] == "success"


def test_human_output_goes_to_stdout_and_notes_to_stderr(veo3: Veo3) -> None:
    result = veo3("generate", "a cat")
    task_id = next(line.split(": ", 1)[1] for line in result.stdout.splitlines() if line.startswith("task_id"))
    assert task_id in result.stderr  # "task … created (journal: …)"
    assert veo3("status", task_id).stdout.startswith("task_id: " + task_id)


def test_tasks_lists_the_journal(veo3: Veo3, journal_path: Path) -> None:
    first = finished_task(veo3)
    second = veo3.json("generate", "another")["task_id"]
    doc = veo3.json("tasks")
    assert doc["journal"] == str(journal_path)
    assert [t["task_id"] for t in doc["tasks"]] == [second, first]
    assert [t["task_id"] for t in veo3.json("tasks", "--unfinished")["tasks"]] == [second]
    assert first in veo3("tasks").stdout


def test_resume_skips_tasks_of_other_servers_and_reports_lost_replies(mock: MockServer, journal_path: Path) -> None:
    with MockServer(MockConfig(time_scale=0.001, generation_seconds=86_400)) as other:
        Veo3(other.url, journal_path).json("generate", "elsewhere")
    from veo3.cli._journal import Journal

    with Journal(journal_path) as j:
        j.outcome_unknown(j.begin("generate", {"prompt": "lost"}, base_url=mock.url), "reply lost")
    result = Veo3(mock.url, journal_path)("wait", "--resume", "--json")
    assert [r for r in mock.state.requests if r.operation] == []
    doc = json.loads(result.stdout)
    assert doc["tasks"] == []
    assert [u["request"] for u in doc["unknown_outcome"]] == [{"prompt": "lost"}]
    assert "task id is unknown" in result.stderr


def test_resume_waits_for_every_unfinished_task_of_this_server(veo3: Veo3, journal_path: Path) -> None:
    first = veo3.json("generate", "one")["task_id"]
    second = veo3.json("generate", "two")["task_id"]
    doc = veo3.json("wait", "--resume", *POLL)
    assert [(t["task_id"], t["status"]) for t in doc["tasks"]] == [(first, "SUCCESS"), (second, "SUCCESS")]
    assert [r["state"] for r in journal_rows(journal_path)] == ["success", "success"]
    assert veo3.json("wait", "--resume")["tasks"] == []


def test_resume_reports_a_failed_task_with_exit_4(veo3: Veo3) -> None:
    ok = veo3.json("generate", "fine")["task_id"]
    bad = veo3.json("generate", "[fail:501] broken")["task_id"]
    doc = veo3.json("wait", "--resume", *POLL, code=4)
    outcome = {t["task_id"]: t.get("status") or t["exit_code"] for t in doc["tasks"]}
    assert outcome == {ok: "SUCCESS", bad: 4}


# -- download / hd / 4k ------------------------------------------------------------------------


def test_download_a_task_writes_a_playable_mp4(veo3: Veo3, tmp_path: Path, journal_path: Path) -> None:
    task_id = finished_task(veo3)
    doc = veo3.json("download", task_id, str(tmp_path / "videos") + "/")
    path = Path(doc["path"])
    assert path == tmp_path / "videos" / f"{task_id}.mp4"
    assert doc["bytes"] == path.stat().st_size > 0
    assert decodes(path)
    assert json.loads(journal_rows(journal_path)[0]["paths"]) == [str(path.resolve())]


def test_generate_wait_output_downloads_the_video(veo3: Veo3, tmp_path: Path) -> None:
    result = veo3("generate", "a cat", "--wait", *POLL, "--output", str(tmp_path) + "/", "--json")
    doc = json.loads(result.stdout)  # progress and notes went to stderr
    assert doc["task"]["status"] == "SUCCESS"
    assert doc["path"] == str(tmp_path / f"{doc['task_id']}.mp4")
    assert decodes(Path(doc["path"]))
    assert "created" in result.stderr


def test_download_a_url(veo3: Veo3, tmp_path: Path) -> None:
    url = veo3.json("status", finished_task(veo3))["video_url"]
    doc = veo3.json("download", url, str(tmp_path / "x.mp4"))
    assert doc["path"] == str(tmp_path / "x.mp4")
    assert decodes(tmp_path / "x.mp4")


def test_download_of_an_unfinished_task_is_refused(journal_path: Path, tmp_path: Path) -> None:
    with MockServer(MockConfig(time_scale=0.001, generation_seconds=1e9)) as srv:
        veo3 = Veo3(srv.url, journal_path)
        task_id = veo3.json("generate", "slow")["task_id"]
        veo3.json("download", task_id, str(tmp_path), code=2)
    assert list(tmp_path.glob("*.mp4")) == []


def test_hd_gets_and_downloads_the_1080p_video(veo3: Veo3, mock: MockServer, tmp_path: Path) -> None:
    task_id = finished_task(veo3)
    doc = veo3.json("hd", task_id, "--output", str(tmp_path) + "/")
    assert doc["ready"] is True
    assert doc["urls"][0].endswith("1080p.mp4")
    assert mock.state.tasks[task_id].went_through_1080p
    assert decodes(Path(doc["path"]))


def test_4k_starts_then_delivers(veo3: Veo3, mock: MockServer, journal_path: Path) -> None:
    task_id = finished_task(veo3)
    started = veo3.json("4k", task_id, "--no-wait")
    assert started == {"task_id": task_id, "ready": False, "urls": []}
    assert task_id in {t.parent_id for t in mock.state.tasks.values() if t.kind == "4k"}
    done = veo3.json("4k", task_id, "--no-wait")
    assert done["ready"] is True
    assert done["urls"][0].endswith(".mp4")
    kinds = [(r["kind"], r["state"]) for r in journal_rows(journal_path)]
    assert kinds == [("generate", "success"), ("4k", "requested"), ("4k", "success")]


# -- account, tools ----------------------------------------------------------------------------


def test_credits(veo3: Veo3, mock: MockServer) -> None:
    before = veo3.json("credits")["credits"]
    assert before == mock.state.credits
    veo3.json("generate", "a cat", "--model", "veo3_lite")
    assert veo3.json("credits")["credits"] == before - FAST.costs["veo3_lite"]


# -- the key -----------------------------------------------------------------------------------


def test_the_key_never_appears_in_any_output(journal_path: Path, tmp_path: Path) -> None:
    wrong = Veo3("", journal_path)  # base URL from the server below
    with MockServer(MockConfig(time_scale=0.001, hd_seconds=0.0, api_keys={"other-key"})) as refusing:
        wrong.env["VEO3_BASE_URL"] = refusing.url
        wrong.json("generate", "a cat", code=3)  # 401
        wrong("credits", code=3)
        wrong("credits", "--api-key", KEY + "-flag", code=3)
    with MockServer(FAST) as srv:
        veo3 = Veo3(srv.url, journal_path)
        task_id = finished_task(veo3)
        veo3("status", task_id)
        veo3("generate", "a cat", "--seeds", "1", code=2)
        veo3.json("status", "veo_task_missing", code=3)
        veo3("hd", task_id, "--output", str(tmp_path))
        veo3("tasks")
        veo3.json("tasks")
    outputs = wrong.outputs + veo3.outputs
    assert all(out is not None for out in outputs)
    assert not any(KEY in out for out in outputs)
    assert KEY.encode() not in journal_path.read_bytes()


def test_help_quotes_the_spec(veo3: Veo3) -> None:
    from veo3._spec import _document as _spec

    text = " ".join(veo3("generate", "--help").stdout.split())
    seeds = _spec.resolve("#/components/schemas/Seeds")
    assert f"From {seeds['minimum']} to {seeds['maximum']}" in text
    for value in _spec.resolve("#/components/schemas/GenerateModel")["enum"]:
        assert value in text
    extend_text = " ".join(veo3("extend", "--help").stdout.split())
    for value in _spec.resolve("#/components/schemas/ExtendModel")["enum"]:
        assert value in extend_text


@pytest.mark.parametrize("args", [("generate", "a cat"), ("hd", "veo_task_x"), ("4k", "veo_task_x"), ("credits",)])
def test_a_missing_key_exits_2_before_anything_is_sent_or_journaled(
    mock: MockServer, journal_path: Path, args: tuple[str, ...]
) -> None:
    veo3 = Veo3(mock.url, journal_path, key="")
    doc = veo3.json(*args, code=2)
    assert doc["error"]["type"] == "ConfigurationError"
    assert list(mock.state.requests) == []
    assert not journal_path.exists() or journal_rows(journal_path) == []


class FakeSuite:
    """Stands in for ``veo3.conformance.runner`` (schemathesis itself is tested in test_conformance*)."""

    def __init__(self, code: int) -> None:
        self.code = code
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.reports: list[dict[str, Any]] = []

    def check_server(self, base_url: str, **kwargs: Any) -> object:
        # While the run is on, the target must answer (the embedded simulator, when one was started).
        for name, key in (("credits_code", kwargs["api_key"]), ("wrong_key_code", "not-the-key")):
            answer = httpx.get(base_url + "/api/v1/chat/credit", headers={"Authorization": f"Bearer {key}"})
            kwargs[name] = answer.json()["code"]
        self.calls.append((base_url, kwargs))
        return object()

    def write_reports(self, base_url: str, outcome: object, **kwargs: Any) -> None:
        self.reports.append(kwargs)

    def exit_code(self, outcome: object) -> int:
        return self.code

    def document(self, base_url: str, outcome: object) -> dict[str, Any]:
        return {"base_url": base_url}


@pytest.fixture
def suite(monkeypatch: pytest.MonkeyPatch) -> FakeSuite:
    import types

    import veo3

    fake = FakeSuite(code=1)
    runner = types.ModuleType("veo3.conformance._runner")
    for name in ("check_server", "write_reports", "exit_code", "document"):
        setattr(runner, name, getattr(fake, name))
    module = types.ModuleType("veo3.conformance")
    module.runner = runner  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "veo3.conformance", module)
    monkeypatch.setitem(sys.modules, "veo3.conformance._runner", runner)
    monkeypatch.setattr(veo3, "conformance", module, raising=False)
    return fake


def test_conformance_passes_its_options_and_exit_code(veo3: Veo3, mock: MockServer, suite: FakeSuite) -> None:
    veo3("conformance", "--base-url", mock.url, "--max-examples", "3", "--report", "r.md", "--allow-paid", code=1)
    ((base_url, kwargs),) = suite.calls
    assert base_url == mock.url
    assert kwargs == {
        "api_key": KEY, "max_examples": 3, "allow_paid": True,
        "phases": ("examples", "coverage", "fuzzing", "stateful"),
        "credits_code": 200, "wrong_key_code": 200,  # this simulator accepts any key
    }  # fmt: skip
    assert suite.reports == [{"api_key_given": True, "report": Path("r.md"), "junit": None}]


def test_conformance_without_a_url_tests_an_embedded_simulator(suite: FakeSuite) -> None:
    result = CliRunner().invoke(app, ["conformance"], env={"VEO3_BASE_URL": None, "KIE_API_KEY": KEY})
    assert result.exit_code == 1
    ((base_url, kwargs),) = suite.calls
    assert base_url.startswith("http://127.0.0.1:")
    assert (kwargs["credits_code"], kwargs["wrong_key_code"]) == (200, 401)  # up, and only the key is accepted
    assert "embedded simulator" in result.stderr


def test_the_journal_keeps_no_callback_secrets(veo3: Veo3, mock: MockServer, journal_path: Path) -> None:
    url = "http://hook:pa55word@127.0.0.1:9/cb?token=tok-123&x=1"
    task_id = veo3.json("generate", "a cat", "--callback-url", url)["task_id"]
    assert mock.state.tasks[task_id].callback_url == url  # the API got the real URL
    request = json.loads(journal_rows(journal_path)[0]["request"])
    assert request["call_back_url"] == "http://hook:***@127.0.0.1:9/cb?token=***&x=***"
    assert b"pa55word" not in journal_path.read_bytes()
    assert b"tok-123" not in journal_path.read_bytes()


def _spec_schema(name: str) -> dict[str, Any]:
    from veo3._spec import _document as _spec

    return dict(_spec.resolve(f"#/components/schemas/{name}"))


SEEDS = _spec_schema("Seeds")
ASPECT_RATIOS = _spec_schema("AspectRatio")["enum"]


@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    option=st.one_of(
        st.tuples(
            st.just("--seeds"),
            st.one_of(st.integers(max_value=SEEDS["minimum"] - 1), st.integers(min_value=SEEDS["maximum"] + 1)),
        ),
        st.tuples(
            st.just("--aspect-ratio"),
            st.text(alphabet="0123456789:AutoXx", min_size=1, max_size=6).filter(lambda v: v not in ASPECT_RATIOS),
        ),
    )
)
def test_for_every_out_of_spec_value_generate_exits_2_and_sends_nothing(
    server: MockServer, tmp_path: Path, option: tuple[str, Any]
) -> None:
    server.reset()
    name, value = option
    journal = tmp_path / "journal.sqlite3"
    Veo3(server.url, journal)("generate", "a cat", name, str(value), code=2)
    assert list(server.state.requests) == []
    assert not journal.exists() or journal_rows(journal) == []


def test_human_output_prints_brackets_literally(veo3: Veo3, tmp_path: Path) -> None:
    folder = tmp_path / "clips[bold]"
    result = veo3("generate", "a cat", "--wait", *POLL, "--output", str(folder) + "/")
    assert f"path: {folder}/" in result.stdout  # not swallowed as Rich markup
