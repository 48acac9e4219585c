"""Write the blocking client face from the asyncio one, or check (``--check``) that the committed copy matches.

``wrapper/veo3/_client/_async.py`` is the source, written by hand; ``_client/_sync.py`` is its output and
never edited by hand (``make check-generated`` runs ``--check``). Modelled on httpcore's
``scripts/unasync.py``: a table of substitutions applied line by line (each must be used, so a stale one is
seen), with one addition: lines between ``# unasync: async-only`` and ``# unasync: end`` are left out of
the sync face (``max_in_flight``, the ``close`` alias of ``aclose``). The output is then put through
``ruff format`` (the version the lock file pins), so the generated file is as formatted as the rest.

Usage: ``python scripts/unasync.py`` (write) or ``python scripts/unasync.py --check`` (exit 1 on a difference).
"""

from __future__ import annotations

import difflib
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "wrapper" / "veo3" / "_client" / "_async.py"
TARGET = ROOT / "wrapper" / "veo3" / "_client" / "_sync.py"

#: The sync face's first line (the async face's docstring line is replaced by it).
HEADER = (
    '"""``Veo3Client``: the blocking client, generated from ``_async.py`` by ``scripts/unasync.py``."""\n'
    "\n"
    "# Do not edit: change _async.py, then run `python scripts/unasync.py` (`make check-generated` checks).\n"
)

#: (pattern, replacement), applied in order to every line. Specific names first, the general rules after.
SUBS: list[tuple[str, str]] = [
    # The blocking client's batch runs the asyncio runner on a thread: only _client/_twin may name the async face.
    (r"^(\s*)from veo3\.batch import batch_results$", r"\1from ._twin import batch_results"),
    (r"\(asyncio: await each method\)", "(blocking)"),
    (r"\bAsyncDriver\b", "SyncDriver"),
    (r"\bAsyncSender\b", "SyncSender"),
    (r"\bset_async_httpx_client\b", "set_httpx_client"),
    (r"\bAsyncIterator\b", "Iterator"),
    (r"\bAsync([A-Z][A-Za-z0-9_]*)", r"\1"),  # AsyncVeo3Client, httpx.AsyncClient
    (r"\basync def\b", "def"),
    (r"\bawait ", ""),
    (r"\baclose\b", "close"),
    (r"\b__aenter__\b", "__enter__"),
    (r"\b__aexit__\b", "__exit__"),
]
COMPILED = [(re.compile(pattern), replacement) for pattern, replacement in SUBS]

ASYNC_ONLY = "# unasync: async-only"
END = "# unasync: end"


def unasync(text: str) -> str:
    """The sync face for the async face's source ``text``, before formatting."""
    lines = text.splitlines(keepends=True)
    if not lines or not lines[0].startswith('"""'):
        raise SystemExit(f"{SOURCE}: the first line must be the module's one-line docstring")
    out = [HEADER]
    used: set[int] = set()
    skipping = False
    for number, line in enumerate(lines[1:], start=2):
        marker = line.strip()
        if marker == ASYNC_ONLY:
            if skipping:
                raise SystemExit(f"{SOURCE}:{number}: {ASYNC_ONLY} inside another")
            skipping = True
            continue
        if marker == END:
            if not skipping:
                raise SystemExit(f"{SOURCE}:{number}: {END} without {ASYNC_ONLY}")
            skipping = False
            continue
        if skipping:
            continue
        for index, (pattern, replacement) in enumerate(COMPILED):
            line, count = pattern.subn(replacement, line)
            if count:
                used.add(index)
        out.append(line)
    if skipping:
        raise SystemExit(f"{SOURCE}: {ASYNC_ONLY} never ended")
    unused = [SUBS[i][0] for i in range(len(SUBS)) if i not in used]
    if unused:
        raise SystemExit(f"these substitutions were not used (stale: remove them): {unused}")
    return "".join(out)


def formatted(text: str) -> str:
    """``text`` as ``ruff check --fix`` (import order) and ``ruff format`` leave it."""
    ruff = [sys.executable, "-m", "ruff"]
    name = ["--stdin-filename", str(TARGET)]
    text = subprocess.run(
        [*ruff, "check", "--fix", "--select", "I,F401", "--quiet", "--exit-zero", *name, "-"],
        input=text, capture_output=True, text=True, check=True, cwd=ROOT,
    ).stdout  # fmt: skip
    return subprocess.run(
        [*ruff, "format", "--quiet", *name, "-"], input=text, capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout


def main(argv: list[str]) -> int:
    check = "--check" in argv
    expected = formatted(unasync(SOURCE.read_text(encoding="utf-8")))
    if not check:
        TARGET.write_text(expected, encoding="utf-8")
        print(f"{SOURCE.relative_to(ROOT)} -> {TARGET.relative_to(ROOT)}")
        return 0
    actual = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
    if actual == expected:
        print(f"{TARGET.relative_to(ROOT)} matches {SOURCE.relative_to(ROOT)}")
        return 0
    rel = str(TARGET.relative_to(ROOT))
    diff = difflib.unified_diff(
        expected.splitlines(keepends=True), actual.splitlines(keepends=True), f"{rel} (generated)", f"{rel} (committed)"
    )
    sys.stderr.write(
        f"{rel} differs from what scripts/unasync.py writes from {SOURCE.relative_to(ROOT)}: edit the async face, "
        "then run `python scripts/unasync.py`\n"
    )
    sys.stderr.writelines(list(diff)[:200])
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
