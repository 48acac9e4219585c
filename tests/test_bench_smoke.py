"""Every benchmark still runs end to end (tiny budget). Structure only: timings are never asserted here."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

# benchmarks/ is a top-level folder of the repository, not part of the installed package.
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import report, run  # noqa: E402
from benchmarks._stats import Budget, Row, Section, Stat, ratios  # noqa: E402


def _finite(stat: Stat | None) -> bool:
    return stat is None or all(math.isfinite(x) for x in (stat.median, stat.q1, stat.q3, stat.low, stat.high))


@pytest.mark.parametrize("key", list(run.BENCHMARKS))
def test_each_benchmark_returns_rows_of_finite_figures_with_ratios_against_its_baseline(key: str) -> None:
    section = run.BENCHMARKS[key](Budget.quick())
    assert isinstance(section, Section)
    assert section.key == key and section.title and section.method
    assert section.rows, section.notes
    for row in section.rows:
        assert isinstance(row, Row) and row.value is not None
        assert _finite(row.value) and _finite(row.baseline) and _finite(row.ratio)
        assert row.value.low <= row.value.median <= row.value.high
        if row.baseline is not None:  # a compared figure carries the ratio to its baseline
            assert row.ratio is not None and row.baseline_label
        if row.target is not None:
            assert row.met in (True, False)
    text = report.render([section], {"CPU": "test"}, "now", 1.0, "make bench")
    assert section.title in text and "| figure |" in text


def test_ratios_pair_samples_and_summaries_are_ordered() -> None:
    stat = Stat.of([3.0, 1.0, 2.0, 10.0])
    assert (stat.low, stat.high, stat.n) == (1.0, 10.0, 4)
    assert stat.low <= stat.q1 <= stat.median <= stat.q3 <= stat.high
    assert ratios([2.0, 6.0], [1.0, 3.0]).median == 2.0
