"""CI-readable results shared by ``veo3 conformance`` and ``veo3 check-traffic``: JUnit XML and one JSON document.

Each tool turns what it found into ``Case`` rows (one per operation tested, or per traffic entry); this module
only renders them, so both tools speak the same formats. Texts arrive already redacted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree


@dataclass(frozen=True)
class Failure:
    """One broken rule: ``rule`` names it, ``message`` says what happened, ``detail`` shows how to reproduce it."""

    rule: str
    message: str
    detail: str = ""


@dataclass(frozen=True)
class Case:
    """One test case of a JUnit report: what was judged, and every rule it broke (none: it passed)."""

    name: str
    classname: str
    failures: Sequence[Failure] = field(default_factory=tuple)
    error: str | None = None


def junit_xml(suite: str, cases: Sequence[Case]) -> str:
    """The cases as a JUnit XML document (one ``testsuite``), as CI systems read it."""
    failures = sum(1 for c in cases if c.failures)
    errors = sum(1 for c in cases if c.error)
    root = ElementTree.Element("testsuites", name=suite)
    element = ElementTree.SubElement(
        root, "testsuite", name=suite, tests=str(len(cases)), failures=str(failures), errors=str(errors), skipped="0"
    )
    for case in cases:
        node = ElementTree.SubElement(element, "testcase", name=case.name, classname=case.classname)
        if case.failures:
            first = case.failures[0]
            failure = ElementTree.SubElement(node, "failure", message=f"{first.rule}: {first.message}", type=first.rule)
            failure.text = "\n\n".join(f"[{f.rule}] {f.message}\n{f.detail}".rstrip() for f in case.failures)
        if case.error:
            ElementTree.SubElement(node, "error", message=case.error, type="error").text = case.error
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def write_junit(path: str | Path, suite: str, cases: Sequence[Case]) -> None:
    """Write :func:`junit_xml` to ``path``."""
    Path(path).write_text(junit_xml(suite, cases), encoding="utf-8")


def failure_document(failure: Failure) -> dict[str, Any]:
    """A failure as JSON."""
    return {"rule": failure.rule, "message": failure.message, "detail": failure.detail}
