"""Soak: every server held under load for a while, errors counted and memory
sampled at the start and the end, beside the official SDK.

    python -m bench.soak [--seconds 60] [--concurrency 64] [--runtimes wasmtime-reuse,...]

`make soak` runs it with the defaults and writes build/bench/soak.md. It
measures, it asserts nothing: the exit status is 1 only when a server could
not be started or an answer was wrong (an error).
"""

from __future__ import annotations

import argparse
import itertools
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .loadgen import run_load
from .measure import client_headers
from .paths import BENCH_BUILD, ROOT
from .procs import PeakMemory, ServerProcess, free_port
from .servers import MODES, ServerSpec, composed_specs, sdk_spec
from .wire import call_text_stats

STARTUP_TIMEOUT = 300.0
CHUNK = 5.0  # seconds of load per run_load call: requests are encoded ahead of each chunk
_ids = itertools.count(1)


@dataclass(frozen=True)
class SoakRow:
    server: str
    seconds: float
    requests: int
    errors: int
    rps: float
    rss_start_mb: float
    rss_end_mb: float
    rss_peak_mb: float
    first_error: str | None


def soak(spec: ServerSpec, seconds: float, concurrency: int, rate_hint: int) -> SoakRow:
    """Hold ``spec`` at ``concurrency`` for ``seconds`` of tools/call text_stats."""
    assert spec.launch is not None
    slug = "".join(c if c.isalnum() else "-" for c in spec.name).strip("-")
    server = ServerProcess(spec.launch, free_port(), BENCH_BUILD / "logs" / f"soak-{slug}.log")
    try:
        server.wait_first_answer(STARTUP_TIMEOUT)
        headers = client_headers(server.port)
        # Warm up first, so "start" is the memory of a server that has served.
        run_load("asyncio", server.port, [call_text_stats(next(_ids)) for _ in range(200)], concurrency, 60,
                 headers=headers)
        start_rss = server.memory()
        requests = errors = 0
        first_error = None
        began = time.perf_counter()
        with PeakMemory(server) as peak:
            while (left := seconds - (time.perf_counter() - began)) > 0:
                chunk = min(CHUNK, left)
                calls = [call_text_stats(next(_ids)) for _ in range(max(concurrency, int(rate_hint * chunk)))]
                result = run_load("asyncio", server.port, calls, concurrency, chunk, headers=headers)
                requests += result.requests
                errors += result.errors
                first_error = first_error or result.first_error
        elapsed = time.perf_counter() - began
        end_rss = server.memory()
        return SoakRow(spec.name, elapsed, requests, errors, (requests - errors) / elapsed, start_rss / 1e6,
                       end_rss / 1e6, max(peak.peak, end_rss) / 1e6, first_error)
    finally:
        server.stop()


def table(rows: Sequence[SoakRow], concurrency: int) -> str:
    sdk = next((r for r in rows if r.server == "official SDK"), None)
    lines = ["| server | seconds | c | requests | errors | req/s | req/s vs SDK | RSS start MB | RSS end MB | RSS peak MB |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        ratio = f"{r.rps / sdk.rps:.2f}x" if sdk and sdk.rps and r is not sdk else "-"
        lines.append(f"| {r.server} | {r.seconds:.0f} | {concurrency} | {r.requests} | {r.errors} | {r.rps:.0f} | "
                     f"{ratio} | {r.rss_start_mb:.0f} | {r.rss_end_mb:.0f} | {r.rss_peak_mb:.0f} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--runtimes", default=",".join(m for m in MODES if not m.startswith("single-")),
                        help=f"runtime modes of the bench server, of: {', '.join(MODES)}")
    parser.add_argument("--rate-hint", type=int, default=4000, help="requests encoded per second of a chunk")
    parser.add_argument("--out", type=Path, default=BENCH_BUILD / "soak.md")
    args = parser.parse_args(argv)
    # The bench server, built as `make bench` builds it (only when stale).
    subprocess.run([str(ROOT / "bench" / "build_server.sh")], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    specs = composed_specs(tuple(m.strip() for m in args.runtimes.split(",") if m.strip())) + [sdk_spec()]
    rows: list[SoakRow] = []
    failed = False
    for spec in specs:
        if spec.missing:
            print(f"==> soak {spec.name}: {spec.missing}", flush=True)
            continue
        print(f"==> soak {spec.name}: c{args.concurrency} for {args.seconds:.0f} s", flush=True)
        try:
            row = soak(spec, args.seconds, args.concurrency, args.rate_hint)
        except Exception as exc:  # one server's failure is reported, the rest still run
            print(f"    failed: {type(exc).__name__}: {exc}", flush=True)
            failed = True
            continue
        rows.append(row)
        failed = failed or row.errors > 0
        print(f"    {row.requests} requests, {row.errors} errors, {row.rps:.0f} req/s, RSS "
              f"{row.rss_start_mb:.0f} -> {row.rss_end_mb:.0f} MB (peak {row.rss_peak_mb:.0f})"
              + (f"; first error: {row.first_error}" if row.first_error else ""), flush=True)
    report = table(rows, args.concurrency)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(f"# Soak: tools/call text_stats at c{args.concurrency}\n\n{report}\n")
    print(report)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
