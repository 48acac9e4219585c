"""kie's published docs as the spec's upstream: ``make spec`` and ``veo3 spec sync``.

``openapi/upstream/`` holds kie's OpenAPI fragment of every page the spec covers, verbatim, with
``manifest.json`` (url, file, sha256, date the content last changed). ``openapi/overlay.yaml`` (OpenAPI
Overlay 1.0) holds every deliberate difference between kie's pages and our spec, each with its reason.
:func:`build` makes ``openapi/veo3-api.json`` from the two; :func:`sync` refreshes the upstream pages
from kie's site (or a mirror) and reports what moved. See ``docs/guides/spec-sync.md``.
"""

from __future__ import annotations

from veo3.spec_sync._build import Build, Project, build, build_from, render
from veo3.spec_sync._carry import Carried
from veo3.spec_sync._errors import SpecSyncError
from veo3.spec_sync._extract import extract_fragment
from veo3.spec_sync._normalise import fragment_paths, merge_fragments
from veo3.spec_sync._overlay import Action, ActionResult, apply_overlay, read_actions
from veo3.spec_sync._sync import SyncReport, sync

__all__ = [
    "Action",
    "ActionResult",
    "Build",
    "Carried",
    "Project",
    "SpecSyncError",
    "SyncReport",
    "apply_overlay",
    "build",
    "build_from",
    "extract_fragment",
    "fragment_paths",
    "merge_fragments",
    "read_actions",
    "render",
    "sync",
]
