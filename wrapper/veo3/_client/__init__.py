"""The I/O half: drivers that perform the core's effects, the senders under them, and the two client faces.

Layer rule (tests/test_layers.py): ``_client`` may import ``batch``, ``webhooks``, ``_core``, ``_spec``, ``_utils``
and the public vocabulary (``errors``, ``types``, ``params``); nothing above it (the CLI, the simulator,
conformance). No re-exports here: ``veo3/__init__`` loads the faces lazily.
"""
