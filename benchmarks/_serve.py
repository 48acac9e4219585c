"""Child-process entry point: serve an ASGI app factory under uvicorn on an inherited listening socket.

``python -m benchmarks._serve --fd N --factory module:name --kwargs '{...}'``. The parent keeps the client
side; the server gets its own interpreter (no GIL shared with the code being measured).
"""

from __future__ import annotations

import argparse
import importlib
import json
import socket

import uvicorn


def main() -> None:
    """Parse the arguments, build the app and serve it until terminated."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--fd", type=int, required=True)
    parser.add_argument("--factory", required=True)
    parser.add_argument("--kwargs", default="{}")
    args = parser.parse_args()
    module, _, name = args.factory.partition(":")
    app = getattr(importlib.import_module(module), name)(**json.loads(args.kwargs))
    # socket.socket(fileno=...) keeps the real family (AF_INET): uvicorn's own ``fd=`` assumes AF_UNIX, and then
    # asyncio never sets TCP_NODELAY, so Nagle + delayed ACKs add 40 ms to every request.
    sock = socket.socket(fileno=args.fd)
    # No access log: a server logging every line would measure the terminal, not the server.
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="auto")
    uvicorn.Server(config).run(sockets=[sock])


if __name__ == "__main__":
    main()
