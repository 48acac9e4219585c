"""``veo3 check-traffic``: judge recorded HTTP traffic (HAR 1.2, schemathesis VCR cassettes) against the spec.

Every exchange whose method and path are a kie operation of the spec is judged by the rules a live conformance
run uses (:mod:`veo3.conformance._rules`, named like the checks) plus the spec's response schemas; other
exchanges (media downloads, other hosts) are counted and left alone. Keys never reach the output: the report
carries no headers, and every ``Authorization`` value found in the file (and every key given) is redacted
wherever it appears.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from veo3._spec import _document as _spec
from veo3._utils._logging import MIN_SECRET_LENGTH, redact
from veo3.conformance._envelope import operation_for, parse_envelope

from . import _results as results
from . import _rules


class UnreadableTraffic(ValueError):
    """The file is not HAR 1.2 or a VCR cassette (or holds no kie request at all)."""


@dataclass(frozen=True)
class Exchange:
    """One recorded request and its answer (``status`` is ``None`` when no answer was recorded)."""

    index: int
    method: str
    url: str
    headers: Mapping[str, str]  # request headers, names lower-cased
    body: bytes | None
    status: int | None
    content: bytes | None

    @property
    def label(self) -> str:
        """``#3 GET /api/v1/veo/record-info`` (1-based, as the file lists them)."""
        return f"#{self.index} {self.method} {urlsplit(self.url).path}"


@dataclass(frozen=True)
class Finding:
    """A rule an exchange broke: the entry, the rule, the field and what happened."""

    entry: str
    operation: str
    rule: str
    field: str
    message: str


@dataclass
class TrafficResult:
    """What a file held and what broke."""

    source: str
    format: str
    entries: int
    judged: list[str] = field(default_factory=list)
    unanswered: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


# -- reading --------------------------------------------------------------------------------------


def _har_text(content: Mapping[str, Any]) -> bytes | None:
    text = content.get("text")
    if text is None:
        return None
    if content.get("encoding") == "base64":
        try:
            return base64.b64decode(str(text), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise UnreadableTraffic(f"a base64 body does not decode: {exc}") from exc
    return str(text).encode()


def _har(document: Mapping[str, Any]) -> Iterator[Exchange]:
    entries = document["log"]["entries"]
    if not isinstance(entries, list):
        raise UnreadableTraffic("HAR `log.entries` is not a list")
    for number, entry in enumerate(entries, 1):
        request, response = entry["request"], entry.get("response") or {}
        headers = {str(h["name"]).lower(): str(h["value"]) for h in request.get("headers", [])}
        post = request.get("postData")
        body = _har_text(post) if post else None
        status = int(response.get("status", 0))
        # HAR writes status 0 (or -1) for a request that got no answer.
        answered = status > 0
        content = _har_text(response.get("content") or {}) if answered else None
        yield Exchange(
            number, str(request["method"]).upper(), str(request["url"]), headers, body, status or None, content
        )


def _vcr_body(body: Mapping[str, Any] | None) -> bytes | None:
    if not body:
        return None
    if "base64_string" in body:
        try:
            return base64.b64decode(str(body["base64_string"]), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise UnreadableTraffic(f"a base64 body does not decode: {exc}") from exc
    string = body.get("string")
    if string is None:
        return None
    encoding = str(body.get("encoding") or "utf-8")
    try:  # the cassette names the encoding: an unknown one, or text it cannot carry, is unreadable traffic
        return str(string).encode(encoding)
    except (LookupError, UnicodeError) as exc:
        raise UnreadableTraffic(f"a body does not encode as {encoding!r}: {exc}") from exc


def _first(values: Any) -> str:
    return str(values[0]) if isinstance(values, list) and values else str(values)


def _vcr(document: Mapping[str, Any]) -> Iterator[Exchange]:
    interactions = document["http_interactions"] or []
    for number, interaction in enumerate(interactions, 1):
        request, response = interaction["request"], interaction.get("response")
        headers = {str(k).lower(): _first(v) for k, v in (request.get("headers") or {}).items()}
        status = int(response["status"]["code"]) if response else None
        content = _vcr_body(response.get("body")) if response else None
        method, uri = str(request["method"]).upper(), str(request["uri"])
        yield Exchange(number, method, uri, headers, _vcr_body(request.get("body")), status, content)


def load(path: str | Path) -> tuple[str, list[Exchange]]:
    """The exchanges in a HAR or VCR file, and which format it was; ``UnreadableTraffic`` when neither."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UnreadableTraffic(f"cannot read {path}: {exc}") from exc
    document: Any
    try:
        document = json.loads(text)
    except ValueError:
        import yaml  # type: ignore[import-untyped,unused-ignore]  # schemathesis needs it: the conformance extra has it

        try:
            document = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise UnreadableTraffic(f"{path} is neither JSON (HAR) nor YAML (VCR): {exc}") from exc
    if not isinstance(document, dict):
        raise UnreadableTraffic(f"{path} is not a HAR log or a VCR cassette")
    try:
        if "log" in document:
            return "har", list(_har(document))
        if "http_interactions" in document:
            return "vcr", list(_vcr(document))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        if isinstance(exc, UnreadableTraffic):
            raise
        raise UnreadableTraffic(f"{path}: a malformed entry ({type(exc).__name__}: {exc})") from exc
    raise UnreadableTraffic(f"{path} has neither `log.entries` (HAR 1.2) nor `http_interactions` (VCR)")


# -- judging --------------------------------------------------------------------------------------


def _problems(op: _spec.Operation, exchange: Exchange) -> Iterator[tuple[str, _rules.Problem]]:
    assert exchange.status is not None
    status, content = exchange.status, exchange.content
    envelope = parse_envelope(content)
    found = [
        ("status_code_conformance", _rules.status_documented(op, status)),
        ("inband_code_documented", _rules.code_documented(op, status, content)),
        ("inband_data_conformance", _rules.data_conforms(op, envelope)),
        (
            "inband_invalid_request_refused",
            _rules.invalid_request_refused(
                op, exchange.url, exchange.body, status, envelope, exchange.headers.get("content-type")
            ),
        ),
        ("inband_auth_enforced", _rules.unauthenticated_refused(op, exchange.headers.get("authorization"), envelope)),
        ("inband_not_a_server_error", _rules.not_a_server_error(envelope)),
    ]
    for rule, problem in found:
        if problem is not None:
            yield rule, problem
    if not any(problem for _, problem in found[:3]):  # the envelope rules already named the schema break
        schema = _rules.response_conforms(op, status, content)
        if schema is not None:
            yield "response_schema_conformance", schema


def judge(exchanges: Iterable[Exchange], source: str = "", fmt: str = "") -> TrafficResult:
    """Apply every rule to every kie exchange."""
    items = list(exchanges)
    result = TrafficResult(source=source, format=fmt, entries=len(items))
    for exchange in items:
        op = operation_for(exchange.method, urlsplit(exchange.url).path)
        if op is None:
            continue
        if exchange.status is None:
            result.unanswered.append(exchange.label)
            continue
        result.judged.append(exchange.label)
        for rule, problem in _problems(op, exchange):
            result.findings.append(Finding(exchange.label, op.operation_id, rule, problem.field, problem.message))
    return result


def _secrets(exchanges: Iterable[Exchange], given: Iterable[str]) -> list[str]:
    found = set(given)
    for exchange in exchanges:
        value = exchange.headers.get("authorization")
        if value:
            found.add(value)
            found.add(value.partition(" ")[2].strip())
    # Longest first: a whole "Bearer KEY" goes before the bare key it contains.
    return sorted((s for s in found if len(s) >= MIN_SECRET_LENGTH), key=len, reverse=True)


def check_file(path: str | Path, *, secrets: Iterable[str] = ()) -> TrafficResult:
    """Read and judge a traffic file; messages come back with every key redacted."""
    fmt, exchanges = load(path)
    if not any(operation_for(e.method, urlsplit(e.url).path) for e in exchanges):
        raise UnreadableTraffic(f"{path} holds {len(exchanges)} entries but no request to a kie operation of the spec")
    result = judge(exchanges, str(path), fmt)
    hidden = _secrets(exchanges, secrets)
    result.findings = [
        Finding(redact(f.entry, also=hidden), f.operation, f.rule, f.field, redact(f.message, also=hidden))
        for f in result.findings
    ]
    result.judged = [redact(label, also=hidden) for label in result.judged]
    result.unanswered = [redact(label, also=hidden) for label in result.unanswered]
    return result


# -- reporting ------------------------------------------------------------------------------------


def verdict(result: TrafficResult) -> str:
    """One line: conforms or not, and how much was judged."""
    word = "conforms" if not result.findings else "does NOT conform"
    return (
        f"{result.source} {word}: {len(result.judged)} kie exchange(s) judged of {result.entries} entries, "
        f"{len(result.findings)} violation(s)"
    )


def render(result: TrafficResult) -> str:
    """The findings for people: entry, rule, field, message."""
    lines = [verdict(result)]
    for f in result.findings:
        lines += [f"{f.entry} ({f.operation})", f"  rule: {f.rule}", f"  field: {f.field}", f"  {f.message}"]
    if result.unanswered:
        lines.append(f"not judged (no answer recorded): {', '.join(result.unanswered)}")
    return "\n".join(lines)


def document(result: TrafficResult) -> dict[str, Any]:
    """The result as one JSON document (``--json``)."""
    return {
        "source": result.source,
        "format": result.format,
        "conforms": not result.findings,
        "entries": result.entries,
        "judged": result.judged,
        "unanswered": result.unanswered,
        "violations": [
            {"entry": f.entry, "operation": f.operation, "rule": f.rule, "field": f.field, "message": f.message}
            for f in result.findings
        ],
    }


def write_junit(result: TrafficResult, path: str | Path) -> None:
    """One JUnit test case per judged exchange, failing with the rules it broke."""
    by_entry: dict[str, list[results.Failure]] = {label: [] for label in result.judged}
    for f in result.findings:
        by_entry.setdefault(f.entry, []).append(results.Failure(f.rule, f"`{f.field}`: {f.message}"))
    cases = [
        results.Case(name=label, classname="veo3.check-traffic", failures=tuple(found))
        for label, found in by_entry.items()
    ]
    results.write_junit(path, f"veo3 check-traffic {result.source}", cases)
