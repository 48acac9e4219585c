"""The I/O half: drivers that perform the core's effects, the senders under them, and the two client faces.

``_async`` is the hand-written face; ``_sync`` is generated from it by ``scripts/unasync.py`` (``make
check-generated`` fails on a hand edit). ``_base.Engine`` (``client.engine``) is the named seam the tools
built on a client use; ``_drivers`` maps httpx's exceptions to the core's failures.

Layer rule (tests/test_layers.py): ``_client`` may import ``batch``, ``webhooks``, ``_core``, ``_spec``,
``errors``, ``_utils`` and the public vocabulary (``types``, ``params``); nothing above it (the public face,
the simulator, conformance, the CLI). No re-exports here: ``veo3/__init__`` loads the faces lazily.
"""
