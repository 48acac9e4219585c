"""The task journal as a ``veo3.batch.BatchStore``: what makes ``veo3 batch`` resumable after ``kill -9``.

Batch create steps are ordinary journal rows (``veo3 tasks`` lists them, ``veo3 wait --resume`` finishes
them) with three more columns: ``batch_id``, ``job_key`` and ``step``, written in the same INSERT as the
row itself, before the request goes out. ``batch_jobs`` keeps the manifest line of every job that ended
for good; ``task_durations`` how long recent tasks of each model took (the learned polling schedule).
Older journals gain the columns and tables on first use (``ALTER TABLE ... ADD COLUMN``: existing rows
keep their data, with the new columns NULL).
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from veo3.batch._store import DURATION_HISTORY, StepRecord
from veo3.cli._journal import FAILED, OUTCOME_UNKNOWN, RUNNING, SUBMITTING, SUCCESS, Journal
from veo3.cli._tasks import journal_safe
from veo3.webhooks._refs import ref_in

__all__ = ["JournalBatchStore", "ensure_batch_schema"]

# callback_ref: the digest of the create's callback reference (veo3.webhooks._refs), never the token.
_COLUMNS = {"batch_id": "TEXT", "job_key": "TEXT", "step": "INTEGER", "callback_ref": "TEXT"}
_TABLES = """
CREATE INDEX IF NOT EXISTS tasks_batch ON tasks (batch_id, job_key);
CREATE TABLE IF NOT EXISTS batch_jobs (
    batch_id TEXT NOT NULL,
    job_key TEXT NOT NULL,
    line TEXT NOT NULL,
    ended_at REAL NOT NULL,
    PRIMARY KEY (batch_id, job_key)
);
CREATE TABLE IF NOT EXISTS task_durations (
    model TEXT NOT NULL,
    seconds REAL NOT NULL,
    recorded_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS task_durations_model ON task_durations (model);
"""


def ensure_batch_schema(db: sqlite3.Connection) -> None:
    """Add the batch columns and tables to a journal that lacks them (safe to repeat, or to race)."""
    present = {row[1] for row in db.execute("PRAGMA table_info(tasks)")}
    for name, kind in _COLUMNS.items():
        if name not in present:
            try:
                db.execute(f"ALTER TABLE tasks ADD COLUMN {name} {kind}")
            except sqlite3.OperationalError as exc:  # another process added it meanwhile
                if "duplicate column" not in str(exc):
                    raise
    db.executescript(_TABLES)


class JournalBatchStore:
    """One batch's records in the journal (``batch_id`` names the batch: same command, same id)."""

    def __init__(self, journal: Journal, batch_id: str, base_url: str, redact: Callable[[str], str] = str) -> None:
        self.journal = journal
        self.batch_id = batch_id
        self.base_url = base_url
        self.redact = redact
        self._db = journal._db
        ensure_batch_schema(self._db)

    def ended(self, job_key: str) -> Mapping[str, Any] | None:
        row = self._db.execute(
            "SELECT line FROM batch_jobs WHERE batch_id = ? AND job_key = ?", (self.batch_id, job_key)
        ).fetchone()
        return json.loads(row[0]) if row else None

    def ended_lines(self) -> Iterator[Mapping[str, Any]]:
        rows = self._db.execute(
            "SELECT line FROM batch_jobs WHERE batch_id = ? ORDER BY ended_at, rowid", (self.batch_id,)
        )
        for (line,) in rows:
            yield json.loads(line)

    def steps(self, job_key: str) -> Mapping[int, StepRecord]:
        rows = self._db.execute(
            "SELECT step, state, task_id, created_at, error, callback_ref FROM tasks"
            " WHERE batch_id = ? AND job_key = ? ORDER BY id",
            (self.batch_id, job_key),
        )
        return {row[0]: StepRecord(*row) for row in rows}  # latest row wins

    def begin_step(self, job_key: str, step: int, kind: str, request: Mapping[str, Any], parent: str | None) -> int:
        now = time.time()
        cur = self._db.execute(
            "INSERT INTO tasks (kind, parent_task_id, base_url, state, request, created_at, updated_at,"
            " batch_id, job_key, step, callback_ref) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                kind,
                parent,
                self.base_url,
                SUBMITTING,
                json.dumps(journal_safe(request), default=str, sort_keys=True),
                now,
                now,
                self.batch_id,
                job_key,
                step,
                ref_in(request),
            ),
        )
        assert cur.lastrowid is not None
        return cur.lastrowid

    def step_created(self, handle: int, task_id: str) -> None:
        self.journal.submitted(handle, task_id)

    def step_resolved(self, job_key: str, step: int, task_id: str) -> None:
        row = self._db.execute(
            "SELECT id FROM tasks WHERE batch_id = ? AND job_key = ? AND step = ? ORDER BY id DESC LIMIT 1",
            (self.batch_id, job_key, step),
        ).fetchone()
        if row is not None:
            self.journal.submitted(row[0], task_id)
            self._db.execute("UPDATE tasks SET error = NULL WHERE id = ?", (row[0],))  # no longer unknown

    def step_failed(self, handle: int, state: str, message: str) -> None:
        if state == OUTCOME_UNKNOWN:
            self.journal.outcome_unknown(handle, self.redact(message))
        else:
            self.journal.rejected(handle, self.redact(message))

    def task_status(self, task_id: str, *, state: str, status: str, urls: list[str], error: str | None) -> None:
        self.journal.record_status(
            task_id,
            status=status,
            finished=state != RUNNING,
            success=state == SUCCESS,
            result_urls=urls,
            error=error if state == FAILED else None,
        )

    def add_file(self, task_id: str, path: str) -> None:
        self.journal.add_path(task_id, path)

    def job_ended(self, job_key: str, line: Mapping[str, Any]) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO batch_jobs (batch_id, job_key, line, ended_at) VALUES (?, ?, ?, ?)",
            (self.batch_id, job_key, self.redact(json.dumps(line, default=str)), time.time()),
        )

    def durations(self, model: str) -> list[float]:
        rows = self._db.execute(
            "SELECT seconds FROM task_durations WHERE model = ? ORDER BY rowid DESC LIMIT ?", (model, DURATION_HISTORY)
        )
        return [row[0] for row in rows][::-1]

    def add_duration(self, model: str, seconds: float) -> None:
        self._db.execute(
            "INSERT INTO task_durations (model, seconds, recorded_at) VALUES (?, ?, ?)", (model, seconds, time.time())
        )
        # Keep the table small: only the recent history is ever read.
        self._db.execute(
            "DELETE FROM task_durations WHERE model = ? AND rowid NOT IN "
            "(SELECT rowid FROM task_durations WHERE model = ? ORDER BY rowid DESC LIMIT ?)",
            (model, model, DURATION_HISTORY),
        )
