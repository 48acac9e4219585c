"""Small shared helpers with no knowledge of the API: logging with key redaction, networking, files, serving.

Layer rule (tests/test_layers.py): the bottom layer; ``_utils`` imports nothing else from veo3 but ``errors``.
"""
