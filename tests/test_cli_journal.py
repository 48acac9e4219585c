"""The task journal: rows survive every step of a create request, and only real tasks are resumable."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from veo3.cli import _journal
from veo3.cli._journal import Journal, default_path

BASE = "http://127.0.0.1:1"


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    j = Journal(tmp_path / "sub" / "journal.sqlite3")
    yield j
    j.close()


def test_a_row_exists_before_the_task_id_is_known(journal: Journal) -> None:
    row = journal.begin("generate", {"prompt": "a cat"}, base_url=BASE)
    entry = journal.get(row)
    assert entry is not None
    assert entry.state == _journal.SUBMITTING
    assert entry.task_id is None
    assert entry.request == {"prompt": "a cat"}
    assert not entry.is_unfinished  # without an id there is nothing to wait for


def test_the_row_is_durable_without_close(tmp_path: Path) -> None:
    """Every write is committed at once: another connection sees it while the writer is still open."""
    path = tmp_path / "j.sqlite3"
    writer = Journal(path)
    row = writer.begin("generate", {"prompt": "p"}, base_url=BASE)
    writer.submitted(row, "veo_1")
    with sqlite3.connect(path) as other:
        assert other.execute("SELECT task_id, state FROM tasks").fetchall() == [("veo_1", _journal.RUNNING)]
    writer.close()


def test_submitted_then_finished(journal: Journal) -> None:
    row = journal.begin("extend", {"task_id": "a", "prompt": "p"}, base_url=BASE, parent_task_id="a")
    journal.submitted(row, "veo_2")
    assert [e.task_id for e in journal.entries(unfinished_only=True)] == ["veo_2"]
    journal.record_status("veo_2", status="SUCCESS", finished=True, success=True, result_urls=["http://x/v.mp4"])
    (entry,) = journal.find("veo_2")
    assert entry.state == _journal.SUCCESS
    assert entry.parent_task_id == "a"
    assert entry.result_urls == ["http://x/v.mp4"]
    assert journal.entries(unfinished_only=True) == []


def test_failed_task_records_the_error(journal: Journal) -> None:
    row = journal.begin("generate", {"prompt": "p"}, base_url=BASE)
    journal.submitted(row, "veo_3")
    journal.record_status("veo_3", status="GENERATION_FAILED", finished=True, success=False, error="boom")
    (entry,) = journal.find("veo_3")
    assert (entry.state, entry.status, entry.error) == (_journal.FAILED, "GENERATION_FAILED", "boom")


def test_a_running_status_keeps_earlier_urls(journal: Journal) -> None:
    row = journal.begin("generate", {"prompt": "p"}, base_url=BASE)
    journal.submitted(row, "veo_4")
    journal.record_status("veo_4", status="SUCCESS", finished=True, success=True, result_urls=["u"])
    journal.record_status("veo_4", status="SUCCESS", finished=True, success=True)
    assert journal.find("veo_4")[0].result_urls == ["u"]


def test_lost_reply_and_rejection_are_kept_apart(journal: Journal) -> None:
    lost = journal.begin("generate", {"prompt": "p"}, base_url=BASE)
    journal.outcome_unknown(lost, "connection dropped")
    refused = journal.begin("generate", {"prompt": "q"}, base_url=BASE)
    journal.rejected(refused, "[402] no credits")
    states = {e.id: (e.state, e.error) for e in journal.entries()}
    assert states[lost] == (_journal.OUTCOME_UNKNOWN, "connection dropped")
    assert states[refused] == (_journal.REJECTED, "[402] no credits")


def test_discard_only_removes_unsent_rows(journal: Journal) -> None:
    unsent = journal.begin("generate", {"prompt": "p"}, base_url=BASE)
    journal.discard(unsent)
    assert journal.get(unsent) is None
    sent = journal.begin("generate", {"prompt": "p"}, base_url=BASE)
    journal.submitted(sent, "veo_5")
    journal.discard(sent)  # a task that exists is never forgotten
    assert journal.get(sent) is not None


def test_paths_are_added_once(journal: Journal, tmp_path: Path) -> None:
    row = journal.begin("generate", {"prompt": "p"}, base_url=BASE)
    journal.submitted(row, "veo_6")
    journal.add_path("veo_6", tmp_path / "a.mp4")
    journal.add_path("veo_6", tmp_path / "a.mp4")
    journal.add_path("veo_6", tmp_path / "b.mp4")
    assert journal.find("veo_6")[0].paths == [str(tmp_path / "a.mp4"), str(tmp_path / "b.mp4")]


def test_entries_newest_first_with_limit(journal: Journal) -> None:
    ids = [journal.begin("generate", {"prompt": str(n)}, base_url=BASE) for n in range(3)]
    assert [e.id for e in journal.entries()] == ids[::-1]
    assert [e.id for e in journal.entries(limit=2)] == ids[:0:-1]


def test_default_path_honours_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("VEO3_JOURNAL", str(tmp_path / "x.db"))
    assert default_path() == tmp_path / "x.db"
    monkeypatch.delenv("VEO3_JOURNAL")
    assert default_path().name == _journal.FILE_NAME
    assert "veo3" in str(default_path())
