"""Benchmarks of the composed MCP server against the official Python SDK.

``python -m bench --help`` (or ``make bench``) runs them and writes
build/bench/report.md and build/bench/report.png.
"""
