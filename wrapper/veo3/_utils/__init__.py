"""Small shared helpers with no knowledge of the API: logging with key redaction, networking, files, serving.

Layer rule (tests/test_layers.py): the bottom layer, beside ``types`` and ``params``: ``_utils`` imports
nothing from veo3 (``errors`` builds on it, not the other way round).
"""
