"""``python -m veo3.conformance --base-url URL [--api-key KEY] [--max-examples N] [--report FILE] [--allow-paid]``."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line, run the contract suite, print where the report went; return the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m veo3.conformance",
        description="Run the veo3 contract suite against a server; exit 0 only when it conforms to the spec "
        "(1: violations found, listed in the report; 2: the run failed).",
    )
    parser.add_argument("--base-url", required=True, help="the server to test, e.g. http://127.0.0.1:8787")
    parser.add_argument("--api-key", default=os.environ.get("KIE_API_KEY"), help="bearer key (default: $KIE_API_KEY)")
    parser.add_argument("--max-examples", type=int, default=25, help="examples per operation and phase")
    parser.add_argument("--report", default=None, help="write the Markdown report here")
    parser.add_argument(
        "--allow-paid", action="store_true", help="also run generate/extend/4K against a non-loopback host"
    )
    parser.add_argument(
        "--phase",
        action="append",
        choices=("examples", "coverage", "fuzzing", "stateful"),
        help="run only this schemathesis phase (repeatable; default: all)",
    )
    args = parser.parse_args(argv)

    from veo3.conformance import PHASES, run  # after parsing: --help stays instant

    code = run(
        args.base_url,
        api_key=args.api_key,
        max_examples=args.max_examples,
        report=args.report,
        allow_paid=args.allow_paid,
        phases=tuple(args.phase or PHASES),
    )
    verdict = {0: "conforms", 1: "does NOT conform"}.get(code, "could not be tested")
    where = f"; report: {args.report}" if args.report else ""
    print(f"{args.base_url} {verdict}{where}", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
