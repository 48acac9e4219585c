"""The pinned code generator for tests that run scripts/generate.sh on a copy of the project.

The generator lives in its own locked environment (tools/generate/: openapi-python-client caps httpx, the
library does not), made here the way `make generate` makes it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOL = ROOT / "tools" / "generate"


def generator_env() -> dict[str, str]:
    """Environment variables that make scripts/generate.sh use the locked generator (and its ruff)."""
    uv = os.environ.get("UV") or shutil.which("uv") or str(ROOT / ".venv-tools" / "bin" / "uv")
    subprocess.run([uv, "sync", "--frozen", "--quiet", "--project", str(TOOL)], check=True)
    bin_dir = TOOL / ".venv" / "bin"
    return {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "OPC": str(bin_dir / "openapi-python-client")}
