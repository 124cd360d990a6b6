"""Everything one bench run measured, as plain dataclasses (saved as JSON
beside the report so runs can be compared later)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class BuildResult:
    seconds: float | None  # clean `make build`; None when not timed
    note: str
    sizes_mb: dict[str, float] = field(default_factory=dict)


@dataclass
class CompileResult:
    compile_s: float | None  # uncached compile; None when skipped
    serialize_s: float
    serialized_mb: float
    deserialize_file_s: float
    deserialize_bytes_s: float
    cache_hit_s: float  # Component.from_file with wasmtime's cache, already filled
    instantiate_ms: float  # median of a few instantiations of the composed server
    component: str


@dataclass
class StartupRow:
    """Process start to first correct answer to ``initialize``."""

    server: str
    first_ms: float | None
    median_ms: float | None  # of the later starts (or the first, if only one)
    starts: int
    note: str = ""
    cached: bool = False  # counts against the cached-start target


@dataclass
class LoadRow:
    server: str
    workload: str
    concurrency: int
    requests: int
    errors: int
    rps: float
    p50_ms: float
    p99_ms: float
    first_error: str | None = None
    timed_out: bool = False


@dataclass
class MemoryRow:
    server: str
    idle_mb: float  # group RSS after the first answer
    peak_mb: float  # highest sampled group RSS under load
    hwm_mb: float  # sum of per-process VmHWM (peaks, startup included)
    processes: str = ""  # each process's VmHWM, e.g. "node jco.js 560 MB"


@dataclass
class InstanceResult:
    iterations: int
    instantiate_p50_ms: float
    instantiate_p99_ms: float
    instantiate_call_p50_ms: float
    instantiate_call_p99_ms: float
    warm_call_p50_ms: float  # one call on a reused instance
    warm_call_p99_ms: float
    component: str
    first_call_p50_ms: float = 0.0  # the call alone, in a fresh instance
    second_call_p50_ms: float = 0.0  # the next call in that instance
    no_cow_instantiate_p50_ms: float = 0.0  # memory_init_cow off: the image is copied at instantiation
    no_cow_first_call_p50_ms: float = 0.0


@dataclass
class GeneratorResult:
    engine: str  # the engine used for all load runs
    rps: dict[str, float]  # engine -> req/s against the trivial server
    concurrency: int
    floor_p50_ms: float  # trivial Node server at c1
    floor_p99_ms: float


@dataclass
class BreakdownRow:
    part: str
    ms_per_request: float
    share: float  # of the busy (non-idle) main-thread time
    evidence: str


@dataclass
class Results:
    config: dict[str, Any] = field(default_factory=dict)
    build: BuildResult | None = None
    compile: CompileResult | None = None
    startup: list[StartupRow] = field(default_factory=list)
    load: list[LoadRow] = field(default_factory=list)
    memory: list[MemoryRow] = field(default_factory=list)
    instance: InstanceResult | None = None
    generator: GeneratorResult | None = None
    path_latency: list[LoadRow] = field(default_factory=list)  # c1 p50 of each request-path stage
    breakdown: list[BreakdownRow] = field(default_factory=list)
    # wasmtime serve modes profiled with perf: server -> its parts
    wasmtime_profiles: dict[str, list[BreakdownRow]] = field(default_factory=dict)
    wasmtime_profile_note: str = ""  # why they were not profiled, if they were not
    unavailable: dict[str, str] = field(default_factory=dict)  # server -> why it did not run
    failures: list[str] = field(default_factory=list)  # steps that failed, with the reason

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=2, ensure_ascii=False) + "\n")
