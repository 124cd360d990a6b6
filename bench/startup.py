"""Step 2: startup. Compile and load times in wasmtime-py, and process
start to first answer for starts that reuse a compile: wasmtime-py over
stdio (mcp_component.run's serialized cache) and jco on output transpiled once.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import time
from pathlib import Path

import wasmtime
from wasmtime import component as cm

from .paths import ROOT, VENV_PYTHON
from .results import CompileResult, StartupRow
from .stats import median
from .wire import initialize

STARTUP_TIMEOUT = 300.0  # a first start compiles the 38 MB component


def compile_and_load(component: Path, uncached: bool) -> CompileResult:
    """Compile ``component`` (without the code cache when ``uncached``), then
    time serializing it and loading it back from a file and from bytes."""
    config = wasmtime.Config()
    if not uncached:
        config.cache = True  # fast when an earlier run compiled the same bytes
    engine = wasmtime.Engine(config)
    wasm = component.read_bytes()
    start = time.perf_counter()
    compiled = cm.Component(engine, wasm)
    compile_s = time.perf_counter() - start if uncached else None

    start = time.perf_counter()
    serialized = compiled.serialize()
    serialize_s = time.perf_counter() - start
    cwasm = component.with_suffix(".cwasm")
    cwasm.write_bytes(serialized)

    start = time.perf_counter()
    from_file = cm.Component.deserialize_file(engine, str(cwasm))
    deserialize_file_s = time.perf_counter() - start
    start = time.perf_counter()
    cm.Component.deserialize(engine, serialized)
    deserialize_bytes_s = time.perf_counter() - start

    # wasmtime's own cache: a hit still hashes the .wasm and decompresses the code.
    cm.Component.from_file(_cached_engine(), str(component))  # fills the cache if empty
    cached_engine = _cached_engine()
    start = time.perf_counter()
    cm.Component.from_file(cached_engine, str(component))
    cache_hit_s = time.perf_counter() - start

    linker = cm.Linker(engine)
    linker.add_wasip2()
    linker.add_wasi_http()
    instantiations = []
    for _ in range(5):
        start = time.perf_counter()
        store = wasmtime.Store(engine)
        store.set_wasi(wasmtime.WasiConfig())
        linker.instantiate(store, from_file)
        instantiations.append((time.perf_counter() - start) * 1000)
    return CompileResult(compile_s, serialize_s, len(serialized) / 1e6, deserialize_file_s, deserialize_bytes_s,
                         cache_hit_s, median(instantiations), str(component.relative_to(ROOT)))


def _cached_engine() -> wasmtime.Engine:
    config = wasmtime.Config()  # an Engine consumes its Config: a new one each time
    config.cache = True
    return wasmtime.Engine(config)


def stdio_start(name: str, argv: list[str], starts: int, note: str) -> StartupRow:
    """Spawn to the answer to one ``initialize`` line on stdin. One
    unmeasured start first fills whatever cache the command uses."""
    line = initialize().body + b"\n"
    times = []
    for attempt in range(starts + 1):
        start = time.perf_counter()
        process = subprocess.Popen(argv, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            assert process.stdin is not None and process.stdout is not None
            process.stdin.write(line)
            process.stdin.flush()
            # The first start may compile (tens of seconds); later ones must be quick.
            ready, _, _ = select.select([process.stdout], [], [], STARTUP_TIMEOUT)
            answer = process.stdout.readline() if ready else b""
            elapsed = time.perf_counter() - start
            if b'"protocolVersion"' not in answer:
                raise RuntimeError(f"{name}: no answer to initialize: {answer[:120]!r}")
            if attempt > 0:
                times.append(elapsed * 1000)
        finally:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    return StartupRow(name, None, median(times), len(times), note, cached=True)


def stdio_starts(component: Path, starts: int) -> list[StartupRow]:
    """A cached start over stdio: ``mcp_component.run`` keeps the compiled
    component serialized in the user cache (the first start fills it)."""
    return [stdio_start("composed (wasmtime-py, stdio, serialized)",
                        [str(VENV_PYTHON), "-m", "mcp_component.run", str(component)], starts,
                        "python -m mcp_component.run: Component.deserialize_file of its cached .cwasm")]


def reference_start(name: str, argv: list[str], starts: int, note: str) -> StartupRow:
    """Spawn to exit of a command that loads no component: the floor under a cached start."""
    times = []
    for _ in range(starts):
        start = time.perf_counter()
        subprocess.run(argv, cwd=ROOT, check=True, capture_output=True, timeout=60)
        times.append((time.perf_counter() - start) * 1000)
    return StartupRow(name, times[0], median(times), starts, note)
