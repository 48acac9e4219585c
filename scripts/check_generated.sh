#!/usr/bin/env bash
# Fail, with a readable diff, when the committed spec differs from its build (openapi/upstream/ +
# openapi/overlay.yaml), or the committed generated/ differs from a fresh generation.
set -euo pipefail
cd "$(dirname "$0")/.."
${VEO3:-${UV:-uv} run --frozen veo3} spec build --check
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bash scripts/generate.sh "$tmp/veo3_api"
if ! diff -ru --exclude=__pycache__ generated/veo3_api "$tmp/veo3_api" >"$tmp/diff"; then
  echo "generated/ is out of date with openapi/ (run 'make generate' and commit the result):" >&2
  sed -e "s#$tmp/##" "$tmp/diff" | head -200 >&2
  exit 1
fi
echo "generated/ matches openapi/veo3-api.json"
