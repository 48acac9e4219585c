"""Finding the OpenAPI fragment in one of kie's Markdown pages (the page URL plus ``.md``).

kie publishes its docs with Mintlify. Two fence styles occur, and both are accepted:

- newer pages: ``## OpenAPI`` and a four-backtick fence whose info string names the source file, the
  method and the path (````` ````yaml veo3-api/veo3-api.json get /api/v1/veo/get-1080p-video `````);
- older pages: ``## OpenAPI Specification`` and a three-backtick ``yaml`` fence.

The fragment is the first ``yaml`` fence after an ``## OpenAPI`` heading; it is returned verbatim (the
exact text kie published), and closes at a line of at least as many backticks as opened it, indented at
most three spaces (CommonMark).
"""

from __future__ import annotations

import re

from veo3.spec_sync._errors import SpecSyncError

_HEADING = re.compile(r"^#{1,3}\s+OpenAPI(\s+Specification)?\s*$")
_OPEN = re.compile(r"^(?P<fence>`{3,})\s*yaml(?:\s+(?P<info>.*))?$")


def extract_fragment(page: str, source: str) -> str:
    """The YAML text of the page's OpenAPI fragment; ``SpecSyncError`` when there is none or it never closes."""
    lines = page.splitlines(keepends=True)
    seen_heading = False
    for index, line in enumerate(lines):
        stripped = line.rstrip("\r\n")
        if _HEADING.match(stripped):
            seen_heading = True
            continue
        opened = _OPEN.match(stripped) if seen_heading else None
        if opened is None:
            continue
        fence = opened["fence"]
        for end in range(index + 1, len(lines)):
            # CommonMark: a closing fence is indented at most 3 spaces (an indented ``` inside a YAML
            # description, as kie's 4K page has, is text).
            closing = lines[end].rstrip("\r\n")
            if (
                len(closing) - len(closing.lstrip(" ")) <= 3
                and set(closing.strip()) == {"`"}
                and closing.strip().startswith(fence)
            ):
                return "".join(lines[index + 1 : end])
        raise SpecSyncError(f"{source}: the OpenAPI YAML block is never closed")
    raise SpecSyncError(f"{source}: no OpenAPI YAML block (an '## OpenAPI' heading then a ```yaml fence)")
