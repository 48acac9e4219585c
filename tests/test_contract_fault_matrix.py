"""The fault matrix: every simulator fault x every operation, through the wrapper, over a real socket.

Each logical call meets its fault on the first request (a transient fault, the case where a careless retry
would pay twice). Asserted for every cell: the call ends in a result or a typed ``Veo3Error``; it creates at most
one task; and when a paid create was processed but its reply was lost or unreadable, the wrapper says exactly
that (``OutcomeUnknownError`` carrying the operation and the request body it sent) and does not repeat it.
``python scripts/fault_matrix.py`` prints the same matrix (and the persistent-fault one) as FAULT_MATRIX.md.
"""

from __future__ import annotations

import pytest
from veo3._spec import _document as _spec
from veo3.errors import OutcomeUnknownError, Veo3Error
from veo3.mock import fault_matrix

# Faults that let the server create the task and then lose (or garble) the reply.
PROCESSED_THEN_LOST = ("drop_after", "truncated_body", "malformed_json")


@pytest.mark.parametrize("operation_id", fault_matrix.matrix_operations())
def test_every_fault_on_every_operation(operation_id: str) -> None:
    paid = _spec.operation(operation_id).paid
    for kind in fault_matrix.FAULT_KINDS:
        cell = fault_matrix.run_cell(kind, operation_id, max_retries=1)
        where = f"{kind} on {operation_id}: {cell.outcome}, {cell.requests_seen} requests, {cell.tasks_created} tasks"
        assert cell.ok or isinstance(cell.error, Veo3Error), where
        assert cell.tasks_created <= 1, where
        if not paid:
            assert cell.tasks_created == 0, where
        if paid and kind in PROCESSED_THEN_LOST:
            assert cell.tasks_created == 1, where
            assert isinstance(cell.error, OutcomeUnknownError), where
            assert cell.requests_seen == 1, where  # never repeated
            assert cell.error.operation == operation_id
            assert cell.error.request_body, "the error carries the body that was sent"


def test_the_table_has_a_row_per_fault_and_a_column_per_operation() -> None:
    cells = [
        fault_matrix.Cell(kind, op.operation_id, False, "ok", 1, 0)
        for kind in fault_matrix.FAULT_KINDS
        for op in _spec.iter_operations()
    ]
    table = fault_matrix.render(cells).splitlines()
    assert len(table) == 2 + len(fault_matrix.FAULT_KINDS)
    assert all(line.count("|") == 2 + len(list(_spec.iter_operations())) for line in table)
