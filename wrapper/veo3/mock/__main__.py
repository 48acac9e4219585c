"""``python -m veo3.mock [--host H] [--port P] [...]``: serve the simulator until interrupted."""

from __future__ import annotations

import argparse


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and serve."""
    parser = argparse.ArgumentParser(prog="python -m veo3.mock", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8787)
    parser.add_argument("--time-scale", type=float, default=1.0, help="multiplies every duration")
    parser.add_argument("--seed", type=int, default=None, help="makes task ids and random faults reproducible")
    parser.add_argument("--api-key", action="append", default=None, help="accepted key (repeatable; default: any)")
    parser.add_argument("--webhook-key", default=None, help="signs callbacks")
    parser.add_argument("--mirror-http-status", action="store_true", help="send error codes as the HTTP status")
    args = parser.parse_args(argv)
    from ._config import MockConfig  # after parsing: `--help` stays quick
    from ._server import serve

    config = MockConfig(
        api_keys=args.api_key,
        time_scale=args.time_scale,
        seed=args.seed,
        webhook_key=args.webhook_key,
        mirror_http_status=args.mirror_http_status,
    )
    print(f"veo3 simulator on http://{args.host}:{args.port} (Ctrl+C to stop)", flush=True)
    serve(args.host, args.port, config)


if __name__ == "__main__":
    main()
