"""Conformance testing: does a server (kie.ai, a proxy, the simulator) honour the spec?

``run(base_url, ...)`` drives schemathesis over the packaged spec with checks that understand kie's in-band
``{code, msg, data}`` envelope (:mod:`veo3.conformance._checks`) and returns an exit code: 0 only when the
server conforms. Importing this package loads schemathesis (the ``conformance`` extra:
``pip install 'veo3[conformance]'``); ``import veo3`` alone does not.
"""

from __future__ import annotations

try:
    import schemathesis  # noqa: F401 - an optional dependency: fail early with the install hint
except ImportError as exc:  # pragma: no cover - the dev environment always has it
    raise ImportError("veo3.conformance needs schemathesis: pip install 'veo3[conformance]'") from exc

from ._report import Violation
from ._runner import EXIT_CONFORMS, EXIT_ERROR, EXIT_VIOLATIONS, Outcome, run

# The plumbing (build_config, execute, load_schema, PHASES...) stays in the private modules that own it.
__all__ = ["EXIT_CONFORMS", "EXIT_ERROR", "EXIT_VIOLATIONS", "Outcome", "Violation", "run"]
