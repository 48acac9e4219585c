"""Safe, bounded YAML loading for text from the web (kie's pages) and for the overlay.

Pages are untrusted: only PyYAML's safe constructors, a size cap before parsing, and a cap on the number
of nodes *after* aliases are expanded. kie's pages use aliases (``schema: &ref_0`` ... ``*ref_0``, as
js-yaml writes shared schemas), so they cannot be refused outright; but an alias "bomb" is a few hundred
bytes that expand to gigabytes once the document is walked or dumped as JSON, so the expanded tree is
counted, with a cap, before anything else reads it.
"""

from __future__ import annotations

from typing import Any

import yaml  # type: ignore[import-untyped,unused-ignore]

from veo3.spec_sync._errors import SpecSyncError

# libyaml's safe loader when PyYAML was built with it (the wheels are): same safe constructors, ~10x faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_YAML_BYTES = 2 * 1024 * 1024
MAX_YAML_NODES = 500_000


def _count_nodes(root: Any, source: str) -> None:
    stack, count = [root], 0
    while stack:
        node = stack.pop()
        count += 1
        if count > MAX_YAML_NODES:
            raise SpecSyncError(f"{source}: YAML expands to more than {MAX_YAML_NODES} nodes (alias bomb?)")
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def load_yaml(text: str, source: str, *, max_bytes: int = MAX_YAML_BYTES) -> Any:
    """Parse ``text`` (YAML) with the safe loader; ``SpecSyncError`` names ``source`` on any refusal."""
    if len(text.encode("utf-8")) > max_bytes:
        raise SpecSyncError(f"{source}: YAML larger than {max_bytes} bytes")
    try:
        loaded = yaml.load(text, Loader=_LOADER)  # a safe loader (no arbitrary objects)
    except (yaml.YAMLError, RecursionError) as exc:
        raise SpecSyncError(f"{source}: malformed YAML: {exc}".replace("\n", " ")) from None
    _count_nodes(loaded, source)
    return loaded
