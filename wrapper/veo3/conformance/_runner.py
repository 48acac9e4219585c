"""Run the contract suite (schemathesis + the in-band checks) against a server and report what breaks the spec."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import schemathesis
from schemathesis.engine import events

from veo3._spec import _document as _spec
from veo3._utils._files import write_private_text
from veo3._utils._net import is_loopback
from veo3.conformance._limits import bounded_responses

from . import _checks as checks
from . import _results as results
from ._report import Violation, render, report_safe

EXIT_CONFORMS = 0
EXIT_VIOLATIONS = 1
EXIT_ERROR = 2
PHASES = ("examples", "coverage", "fuzzing", "stateful")
"""schemathesis's test phases, all run by :func:`run`."""
REQUEST_TIMEOUT = 10.0
"""Seconds any one socket read may wait (connecting, the headers, each piece of a body)."""


def paid_operations() -> frozenset[str]:
    """Operations that start billed work (the spec's ``x-paid``): exercised only on loopback unless allowed."""
    return frozenset(op.operation_id for op in _spec.iter_operations() if op.paid)


@dataclass
class Outcome:
    """What a run found."""

    violations: list[Violation] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    operations_tested: set[str] = field(default_factory=set)
    skipped_operations: frozenset[str] = frozenset()

    @property
    def conforms(self) -> bool:
        """True when nothing broke the contract and nothing stopped the run."""
        return not self.violations and not self.errors


def build_config(
    base_url: str | None,
    *,
    api_key: str | None,
    max_examples: int,
    skip_operations: frozenset[str] = frozenset(),
    phases: tuple[str, ...] = PHASES,
    mode: str = "all",
    seed: int | None = None,
) -> schemathesis.Config:
    """A schemathesis configuration: the in-band checks on, the status-based built-ins they replace off.

    ``phases`` picks among :data:`PHASES`; ``mode`` is ``"positive"``, ``"negative"`` or ``"all"``.
    """
    data: dict[str, Any] = {
        # No example database: a run depends on its seed only, not on what earlier runs left in .hypothesis/.
        "generation": {
            "max-examples": max_examples,
            "mode": mode,
            "with-security-parameters": False,
            "database": "none",
        },
        "phases": {name: {"enabled": name in phases} for name in ("examples", "coverage", "fuzzing", "stateful")},
        "checks": {name: {"enabled": False} for name in checks.EXCLUDED_BUILTINS},
        "suppress-health-check": ["all"],
        "continue-on-failure": True,
        # A hostile server: no redirect is followed (a 3xx is judged as the answer), and no socket read waits
        # longer than this; bodies are bounded by ``_limits.bounded_responses``.
        "max-redirects": 0,
        "request-timeout": REQUEST_TIMEOUT,
    }
    if "stateful" in phases:
        data["phases"]["stateful"]["max-steps"] = max(2, min(max_examples, 10))
    if base_url is not None:
        data["base-url"] = base_url
    if api_key:
        data["headers"] = {"Authorization": f"Bearer {api_key}"}
    if seed is not None:
        data["seed"] = seed
    if skip_operations:
        data["operations"] = [{"include-operation-id": sorted(skip_operations), "enabled": False}]
    return schemathesis.Config.from_dict(data)


def load_schema(config: schemathesis.Config, *, app: Any = None) -> Any:
    """The packaged spec as a schemathesis schema; bound to an in-process ASGI ``app`` when one is given."""
    raw = json.loads(json.dumps(_spec.load_spec()))
    schema = schemathesis.openapi.from_dict(raw, config=config)
    if app is not None:
        schema.app = app
    return schema


_TITLES = {check.__name__: (check.__doc__ or check.__name__).strip().splitlines()[0] for check in checks.INBAND_CHECKS}


def _curl(case: Any, headers: dict[str, Any] | None) -> str:
    try:
        return str(case.as_curl_command(headers=headers))
    except Exception as exc:  # a curl line is a courtesy: never let it hide the violation itself
        return f"# could not build a curl line: {exc}"


def _violations(event: events.ScenarioFinished, api_key: str | None) -> Iterator[Violation]:
    recorder = event.recorder
    for case_id, nodes in recorder.checks.items():
        for node in nodes:
            info = node.failure_info
            if info is None:
                continue
            failure = info.failure
            curl = "\n".join(step.curl for step in info.steps) if info.steps else ""
            if not curl:
                node_case = recorder.cases.get(failure.case_id or case_id)
                interaction = recorder.interactions.get(failure.case_id or case_id)
                headers = None
                if interaction is not None:
                    headers = {k: v[0] for k, v in interaction.request.headers.items()}
                curl = _curl(node_case.value, headers) if node_case is not None else info.code_sample
            yield Violation(
                operation=str(failure.operation or recorder.label),
                rule=node.name,
                title=report_safe(_TITLES.get(node.name, str(failure.title)), api_key),
                message=report_safe(str(failure.message), api_key),
                curl=report_safe(curl, api_key),
            )


def execute(schema: Any, *, api_key: str | None = None) -> Outcome:
    """Run every enabled phase of ``schema`` (see :func:`load_schema`) and collect violations and errors.

    Every response is bounded (size, time) while it runs: a hostile server ends the run with errors, not
    with this process out of memory or waiting forever.
    """
    outcome = Outcome()
    seen: set[tuple[str, str, str]] = set()
    with bounded_responses():
        for event in schemathesis.engine.from_schema(schema).execute():
            if isinstance(event, events.ScenarioFinished):
                outcome.operations_tested.add(event.recorder.label)
                for violation in _violations(event, api_key):
                    key = (violation.operation, violation.rule, violation.title)
                    if key not in seen:
                        seen.add(key)
                        outcome.violations.append(violation)
            elif isinstance(event, events.NonFatalError):
                error = report_safe(f"{event.label}: {event.info.format()}", api_key).strip()
                if error not in outcome.errors:
                    outcome.errors.append(error)
            elif isinstance(event, events.FatalError):
                outcome.errors.append(report_safe(f"fatal: {event.exception!r}", api_key))
    return outcome


def _unreachable(base_url: str) -> str | None:
    """Why ``base_url`` cannot be reached (any HTTP answer at all counts as reachable), or ``None``."""
    import httpx

    try:
        with httpx.stream("GET", base_url, timeout=REQUEST_TIMEOUT):
            pass  # the status line is enough: the body (possibly endless) is never read
    except httpx.HTTPError as exc:
        return f"{base_url} is unreachable: {type(exc).__name__}: {exc}"
    return None


def check_server(
    base_url: str,
    *,
    api_key: str | None = None,
    max_examples: int = 25,
    allow_paid: bool = False,
    phases: Sequence[str] = PHASES,
) -> Outcome:
    """Test the server at ``base_url`` against the spec and return what was found (see :func:`run`)."""
    skipped = frozenset() if allow_paid or is_loopback(base_url) else paid_operations()
    try:
        problem = _unreachable(base_url)
        if problem is not None:
            outcome = Outcome(errors=[problem])
        else:
            config = build_config(
                base_url, api_key=api_key, max_examples=max_examples, skip_operations=skipped, phases=tuple(phases)
            )
            outcome = execute(load_schema(config), api_key=api_key)
    except Exception as exc:  # the report must say why the run could not happen
        outcome = Outcome(errors=[report_safe(f"the run failed: {exc!r}", api_key)])
    outcome.skipped_operations = skipped
    return outcome


def exit_code(outcome: Outcome) -> int:
    """0 conforms, 1 violations found, 2 the run itself failed."""
    if outcome.errors:
        return EXIT_ERROR
    return EXIT_CONFORMS if outcome.conforms else EXIT_VIOLATIONS


def summary(outcome: Outcome, *, api_key_given: bool) -> str:
    """One paragraph: what ran, what was skipped and why."""
    text = f"Scenarios run: {', '.join(sorted(outcome.operations_tested)) or 'none'}."
    if outcome.skipped_operations:
        skipped = ", ".join(sorted(outcome.skipped_operations))
        text += f" Skipped (paid work on a non-loopback host; use allow_paid): {skipped}."
    if not api_key_given:
        text += " No API key was given: a server answers 401 to everything, so little could be judged."
    return text


def cases(outcome: Outcome) -> list[results.Case]:
    """The outcome as JUnit cases: one per operation tested (failing with its violations), plus the run's errors."""
    found: dict[str, list[results.Failure]] = {op: [] for op in sorted(outcome.operations_tested)}
    for v in outcome.violations:
        found.setdefault(v.operation, []).append(results.Failure(v.rule, f"{v.title}: {v.message}", v.curl))
    rows = [results.Case(name=op, classname="veo3.conformance", failures=tuple(f)) for op, f in found.items()]
    rows += [results.Case(name="run", classname="veo3.conformance", error=e) for e in outcome.errors]
    return rows


def document(base_url: str, outcome: Outcome) -> dict[str, Any]:
    """The outcome as one JSON document (``veo3 conformance --json``)."""
    return {
        "base_url": base_url,
        "conforms": outcome.conforms,
        "exit_code": exit_code(outcome),
        "operations_tested": sorted(outcome.operations_tested),
        "skipped_operations": sorted(outcome.skipped_operations),
        "violations": [
            {"operation": v.operation, "rule": v.rule, "title": v.title, "message": v.message, "curl": v.curl}
            for v in outcome.violations
        ],
        "errors": list(outcome.errors),
    }


def write_reports(
    base_url: str,
    outcome: Outcome,
    *,
    api_key_given: bool,
    report: str | Path | None = None,
    junit: str | Path | None = None,
) -> None:
    """Write the Markdown report and the JUnit XML file that were asked for."""
    if report is not None:
        text = render(
            base_url, outcome.violations, errors=outcome.errors, summary=summary(outcome, api_key_given=api_key_given)
        )
        # Owner-only: its curl lines name the server, the requests and the task ids.
        write_private_text(Path(report), text)
    if junit is not None:
        results.write_junit(junit, f"veo3 conformance {base_url}", cases(outcome))


def run(
    base_url: str,
    *,
    api_key: str | None = None,
    max_examples: int = 25,
    report: str | Path | None = None,
    allow_paid: bool = False,
    phases: Sequence[str] = PHASES,
    junit: str | Path | None = None,
) -> int:
    """Test the server at ``base_url`` against the spec; return 0 only when it conforms.

    Runs schemathesis's examples, coverage, fuzzing (valid and invalid data) and stateful (the spec's links)
    phases with the in-band checks of :mod:`veo3.conformance._checks`. Operations that start paid work
    (generate, extend, 4K) run only when ``base_url`` is a loopback address or ``allow_paid`` is true.
    Writes a Markdown report to ``report`` and JUnit XML to ``junit`` when given; the API key never appears
    in them (``$KIE_API_KEY``).

    ``phases`` narrows the run to some of :data:`PHASES` (all by default).

    Exit codes: 0 conforms, 1 violations found, 2 the run itself failed (server unreachable, bad URL).
    """
    outcome = check_server(base_url, api_key=api_key, max_examples=max_examples, allow_paid=allow_paid, phases=phases)
    write_reports(base_url, outcome, api_key_given=bool(api_key), report=report, junit=junit)
    return exit_code(outcome)
