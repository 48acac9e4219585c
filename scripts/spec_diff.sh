#!/usr/bin/env bash
# make spec-diff / make spec-gate: compare two versions of openapi/veo3-api.json with `veo3 spec-diff`.
#
#   scripts/spec_diff.sh diff [ARGS...]  OLD (default: the spec at HEAD) against NEW (default: the working copy)
#   scripts/spec_diff.sh gate [ARGS...]  the spec at the release baseline (the commit in openapi/spec-baseline,
#                                        or $SPEC_BASELINE) against the working copy: exit 1 on a breaking change
#                                        that openapi/spec-diff-ignore.json does not accept
#
# ARGS go to `veo3 spec-diff` (--format markdown, --ignore FILE...). The old spec is read with `git show`, so
# no copy of it is committed. A baseline missing from this clone (a shallow CI checkout) skips the gate with
# a warning instead of failing: `git fetch --unshallow` (or a full clone) brings it back.
set -uo pipefail
cd "$(dirname "$0")/.."
spec=openapi/veo3-api.json
mode=${1:-diff}
shift || true
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

case $mode in
  diff)
    old=${OLD:-}
    if [ -z "$old" ]; then
      git show "HEAD:$spec" >"$tmp" || { echo "spec-diff: cannot read $spec at HEAD (give OLD=FILE)" >&2; exit 2; }
      old=$tmp
    fi
    ;;
  gate)
    ref=${SPEC_BASELINE:-$(tr -d '[:space:]' <openapi/spec-baseline 2>/dev/null)}
    if [ -z "$ref" ]; then
      echo "spec-gate: no baseline: openapi/spec-baseline is missing or empty (put a commit id in it)" >&2
      exit 2
    fi
    if ! git cat-file -e "$ref:$spec" 2>/dev/null; then
      echo "WARNING: spec-gate SKIPPED: the baseline $ref:$spec is not in this clone" \
        "(shallow clone, or not a git checkout?); run 'git fetch --unshallow' to check API compatibility." >&2
      exit 0
    fi
    git show "$ref:$spec" >"$tmp"
    old=$tmp
    echo "spec-gate: $spec at baseline ${ref:0:12} -> working copy" >&2
    ;;
  *)
    echo "usage: scripts/spec_diff.sh diff|gate [veo3 spec-diff options]" >&2
    exit 2
    ;;
esac

${VEO3:-${UV:-uv} run --frozen veo3} spec-diff "$old" "${NEW:-$spec}" "$@"
