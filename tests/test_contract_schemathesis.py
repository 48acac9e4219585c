"""schemathesis against the simulator in-process (ASGI): positive, negative and stateful phases.

The checks are the in-band ones of ``veo3.conformance.checks`` plus schemathesis's built-ins that do not judge by
the HTTP status alone; the status-based built-ins are excluded (see ``checks.EXCLUDED_BUILTINS``). Each test runs
schemathesis's own engine (the same one ``veo3 conformance`` drives) and fails listing every violation.
"""

from __future__ import annotations

import collections
from typing import Any

import pytest
from hypothesis import settings
from veo3._spec import _document as _spec
from veo3.conformance import Outcome
from veo3.conformance._checks import EXCLUDED_BUILTINS, INBAND_CHECKS
from veo3.conformance._runner import build_config, execute, load_schema
from veo3.mock import MockConfig, create_app

KEY = "contract-suite-key"
# A tenth of the active hypothesis profile's budget per operation and phase ("ci": 4, "deep": 100).
MAX_EXAMPLES = max(4, settings().max_examples // 10)


def simulator() -> Any:
    """A fresh simulator that knows exactly one key (so an unknown key must get 401) and runs in milliseconds."""
    return create_app(MockConfig(api_keys=[KEY], time_scale=0.0005, seed=7))


def run_phase(app: Any, phases: tuple[str, ...], mode: str = "all", max_examples: int = MAX_EXAMPLES) -> Outcome:
    config = build_config("http://localhost", api_key=KEY, max_examples=max_examples, phases=phases, mode=mode, seed=7)
    return execute(load_schema(config, app=app), api_key=KEY)


def describe(outcome: Outcome) -> str:
    lines = [f"{v.operation} [{v.rule}] {v.title}: {v.message}\n    {v.curl}" for v in outcome.violations]
    return "\n".join(lines + outcome.errors)


def test_checks_are_registered_and_builtins_excluded() -> None:
    config = build_config("http://localhost", api_key=KEY, max_examples=1)
    checks = config.projects.get_default().checks
    for name in EXCLUDED_BUILTINS:
        assert not checks.get_by_name(name=name).enabled
    for check in INBAND_CHECKS:
        assert checks.get_by_name(name=check.__name__).enabled


@pytest.mark.parametrize(
    ("phases", "mode"),
    [
        (("examples",), "all"),
        (("fuzzing",), "positive"),
        (("fuzzing",), "negative"),
    ],
    ids=["examples", "fuzzing-positive", "fuzzing-negative"],
)
def test_simulator_conforms(phases: tuple[str, ...], mode: str) -> None:
    app = simulator()
    outcome = run_phase(app, phases, mode)
    assert outcome.errors == []
    assert outcome.violations == [], describe(outcome)
    # Every operation was exercised, and the negative phase really sent invalid requests that were refused.
    assert len(outcome.operations_tested) == len(list(_spec.iter_operations()))
    codes = collections.Counter(r.code for r in app.mock_state.requests)
    if mode == "negative":
        assert codes[422] + codes[400] > 0


def test_simulator_conforms_in_the_coverage_phase() -> None:
    # Deterministic boundary values, missing/extra parameters, undeclared methods (405 with `Allow`).
    outcome = run_phase(simulator(), ("coverage",))
    assert outcome.errors == []
    assert outcome.violations == [], describe(outcome)


def test_stateful_phase_follows_the_specs_links() -> None:
    app = simulator()
    # Enough scenarios that every link is taken (a seeded run, so the same ones every time).
    outcome = run_phase(app, ("stateful",), max_examples=max(8, MAX_EXAMPLES))
    assert outcome.errors == []
    assert outcome.violations == [], describe(outcome)
    state = app.mock_state
    created = set(state.tasks)
    # Links carry `taskId` from a create answer into later requests: in the query (record-info, 1080p) and
    # embedded in a request body (extend, 4K).

    # The recorded requests include the negative ones schemathesis generates: `taskId` may be any JSON value
    # there (a list, an object), so only a string can name a task.

    def linked(op: str) -> list[Any]:
        found = []
        for r in state.requests:
            task_id = r.body.get("taskId") if isinstance(r.body, dict) else r.query.get("taskId")
            if r.operation == op and isinstance(task_id, str) and task_id in created:
                found.append(r)
        return found

    assert linked("get-veo3-1-video-details")
    assert linked("extend-veo3-1-video")
    assert linked("get-veo3-1-4k-video")
