"""The targets the report checks, each met or missed and by how much."""

from __future__ import annotations

from dataclasses import dataclass

from .results import LoadRow, Results
from .servers import SDK

THROUGHPUT_RATIO = 1.0  # composed req/s over the official SDK's
P50_C1_MS = 1.5
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


def _at_least_ratio(name: str, ratio: float | None) -> Target:
    if ratio is None:
        return Target(name, "-", "not measured", "")
    if ratio >= THROUGHPUT_RATIO:
        return Target(name, f"{ratio:.2f}x", "met", f"{ratio / THROUGHPUT_RATIO:.2f}x the target")
    return Target(name, f"{ratio:.2f}x", "missed", f"needs {THROUGHPUT_RATIO / ratio:.1f}x more throughput"
                  if ratio > 0 else "no throughput")


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
        targets.append(_at_least_ratio(f"{row.server} {row.workload} c{row.concurrency}: req/s >= "
                                       f"{THROUGHPUT_RATIO:.1f}x official SDK", ratio))
    for row in composed:
        if row.concurrency == 1:
            targets.append(_at_most(f"{row.server} {row.workload}: p50 at c1 <= {P50_C1_MS} ms", row.p50_ms,
                                    P50_C1_MS, "ms"))
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
