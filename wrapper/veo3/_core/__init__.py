"""The sans-IO core, containing no networking code at all: flows yield effects; the drivers in ``_client`` perform them.

No sockets, no event loop, no threads, no sleeping: a flow that must wait yields ``Sleep``, a request
yields ``Call``, a download ``Stream``. It holds the effect vocabulary (``_effects``), the flows of every
operation (``_flows``), request building and answer reading (``_request``), the retry and error policy as
tables with a comment at each kie quirk (``_policy``), polling, rate limiting, downloads and uploads.

Layer rule (tests/test_layers.py): ``_core`` imports ``_spec``, ``errors``, ``_utils``, ``types``, ``params``
and the generated client's models; never ``webhooks``, ``batch`` or a client, and no I/O library (asyncio,
httpx, threading, socket, ``time.sleep``...). No re-exports here: each module is imported by its own name.
"""
