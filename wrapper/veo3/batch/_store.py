"""Where a batch remembers what it paid for, so a re-run never pays twice.

``BatchStore`` is what the runner needs; ``MemoryStore`` keeps it in memory (one process), the
command line's task journal keeps it on disk (``veo3.cli._journal``), which is what makes a re-run
after a crash, Ctrl-C or ``kill -9`` resume instead of resending. A create step is recorded *before*
its request goes out (``submitting``), then with its task id (``running``), or as ``outcome_unknown``
(sent, reply lost: never resent) or ``rejected`` (refused by the API: nothing made, safe to send again).
"""

from __future__ import annotations

import time
from collections import defaultdict, deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from veo3.webhooks._refs import ref_in

__all__ = ["BatchStore", "MemoryStore", "StepRecord"]

SUBMITTING = "submitting"
OUTCOME_UNKNOWN = "outcome_unknown"
REJECTED = "rejected"
RUNNING = "running"
#: How many recent task durations are kept per model (the polling schedule learns from them).
DURATION_HISTORY = 50


@dataclass(frozen=True)
class StepRecord:
    """One create step of a job (0: the generation, n: the n-th extension) as recorded."""

    step: int
    state: str
    task_id: str | None
    created_at: float
    error: str | None = None
    #: The digest of the reference in the create's callback URL (``veo3.webhooks._refs``), if it had one:
    #: the callback that names the task, when the reply was lost.
    ref: str | None = None


class BatchStore(Protocol):
    """The records a batch run reads and writes; every write must be durable when it returns."""

    def ended(self, job_key: str) -> Mapping[str, Any] | None:
        """The manifest line of a job that ended for good, else ``None``."""

    def ended_lines(self) -> Iterator[Mapping[str, Any]]:
        """The manifest lines of every job that ended for good, in the order they ended."""

    def steps(self, job_key: str) -> Mapping[int, StepRecord]:
        """The job's recorded create steps (the latest record of each step)."""

    def begin_step(self, job_key: str, step: int, kind: str, request: Mapping[str, Any], parent: str | None) -> int:
        """Record a create about to be sent; returns a handle for the calls below."""

    def step_created(self, handle: int, task_id: str) -> None:
        """The create's reply arrived: the task exists."""

    def step_failed(self, handle: int, state: str, message: str) -> None:
        """The create ended without a task id: ``outcome_unknown`` or ``rejected``."""

    def step_resolved(self, job_key: str, step: int, task_id: str) -> None:
        """A create whose reply was lost is named by its callback: the task exists (``running``)."""

    def task_status(self, task_id: str, *, state: str, status: str, urls: list[str], error: str | None) -> None:
        """A task's latest known state (``running``, ``success``, ``failed``)."""

    def add_file(self, task_id: str, path: str) -> None:
        """A file written for a task."""

    def job_ended(self, job_key: str, line: Mapping[str, Any]) -> None:
        """The job ended for good (success, failed, outcome unknown): a re-run skips it."""

    def durations(self, model: str) -> list[float]:
        """Recent generation times (seconds) of tasks of ``model``, oldest first."""

    def add_duration(self, model: str, seconds: float) -> None:
        """Remember how long a task of ``model`` took."""


class MemoryStore:
    """A ``BatchStore`` in memory: resumes within one process (pass the same store to a second run)."""

    def __init__(self) -> None:
        self._ended: dict[str, Mapping[str, Any]] = {}
        self._steps: dict[str, dict[int, StepRecord]] = defaultdict(dict)
        self._handles: list[tuple[str, int]] = []
        self._durations: dict[str, deque[float]] = defaultdict(lambda: deque(maxlen=DURATION_HISTORY))

    def ended(self, job_key: str) -> Mapping[str, Any] | None:
        return self._ended.get(job_key)

    def ended_lines(self) -> Iterator[Mapping[str, Any]]:
        return iter(list(self._ended.values()))

    def steps(self, job_key: str) -> Mapping[int, StepRecord]:
        return dict(self._steps.get(job_key, {}))

    def begin_step(self, job_key: str, step: int, kind: str, request: Mapping[str, Any], parent: str | None) -> int:
        self._steps[job_key][step] = StepRecord(step, SUBMITTING, None, time.time(), ref=ref_in(request))
        self._handles.append((job_key, step))
        return len(self._handles) - 1

    def _replace(self, handle: int, **changes: Any) -> None:
        job_key, step = self._handles[handle]
        old = self._steps[job_key][step]
        self._steps[job_key][step] = StepRecord(
            step,
            changes.get("state", old.state),
            changes.get("task_id", old.task_id),
            old.created_at,
            changes.get("error", old.error),
            old.ref,
        )

    def step_created(self, handle: int, task_id: str) -> None:
        self._replace(handle, state=RUNNING, task_id=task_id)

    def step_failed(self, handle: int, state: str, message: str) -> None:
        self._replace(handle, state=state, error=message)

    def step_resolved(self, job_key: str, step: int, task_id: str) -> None:
        old = self._steps[job_key][step]
        self._steps[job_key][step] = StepRecord(step, RUNNING, task_id, old.created_at, None, old.ref)

    def task_status(self, task_id: str, *, state: str, status: str, urls: list[str], error: str | None) -> None:
        for records in self._steps.values():
            for step, record in records.items():
                if record.task_id == task_id:
                    records[step] = StepRecord(step, state, task_id, record.created_at, error, record.ref)

    def add_file(self, task_id: str, path: str) -> None:
        """Files are in the manifest lines; nothing more to keep in memory."""

    def job_ended(self, job_key: str, line: Mapping[str, Any]) -> None:
        self._ended[job_key] = line
        self._steps.pop(job_key, None)  # the manifest line says it all: keep memory flat

    def durations(self, model: str) -> list[float]:
        return list(self._durations.get(model, ()))

    def add_duration(self, model: str, seconds: float) -> None:
        self._durations[model].append(seconds)
