"""Batch jobs: one per line of a JSON Lines or CSV file, checked against the spec before anything is sent.

A job line's keys are the library's keywords (``prompt``, ``model``, ``aspect_ratio``, ...), passed to
``generate`` untouched, so a field the spec gains works in a batch with no edit here. The job-level keys
are ``id`` (default: the line number), ``extend`` (prompts, chained; each a string or an object of
``extend`` keywords with a ``prompt``), ``hd``/``uhd`` (also fetch the 1080p / 4K video) and ``output``
(the file name). Files are read line by line: memory does not grow with their length.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import RequestValidationError

__all__ = ["JOB_KEYS", "ExtendStep", "Job", "LineError", "job_from_mapping", "read_jobs", "validate_job"]

#: Keys a job line may carry besides the ``generate`` keywords.
JOB_KEYS = frozenset({"id", "extend", "hd", "uhd", "output"})
#: The parent task id extension steps are validated with, before the real parent exists.
PLACEHOLDER_TASK_ID = "veo_task_placeholder"
_TRUE, _FALSE = {"true", "1", "yes", "y"}, {"false", "0", "no", "n", ""}


@dataclass(frozen=True)
class ExtendStep:
    """One extension of a job's chain: its prompt and ``extend`` keywords."""

    prompt: str
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Job:
    """One video to make: ``generate(prompt, **options)``, then each ``extend`` step, then 1080p/4K."""

    line: int
    id: str
    prompt: str
    options: Mapping[str, Any]
    extend: tuple[ExtendStep, ...] = ()
    hd: bool = False
    uhd: bool = False
    output: str | None = None
    source: Mapping[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """Identity in a batch's record: the id plus a digest of the line, so an edited line is a new job."""
        digest = hashlib.sha256(json.dumps(self.source, sort_keys=True, default=str).encode()).hexdigest()[:16]
        return f"{self.id}#{digest}"

    @property
    def file_stem(self) -> str:
        """The base of the file names written for this job."""
        return Path(self.output).stem if self.output else _safe_name(self.id)

    @property
    def creates(self) -> int:
        """Create requests (generate + extensions) the job needs."""
        return 1 + len(self.extend)


@dataclass(frozen=True)
class LineError:
    """A line that cannot become a job (or breaks the spec): nothing of the file is sent."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


def _safe_name(text: str) -> str:
    cleaned = "".join(c if c.isalnum() or c in "-_." else "_" for c in text).strip("._")
    return cleaned or "job"


def _flag(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise RequestValidationError(name, "type", value, "must be true or false")


def _steps(value: Any) -> tuple[ExtendStep, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):  # one prompt (CSV cells may also hold a JSON array, decoded earlier)
        value = [value]
    if not isinstance(value, list):
        raise RequestValidationError("extend", "type", value, "must be a list of prompts")
    steps = []
    for index, item in enumerate(value):
        if isinstance(item, str):
            steps.append(ExtendStep(item))
        elif isinstance(item, dict) and isinstance(item.get("prompt"), str):
            steps.append(ExtendStep(item["prompt"], {k: v for k, v in item.items() if k != "prompt"}))
        else:
            raise RequestValidationError(f"extend[{index}]", "type", item, "a prompt, or an object with a prompt")
    return tuple(steps)


def _output(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or Path(value).name != value or value in (".", ".."):
        raise RequestValidationError("output", "format", value, "must be a plain file name (no folders)")
    return value


def job_from_mapping(line: int, data: Mapping[str, Any], defaults: Mapping[str, Any] | None = None) -> Job:
    """A ``Job`` from one parsed line (``defaults``: keywords every job gets unless it sets them)."""
    if not isinstance(data, Mapping):
        raise RequestValidationError("line", "type", data, "each line must be a JSON object")
    raw_id = data.get("id", line)
    if isinstance(raw_id, bool) or not isinstance(raw_id, str | int) or str(raw_id).strip() == "":
        raise RequestValidationError("id", "type", raw_id, "must be a non-empty string or a number")
    prompt = data.get("prompt")
    if not isinstance(prompt, str):
        raise RequestValidationError("prompt", "required" if prompt is None else "type", prompt, "give a prompt")
    options = dict(defaults or {})
    options.update({k: v for k, v in data.items() if k not in JOB_KEYS and k != "prompt"})
    return Job(
        line=line,
        id=str(raw_id),
        prompt=prompt,
        options=options,
        extend=_steps(data.get("extend")),
        hd=_flag("hd", data.get("hd", False)),
        uhd=_flag("uhd", data.get("uhd", False)),
        output=_output(data.get("output")),
        source=dict(data),
    )


def validate_job(core: Any, job: Job) -> None:
    """Check every request of ``job`` with the library's own validation; nothing is sent.

    ``core.generate``/``core.extend`` validate eagerly and return an unstarted flow, closed here.
    Extension steps are checked against a placeholder parent (the real one does not exist yet).
    """
    try:
        core.generate(job.prompt, job.options).close()
        for step in job.extend:
            core.extend(PLACEHOLDER_TASK_ID, step.prompt, step.options).close()
    except TypeError as exc:  # a key that is not a keyword of the library
        name = _bad_keyword(exc)
        detail = f"unknown key {name!r}: not a keyword of generate/extend nor a job key ({', '.join(sorted(JOB_KEYS))})"
        raise RequestValidationError(name, "additionalProperties", name, detail) from None


def _bad_keyword(exc: TypeError) -> str:
    found = re.search(r"keyword argument '([^']+)'", str(exc))
    return found.group(1) if found else "request"


# -- reading files -----------------------------------------------------------------------------------


def read_jobs(path: str | Path, defaults: Mapping[str, Any] | None = None) -> Iterator[Job | LineError]:
    """The jobs of a JSON Lines or CSV (with a header) file, one at a time, in file order.

    CSV is chosen by a ``.csv`` suffix. Blank lines and lines starting with ``#`` (JSON Lines) are
    skipped. A line that cannot become a job is a ``LineError``; so is a repeated ``id`` or ``output``.
    """
    source = Path(path)
    rows = _csv_rows(source) if source.suffix.lower() == ".csv" else _jsonl_rows(source)
    ids: set[str] = set()
    outputs: set[str] = set()
    for line, data in rows:
        if isinstance(data, LineError):
            yield data
            continue
        try:
            job = job_from_mapping(line, data, defaults)
        except RequestValidationError as exc:
            yield LineError(line, exc.field or "line", str(exc))
            continue
        name = f"{job.file_stem}.mp4"
        if job.id in ids or name in outputs:
            clash = "id" if job.id in ids else "output"
            value = job.id if clash == "id" else name
            yield LineError(line, clash, f"{clash} {value!r} repeats an earlier line")
            continue
        ids.add(job.id)
        outputs.add(name)
        yield job


def _jsonl_rows(path: Path) -> Iterator[tuple[int, Any]]:
    with path.open(encoding="utf-8") as handle:
        for number, text in enumerate(handle, start=1):
            stripped = text.strip()
            if not stripped or stripped.startswith("#"):
                continue
            try:
                yield number, json.loads(stripped)
            except ValueError as exc:
                yield number, LineError(number, "line", f"not a JSON object: {exc}")


def _csv_rows(path: Path) -> Iterator[tuple[int, Any]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            number = reader.line_num
            if None in row:
                yield number, LineError(number, "line", "more cells than the header has columns")
                continue
            values = {k.strip(): _cell(k.strip(), v) for k, v in row.items() if k and v is not None and v != ""}
            if values:
                yield number, values


def _cell(name: str, value: str) -> Any:
    """A CSV cell as the value its keyword takes: JSON-decoded unless the spec types the field a string."""
    if name in ("id", "output", "prompt", "hd", "uhd"):
        return value
    if name == "extend":
        return _json_or(value, value)
    kind = _spec_types().get(name)
    if kind == "string":
        return value
    decoded = _json_or(value, None)
    if decoded is None and kind == "array":
        return [value]  # a single URL in a cell
    return value if decoded is None else decoded


def _json_or(text: str, fallback: Any) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return fallback


@cache
def _spec_types() -> Mapping[str, str]:
    """``{keyword: JSON type}`` for the generate request's fields, from the spec."""
    from veo3._spec._operations import GENERATE

    types: dict[str, str] = {}
    for spec_field in GENERATE.request_fields:
        kind = spec_field.schema.get("type")
        if isinstance(kind, str):
            types[spec_field.python_name] = kind
    return types
