"""Step 3 and 5: serve, then load. Each server is started (and restarted,
for the startup figures), warmed up, driven with every workload at every
concurrency while its memory is sampled, and stopped even on error.
"""

from __future__ import annotations

import itertools
import os
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from . import perf_profile
from .loadgen import ENGINES, Engine, LoadResult, run_load
from .paths import BENCH_BUILD, JCO, NODE, ROOT
from .procs import Launch, PeakMemory, ServerProcess, free_port, post_once
from .results import GeneratorResult, LoadRow, MemoryRow, StartupRow
from .servers import ServerSpec
from .stats import median
from .wire import PROTOCOL_VERSION, WORKLOADS, Call, initialize, ping

STARTUP_TIMEOUT = 300.0
# Request ids are unique within a server's lifetime, across runs.
_ids = itertools.count(1)
ECHO = WORKLOADS["tools/call echo"]  # what the profiled runs send


@dataclass(frozen=True)
class LoadPlan:
    counts: dict[int, int]  # concurrency -> requests
    warmup: int  # unmeasured requests per workload before the runs
    timeout: float  # per run, seconds
    engine: Engine = "asyncio"

    @property
    def c1_requests(self) -> int:
        return self.counts.get(1, min(self.counts.values()))


def _calls(make: Callable[[int], Call], count: int) -> list[Call]:
    return [make(next(_ids)) for _ in range(count)]


def _row(server: str, workload: str, concurrency: int, result: LoadResult) -> LoadRow:
    return LoadRow(server, workload, concurrency, result.requests, result.errors, result.rps,
                   result.percentile(50) * 1000, result.percentile(99) * 1000, result.first_error, result.timed_out)


def _log(name: str) -> Path:
    slug = "".join(c if c.isalnum() else "-" for c in name).strip("-")
    return BENCH_BUILD / "logs" / f"{slug}.log"


def client_headers(port: int) -> dict[str, str]:
    """Do what a client does after connecting: initialize, then the
    initialized notification; return the headers later requests carry."""
    error = post_once(port, initialize(next(_ids)), timeout=30)
    if error:
        raise RuntimeError(f"initialize failed: {error}")
    headers = {"MCP-Protocol-Version": PROTOCOL_VERSION}
    notification = Call(b'{"jsonrpc":"2.0","method":"notifications/initialized"}', 0, lambda r: None)
    post_once(port, notification, timeout=30, headers=headers)  # 202, no body: nothing to check
    return headers


def measure_server(spec: ServerSpec, plan: LoadPlan, starts: int) -> tuple[StartupRow, list[LoadRow], list[LoadRow],
                                                                           MemoryRow]:
    """Startup over ``starts`` starts; on the last one, every workload at
    every concurrency, a c1 ping for the request-path table, and memory."""
    assert spec.launch is not None
    times: list[float] = []
    loads: list[LoadRow] = []
    path: list[LoadRow] = []
    memory = MemoryRow(spec.name, 0.0, 0.0, 0.0)
    for attempt in range(starts):
        server = ServerProcess(spec.launch, free_port(), _log(spec.name))
        try:
            times.append(server.wait_first_answer(STARTUP_TIMEOUT) * 1000)
            if attempt < starts - 1:
                continue
            idle = server.memory()
            headers = client_headers(server.port)
            print(f"    {spec.name}: up in {times[-1]:.0f} ms, loading", flush=True)
            with PeakMemory(server) as peak:
                # Every workload warms up before any is measured, so the first
                # measured one does not pay for JIT tiering the others skip.
                for make in WORKLOADS.values():
                    run_load(plan.engine, server.port, _calls(make, plan.warmup), 1, plan.timeout, headers=headers)
                for workload, make in WORKLOADS.items():
                    for concurrency, count in plan.counts.items():
                        result = run_load(plan.engine, server.port, _calls(make, count), concurrency, plan.timeout,
                                          headers=headers)
                        loads.append(_row(spec.name, workload, concurrency, result))
                        print(f"      {workload:<22} c{concurrency:<3} {result.rps:8.0f} req/s  "
                              f"p50 {result.percentile(50) * 1000:7.2f} ms  errors {result.errors}", flush=True)
                result = run_load(plan.engine, server.port, _calls(ping, plan.c1_requests), 1, plan.timeout,
                                  headers=headers)
                path.append(_row(spec.name, "ping", 1, result))
            processes = ", ".join(f"{program}: {hwm / 1e6:.0f}" for program, _, hwm in server.process_memory())
            memory = MemoryRow(spec.name, idle / 1e6, peak.peak / 1e6, server.memory("VmHWM") / 1e6, processes)
        finally:
            server.stop()
    later = times[1:] or times
    note = "later starts reuse the runtime's compile cache" if spec.caches_compile else ""
    startup = StartupRow(spec.name, times[0], median(later), len(times), note, spec.caches_compile and len(times) > 1)
    return startup, loads, path, memory


def startup_only(spec: ServerSpec, starts: int, note: str) -> StartupRow:
    """Start to first answer, ``starts`` times, nothing else."""
    assert spec.launch is not None
    times = []
    for _ in range(starts):
        server = ServerProcess(spec.launch, free_port(), _log(spec.name))
        try:
            times.append(server.wait_first_answer(STARTUP_TIMEOUT) * 1000)
        finally:
            server.stop()
    return StartupRow(spec.name, times[0], median(times), len(times), note, cached=True)


def generator_ceiling(plan: LoadPlan) -> tuple[GeneratorResult, LoadRow]:
    """Both engines against a trivial Node server at the top concurrency;
    the faster one drives every later run. Also the c1 floor."""
    top = max(plan.counts)
    launch = Launch([str(NODE), str(ROOT / "bench" / "trivial_server.mjs"), "{port}"], dict(os.environ), ROOT)
    server = ServerProcess(launch, free_port(), _log("trivial node server"))
    try:
        server.wait_first_answer(STARTUP_TIMEOUT)
        rps: dict[str, float] = {}
        for engine in ENGINES:
            run_load(engine, server.port, _calls(ping, plan.warmup), top, plan.timeout)
            result = run_load(engine, server.port, _calls(ping, plan.counts[top]), top, plan.timeout)
            if result.errors:
                raise RuntimeError(f"trivial server answered wrongly: {result.first_error}")
            rps[engine] = result.rps
        fastest: Engine = max(ENGINES, key=lambda e: rps[e])
        floor = run_load(fastest, server.port, _calls(ping, plan.c1_requests), 1, plan.timeout)
    finally:
        server.stop()
    generator = GeneratorResult(fastest, rps, top, floor.percentile(50) * 1000, floor.percentile(99) * 1000)
    return generator, _row("trivial Node HTTP server", "ping", 1, floor)


@contextmanager
def _serving_echo(spec: ServerSpec, plan: LoadPlan, extra_env: dict[str, str],
                  log_name: str) -> Iterator[tuple[ServerProcess, dict[str, str]]]:
    """``spec`` started with ``extra_env``, initialized and warmed up with
    echo calls; stopped when the block ends."""
    assert spec.launch is not None
    env = dict(spec.launch.env, **extra_env)
    server = ServerProcess(Launch(spec.launch.argv, env, spec.launch.cwd), free_port(), _log(log_name))
    try:
        server.wait_first_answer(STARTUP_TIMEOUT)
        headers = client_headers(server.port)
        run_load(plan.engine, server.port, _calls(ECHO, plan.warmup), 1, plan.timeout, headers=headers)
        yield server, headers
    finally:
        server.stop()


def profile_jco(spec: ServerSpec, plan: LoadPlan, requests: int, out: Path) -> Path:
    """A c1 echo run against jco with the main thread profiled; the profile's path."""
    out.unlink(missing_ok=True)
    out.with_name(out.name + ".sync.json").unlink(missing_ok=True)
    env = {"BENCH_CPU_PROFILE": str(out), "BENCH_SHIM_CALLS": str(_shim_calls()),
           "NODE_OPTIONS": f"--import={(ROOT / 'bench' / 'node_profile.mjs').as_uri()}"}
    with _serving_echo(spec, plan, env, "jco profiled") as (server, headers):
        child = _jco_child(server)
        os.kill(child, signal.SIGUSR2)
        time.sleep(0.5)  # the profiler starts through async inspector calls
        run_load(plan.engine, server.port, _calls(ECHO, requests), 1, plan.timeout, headers=headers)
        os.kill(child, signal.SIGTERM)
        deadline = time.monotonic() + 30
        while not out.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.2)  # let the write finish
    if not out.exists():
        raise RuntimeError("the profiled jco server wrote no profile")
    return out


def profile_wasmtime(spec: ServerSpec, plan: LoadPlan, requests: int, out: Path) -> str:
    """A c1 echo run against wasmtime serve recorded by perf; the samples as
    ``perf script`` prints them (bench/perf_profile.py sorts them)."""
    pid = None
    try:
        with _serving_echo(spec, plan, {"MCP_WASMTIME_PROFILE": "perfmap"}, f"{spec.name} perf") as (server, headers):
            pid = _wasmtime_process(server)
            recording = perf_profile.Recording(pid, out)
            try:
                result = run_load(plan.engine, server.port, _calls(ECHO, requests), 1, plan.timeout, headers=headers)
            finally:
                script = recording.stop()
            if result.errors:
                raise RuntimeError(f"wrong answers while profiling: {result.first_error}")
    finally:
        if pid is not None:  # wasmtime's perf map, written for perf alone
            Path(f"/tmp/perf-{pid}.map").unlink(missing_ok=True)
    return script


def _group_process(server: ServerProcess, matches: Callable[[list[bytes]], bool], what: str) -> int:
    """The process of the server's group whose argv ``matches``."""
    for pid in server.group_pids():
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if argv and matches(argv):
            return pid
    raise RuntimeError(f"no {what} process found")


def _wasmtime_process(server: ServerProcess) -> int:
    return _group_process(server, lambda argv: argv[0].endswith(b"wasmtime") and b"serve" in argv, "wasmtime serve")


def _shim_calls() -> Path:
    """preview2-shim's table of I/O call numbers: jco's own copy, else the top-level one."""
    tail = Path("@bytecodealliance/preview2-shim/dist/io/calls.js")
    nested = JCO.parent.parent / "node_modules" / tail
    return nested if nested.exists() else NODE.parent.parent / tail


def _jco_child(server: ServerProcess) -> int:
    """The node process that runs the component (scripts/jco-host.mjs)."""
    return _group_process(server, lambda argv: any(arg.endswith(b"jco-host.mjs") for arg in argv),
                          "node scripts/jco-host.mjs")
