"""``veo3.conformance``: the in-band checks catch each kind of violation, and ``run`` judges real servers.

Broken servers are tiny Starlette apps (each breaking one contract rule) or the simulator with a fault
injected; a conforming one is the simulator on a real socket.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from veo3._spec import _document as _spec
from veo3.conformance import EXIT_CONFORMS, EXIT_ERROR, EXIT_VIOLATIONS, run
from veo3.conformance import __main__ as cli
from veo3.conformance import _runner as runner
from veo3.conformance._report import report_safe
from veo3.conformance._runner import build_config, execute, load_schema
from veo3.mock import Fault, MockConfig, MockServer

KEY = "sk-contract-secret-123"
FAST = MockConfig(api_keys=[KEY], time_scale=0.0005, seed=11)

# A valid `data` for each operation's in-band 200, taken from the spec's own documented examples.
SUCCESS_DATA: dict[str, Any] = {}
for _op in _spec.iter_operations():
    _examples = _op.definition["responses"]["200"]["content"]["application/json"].get("examples", {})
    for _example in _examples.values():
        if _example["value"]["code"] == 200:
            SUCCESS_DATA[_op.path] = _example["value"]["data"]
            break


def toy(answer: Callable[[str, Request], dict[str, Any]]) -> Starlette:
    """An app serving every spec path with ``answer(path, request)`` as an HTTP 200 JSON body."""

    async def endpoint(request: Request) -> JSONResponse:
        return JSONResponse(answer(request.url.path, request))

    routes = [Route(op.path, endpoint, methods=[op.method]) for op in _spec.iter_operations()]
    return Starlette(routes=routes)


def accepts_everything(path: str, request: Request) -> dict[str, Any]:
    return {"code": 200, "msg": "success", "data": SUCCESS_DATA[path]}


def violated_rules(
    app: Starlette, *, mode: str = "all", operations: tuple[str, ...] = ("get-account-credits",)
) -> set[str]:
    # Only the operations a test needs: each broken toy breaks its rule on every operation alike.
    others = frozenset(op.operation_id for op in _spec.iter_operations()) - set(operations)
    config = build_config(
        "http://localhost", api_key=KEY, max_examples=2, phases=("fuzzing",), mode=mode, skip_operations=others
    )
    return {v.rule for v in execute(load_schema(config, app=app), api_key=KEY).violations}


def test_every_operation_has_a_documented_success_example() -> None:
    assert len(SUCCESS_DATA) == len(list(_spec.iter_operations()))


def test_a_server_that_accepts_invalid_requests_is_caught() -> None:
    rules = violated_rules(toy(accepts_everything), mode="negative", operations=("generate-veo3-1-video",))
    assert "inband_invalid_request_refused" in rules


def test_a_server_that_ignores_the_key_is_caught() -> None:
    rules = violated_rules(toy(accepts_everything), mode="positive")
    assert "inband_auth_enforced" in rules


def test_an_undocumented_inband_code_is_caught() -> None:
    rules = violated_rules(toy(lambda path, request: {"code": 418, "msg": "teapot", "data": None}), mode="positive")
    assert "inband_code_documented" in rules


def test_an_inband_success_without_data_is_caught() -> None:
    rules = violated_rules(toy(lambda path, request: {"code": 200, "msg": "success", "data": None}), mode="positive")
    assert "inband_data_conformance" in rules


def test_an_inband_success_with_data_of_the_wrong_shape_is_caught() -> None:
    rules = violated_rules(toy(lambda path, request: {"code": 200, "msg": "success", "data": [1]}), mode="positive")
    assert "inband_data_conformance" in rules


def test_an_inband_server_error_is_caught() -> None:
    rules = violated_rules(toy(lambda path, request: {"code": 500, "msg": "boom", "data": None}), mode="positive")
    assert "inband_not_a_server_error" in rules


def test_paid_operations_are_the_ones_the_spec_marks_paid_and_they_have_callbacks() -> None:
    assert runner.paid_operations() == {"generate-veo3-1-video", "extend-veo3-1-video", "get-veo3-1-4k-video"}
    assert all(_spec.operation(op).definition.get("callbacks") for op in runner.paid_operations())


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://127.0.0.1:8787", True),
        ("http://localhost:1", True),
        ("http://[::1]:8787", True),
        ("http://127.5.0.1", True),
        ("https://api.kie.ai", False),
        ("http://10.0.0.1", False),
    ],
)
def test_is_loopback(url: str, loopback: bool) -> None:
    assert runner.is_loopback(url) is loopback


def test_redact_replaces_the_key_and_keeps_the_curl_line_usable() -> None:
    line = f"curl -X GET -H 'Authorization: Bearer {KEY}' http://h/api/v1/chat/credit"
    out = report_safe(line, KEY)
    assert KEY not in out
    assert '-H "Authorization: Bearer $KIE_API_KEY"' in out


def test_run_against_the_simulator_conforms(tmp_path: Path) -> None:
    report = tmp_path / "report.md"
    with MockServer(FAST) as server:
        code = run(server.url, api_key=KEY, max_examples=3, report=report, phases=("examples", "fuzzing", "stateful"))
        created = len(server.state.tasks)
    text = report.read_text()
    assert code == EXIT_CONFORMS, text
    assert "**CONFORMS**" in text
    assert created > 0  # loopback: the paid operations ran too
    assert KEY not in text


def test_run_against_a_broken_server_fails_and_reports_the_violation(tmp_path: Path) -> None:
    report = tmp_path / "report.md"
    broken = MockConfig(
        api_keys=[KEY], time_scale=0.0005, faults={"get-account-credits": [Fault("malformed_json", probability=1.0)]}
    )
    with MockServer(broken) as server:
        code = run(server.url, api_key=KEY, max_examples=2, report=report, phases=("fuzzing",))
    text = report.read_text()
    assert code == EXIT_VIOLATIONS
    assert "**DOES NOT CONFORM**" in text
    assert "GET /api/v1/chat/credit" in text
    assert "rule broken: `inband_code_documented`" in text
    assert '-H "Authorization: Bearer $KIE_API_KEY"' in text
    assert "/api/v1/chat/credit" in text.split("```sh")[1]
    assert KEY not in text


def test_paid_operations_are_skipped_on_a_remote_host(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Pretend the simulator is remote: generate, extend and 4K must not be called at all.
    monkeypatch.setattr(runner, "is_loopback", lambda url: False)
    report = tmp_path / "report.md"
    with MockServer(FAST) as server:
        code = run(server.url, api_key=KEY, max_examples=2, report=report, phases=("fuzzing",))
        called = {r.operation for r in server.state.requests}
    assert code == EXIT_CONFORMS, report.read_text()
    assert called & runner.paid_operations() == set()
    assert "get-account-credits" in called
    assert "Skipped" in report.read_text()


def test_allow_paid_runs_them_on_a_remote_host(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "is_loopback", lambda url: False)
    with MockServer(FAST) as server:
        code = run(server.url, api_key=KEY, max_examples=2, phases=("fuzzing",), allow_paid=True)
        called = {r.operation for r in server.state.requests}
    assert code == EXIT_CONFORMS
    assert runner.paid_operations() <= called


def test_an_unreachable_server_is_an_error_not_a_pass(tmp_path: Path) -> None:
    with MockServer(FAST) as server:
        url = server.url  # a port that was just free and is closed again below
    report = tmp_path / "report.md"
    assert run(url, api_key=KEY, max_examples=2, report=report) == EXIT_ERROR
    assert "unreachable" in report.read_text()


def test_python_dash_m_entry_point(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "r.md"
    broken = MockConfig(api_keys=[KEY], faults={"get-account-credits": [Fault("html_error", probability=1.0)]})
    with MockServer(broken) as server:
        argv = ["--base-url", server.url, "--api-key", KEY, "--max-examples", "2", "--phase", "fuzzing"]
        code = cli.main([*argv, "--report", str(report)])
    assert code == EXIT_VIOLATIONS
    assert "does NOT conform" in capsys.readouterr().err
    assert "/api/v1/chat/credit" in report.read_text()


def test_the_report_is_valid_markdown_with_one_section_per_violation(tmp_path: Path) -> None:
    from veo3.conformance._report import Violation, render

    violations = [
        Violation("GET /x", "rule_a", "Title A", "msg", "curl a"),
        Violation("GET /y", "rule_b", "B", "m", "c"),
    ]
    text = render("http://h", violations, errors=["boom"])
    assert text.count("\n## ") == 3  # two violations and the errors section
    assert json.dumps("DOES NOT CONFORM")[1:-1] in text


def test_redact_leaves_text_alone_for_a_toy_key_but_still_rewrites_the_header() -> None:
    line = "curl -X GET -H 'Authorization: Bearer k' http://h/api/v1/chat/credit  # check"
    out = report_safe(line, "k")
    assert out.endswith("http://h/api/v1/chat/credit  # check")
    assert '-H "Authorization: Bearer $KIE_API_KEY"' in out


def test_an_upload_error_sent_as_http_200_is_caught() -> None:
    # The Veo envelope's habit (HTTP 200 + in-band code) breaks the File Upload API's rule: real HTTP statuses.
    def inband(path: str, request: Request) -> dict[str, Any]:
        return {"success": False, "code": 400, "msg": "Missing required parameter: uploadPath", "data": None}

    rules = violated_rules(toy(inband), mode="negative", operations=("upload-file-url",))
    assert "http_status_carries_code" in rules
    assert "http_status_carries_code" not in violated_rules(toy(inband), mode="negative")  # Veo: in-band is fine
