"""The one error of the spec build and sync: anything that must stop them with nothing written (exit 2)."""

from __future__ import annotations


class SpecSyncError(Exception):
    """A page, fragment, overlay or manifest the build cannot use; the message says which and why."""
