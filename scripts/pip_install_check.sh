#!/usr/bin/env bash
# `pip install . httpx==VERSION` in a fresh virtual environment, then the client runs a whole task on it
# (generate, wait, download) against the embedded simulator: what a user with that httpx gets.
# Usage: scripts/pip_install_check.sh [HTTPX_VERSION]   (default 0.29.0)
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:-0.29.0}
uv=${UV:-uv}
venv=$(mktemp -d)/venv
trap 'rm -rf "$(dirname "$venv")"' EXIT
# --seed: pip in the environment (uv's own venv has none), so the install below is pip's, as a user's.
"$uv" venv --quiet --seed --python "$(.venv/bin/python -c 'import sys; print(sys.executable)')" "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check . "httpx==$version"
cd "$venv"  # not the checkout: the installed package, not wrapper/ on sys.path
"$venv/bin/python" - "$version" <<'PY'
import sys, tempfile
import httpx
from veo3 import Veo3Client
from veo3.mock import MockConfig, MockServer

assert httpx.__version__ == sys.argv[1], httpx.__version__
with MockServer(MockConfig(time_scale=0.001, rate_limit=None)) as server, tempfile.TemporaryDirectory() as out:
    with Veo3Client("check-key", base_url=server.url) as client:
        info = client.generate_and_wait("a pip-installed cat", timeout=60)
        path = client.download(info.video_url, out)
        assert info.is_success and path.stat().st_size > 0
print(f"veo3 on httpx {httpx.__version__}: generate_and_wait + download OK")
PY
