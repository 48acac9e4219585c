"""What a batch will cost before it runs: every line checked, paid requests counted and priced.

Nothing is sent: validation is the library's own (``validate_job``), prices come from a ``PriceTable``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from veo3._spec._operations import EXTEND, GENERATE, GET_4K, GET_1080P, Operation
from veo3._spec._prices import PriceTable
from veo3._spec._validation import ALIASES

from ..errors import RequestValidationError
from ._jobs import Job, LineError, validate_job

__all__ = ["Plan", "job_cost", "job_requests", "plan"]

#: How many line errors a plan keeps (the count goes on): a broken 100,000-line file must not fill memory.
MAX_ERRORS = 1000


@dataclass
class Plan:
    """A checked batch file: how many jobs, which lines are wrong, and what it will cost."""

    jobs: int = 0
    errors: list[LineError] = field(default_factory=list)
    error_count: int = 0
    requests: Counter[str] = field(default_factory=Counter)  # operationId -> paid requests
    credits: float = 0.0

    @property
    def valid(self) -> bool:
        """True when no line is wrong."""
        return self.error_count == 0


def _json_body(op: Operation, keywords: Mapping[str, Any]) -> dict[str, Any]:
    """A request's keywords under the spec's JSON names (for pricing by a body field)."""
    names = {f.python_name: f.json_name for f in op.request_fields}
    return {names.get(ALIASES.get(k, k), k): v for k, v in keywords.items()}


def job_requests(job: Job) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every paid request ``job`` makes: ``(operationId, JSON body)``."""
    yield GENERATE.operation_id, _json_body(GENERATE, {"prompt": job.prompt, **job.options})
    for step in job.extend:
        yield EXTEND.operation_id, _json_body(EXTEND, {"prompt": step.prompt, **step.options})
    if job.hd:
        yield GET_1080P.operation_id, {}
    if job.uhd:
        yield GET_4K.operation_id, {}


def job_cost(job: Job, prices: PriceTable) -> float:
    """Estimated credits for the whole job."""
    return sum(prices.cost(op_id, body) for op_id, body in job_requests(job))


def plan(items: Iterable[Job | LineError], core: Any, prices: PriceTable) -> Plan:
    """Check every line (``core``: a client's ``_core``, used only to validate) and price the valid jobs."""
    result = Plan()
    for item in items:
        if isinstance(item, Job):
            try:
                validate_job(core, item)
            except RequestValidationError as exc:
                item = LineError(item.line, exc.field, str(exc))
        if isinstance(item, LineError):
            result.error_count += 1
            if len(result.errors) < MAX_ERRORS:
                result.errors.append(item)
            continue
        result.jobs += 1
        for op_id, body in job_requests(item):
            result.requests[op_id] += 1
            result.credits += prices.cost(op_id, body)
    return result
