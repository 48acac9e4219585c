#!/usr/bin/env bash
# Generate the client package from the spec into DEST (default generated/veo3_api).
# The generator and ruff versions come from tools/generate/uv.lock (the generator's own locked environment,
# apart from the project's: it caps httpx), so the same spec always gives the same bytes.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=${1:-generated/veo3_api}
uv=${UV:-uv}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
${OPC:-$uv run --frozen --quiet --project tools/generate openapi-python-client} generate \
  --path openapi/veo3-api.json \
  --config openapi/generator-config.yaml \
  --custom-template-path openapi/templates \
  --meta none --fail-on-warning \
  --output-path "$tmp/veo3_api" >"$tmp/log" 2>&1 || { cat "$tmp/log" >&2; exit 1; }
rm -rf "$tmp/veo3_api/.ruff_cache"
touch "$tmp/veo3_api/py.typed"
# The spec travels with the client it produced: the wheel carries it for veo3._spec, and any spec change
# (a bound, an enum) shows up in check-generated even when no Python line changes.
cp openapi/veo3-api.json "$tmp/veo3_api/openapi.json"
rm -rf "$dest"
mkdir -p "$(dirname "$dest")"
cp -R "$tmp/veo3_api" "$dest"
