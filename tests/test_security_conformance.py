"""``veo3 conformance`` against a hostile server: huge, endless or dripping bodies and redirects end the run
with a typed failure (exit 2 or 1 and a report that says why), never with unbounded memory, time or a request
to another host.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_server import Behaviour, hostile_server
from veo3.conformance import _limits
from veo3.conformance import _runner as runner

KEY = "sk-conformance-hostile-0123456789"


def _run(url: str, tmp_path: Path) -> tuple[int, str]:
    report = tmp_path / "report.md"
    code = runner.run(url, api_key=KEY, max_examples=1, phases=("examples",), report=report)
    return code, report.read_text()


@pytest.fixture(autouse=True)
def small_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_limits, "MAX_RESPONSE_BYTES", 64 * 1024)
    monkeypatch.setattr(_limits, "RESPONSE_DEADLINE", 0.2)


@pytest.mark.parametrize(
    ("behaviour", "reason"),
    [
        (Behaviour("endless"), "larger than 65536 bytes"),  # chunked, never ends
        (Behaviour("endless", length=10**12), "announces 1000000000000 bytes"),
        (Behaviour("endless", pause=0.01), "not complete within 0.2 s"),  # a drip: every read succeeds
    ],
    ids=["endless", "huge-announced", "drip"],
)
def test_hostile_bodies_end_in_a_typed_error(tmp_path: Path, behaviour: Behaviour, reason: str) -> None:
    with hostile_server({"default": behaviour}) as server:
        code, report = _run(server.url, tmp_path)
    assert code == runner.EXIT_ERROR
    assert reason in report and "DOES NOT CONFORM" in report
    assert KEY not in report
    # Every request stopped reading near the cap: the server could not push more than cap + socket buffers.
    assert behaviour.sent / max(behaviour.requests, 1) < 64 * 1024 + (16 << 20)


@pytest.mark.parametrize("target", ["other-host", "file:///etc/passwd", "ftp://127.0.0.1/x"])
def test_redirects_are_never_followed(tmp_path: Path, target: str) -> None:
    other = Behaviour("body", body=b'{"code": 200, "msg": "success", "data": null}')
    with hostile_server({"default": other}) as elsewhere:
        location = f"{elsewhere.url.replace('127.0.0.1', 'localhost')}/api" if target == "other-host" else target
        with hostile_server({"default": Behaviour("redirect", location=location)}) as server:
            code, report = _run(server.url, tmp_path)
    assert code in (runner.EXIT_VIOLATIONS, runner.EXIT_ERROR)  # a 302 breaks the contract; never a crash
    assert other.requests == 0
    assert KEY not in report
