"""The fault matrix: what ``Veo3Client`` does under each fault the simulator injects, for each operation.

Each cell runs one logical call of the wrapper against a fresh ``veo3.mock.MockServer`` (a real socket, so
dropped connections are real) whose only fault is ``kind`` on ``operation_id``: on its first call
(``every_call=False``, a transient fault) or on every call (a persistent one). A cell records the outcome
(the result, or the exception class), how many requests of that operation the server saw, and how many tasks
(generations, extensions, 4K jobs) the logical call created. ``scripts/fault_matrix.py`` prints the table.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from veo3._spec import _document as _spec
from veo3.mock._config import FAULT_KINDS

KEY = "fault-matrix-key"
LATENCY = 0.6
"""Seconds a ``latency`` fault holds the answer back: longer than :data:`CLIENT_TIMEOUT`."""
CLIENT_TIMEOUT = 0.3
"""The wrapper's per-request timeout in the matrix; normal answers from a loopback simulator take milliseconds."""


@dataclass(frozen=True)
class Cell:
    """One (fault, operation) outcome."""

    kind: str
    operation_id: str
    every_call: bool
    outcome: str
    """``"ok"`` plus a short result, or the class name of the ``Veo3Error`` raised."""
    requests_seen: int
    """Requests of ``operation_id`` the server received during the logical call (retries included)."""
    tasks_created: int
    """Tasks (generation, extension, 4K job) that exist because of the logical call."""
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        """Whether the logical call returned a result."""
        return self.error is None


def _documented_body(operation_id: str) -> dict[str, Any]:
    examples = _spec.operation(operation_id).definition["requestBody"]["content"]["application/json"]["examples"]
    value: dict[str, Any] = dict(next(iter(examples.values()))["value"])
    return value


def _prompt(operation_id: str) -> str:
    return str(_documented_body(operation_id)["prompt"])


def _wait_for(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate() and time.monotonic() < deadline:
        time.sleep(0.005)


def _setup(operation_id: str, client: Any, server: Any) -> dict[str, Any]:
    """A finished task to act on (made without calling ``operation_id``, so its fault schedule is untouched)."""
    if operation_id in ("generate-veo3-1-video", "get-account-credits", "upload-file-stream"):
        return {}
    if operation_id == "upload-file-url":  # a file kie (here: the simulator) can copy
        return {"upload_url": client.upload_bytes(_PNG, "frame.png").url}
    task = client.generate(_prompt("generate-veo3-1-video"))
    state = server.state
    # The simulator finishes a task on its own clock; waiting on its state avoids polling record-info.
    _wait_for(lambda: state.tasks[task.task_id].status(state.now()) != 0)
    found: dict[str, Any] = {"task_id": task.task_id}
    if operation_id == "download-url":
        found["url"] = client.get_task(task.task_id).video_url
    return found


def _call(operation_id: str, client: Any, found: dict[str, Any]) -> Any:
    """The logical call under test (``wait=False``: one request unless the wrapper retries)."""
    task_id = found.get("task_id")
    calls: dict[str, Callable[[], Any]] = {
        "generate-veo3-1-video": lambda: client.generate(_prompt("generate-veo3-1-video")),
        "extend-veo3-1-video": lambda: client.extend(task_id, _prompt("extend-veo3-1-video")),
        "get-veo3-1-video-details": lambda: client.get_task(task_id),
        "get-veo3-1-1080p-video": lambda: client.get_1080p(task_id, wait=False),
        "get-veo3-1-4k-video": lambda: client.get_4k(task_id, wait=False),
        "get-account-credits": lambda: client.credits(),
        "download-url": lambda: client.download_url(found.get("url")),
        "upload-file-stream": lambda: client.upload_bytes(_PNG, "frame.png"),
        "upload-file-url": lambda: client.upload_url(found.get("upload_url")),
    }
    return calls[operation_id]()


# The smallest valid PNG header: enough for an upload (the simulator does not decode images).
_PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
#: Operations the wrapper never sends (the base64 upload: files travel as streamed multipart instead).
NOT_CALLED = frozenset({"upload-file-base64"})


def matrix_operations() -> list[str]:
    """The operations the matrix covers: every one of the spec the wrapper sends, in spec order."""
    return [op.operation_id for op in _spec.iter_operations() if op.operation_id not in NOT_CALLED]


def _summary(result: Any) -> str:
    if hasattr(result, "task_id"):
        return "ok (task)"
    if hasattr(result, "mime_type"):
        return "ok (upload)"
    if isinstance(result, list):
        return f"ok ({len(result)} URLs)"
    if isinstance(result, str):
        return "ok (URL)" if result else "ok (not ready)"
    return f"ok ({type(result).__name__})"


def run_cell(kind: str, operation_id: str, *, every_call: bool = False, max_retries: int = 3) -> Cell:
    """Run one logical call of ``operation_id`` with ``kind`` injected; see the module docstring."""
    from veo3 import Veo3Client
    from veo3.errors import Veo3Error
    from veo3.mock import Fault, MockConfig, MockServer

    calls = frozenset(range(1, max_retries + 2)) if every_call else frozenset({1})
    config = MockConfig(
        api_keys=[KEY],
        time_scale=0.001,
        seed=1,
        rate_limit=None,
        faults={operation_id: [Fault(kind, on_calls=calls, delay=LATENCY)]},
    )
    with MockServer(config) as server, Veo3Client(KEY, base_url=server.url) as helper:
        found = _setup(operation_id, helper, server)
        state = server.state
        tasks_before = len(state.tasks)

        def seen() -> int:
            return sum(1 for r in state.requests if r.operation == operation_id)

        with Veo3Client(KEY, base_url=server.url, timeout=CLIENT_TIMEOUT, max_retries=max_retries) as client:
            error: BaseException | None = None
            try:
                outcome = _summary(_call(operation_id, client, found))
            except Veo3Error as exc:
                error = exc
                outcome = type(exc).__name__
        if kind == "latency":
            # The held-back requests still complete on the server after the client gave up: count them too.
            time.sleep(LATENCY)
            _wait_for(lambda: all(r.fault != "latency" or r.code is not None for r in state.requests), 2.0)
        return Cell(kind, operation_id, every_call, outcome, seen(), len(state.tasks) - tasks_before, error)


def run_matrix(*, every_call: bool = False, max_retries: int = 3) -> Iterator[Cell]:
    """Every (fault kind, operation) cell, operations in spec order."""
    for kind in FAULT_KINDS:
        for operation_id in matrix_operations():
            yield run_cell(kind, operation_id, every_call=every_call, max_retries=max_retries)


def render(cells: list[Cell]) -> str:
    """A Markdown table: one row per fault kind, one column per operation; ``outcome · requests · tasks``."""
    operations = list(dict.fromkeys(c.operation_id for c in cells))
    kinds = list(dict.fromkeys(c.kind for c in cells))
    by_key = {(c.kind, c.operation_id): c for c in cells}
    lines = [
        "| fault \\ operation | " + " | ".join(operations) + " |",
        "|---|" + "---|" * len(operations),
    ]
    for kind in kinds:
        row = []
        for op in operations:
            cell = by_key.get((kind, op))
            row.append("" if cell is None else f"{cell.outcome} · {cell.requests_seen} req · {cell.tasks_created} task")
        lines.append(f"| {kind} | " + " | ".join(row) + " |")
    return "\n".join(lines) + "\n"
