"""The spec layer: the only reader of ``openapi/veo3-api.json`` and ``prices.json``.

It holds the document walker (``_document``), the operation table (``_operations``), request validation
(``_validation``, ``_fastcheck``), the price table (``_prices``) and image rules (``_images``).

Layer rule (tests/test_layers.py): ``_spec`` imports only ``errors``, ``_utils``, ``types``, ``params`` and the
generated client; never the core above it. No re-exports here: each module is imported by its own name, so
nothing loads before it is used.
"""
