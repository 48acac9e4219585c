"""``make spec``: ``openapi/veo3-api.json`` from kie's fragments (``openapi/upstream/``) and our overlay.

upstream fragments --normalise--> one OpenAPI document --overlay--> our spec --carry--> + what kie added
--> JSON (2-space indent, ASCII, keys in document order, root keys in :data:`ROOT_ORDER`, newline at end).
The same inputs give the same bytes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from veo3.spec_sync._carry import Carried, carry_upstream
from veo3.spec_sync._errors import SpecSyncError
from veo3.spec_sync._normalise import merge_fragments
from veo3.spec_sync._overlay import Action, ActionResult, apply_overlay, read_actions
from veo3.spec_sync._yaml import load_yaml

# The root of an Overlay's output keeps the base document's key order, and the base (kie's fragments)
# has only `openapi` and `paths`; our spec's root order is stated once here instead.
ROOT_ORDER = ("openapi", "info", "jsonSchemaDialect", "x-rate-limit", "servers", "security", "tags", "paths")


@dataclass(frozen=True)
class Project:
    """Where the spec's inputs and output live in a checkout."""

    root: Path

    @property
    def upstream(self) -> Path:
        return self.root / "openapi" / "upstream"

    @property
    def manifest(self) -> Path:
        return self.upstream / "manifest.json"

    @property
    def overlay(self) -> Path:
        return self.root / "openapi" / "overlay.yaml"

    @property
    def spec(self) -> Path:
        return self.root / "openapi" / "veo3-api.json"


@dataclass(frozen=True)
class Build:
    """One build: the normalised upstream, the spec's text, and what the overlay and the carry step did."""

    upstream: dict[str, Any]
    spec: dict[str, Any]
    text: str
    actions: list[ActionResult]
    carried: list[Carried]


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest, checked for the fields the build and the sync use."""
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SpecSyncError(f"{path}: unreadable manifest: {exc}") from None
    pages = manifest.get("pages") if isinstance(manifest, dict) else None
    if not isinstance(pages, list) or not all(
        isinstance(p, dict) and {"url", "file", "sha256"} <= set(p) for p in pages
    ):
        raise SpecSyncError(f"{path}: manifest needs 'pages', each with url, file and sha256")
    return manifest  # type: ignore[no-any-return]


def is_fragment(file: str) -> bool:
    """Pages stored as ``.yaml`` carry an OpenAPI fragment; ``.md`` pages (the callback pages) are watched only."""
    return file.endswith(".yaml")


def sha256(text: str) -> str:
    """The manifest's checksum of a stored page."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalised_upstream(files: dict[str, str]) -> dict[str, Any]:
    """The normalised OpenAPI document from stored fragments (``{file: yaml text}``, in manifest order)."""
    return merge_fragments((name, load_yaml(text, name)) for name, text in files.items() if is_fragment(name))


def read_overlay(path: Path) -> list[Action]:
    """The overlay's actions."""
    return read_actions(read_overlay_document(path), str(path))


def read_overlay_document(path: Path) -> Any:
    """The overlay file as loaded (the sync edits its restatements in place, then writes it back)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SpecSyncError(f"{path}: {exc}") from None
    return load_yaml(text, str(path), max_bytes=8 * 1024 * 1024)


def dump_overlay(document: Any, header: str) -> str:
    """The overlay as YAML: ``header`` (its leading comment lines), then block style, multi-line strings as ``|``."""
    import yaml  # type: ignore[import-untyped,unused-ignore]

    class _Dumper(yaml.SafeDumper):  # type: ignore[misc,unused-ignore]
        pass

    def _str(dumper: Any, data: str) -> Any:
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|" if "\n" in data else None)

    _Dumper.add_representer(str, _str)
    return header + yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120)


def render(spec: dict[str, Any]) -> str:
    """The spec as committed: root keys in :data:`ROOT_ORDER` (then the rest), JSON with a 2-space indent."""
    ordered = {k: spec[k] for k in ROOT_ORDER if k in spec} | {k: v for k, v in spec.items() if k not in ROOT_ORDER}
    return json.dumps(ordered, indent=2, ensure_ascii=True) + "\n"


def build_from(files: dict[str, str], actions: list[Action]) -> Build:
    """Normalise, apply the overlay, carry kie's additions, render."""
    upstream = normalised_upstream(files)
    spec, results = apply_overlay(upstream, actions)
    carried = carry_upstream(upstream, spec)
    return Build(upstream, spec, render(spec), results, carried)


def stored_files(project: Project, manifest: dict[str, Any]) -> dict[str, str]:
    """Each page the manifest lists, as stored under ``openapi/upstream/`` (checked against its sha256)."""
    files: dict[str, str] = {}
    for page in manifest["pages"]:
        path = project.upstream / page["file"]
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise SpecSyncError(f"{path}: {exc}") from None
        if sha256(text) != page["sha256"]:
            raise SpecSyncError(f"{path}: sha256 differs from the manifest (edited by hand? run `veo3 spec sync`)")
        files[page["file"]] = text
    return files


def build(project: Project) -> Build:
    """The spec as ``make spec`` builds it from the checkout's upstream pages and overlay."""
    manifest = read_manifest(project.manifest)
    return build_from(stored_files(project, manifest), read_overlay(project.overlay))
