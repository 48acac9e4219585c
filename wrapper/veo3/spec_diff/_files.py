"""Reading the two inputs of ``veo3 spec-diff`` besides the specs' contents: spec files and the ignore file."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from veo3.spec_diff._report import AcceptedBreak
from veo3.spec_diff._rules import LEVELS, Level, is_rule_id

IGNORE_FILE = Path("openapi/spec-diff-ignore.json")
_ENTRY_KEYS = ("id", "location", "reason")
_LEVEL_KEYS = ("level", "reason")


def load_spec_file(path: str | Path) -> Mapping[str, Any]:
    """Read a spec from a JSON file (or YAML, when PyYAML is installed and the name ends in .yaml/.yml).

    Raises ``OSError`` when the file cannot be read and ``ValueError`` when it is not an OpenAPI document.
    """
    p = Path(path)
    text = p.read_text(encoding="utf-8")
    if p.suffix in (".yaml", ".yml"):
        try:
            import yaml  # type: ignore[import-untyped,unused-ignore]  # only for YAML specs
        except ImportError:
            raise ValueError(f"{p}: reading YAML needs PyYAML (pip install pyyaml), or convert it to JSON") from None

        try:
            loaded = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ValueError(f"{p}: not valid YAML: {exc}") from None
    else:
        loaded = _json(p, text)
    if not isinstance(loaded, Mapping):
        raise ValueError(f"{p}: not an OpenAPI document (top level is not an object)")
    return loaded


def load_ignore_file(path: str | Path) -> list[AcceptedBreak]:
    """The accepted breaks listed in ``path``: ``{"accepted": [{"id", "location", "reason"}, ...]}``.

    Every entry needs all three strings, a reason included (an accepted break without a reason is a
    review nobody can check); unknown keys and repeated entries are refused, so a typo cannot silently
    accept nothing. Raises ``OSError`` or ``ValueError`` (the message names the file and the entry).
    """
    p = Path(path)
    loaded = _document(p)
    entries: list[AcceptedBreak] = []
    for index, raw in enumerate(loaded["accepted"]):
        where = f"{p}: accepted[{index}]"
        if not isinstance(raw, dict):
            raise ValueError(f"{where}: not an object")
        extra = sorted(set(raw) - set(_ENTRY_KEYS))
        if extra:
            raise ValueError(f"{where}: unknown key(s) {', '.join(extra)}")
        for key in _ENTRY_KEYS:
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                raise ValueError(f"{where}: {key!r} must be a non-empty string")
        entry = AcceptedBreak(raw["id"], raw["location"], raw["reason"])
        if any((e.id, e.location) == (entry.id, entry.location) for e in entries):
            raise ValueError(f"{where}: {entry.id} at {entry.location!r} is listed twice")
        entries.append(entry)
    return entries


def load_level_overrides(path: str | Path) -> dict[str, Level]:
    """The project's rule levels in ``path``: ``{"levels": {"<rule id>": {"level", "reason"}}}`` (optional key).

    Moves a rule to ``breaking``, ``warn`` or ``info`` for this project, e.g. a response enum value added
    down to ``warn`` for a client whose enums are open, or a request bound set up to ``breaking``. Each
    override needs a reason, and its id must be one the rule table can produce, so a typo fails loudly.
    Raises ``OSError`` or ``ValueError``.

    Why the ignore file and not ``pyproject.toml``: it is the one file that holds the gate's policy, read
    by default by ``veo3 spec-diff`` wherever it runs (also where there is no pyproject, such as a
    user's copy of the spec), with the same "every exception has a reason" rule, and JSON needs no TOML
    parser.
    """
    p = Path(path)
    raw = _document(p).get("levels", {})
    if not isinstance(raw, dict):
        raise ValueError(f'{p}: "levels" must be an object: {{"<rule id>": {{"level", "reason"}}}}')
    levels: dict[str, Level] = {}
    for rule, spec in raw.items():
        where = f"{p}: levels[{rule!r}]"
        if not is_rule_id(rule):
            raise ValueError(f"{where}: not a spec-diff rule id")
        if not isinstance(spec, dict) or sorted(set(spec) - set(_LEVEL_KEYS)):
            raise ValueError(f'{where}: expected {{"level", "reason"}}')
        level, reason = spec.get("level"), spec.get("reason")
        if level not in LEVELS:
            raise ValueError(f"{where}: level must be one of {', '.join(LEVELS)}")
        if not isinstance(reason, str) or not reason.strip():
            raise ValueError(f"{where}: 'reason' must be a non-empty string")
        levels[rule] = level
    return levels


def _document(p: Path) -> dict[str, Any]:
    loaded = _json(p, p.read_text(encoding="utf-8"))
    if not isinstance(loaded, dict) or not isinstance(loaded.get("accepted"), list):
        raise ValueError(f'{p}: expected {{"accepted": [{{"id", "location", "reason"}}, ...]}}')
    unknown = sorted(set(loaded) - {"accepted", "levels", "$comment"})
    if unknown:
        raise ValueError(f"{p}: unknown key(s) {', '.join(unknown)}")
    return loaded


def _json(path: Path, text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as exc:
        raise ValueError(f"{path}: not valid JSON: {exc}") from None
