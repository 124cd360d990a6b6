"""The targets the report checks, each met or missed and by how much."""

from __future__ import annotations

from dataclasses import dataclass

from .results import LoadRow, Results
from .servers import SDK

# req/s over the official SDK's, per runtime mode (the performance issue's
# targets): reused instances at least twice the SDK, a fresh instance per
# request at least half, jco at least level.
THROUGHPUT_RATIOS = {"wasmtime-reuse": 2.0, "wasmtime-fresh": 0.5, "jco": 1.0, "spin": 0.5}
P50_C1_MS = 1.5
P50_C1_FRESH_MS = 2.0  # a fresh instance per request
INSTANCE_CALL_MS = 2.0
CACHED_START_MS = 150.0
COMPONENT_MB = 40.0
SINGLE_MB = 20.0  # the one-interpreter build


@dataclass(frozen=True)
class Target:
    name: str
    value: str
    status: str  # met / missed / reported / not measured
    margin: str


def _at_most(name: str, value: float | None, limit: float, unit: str) -> Target:
    if value is None:
        return Target(name, "-", "not measured", "")
    if value <= limit:
        return Target(name, f"{value:.2f} {unit}", "met", f"{limit - value:.2f} {unit} under")
    return Target(name, f"{value:.2f} {unit}", "missed", f"{value - limit:.2f} {unit} over ({value / limit:.1f}x the limit)")


def _at_least_ratio(name: str, ratio: float | None, target: float) -> Target:
    if ratio is None:
        return Target(name, "-", "not measured", "")
    if ratio >= target:
        return Target(name, f"{ratio:.2f}x", "met", f"{ratio / target:.2f}x the target")
    return Target(name, f"{ratio:.2f}x", "missed", f"needs {target / ratio:.1f}x more throughput"
                  if ratio > 0 else "no throughput")


def _mode(server: str) -> str:
    """"composed (wasmtime-fresh)" or "single (wasmtime-fresh)" -> "wasmtime-fresh"."""
    return server.partition("(")[2].rstrip(")")


def sdk_row(results: Results, row: LoadRow) -> LoadRow | None:
    """The official SDK's row for the same workload and concurrency."""
    return next((r for r in results.load if r.server == SDK and r.workload == row.workload
                 and r.concurrency == row.concurrency), None)


def evaluate(results: Results) -> list[Target]:
    targets: list[Target] = []
    composed = [row for row in results.load if row.server.startswith(("composed", "single"))]
    for row in composed:
        base = sdk_row(results, row)
        ratio = row.rps / base.rps if base and base.rps else None
        target = THROUGHPUT_RATIOS.get(_mode(row.server), 1.0)
        targets.append(_at_least_ratio(f"{row.server} {row.workload} c{row.concurrency}: req/s >= "
                                       f"{target:.1f}x official SDK", ratio, target))
    for row in composed:
        if row.concurrency == 1:
            limit = P50_C1_FRESH_MS if _mode(row.server) == "wasmtime-fresh" else P50_C1_MS
            targets.append(_at_most(f"{row.server} {row.workload}: p50 at c1 <= {limit} ms", row.p50_ms,
                                    limit, "ms"))
    instance = results.instance
    targets.append(_at_most(f"per-request instantiate + call (p50, bench provider) <= {INSTANCE_CALL_MS} ms",
                            instance.instantiate_call_p50_ms if instance else None, INSTANCE_CALL_MS, "ms"))
    for start in results.startup:
        if start.cached:
            targets.append(_at_most(f"{start.server}: start to first answer from a cached compile "
                                    f"<= {CACHED_START_MS:.0f} ms", start.median_ms, CACHED_START_MS, "ms"))
    if results.build:
        for name, size in results.build.sizes_mb.items():
            limit = SINGLE_MB if name.startswith("single") else COMPONENT_MB
            if name.startswith(("composed", "single")):
                targets.append(_at_most(f"{name} component <= {limit:.0f} MB", size, limit, "MB"))
    sdk_memory = next((m for m in results.memory if m.server == SDK), None)
    for memory in results.memory:
        if memory.server.startswith(("composed", "single")) and sdk_memory:
            ratio = memory.peak_mb / sdk_memory.peak_mb if sdk_memory.peak_mb else 0.0
            targets.append(Target(f"{memory.server}: peak RSS under load beside the official SDK",
                                  f"{memory.peak_mb:.0f} MB vs {sdk_memory.peak_mb:.0f} MB", "reported",
                                  f"{ratio:.2f}x the SDK's"))
    return targets
