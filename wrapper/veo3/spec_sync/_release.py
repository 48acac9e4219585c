"""A spec change is a release: the package version follows the spec-diff verdict, and CHANGELOG.md says why.

Breaking -> next major, anything else that changed the spec -> next minor. The entry is the sync report.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from veo3.spec_sync._errors import SpecSyncError

_VERSION = re.compile(r'^(version = ")(\d+)\.(\d+)\.(\d+)(")', re.M)
_HEADER = "# Changelog\n\nEach `veo3 spec sync` that changed the spec is a release, written from its report.\n"


def next_version(current: str, breaking: bool) -> str:
    """``1.4.2`` -> ``2.0.0`` when breaking, else ``1.5.0``."""
    major, minor, _ = (int(x) for x in current.split("."))
    return f"{major + 1}.0.0" if breaking else f"{major}.{minor + 1}.0"


def release(root: Path, breaking: bool, day: str, body: Callable[[], str]) -> str:
    """Bump ``pyproject.toml``'s version and prepend a CHANGELOG.md entry; return the new version."""
    pyproject = root / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    found = _VERSION.search(text)
    if found is None:
        raise SpecSyncError(f'{pyproject}: no version = "X.Y.Z" line')
    version = next_version(".".join(found.group(2, 3, 4)), breaking)
    pyproject.write_text(text[: found.start()] + f'version = "{version}"' + text[found.end() :], encoding="utf-8")
    changelog = root / "CHANGELOG.md"
    old = changelog.read_text(encoding="utf-8") if changelog.is_file() else _HEADER
    head, _, rest = old.partition("\n## ")
    kind = "breaking" if breaking else "additive"
    entry = f"## {version} ({day}, kie docs sync, {kind})\n\n" + body().replace("## kie docs sync\n\n", "", 1)
    entry = entry.replace("\n### ", "\n#### ")
    changelog.write_text(head.rstrip("\n") + "\n\n" + entry + ("\n## " + rest if rest else ""), encoding="utf-8")
    return version
