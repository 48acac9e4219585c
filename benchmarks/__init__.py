"""Benchmarks of the veo3 client and simulator, each figure a ratio against raw httpx measured in the same run.

Run them with ``make bench`` (``python -m benchmarks.run``); the report is written to ``BENCHMARKS.md``.
"""
