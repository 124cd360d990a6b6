"""Runs every bench step in order and writes the report.

    python -m bench [--clean-build] [--scale 0.1] [--requests 20 --concurrency 1,2] ...

Each step that fails is recorded in the report and the run goes on; the
exit status is 1 if any step failed or any answer was wrong.
"""

from __future__ import annotations

import argparse
import os
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal, TypeVar

from .breakdown import native_transport_ms, profile_breakdown
from .build_stats import build
from .chart import ensure_matplotlib
from .instance import instance_costs
from .loadgen import ENGINES
from . import perf_profile
from .measure import LoadPlan, generator_ceiling, measure_server, profile_jco, profile_wasmtime
from .paths import BENCH_BUILD, BENCH_PROVIDER, BENCH_SERVER, COMPOSED, NODE, VENV_PYTHON
from .report import write_report
from .results import BreakdownRow, Results, StartupRow
from .servers import ServerSpec, composed_specs, fastmcp_spec, sdk_spec
from .startup import compile_and_load, reference_start, stdio_starts

T = TypeVar("T")
FastMcpMode = Literal["install", "if-installed", "off"]
DEFAULT_COUNTS = {1: 1000, 16: 2000}
# The module scripts/jco-host.mjs transpiles the component into: the profile
# breakdown attributes its functions to the component's glue.
JCO_MODULE = "component.js"


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=BENCH_BUILD, help="where report.md/.png/.json go")
    parser.add_argument("--scale", type=float, default=float(os.environ.get("BENCH_SCALE", "1")),
                        help="multiply every request count (default: $BENCH_SCALE or 1)")
    parser.add_argument("--concurrency", default="1,16", help="comma-separated levels (default 1,16)")
    parser.add_argument("--requests", type=int, help="requests per run at every level "
                        "(default 1000 at c1, 2000 otherwise)")
    parser.add_argument("--warmup", type=int, help="unmeasured requests per workload (default: c1 count / 10)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per load run")
    parser.add_argument("--startup-repeats", type=int, default=3, help="starts per server for startup times")
    parser.add_argument("--instance-iterations", type=int, default=300)
    parser.add_argument("--runtimes", default="wasmtime-reuse,wasmtime-fresh,jco,spin,single-wasmtime-reuse,"
                        "single-wasmtime-fresh,single-jco",
                        help="runtime modes for the composed server")
    parser.add_argument("--fastmcp", choices=("install", "if-installed", "off"), default="install")
    parser.add_argument("--clean-build", action="store_true",
                        help="time `make build` from a clean transport and provider (make bench does)")
    parser.add_argument("--no-build", action="store_true",
                        help="reuse build/mcp-http-server.wasm as it is (only the bench server is built)")
    parser.add_argument("--cached-compile", action="store_true",
                        help="skip the uncached compile (takes ~20 s); loads still measured")
    parser.add_argument("--no-profile", action="store_true",
                        help="skip the profiled runs (jco's V8 profile, perf on wasmtime serve)")
    return parser.parse_args(argv)


def _plan(args: argparse.Namespace) -> LoadPlan:
    levels = sorted({int(c) for c in args.concurrency.split(",") if c.strip()})
    counts = {c: max(1, round((args.requests or DEFAULT_COUNTS.get(c, 2000)) * args.scale)) for c in levels}
    c1 = counts.get(1, min(counts.values()))
    warmup = args.warmup if args.warmup is not None else max(5, c1 // 10)
    return LoadPlan(counts, warmup, args.timeout)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(argv)
    plan = _plan(args)
    results = Results(config={"counts": {str(k): v for k, v in plan.counts.items()}, "warmup": plan.warmup,
                              "scale": args.scale, "startup_repeats": args.startup_repeats,
                              "instance_iterations": args.instance_iterations, "cores": os.cpu_count(),
                              "load_average_start": os.getloadavg()[0]})
    args.out.mkdir(parents=True, exist_ok=True)
    BENCH_BUILD.mkdir(parents=True, exist_ok=True)

    def step(name: str, action: Callable[[], T]) -> T | None:
        print(f"==> bench: {name}", flush=True)
        try:
            return action()
        except Exception as exc:  # recorded in the report; the other steps still run
            traceback.print_exc()
            results.failures.append(f"{name}: {type(exc).__name__}: {exc}")
            return None

    step("matplotlib", ensure_matplotlib)
    results.build = step("build", lambda: build(args.clean_build, not args.no_build))
    if not (COMPOSED.exists() and BENCH_SERVER.exists()):
        results.failures.append("build: no server to measure")
        return _finish(results, args.out)

    generator = step("load generator ceiling", lambda: generator_ceiling(plan))
    if generator:
        results.generator, floor = generator
        results.path_latency.append(floor)
        engine = next(e for e in ENGINES if e == results.generator.engine)
        plan = LoadPlan(plan.counts, plan.warmup, plan.timeout, engine)

    results.compile = step("compile and load", lambda: compile_and_load(BENCH_SERVER, not args.cached_compile))

    fastmcp_mode: FastMcpMode = args.fastmcp
    specs = composed_specs(tuple(r.strip() for r in args.runtimes.split(",") if r.strip())) + [sdk_spec()]
    if fastmcp_mode != "off":
        specs.append(step("FastMCP venv", lambda: fastmcp_spec(fastmcp_mode == "install"))
                     or ServerSpec("FastMCP", False, None, "not installable"))
    for spec in specs:
        if spec.missing:
            results.unavailable[spec.name] = spec.missing
            results.startup.append(StartupRow(spec.name, None, None, 0, spec.missing))
            continue
        measured = step(f"serve and load: {spec.name}", lambda: measure_server(spec, plan, args.startup_repeats))
        if measured:
            startup, loads, path, memory = measured
            results.startup.append(startup)
            results.load += loads
            results.path_latency += path
            results.memory.append(memory)

    stdio = step("cached starts: wasmtime-py stdio", lambda: stdio_starts(BENCH_SERVER, args.startup_repeats))
    results.startup += stdio or []
    jco = next((s for s in specs if s.name == "composed (jco)" and not s.missing), None)
    if jco:
        if not args.no_profile:
            requests = plan.c1_requests
            profile = step("profile: jco c1 echo",
                           lambda: profile_jco(jco, plan, requests, BENCH_BUILD / "jco-echo.cpuprofile"))
            if profile:
                rows = step("profile: breakdown", lambda: profile_breakdown(profile, JCO_MODULE, requests))
                results.breakdown = rows or []
    wasmtime_modes = [s for s in specs if s.name.endswith(("(wasmtime-fresh)", "(wasmtime-reuse)")) and not s.missing]
    if wasmtime_modes and not args.no_profile:
        results.wasmtime_profile_note = perf_profile.unavailable() or ""
        for spec in wasmtime_modes if not results.wasmtime_profile_note else []:
            requests = plan.c1_requests
            slug = "".join(c if c.isalnum() else "-" for c in spec.name).strip("-")
            out = BENCH_BUILD / f"perf-{slug}.data"
            script = step(f"profile: {spec.name} c1 echo (perf)",
                          lambda: profile_wasmtime(spec, plan, requests, out))
            if script is not None:
                results.wasmtime_profiles[spec.name] = perf_profile.breakdown(script, requests)
    references = [("reference: python -c 'import wasmtime'", [str(VENV_PYTHON), "-c", "import wasmtime"],
                   "interpreter + wasmtime-py import, no component"),
                  ("reference: node -e ''", [str(NODE), "-e", ""], "Node's own start")]
    for name, command, note in references:
        if Path(command[0]).exists():
            row = step(f"start: {name}", lambda: reference_start(name, command, max(3, args.startup_repeats), note))
            if row:
                results.startup.append(row)
    native = step("transport on native CPython", lambda: native_transport_ms(max(50, plan.c1_requests)))
    if native is not None:
        results.breakdown.append(BreakdownRow(
            "reference: transport Python on native CPython (McpHttpApp.handle, in-process provider)",
            native, 0.0, "not part of the jco profile; the same code outside Wasm"))

    results.instance = step("per-request instance", lambda: instance_costs(BENCH_PROVIDER, args.instance_iterations))
    return _finish(results, args.out)


def _finish(results: Results, out: Path) -> int:
    # Other work on the machine skews every figure; the report shows how busy it was.
    results.config["load_average_end"] = os.getloadavg()[0]
    results.save(out / "results.json")
    write_report(results, out)
    wrong = sum(row.errors for row in results.load + results.path_latency)
    if wrong:
        print(f"error: {wrong} wrong or failed answers (see report)")
    if results.failures:
        print("error: steps failed:\n  " + "\n  ".join(results.failures))
    return 1 if wrong or results.failures else 0
