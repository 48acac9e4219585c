"""The sans-IO core: no I/O, no sockets, no sleeping. Flows yield effects; the drivers in ``_client`` perform them.

Layer rule (tests/test_layers.py): ``_core`` imports only ``_spec``, ``_utils``, ``errors``, ``types``, ``params`` and
the generated client's models; never asyncio, httpx, threading or a client. It holds the effect vocabulary
(``_effects``), the flows of every operation (``_flows``), request building and answer reading (``_request``),
the retry and error policy as one table (``_policy``), polling, rate limiting, downloads and uploads.
No re-exports here: each module is imported by its own name.
"""
