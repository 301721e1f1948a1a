"""Benchmarks: every figure is a ratio against a baseline measured in the same run.

Run ``python benchmarks/run.py [--quick] [--json]``; see docs/performance.md.
"""
