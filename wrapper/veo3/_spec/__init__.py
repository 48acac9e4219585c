"""The spec layer: the only reader of ``openapi/veo3-api.json`` and ``prices.json``.

Layer rule (tests/test_layers.py): ``_spec`` imports only ``_utils``, ``errors``, ``types``, ``params`` and the
generated client. It holds the document walker (``_document``), the operation table (``_operations``), request
validation (``_validation``, ``_fastcheck``), the price table (``_prices``) and image rules (``_images``).
No re-exports here: each module is imported by its own name, so nothing loads before it is used.
"""
