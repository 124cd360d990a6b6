"""Writes report.md (markdown tables) and report.png, and prints the
throughput table with its ratios and the targets."""

from __future__ import annotations

import datetime
import platform
from collections.abc import Sequence
from pathlib import Path

from .chart import write_chart
from .results import LoadRow, Results
from .servers import SDK
from .targets import evaluate, sdk_row


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"


def throughput_table(results: Results) -> str:
    rows = []
    for row in results.load:
        base = sdk_row(results, row)
        rps_ratio = row.rps / base.rps if base and base.rps and row.server != SDK else None
        p50_ratio = row.p50_ms / base.p50_ms if base and base.p50_ms and row.server != SDK else None
        errors = f"{row.errors}" + (" (timed out)" if row.timed_out else "")
        rows.append([row.server, row.workload, row.concurrency, row.requests, errors, f"{row.rps:.0f}",
                     _ms(row.p50_ms), _ms(row.p99_ms), _ratio(rps_ratio), _ratio(p50_ratio)])
    return _table(["server", "workload", "c", "requests", "errors", "req/s", "p50 ms", "p99 ms",
                   "req/s vs SDK", "p50 vs SDK"], rows)


def targets_table(results: Results) -> str:
    return _table(["target", "value", "status", "by how much"],
                  [[t.name, t.value, f"**{t.status}**" if t.status == "missed" else t.status, t.margin]
                   for t in evaluate(results)])


def _sections(results: Results) -> list[str]:
    out = [f"# Bench: composed MCP server vs the official Python SDK\n\n"
           f"{datetime.datetime.now():%Y-%m-%d %H:%M}, {platform.machine()}, {results.config.get('cores')} cores, "
           f"Python {platform.python_version()}. Requests per run: "
           f"{', '.join(f'c{c}: {n}' for c, n in results.config.get('counts', {}).items())} "
           f"(+{results.config.get('warmup')} warm-up per workload). All traffic on 127.0.0.1; every answer "
           "checked (HTTP 200, JSON-RPC id, expected result); a wrong one counts as an error. "
           f"Load average (1 min) before the run: {results.config.get('load_average_start', 0):.1f}, after: "
           f"{results.config.get('load_average_end', 0):.1f} (the bench itself keeps about 2 busy; more means "
           "other work shared the cores and the figures are noisier)."]
    if results.build:
        build = results.build
        rows: list[list[object]] = [["`make build` wall time", "-" if build.seconds is None else f"{build.seconds:.1f} s",
                                     build.note]]
        rows += [[f"size: {name}", f"{size:.1f} MB", ""] for name, size in build.sizes_mb.items()]
        out.append("## 1. Build\n\n" + _table(["item", "value", "note"], rows))
    section = ["## 2. Startup"]
    if results.compile:
        c = results.compile
        section.append(f"wasmtime-py 50, `{c.component}`:\n\n" + _table(["step", "time"], [
            ["compile, no cache (`Component(engine, bytes)`)", "skipped (--cached-compile)" if c.compile_s is None
             else f"{c.compile_s:.2f} s"],
            ["`Component.serialize()`", f"{c.serialize_s * 1000:.0f} ms ({c.serialized_mb:.0f} MB)"],
            ["`Component.deserialize_file()`", f"{c.deserialize_file_s * 1000:.1f} ms"],
            ["`Component.deserialize(bytes)`", f"{c.deserialize_bytes_s * 1000:.1f} ms"],
            ["`Component.from_file()`, wasmtime cache on and filled", f"{c.cache_hit_s * 1000:.1f} ms"],
            ["instantiate (new Store + linker.instantiate), median", f"{c.instantiate_ms:.2f} ms"],
        ]))
    section.append("Process start to the first correct answer to `initialize` (the first start, then the median "
                   "of the later ones):\n\n" + _table(
                       ["server", "first start ms", "median ms", "starts", "note"],
                       [[s.server, _ms(s.first_ms), _ms(s.median_ms), s.starts, s.note] for s in results.startup]))
    out.append("\n\n".join(section))
    out.append("## 3. Throughput and latency\n\nRatios are to the official SDK (`mcp` 2.3.0 `MCPServer`, "
               "stateless, JSON responses) on the same workload and concurrency; the composed server runs with "
               "`MCP_RESPONSE_MODE=json`.\n\n" + throughput_table(results))
    if results.path_latency:
        out.append("### Request path at c1\n\nThe same client against less and less: a trivial Node server, "
                   "`ping` (transport only), `echo` (plus the WIT call and provider), `text_stats` "
                   "(plus tool work).\n\n" + _table(
                       ["server", "request", "p50 ms", "p99 ms", "errors"],
                       [[r.server, r.workload, _ms(r.p50_ms), _ms(r.p99_ms), r.errors] for r in _path_rows(results)]))
    if results.instance:
        i = results.instance
        out.append("## 4. Per-request instance (the `wasmtime serve` model)\n\n"
                   f"wasmtime-py, `{i.component}` pre-compiled, {i.iterations} iterations; each makes a new Store, "
                   "instantiates through a linker with WASI p2 + wasi:http, and calls `tools.call-tool` (echo) "
                   "and `next` until finished.\n\n" + _table(["measure", "p50 ms", "p99 ms"], [
                       ["instantiate only", _ms(i.instantiate_p50_ms), _ms(i.instantiate_p99_ms)],
                       ["instantiate + one call", _ms(i.instantiate_call_p50_ms), _ms(i.instantiate_call_p99_ms)],
                       ["one call on a reused instance", _ms(i.warm_call_p50_ms), _ms(i.warm_call_p99_ms)],
                       ["split: the first call in a fresh instance", _ms(i.first_call_p50_ms), "-"],
                       ["split: the second call in that instance", _ms(i.second_call_p50_ms), "-"],
                       ["memory_init_cow off: instantiate", _ms(i.no_cow_instantiate_p50_ms), "-"],
                       ["memory_init_cow off: the first call", _ms(i.no_cow_first_call_p50_ms), "-"],
                   ]) + "\n\nWith copy-on-write memory (the default) a fresh instance maps the "
                   "pre-initialised heap lazily, so its first call pays page faults; turning it off moves "
                   "that cost into instantiation (a full copy). This is wasmtime-py's default allocator; "
                   "`make serve` runs wasmtime's pooling allocator and keeps each memory resident between "
                   "instances (scripts/serve.sh), so the wasmtime-fresh rows of section 3 are the figures "
                   "for serving.")
    if results.memory:
        sdk = next((m for m in results.memory if m.server == SDK), None)
        out.append("## 5. Memory\n\nRSS of the server's whole process group from /proc (wasmtime serve: "
                   "every live instance; jco: the one node process of scripts/jco-host.mjs).\n\n" + _table(
                       ["server", "idle MB", "peak under load MB", "sum of VmHWM MB", "peak vs SDK",
                        "VmHWM per process (MB)"],
                       [[m.server, f"{m.idle_mb:.0f}", f"{m.peak_mb:.0f}", f"{m.hwm_mb:.0f}",
                         _ratio(m.peak_mb / sdk.peak_mb if sdk and sdk.peak_mb and m.server != SDK else None),
                         m.processes]
                        for m in results.memory]))
    if results.generator:
        g = results.generator
        out.append("## Load generator\n\n" + _table(
            ["engine", f"req/s against a trivial Node server at c{g.concurrency}"],
            [[engine, f"{rps:.0f}" + (" (used)" if engine == g.engine else "")] for engine, rps in g.rps.items()])
            + f"\n\nFloor at c1 (trivial Node server): p50 {g.floor_p50_ms:.3f} ms, p99 {g.floor_p99_ms:.3f} ms.")
    if results.breakdown:
        out.append("## Where the time of one tools/call goes (jco, c1, echo)\n\nSelf time of the jco server's "
                   "main thread, sampled by V8's profiler during the run; shares are of the busy (non-idle) "
                   "time.\n\n" + _table(["part", "ms per request", "share of busy", "evidence"],
                                        [[b.part, f"{b.ms_per_request:.3f}", f"{b.share:.0%}" if b.share else "-",
                                          b.evidence] for b in results.breakdown]))
    if results.wasmtime_profiles or results.wasmtime_profile_note:
        profile = ["## Where the CPU time of one tools/call goes (wasmtime serve, c1, echo)\n\n"
                   "The wasmtime process sampled by `perf record -g` during the run, with wasmtime's perf map "
                   "(`--profile perfmap`) naming the component's functions; every sample sorted by its stack. "
                   "CPU time on all of wasmtime's threads, so a part can overlap the client's wait "
                   "(an instance is reset after its response is sent)."]
        if results.wasmtime_profile_note:
            profile.append(f"Not profiled: {results.wasmtime_profile_note}.")
        for server, parts in results.wasmtime_profiles.items():
            profile.append(f"### {server}\n\n" + _table(
                ["part", "CPU ms per request", "share", "evidence"],
                [[b.part, f"{b.ms_per_request:.3f}", f"{b.share:.0%}", b.evidence] for b in parts]))
        out.append("\n\n".join(profile))
    out.append("## Targets\n\n" + targets_table(results))
    if results.unavailable:
        out.append("## Not run\n\n" + _table(["server", "why"], [[k, v] for k, v in results.unavailable.items()]))
    if results.failures:
        out.append("## Failed steps\n\n" + "\n".join(f"* {f}" for f in results.failures))
    return out


def _path_rows(results: Results) -> list[LoadRow]:
    c1 = [r for r in results.load if r.concurrency == 1 and r.workload != "tools/list"]
    order = {"ping": 0, "tools/call echo": 1, "tools/call text_stats": 2}
    rows = results.path_latency + c1
    return sorted(rows, key=lambda r: (r.server != "trivial Node HTTP server", r.server, order.get(r.workload, 9)))


def write_report(results: Results, out: Path) -> None:
    try:
        write_chart(results, out / "report.png")
    except Exception as exc:  # the tables matter more than the picture
        results.failures.append(f"chart: {type(exc).__name__}: {exc}")
    (out / "report.md").write_text("\n\n".join(_sections(results)) + "\n")
    print("\n" + throughput_table(results) + "\n\n" + targets_table(results) + "\n")
    print(f"==> bench: wrote {out / 'report.md'} and {out / 'report.png'}")
