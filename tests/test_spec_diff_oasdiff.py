"""``veo3 spec-diff`` on oasdiff's own checker fixtures: our verdict on every pair, and the catch rates.

The pairs, oasdiff's verdict on each, and our deliberate differences (``ours`` + ``why``) are in
``tests/data/oasdiff/cases.json``; ``scripts/spec_diff_oasdiff.py`` prints the rates.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

pytest.importorskip("yaml")  # the fixtures are YAML, as oasdiff wrote them


def _measure() -> ModuleType:
    path = Path(__file__).parent.parent / "scripts" / "spec_diff_oasdiff.py"
    spec = importlib.util.spec_from_file_location("spec_diff_oasdiff", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MEASURE = _measure()
CASES: list[dict[str, Any]] = MEASURE.load_cases()


@pytest.mark.parametrize("case", CASES, ids=[f"{c['base']}->{c['revision']}" for c in CASES])
def test_our_verdict_on_each_oasdiff_fixture_pair(case: dict[str, Any]) -> None:
    expected = case.get("ours", case["oasdiff"])
    assert MEASURE.our_verdict(case) == expected, case.get("why", case["rules"])


def test_every_difference_from_oasdiff_says_why_and_the_fixtures_are_all_there() -> None:
    assert len(CASES) >= 180
    for case in CASES:
        assert ("ours" in case) == ("why" in case), case
        assert case.get("ours") != case["oasdiff"], f"{case['base']}: a note on a pair where we agree"
        for side in ("base", "revision"):
            assert (MEASURE.DATA / case[side]).is_file(), case[side]


def test_catch_rates_stay_at_least_where_they_are(capsys: pytest.CaptureFixture[str]) -> None:
    """The script's numbers, held as a floor: a regression in the differ shows up as a lower rate."""
    assert MEASURE.main([]) == 0
    out = capsys.readouterr().out
    caught, total = map(int, out.split("breaking changes caught:")[1].split()[0:3:2])
    false_alarms = int(out.split("safe changes called breaking:")[1].split()[0])
    assert total >= 110 and caught >= total - 3, out
    assert false_alarms <= 7 and "crashes:                        0" in out, out
