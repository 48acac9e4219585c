"""``veo3.batch`` (library) and ``veo3 batch`` (in-process): job files, validation, prices, resume, credits."""

from __future__ import annotations

import asyncio
import json
import random
import sqlite3
import statistics
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner
from veo3 import AsyncVeo3Client, Veo3Client
from veo3._spec import _document as _spec
from veo3._spec._prices import default_prices, load_prices
from veo3.batch import (
    FAILED,
    NOT_STARTED,
    OUTCOME_UNKNOWN,
    SUCCESS,
    Job,
    LearnedSchedule,
    LineError,
    MemoryStore,
    job_cost,
    plan,
    read_jobs,
)
from veo3.cli._app import app
from veo3.cli._batch_store import JournalBatchStore
from veo3.cli._journal import Journal
from veo3.errors import ConfigurationError
from veo3.mock import Fault, MockConfig, MockServer

KEY = "sk-test-batch-0123456789"
GENERATE = "generate-veo3-1-video"
FAST = MockConfig(time_scale=0.001, hd_seconds=0.0, seed=3)


@pytest.fixture(scope="module")
def server() -> Any:
    with MockServer(FAST) as srv:
        yield srv


@pytest.fixture
def mock(server: MockServer) -> MockServer:
    server.reset()
    return server


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def core() -> Any:
    return Veo3Client(KEY, base_url="http://127.0.0.1:9")._core


def creates(srv: MockServer) -> int:
    return sum(r.operation == GENERATE for r in srv.state.requests)


# -- reading and checking files ------------------------------------------------------------------------


def test_csv_cells_take_the_spec_type_of_their_field(tmp_path: Path) -> None:
    # seeds is an integer in the spec, image_urls an array, watermark a string: "12345" stays text there.
    path = write(
        tmp_path,
        "jobs.csv",
        "id,prompt,seeds,image_urls,watermark,enable_translation,extend,hd\n"
        'a,a cat,12345,https://example.com/a.png,12345,false,"[""x"", ""y""]",yes\n'
        "b,a dog,,,,,,\n",
    )
    a, b = read_jobs(path)
    assert isinstance(a, Job) and isinstance(b, Job)
    assert dict(a.options) == {
        "seeds": 12345,
        "image_urls": ["https://example.com/a.png"],
        "watermark": "12345",
        "enable_translation": False,
    }
    assert [s.prompt for s in a.extend] == ["x", "y"] and a.hd and not a.uhd
    assert (b.id, dict(b.options), b.extend) == ("b", {}, ())
    assert plan([a, b], core(), default_prices()).valid


def test_every_bad_line_is_listed_with_its_number(tmp_path: Path) -> None:
    lines = [
        '{"prompt": "fine", "id": "x"}',
        "{not json",
        '{"prompt": "a", "seeds": 1}',
        '{"prompt": "b", "no_such_option": 1}',
        '{"prompt": "c", "id": "x"}',
        '{"prompt": "d", "output": "../escape.mp4"}',
        '{"prompt": "e", "extend": ["ok", {"prompt": "f", "seeds": 5}]}',
        '{"prompt": "g", "hd": "maybe"}',
        "[1, 2]",
        '{"model": "veo3"}',
    ]
    checked = plan(read_jobs(write(tmp_path, "jobs.jsonl", "\n".join(lines))), core(), default_prices())
    assert checked.jobs == 1
    assert [(e.line, e.field) for e in checked.errors] == [
        (2, "line"),
        (3, "seeds"),
        (4, "no_such_option"),
        (5, "id"),
        (6, "output"),
        (7, "seeds"),
        (8, "hd"),
        (9, "line"),
        (10, "prompt"),
    ]
    assert all(str(e).startswith(f"line {e.line}: ") for e in checked.errors)


def test_plan_prices_every_paid_request_from_the_table(tmp_path: Path) -> None:
    table = {
        "operations": {
            GENERATE: {"by": "model", "prices": {"veo3": 100, "veo3_lite": 10}},
            "extend-veo3-1-video": {"price": 7},
            "get-veo3-1-4k-video": {"price": 1000},
        }
    }
    prices = load_prices(write(tmp_path, "prices.json", json.dumps(table)))
    jobs = (
        '{"prompt": "a", "model": "veo3", "extend": ["b", "c"]}\n'
        '{"prompt": "d", "model": "veo3_lite", "uhd": true, "hd": true}\n'
    )
    checked = plan(read_jobs(write(tmp_path, "jobs.jsonl", jobs)), core(), prices)
    assert dict(checked.requests) == {
        GENERATE: 2,
        "extend-veo3-1-video": 2,
        "get-veo3-1-1080p-video": 1,
        "get-veo3-1-4k-video": 1,
    }
    assert checked.credits == 100 + 7 + 7 + 10 + 0 + 1000  # 1080p is not in this table: free


def test_an_omitted_model_is_priced_at_the_spec_default() -> None:
    default_model = _spec.resolve("#/components/schemas/GenerateModel")["default"]
    prices = default_prices()
    assert prices.cost(GENERATE, {"prompt": "x"}) == prices.cost(GENERATE, {"prompt": "x", "model": default_model})


@pytest.mark.parametrize(
    "table",
    [{"operations": {"no-such-operation": {"price": 1}}}, {"operations": {GENERATE: {"price": -1}}}, {"x": 1}],
)
def test_a_broken_price_table_is_refused(tmp_path: Path, table: Any) -> None:
    with pytest.raises(ConfigurationError):
        load_prices(write(tmp_path, "prices.json", json.dumps(table)))


def test_the_packaged_table_names_its_sources_and_date() -> None:
    prices = default_prices()
    assert prices.measured and prices.sources
    assert all(_spec.operation(op) for op in prices.operations)


def test_the_simulator_charges_from_the_price_table(mock: MockServer) -> None:
    with Veo3Client(KEY, base_url=mock.url) as client:
        before = client.credits()
        task = client.generate("a priced video", model="veo3_lite")
        client.wait(task.task_id, poll_interval=0.01)
        client.get_1080p(task.task_id, timeout=30)
        spent = before - client.credits()
    prices = default_prices()
    expected = prices.cost(GENERATE, {"model": "veo3_lite"}) + prices.cost("get-veo3-1-1080p-video")
    assert spent == expected > 0


# -- running ---------------------------------------------------------------------------------------


def test_a_create_whose_reply_was_lost_is_reported_and_never_resent(tmp_path: Path) -> None:
    config = MockConfig(time_scale=0.001, faults={GENERATE: [Fault("drop_after", on_calls={2})]})
    jobs = [{"id": f"j{n}", "prompt": f"video {n}"} for n in range(3)]
    store = MemoryStore()
    with MockServer(config) as srv, Veo3Client(KEY, base_url=srv.url, rate_limit=None) as client:
        first = {r.job.id: r for r in client.batch(jobs, store=store, concurrency=1, poll_interval=0.01)}
        assert creates(srv) == 3 and len(srv.state.tasks) == 3  # the dropped reply's task exists
        again = {r.job.id: r for r in client.batch(jobs, store=store, concurrency=1, poll_interval=0.01)}
        assert creates(srv) == 3  # nothing resent
    assert [first[j].status for j in ("j0", "j1", "j2")] == [SUCCESS, OUTCOME_UNKNOWN, SUCCESS]
    assert "not sent again" in (first["j1"].error or "")
    assert all(r.resumed for r in again.values())
    assert again["j1"].status == OUTCOME_UNKNOWN


def test_an_invalid_extension_fails_its_job_before_anything_is_paid(mock: MockServer) -> None:
    jobs = [{"prompt": "fine"}, {"prompt": "then", "extend": [{"prompt": "x", "seeds": 1}]}]
    with Veo3Client(KEY, base_url=mock.url, rate_limit=None) as client:
        results = sorted(client.batch(jobs, poll_interval=0.01), key=lambda r: r.job.line)
    assert [r.status for r in results] == [SUCCESS, FAILED]
    assert "nothing sent" in (results[1].error or "")
    assert creates(mock) == 1


def test_no_job_starts_that_the_balance_cannot_pay_for(tmp_path: Path) -> None:
    per_job = default_prices().cost(GENERATE, {})
    config = MockConfig(time_scale=0.001, credits=2.5 * per_job)
    jobs = [{"prompt": f"video {n}"} for n in range(4)]
    with MockServer(config) as srv, Veo3Client(KEY, base_url=srv.url, rate_limit=None) as client:
        results = list(client.batch(jobs, check_balance=True, concurrency=1, poll_interval=0.01))
        assert creates(srv) == 2
    assert [r.status for r in results] == [SUCCESS, SUCCESS, NOT_STARTED, NOT_STARTED]
    assert "balance" in (results[2].error or "")


def test_the_async_client_downloads_each_job_and_learns_durations(mock: MockServer, tmp_path: Path) -> None:
    store = MemoryStore()

    async def run() -> list[Any]:
        async with AsyncVeo3Client(KEY, base_url=mock.url, rate_limit=None) as client:
            jobs = [{"prompt": f"clip {n}", "output": f"clip-{n}.mp4"} for n in range(3)]
            return [r async for r in client.batch(jobs, out_dir=tmp_path, store=store, poll_interval=0.01)]

    results = asyncio.run(run())
    assert sorted(Path(f).name for r in results for f in r.files) == ["clip-0.mp4", "clip-1.mp4", "clip-2.mp4"]
    assert all((tmp_path / f"clip-{n}.mp4").stat().st_size > 0 for n in range(3))
    default_model = _spec.resolve("#/components/schemas/GenerateModel")["default"]
    assert len(store.durations(f"generate:{default_model}")) == 3


# -- the learned schedule ----------------------------------------------------------------------------


def test_a_learned_schedule_sleeps_until_the_fastest_tenth_then_polls_every_step() -> None:
    """Property: with history, no poll lands before the history's first decile; the next polls come every
    ``step`` (+-jitter) until past the slowest known task."""
    rng = random.Random(5)
    for _ in range(50):
        history = [rng.uniform(40, 200) for _ in range(rng.randint(5, 40))]
        elapsed = rng.uniform(0, 100)
        schedule = LearnedSchedule(step=5.0)
        intervals = schedule.intervals(history, elapsed, random.Random(1))
        early = statistics.quantiles(sorted(history), n=10, method="inclusive")[0]
        first = next(intervals)
        assert first == pytest.approx(max(early - elapsed, 0.0)) or (early <= elapsed and 4.5 <= first <= 5.5)
        at = max(early, elapsed) if first == pytest.approx(early - elapsed) else elapsed + first
        while at <= max(history):
            interval = next(intervals)
            assert 4.5 <= interval <= 5.5
            at += interval


def test_without_enough_history_the_default_schedule_is_used() -> None:
    from veo3._core._polling import TASK_SCHEDULE

    learned = LearnedSchedule().intervals([60.0, 70.0], 0.0, random.Random(1))
    default = TASK_SCHEDULE.intervals(random.Random(1))
    assert [next(learned) for _ in range(6)] == [next(default) for _ in range(6)]


# -- the command and the journal -----------------------------------------------------------------------


def invoke(srv: MockServer, tmp_path: Path, *args: str) -> Any:
    env = {"KIE_API_KEY": KEY, "VEO3_BASE_URL": srv.url, "VEO3_JOURNAL": str(tmp_path / "journal.sqlite3")}
    return CliRunner().invoke(app, ["batch", *args], env=env)


def test_dry_run_counts_and_prices_without_creating_anything(mock: MockServer, tmp_path: Path) -> None:
    jobs = write(tmp_path, "jobs.jsonl", '{"prompt": "a", "extend": ["b"]}\n{"prompt": "c", "uhd": true}\n')
    done = invoke(mock, tmp_path, str(jobs), "--dry-run", "--json")
    assert done.exit_code == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["paid_requests"] == {GENERATE: 2, "extend-veo3-1-video": 1, "get-veo3-1-4k-video": 1}
    assert document["estimated_credits"] == sum(job_cost(j, default_prices()) for j in read_jobs(jobs))  # type: ignore[arg-type]
    assert document["balance"] == mock.state.credits and document["enough"] is True
    assert [r.operation for r in mock.state.requests] == ["get-account-credits"]


def test_a_run_stops_new_work_when_credits_run_out_and_exits_3(tmp_path: Path) -> None:
    per_job = default_prices().cost(GENERATE, {})
    jobs = write(tmp_path, "jobs.jsonl", "".join(f'{{"prompt": "v{n}"}}\n' for n in range(3)))
    with MockServer(MockConfig(time_scale=0.001, credits=1.5 * per_job)) as srv:
        args = (str(jobs), "--out", str(tmp_path / "out"), "--concurrency", "1", "--poll-interval", "0.01")
        done = invoke(srv, tmp_path, *args)
        assert creates(srv) == 1
    assert done.exit_code == 3, done.stderr
    assert "stopped creating new work" in done.stderr
    statuses = [json.loads(x)["status"] for x in (tmp_path / "out" / "manifest.jsonl").read_text().splitlines()]
    assert sorted(statuses) == [NOT_STARTED, NOT_STARTED, SUCCESS]


def test_an_old_journal_gains_the_batch_columns_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    with Journal(path) as journal:  # the schema as it was before batches
        row = journal.begin("generate", {"prompt": "old"}, base_url="http://x")
        journal.submitted(row, "veo_task_old")
    with sqlite3.connect(path) as db:
        assert "batch_id" not in {r[1] for r in db.execute("PRAGMA table_info(tasks)")}
    with Journal(path) as journal:
        store = JournalBatchStore(journal, "b1", "http://x")
        store.job_ended("k", {"id": "1"})
        JournalBatchStore(journal, "b1", "http://x")  # migrating twice is harmless
        (old,) = journal.find("veo_task_old")
        assert old.request == {"prompt": "old"} and old.state == "running"
        assert list(store.ended_lines()) == [{"id": "1"}]


def test_line_errors_are_values_not_exceptions(tmp_path: Path) -> None:
    (item,) = read_jobs(write(tmp_path, "jobs.jsonl", '"just a string"\n'))
    assert isinstance(item, LineError) and item.line == 1


def test_with_a_callback_url_tasks_wake_on_their_callbacks(tmp_path: Path) -> None:
    from test_cli_process import free_port

    port = free_port()
    jobs = write(tmp_path, "jobs.jsonl", "".join(f'{{"prompt": "v{n}"}}\n' for n in range(3)))
    with MockServer(MockConfig(time_scale=0.001)) as srv:
        args = (str(jobs), "--out", str(tmp_path / "out"), "--callback-url", f"http://127.0.0.1:{port}/kie")
        done = invoke(srv, tmp_path, *args)
        delivered = [c for c in srv.state.callbacks if c.delivered]
        polls = sum(r.operation == "get-veo3-1-video-details" for r in srv.state.requests)
    assert done.exit_code == 0, done.stderr
    assert len(delivered) == 3
    assert polls == 3  # one confirming record-info per task, after its callback


def test_a_create_still_waiting_for_its_pacing_slot_is_not_recorded_as_sent(tmp_path: Path) -> None:
    """Stopping while a create waits for the rate limiter leaves no record: a re-run creates it (once)."""
    store = MemoryStore()
    jobs = [{"id": "first", "prompt": "one"}, {"id": "second", "prompt": "two"}]
    with MockServer(MockConfig(time_scale=0.001, rate_limit=None)) as srv:
        with Veo3Client(KEY, base_url=srv.url, rate_limit=(1, 3600.0)) as slow:  # one create per hour
            for result in slow.batch(jobs, store=store, concurrency=2, poll_interval=0.01):
                assert result.job.id == "first"
                break  # the second job is waiting for its slot: leaving cancels it
        assert creates(srv) == 1
        with Veo3Client(KEY, base_url=srv.url, rate_limit=None) as client:
            again = {r.job.id: r for r in client.batch(jobs, store=store, poll_interval=0.01)}
        assert creates(srv) == 2
    assert again["first"].resumed and again["second"].status == SUCCESS and not again["second"].resumed


def test_upgrades_count_against_the_balance_like_creates(tmp_path: Path) -> None:
    # Enough for one job with its 1080p and the next job's generation, not for that job's 1080p: a run that
    # forgot the first 1080p once the job ended would start the second job and fail it half-paid.
    prices = default_prices()
    per_job = prices.cost(GENERATE, {}) + prices.cost("get-veo3-1-1080p-video")
    config = MockConfig(time_scale=0.001, hd_seconds=0.0, credits=per_job + prices.cost(GENERATE, {}))
    jobs = [{"prompt": f"video {n}", "hd": True} for n in range(2)]
    with MockServer(config) as srv, Veo3Client(KEY, base_url=srv.url, rate_limit=None) as client:
        results = list(client.batch(jobs, check_balance=True, concurrency=1, poll_interval=0.01))
        assert creates(srv) == 1
    assert [r.status for r in results] == [SUCCESS, NOT_STARTED]
    assert results[0].credits == per_job
