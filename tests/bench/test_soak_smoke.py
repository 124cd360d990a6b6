"""The soak harness (`make soak`) end to end, for two seconds per server:
every server starts, answers without errors, and the report is written.
No timing or memory figure is asserted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ..e2e.server import wasmtime
from ..paths import ROOT

pytestmark = pytest.mark.e2e


def test_soak_runs_every_mode_and_the_sdk(tmp_path: Path) -> None:
    out = tmp_path / "soak.md"
    done = subprocess.run([sys.executable, "-m", "bench.soak", "--seconds", "2", "--concurrency", "4",
                           "--rate-hint", "500", "--runtimes", "wasmtime-reuse,wasmtime-fresh,jco", "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    report = out.read_text()
    servers = ["composed (jco)", "official SDK"]
    if wasmtime():
        servers += ["composed (wasmtime-reuse)", "composed (wasmtime-fresh)"]
    for server in servers:
        assert f"| {server} | " in report, server
        row = next(line for line in report.splitlines() if line.startswith(f"| {server} | "))
        assert row.split(" | ")[4] == "0", row  # errors
