#!/usr/bin/env bash
# Run the pytest suite on the lowest or the highest versions pyproject.toml's ranges allow (uv's resolution
# modes), in a throwaway environment .venv-RESOLUTION/, so the ranges stay honest. uv.lock is not touched:
# `make test` covers the locked versions.
# Usage: scripts/resolution_suite.sh lowest-direct|highest [pytest arguments...]
set -euo pipefail
cd "$(dirname "$0")/.."
resolution=${1:?usage: resolution_suite.sh lowest-direct|highest [pytest args]}
shift
uv=${UV:-uv}
venv=".venv-$resolution"
"$uv" venv --quiet --clear --python "$(.venv/bin/python -c 'import sys; print(sys.executable)')" "$venv"
# The project and the groups `make install` installs (pyproject's default-groups) as the resolution picks
# them (lowest-direct: each direct requirement at its lower bound, the rest as new as they fit; highest:
# everything as new as the ranges allow).
"$uv" pip install --quiet --python "$venv/bin/python" --resolution "$resolution" --group dev --group docs -e .
echo "== $resolution: $("$venv/bin/python" -c 'import httpx; print("httpx", httpx.__version__)')"
"$uv" pip freeze --python "$venv/bin/python" --exclude-editable >"$venv/resolved.txt"
"$venv/bin/python" -m pytest -q "$@"
