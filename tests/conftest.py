"""Shared test setup: import paths, and a header naming what is under test."""

from __future__ import annotations

import sys

from tests.e2e.server import report
from tests.paths import BUILD, ROOT

# The transport's pure-Python layers are tested on the host, like the SDK.
sys.path.insert(0, str(ROOT / "transport"))


def pytest_report_header() -> list[str]:
    """Say which built artifacts the component and end-to-end tests use."""
    lines = []
    for path in (BUILD / "providers" / "toolbox.wasm", BUILD / "mcp-http-server.wasm"):
        state = f"{path.stat().st_size / 1e6:.1f} MB" if path.exists() else "missing: run `make build`"
        lines.append(f"component: {path.relative_to(ROOT)} ({state})")
    lines.extend(report())
    return lines
