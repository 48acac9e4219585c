"""The conformance report: each violation with the rule broken and a curl line that reproduces it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from veo3._utils._logging import redact

KEY_PLACEHOLDER = "$KIE_API_KEY"
_AUTH_HEADER = re.compile(r"""-H\s+(['"])Authorization:\s*(?:Bearer\s+)?[^'"]*\1""", re.IGNORECASE)
#: The prefix of the deliberately invalid key the checks send (kept verbatim in curl lines).
INVALID_KEY_PREFIX = "veo3-conformance-invalid-"


@dataclass(frozen=True)
class Violation:
    """One way the server broke the contract."""

    operation: str
    rule: str
    title: str
    message: str
    curl: str


def report_safe(text: str, api_key: str | None) -> str:
    """``text`` with the API key replaced by ``$KIE_API_KEY`` (and curl's Authorization header made usable).

    A probe's deliberately invalid key is kept: the curl line must reproduce that exact request.
    """
    # The library's one rule replaces every registered key (a toy key too short to be real is left alone);
    # the Authorization header is rewritten below whatever the key looks like.
    text = redact(text, KEY_PLACEHOLDER, also=(api_key,), headers=False)

    def header(match: re.Match[str]) -> str:
        if INVALID_KEY_PREFIX in match.group(0):
            return match.group(0)
        # Double quotes, so the shell expands $KIE_API_KEY when the line is pasted.
        return f'-H "Authorization: Bearer {KEY_PLACEHOLDER}"'

    return _AUTH_HEADER.sub(header, text)


def render(base_url: str, violations: Iterable[Violation], *, errors: Iterable[str] = (), summary: str = "") -> str:
    """The report as Markdown."""
    items = list(violations)
    problems = list(errors)
    verdict = "CONFORMS" if not items and not problems else "DOES NOT CONFORM"
    lines = [f"# veo3 conformance report: {base_url}", "", f"**{verdict}**", ""]
    if summary:
        lines += [summary, ""]
    lines.append(f"{len(items)} violation(s), {len(problems)} error(s).")
    for number, v in enumerate(items, 1):
        lines += [
            "",
            f"## {number}. {v.operation}: {v.title}",
            "",
            f"- rule broken: `{v.rule}`",
            f"- what happened: {v.message.strip()}",
            "",
            "Reproduce:",
            "",
            "```sh",
            v.curl.strip(),
            "```",
        ]
    if problems:
        lines += ["", "## Errors (the run could not test everything)", ""]
        lines += [f"- {p}" for p in problems]
    return "\n".join(lines) + "\n"
