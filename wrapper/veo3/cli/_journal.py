"""The task journal: a local SQLite file that never loses a task id someone paid for.

A row is written *before* a create request goes out (state ``submitting``), updated with the task id
the moment the reply arrives, then with the task's status and the files downloaded for it. A crash,
Ctrl-C or a lost terminal between any two of those steps leaves a row that says how far it got;
``veo3 wait --resume`` picks up every row that has a task id and is not finished.

Every write is its own committed transaction (autocommit), so a process killed with SIGKILL keeps
everything it wrote before. The file is readable by its owner only (``0o600``, whatever the umask); it holds
no key (see ``journal_safe`` in ``_tasks``).
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from veo3._utils._files import private_file

if TYPE_CHECKING:
    from veo3.types import TaskInfo

ENV_VAR = "VEO3_JOURNAL"
FILE_NAME = "journal.sqlite3"

# Row states. `submitting` and `outcome_unknown` rows have no task id: the create request went out
# (or was about to) and its reply never arrived, so the task may exist without us knowing its id.
SUBMITTING = "submitting"
OUTCOME_UNKNOWN = "outcome_unknown"
REJECTED = "rejected"  # the API answered the create request with an error: no task, nothing charged
RUNNING = "running"
SUCCESS = "success"
FAILED = "failed"
REQUESTED = "requested"  # a 1080p/4K request was accepted but its result was not awaited
UNFINISHED_STATES = (RUNNING,)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS tasks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id TEXT,
    kind TEXT NOT NULL,
    parent_task_id TEXT,
    base_url TEXT NOT NULL,
    state TEXT NOT NULL,
    status TEXT,
    request TEXT NOT NULL,
    result_urls TEXT NOT NULL DEFAULT '[]',
    paths TEXT NOT NULL DEFAULT '[]',
    error TEXT,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS tasks_task_id ON tasks (task_id);
CREATE INDEX IF NOT EXISTS tasks_state ON tasks (state);
"""


def default_path() -> Path:
    """Where the journal lives: ``$VEO3_JOURNAL``, else the user data directory (``platformdirs``)."""
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override).expanduser()
    import platformdirs  # only when the journal is actually used

    return Path(platformdirs.user_data_dir("veo3", appauthor=False)) / FILE_NAME


@dataclass(frozen=True)
class JournalEntry:
    """One row of the journal."""

    id: int
    task_id: str | None
    kind: str
    parent_task_id: str | None
    base_url: str
    state: str
    status: str | None
    request: dict[str, Any]
    result_urls: list[str] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    error: str | None = None
    created_at: float = 0.0
    updated_at: float = 0.0

    @property
    def is_unfinished(self) -> bool:
        """True when the task exists (its id is known) and has not reached a final state."""
        return self.task_id is not None and self.state in UNFINISHED_STATES

    def to_json(self) -> dict[str, Any]:
        """The row as a JSON-ready dict."""
        return asdict(self)


class Journal:
    """The journal file. Open one per command; every method commits before it returns."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path).expanduser() if path is not None else default_path()
        # Task ids, prompts and callback URLs are nobody else's business: 0o600 (its folder 0o700 if created
        # here) before SQLite opens it; SQLite gives its -journal/-wal side files the same mode.
        private_file(self.path)
        # isolation_level=None: autocommit, each statement is durable on its own.
        self._db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None, check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        """Close the file."""
        self._db.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- writes ---------------------------------------------------------------------------------

    def begin(
        self,
        kind: str,
        request: Mapping[str, Any],
        *,
        base_url: str,
        parent_task_id: str | None = None,
    ) -> int:
        """Record a create request that is about to be sent; returns the row id."""
        now = time.time()
        cur = self._db.execute(
            "INSERT INTO tasks (kind, parent_task_id, base_url, state, request, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (kind, parent_task_id, base_url, SUBMITTING, _dump(request), now, now),
        )
        assert cur.lastrowid is not None
        return cur.lastrowid

    def submitted(self, row_id: int, task_id: str) -> None:
        """The create reply arrived: the task exists and has this id."""
        self._update(row_id, task_id=task_id, state=RUNNING, status="GENERATING")

    def outcome_unknown(self, row_id: int, message: str) -> None:
        """The create request was sent but its reply was lost: the task may exist."""
        self._update(row_id, state=OUTCOME_UNKNOWN, error=message)

    def rejected(self, row_id: int, message: str) -> None:
        """The API refused the create request: no task was made."""
        self._update(row_id, state=REJECTED, error=message)

    def discard(self, row_id: int) -> None:
        """Forget a row whose request was refused before anything was sent."""
        self._db.execute("DELETE FROM tasks WHERE id = ? AND state = ?", (row_id, SUBMITTING))

    def finish(self, row_id: int, *, state: str, result_urls: Sequence[str] = (), error: str | None = None) -> None:
        """Close a row that has no task id of its own (a 1080p or 4K request for an existing task)."""
        self._update(row_id, state=state, status=state.upper(), result_urls=_dump(list(result_urls)), error=error)

    def record_status(
        self,
        task_id: str,
        *,
        status: str,
        finished: bool,
        success: bool,
        result_urls: Sequence[str] = (),
        error: str | None = None,
    ) -> None:
        """Store the latest known status of a task (every row with that task id)."""
        columns: dict[str, Any] = {"state": (SUCCESS if success else FAILED) if finished else RUNNING, "status": status}
        if result_urls:
            columns["result_urls"] = _dump(list(result_urls))
        if error is not None:
            columns["error"] = error
        for entry in self.find(task_id):
            self._update(entry.id, **columns)

    def record_info(self, info: TaskInfo) -> None:
        """Store what a status request said about a task (``record_status`` from a ``TaskInfo``)."""
        self.record_status(
            info.task_id,
            status=info.status_name,
            finished=info.is_finished,
            success=info.is_success,
            result_urls=info.full_result_urls or info.result_urls,
            error=info.error_message or None,
        )

    def add_path(self, task_id: str, path: Path | str) -> None:
        """Remember a file downloaded for a task."""
        for entry in self.find(task_id):
            paths = [*entry.paths, str(path)] if str(path) not in entry.paths else entry.paths
            self._update(entry.id, paths=_dump(paths))

    # -- reads ----------------------------------------------------------------------------------

    def find(self, task_id: str) -> list[JournalEntry]:
        """Rows for one task id (usually zero or one)."""
        rows = self._db.execute("SELECT * FROM tasks WHERE task_id = ? ORDER BY id", (task_id,))
        return [_entry(r) for r in rows]

    def get(self, row_id: int) -> JournalEntry | None:
        """One row by its id."""
        row = self._db.execute("SELECT * FROM tasks WHERE id = ?", (row_id,)).fetchone()
        return _entry(row) if row else None

    def entries(self, *, unfinished_only: bool = False, limit: int | None = None) -> list[JournalEntry]:
        """Rows, newest first."""
        sql = "SELECT * FROM tasks"
        params: list[Any] = []
        if unfinished_only:
            sql += f" WHERE task_id IS NOT NULL AND state IN ({','.join('?' * len(UNFINISHED_STATES))})"
            params.extend(UNFINISHED_STATES)
        sql += " ORDER BY id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [_entry(r) for r in self._db.execute(sql, params)]

    def _update(self, row_id: int, **columns: Any) -> None:
        columns["updated_at"] = time.time()
        assignments = ", ".join(f"{name} = ?" for name in columns)
        self._db.execute(f"UPDATE tasks SET {assignments} WHERE id = ?", (*columns.values(), row_id))


@contextmanager
def open_journal(path: Path | str | None = None) -> Iterator[Journal]:
    """Open the journal for the duration of a ``with`` block."""
    with closing(Journal(path)) as journal:
        yield journal


@contextmanager
def journaled_create(
    journal: Journal,
    kind: str,
    request: Mapping[str, Any],
    *,
    base_url: str,
    parent_task_id: str | None = None,
    redact: Callable[[str], str] = str,
) -> Iterator[Callable[[str], None]]:
    """Journal the create request the ``with`` block sends: the one mapping from its outcome to a row's state.

    The row is written before the block runs; the block calls the yielded function with the new task id.
    A refusal before any I/O removes the row, an API refusal marks it rejected, a lost reply or an interrupt
    marks it ``outcome_unknown`` (the task may exist). The CLI's ``_tasks.create`` and ``veo3 mcp`` both use it.
    ``request`` must already be journal-safe (``_tasks.journal_safe``).
    """
    from veo3 import errors

    row = journal.begin(kind, request, base_url=base_url, parent_task_id=parent_task_id)
    try:
        yield lambda task_id: journal.submitted(row, task_id)
    except (errors.RequestValidationError, errors.ConfigurationError):
        journal.discard(row)
        raise
    except errors.OutcomeUnknownError as exc:
        journal.outcome_unknown(row, redact(str(exc)))
        raise
    except errors.Veo3Error as exc:
        journal.rejected(row, redact(str(exc)))
        raise
    except BaseException as exc:
        journal.outcome_unknown(row, f"interrupted: {type(exc).__name__}")
        raise


def _dump(value: Any) -> str:
    return json.dumps(value, default=str, sort_keys=True)


def _entry(row: sqlite3.Row) -> JournalEntry:
    return JournalEntry(
        id=row["id"],
        task_id=row["task_id"],
        kind=row["kind"],
        parent_task_id=row["parent_task_id"],
        base_url=row["base_url"],
        state=row["state"],
        status=row["status"],
        request=json.loads(row["request"]),
        result_urls=json.loads(row["result_urls"]),
        paths=json.loads(row["paths"]),
        error=row["error"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )
