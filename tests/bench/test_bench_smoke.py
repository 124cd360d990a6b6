"""The bench harness end to end with tiny counts against the real servers:
it must run every step and write the report. No timing is asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench import perf_profile

from ..e2e.server import wasmtime
from ..paths import BUILD, ROOT

pytestmark = pytest.mark.e2e

SMOKE_ARGS = [
    "--no-build",  # reuse the composed example that `make build`/`make test` made
    "--requests", "20", "--concurrency", "1,2", "--warmup", "5",
    "--startup-repeats", "1", "--instance-iterations", "5",
    "--cached-compile", "--fastmcp", "if-installed", "--timeout", "60",
]


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    if not (BUILD / "mcp-http-server.wasm").exists():
        pytest.fail("build/mcp-http-server.wasm is missing: run `make build` first (make test does)")
    out = tmp_path_factory.mktemp("bench")
    # bench/build_server.sh builds the bench server itself when it is missing.
    done = subprocess.run([sys.executable, "-m", "bench", *SMOKE_ARGS, "--out", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    return done, out


def test_runs_every_step_without_errors(bench_run: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    done, out = bench_run
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    results = json.loads((out / "results.json").read_text())
    assert results["failures"] == []
    assert results["load"] and all(row["errors"] == 0 for row in results["load"])


def test_report_has_every_section_and_row(bench_run: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    _, out = bench_run
    report = (out / "report.md").read_text()
    for heading in ("## 1. Build", "## 2. Startup", "## 3. Throughput and latency", "### Request path at c1",
                    "## 4. Per-request instance", "## 5. Memory", "## Load generator", "## Targets"):
        assert heading in report
    # wasmtime's rows are measured where it is installed (the header says whether).
    wasmtime_modes = ("composed (wasmtime-reuse)", "composed (wasmtime-fresh)", "single (wasmtime-reuse)",
                      "single (wasmtime-fresh)") if wasmtime() else ()
    for server in (*wasmtime_modes, "composed (jco)", "single (jco)", "official SDK"):
        for workload in ("tools/call echo", "tools/call text_stats", "tools/list"):
            for concurrency in (1, 2):
                assert f"| {server} | {workload} | {concurrency} | 20 | 0 |" in report
    for row in ("composed (spin)", "FastMCP", "composed (wasmtime-py, stdio, serialized)",
                "instantiate + one call", "p50 at c1 <= 1.5 ms",
                "component <= 40 MB", "component <= 20 MB", "Python in Wasm"):
        assert row in report
    assert (out / "report.png").stat().st_size > 10_000
    if wasmtime():
        # perf profiles each wasmtime mode where perf can sample; else the report says why not.
        heading = "## Where the CPU time of one tools/call goes (wasmtime serve, c1, echo)"
        assert heading in report
        if perf_profile.unavailable() is None:
            assert "### composed (wasmtime-fresh)" in report and "guest: CPython" in report
        else:
            assert "Not profiled: " in report


def test_prints_the_ratio_table(bench_run: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    done, _ = bench_run
    assert "| server | workload | c | requests | errors | req/s | p50 ms | p99 ms | req/s vs SDK |" in done.stdout
    assert "| target | value | status | by how much |" in done.stdout
