"""How often ``veo3 spec-diff`` agrees with oasdiff on oasdiff's own checker test fixtures.

    .venv/bin/python scripts/spec_diff_oasdiff.py            # the catch rates
    .venv/bin/python scripts/spec_diff_oasdiff.py --verbose  # and every pair where we disagree

The pairs and the verdict oasdiff's checker tests give each (``breaking`` = a rule at level ERR,
``warn`` = WARN, ``safe`` = INFO or nothing) are in ``tests/data/oasdiff/cases.json`` (see its README).
Our verdict on a pair is the highest level among the changes ``diff_specs`` reports (``crash`` when it
raises). A case may carry ``ours`` + ``why``: a deliberate difference from oasdiff (or a pair whose
oasdiff label comes from one check and misses another change in the same files); those still count as
disagreements here, so the rates are against oasdiff as it is. ``tests/test_spec_diff_oasdiff.py``
asserts our verdict on every pair.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped,unused-ignore]  # oasdiff wrote the fixtures in YAML
from veo3.spec_diff import diff_specs

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "oasdiff"
LEVELS = ("safe", "warn", "breaking")


def load_cases() -> list[dict[str, Any]]:
    """The cases of ``cases.json``, in file order."""
    cases: list[dict[str, Any]] = json.loads((DATA / "cases.json").read_text(encoding="utf-8"))["cases"]
    return cases


def our_verdict(case: dict[str, Any]) -> str:
    """``breaking``, ``warn`` or ``safe``: the highest level we report on the pair; ``crash`` if the differ raises."""
    old, new = (yaml.safe_load((DATA / case[side]).read_text(encoding="utf-8")) for side in ("base", "revision"))
    try:
        changes = diff_specs(old, new)
    except Exception:
        return "crash"
    levels = {getattr(c, "level", "breaking" if c.breaking else "safe") for c in changes}
    return next((level for level in reversed(LEVELS) if level in levels), "safe")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--verbose", action="store_true", help="list every pair where we disagree with oasdiff")
    args = parser.parse_args(argv)
    table: Counter[tuple[str, str]] = Counter()
    disagreements: list[str] = []
    for case in load_cases():
        ours = our_verdict(case)
        table[(case["oasdiff"], ours)] += 1
        if ours != case["oasdiff"]:
            why = f"  [{case['why']}]" if "why" in case else ""
            pair = f"{case['base']} -> {case['revision']}"
            disagreements.append(f"  oasdiff {case['oasdiff']:8} ours {ours:8} {pair}{why}")

    def count(expected: str, ours: str | None = None) -> int:
        return sum(n for (e, o), n in table.items() if e == expected and (ours is None or o == ours))

    total = sum(table.values())
    print(f"{total} fixture pairs from oasdiff's checker tests (tests/data/oasdiff/cases.json)")
    print(f"breaking changes caught:        {count('breaking', 'breaking')} of {count('breaking')}")
    print(
        f"warnings reported as warn:      {count('warn', 'warn')} of {count('warn')}"
        f" (as breaking: {count('warn', 'breaking')}, as safe: {count('warn', 'safe')})"
    )
    print(
        f"safe changes called breaking:   {count('safe', 'breaking')} of {count('safe')}"
        f" (called warn: {count('safe', 'warn')})"
    )
    print(f"crashes:                        {sum(n for (_, o), n in table.items() if o == 'crash')}")
    print(f"same verdict as oasdiff:        {sum(n for (e, o), n in table.items() if e == o)} of {total}")
    if args.verbose and disagreements:
        print("\nDisagreements:")
        print("\n".join(disagreements))
    return 0


if __name__ == "__main__":
    sys.exit(main())
