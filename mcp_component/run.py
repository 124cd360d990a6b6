"""Run a composed server over stdio on wasmtime-py, for MCP clients that
launch a command (the host-side twin of ``wasmtime run``)::

    python -m mcp_component.run build/mcp-http-server.wasm [--env KEY=VALUE ...]

stdin and stdout carry newline-delimited JSON-RPC; stderr carries logs.
This module runs on the host only; components never import it.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import wasmtime
from wasmtime import component as cm

__all__ = ["load", "main", "run_stdio"]

RUN_INTERFACE = "wasi:cli/run@0.2.6"


def load(engine: wasmtime.Engine, path: str) -> cm.Component:
    """Compile ``path``, or load it from a serialized copy in the user cache.

    Compiling a composed server takes seconds; deserializing the cached
    native code takes milliseconds, so a client that launches the server
    for every session starts it quickly from the second time on.
    """
    source = Path(path).resolve()
    stat = source.stat()
    # The file's identity (a rebuild changes its mtime) and the wasmtime
    # install's (serialized code is only valid for the engine that made it;
    # its package's time stands for the version, which importlib.metadata
    # would take tens of milliseconds of every launch to read). Hashing the
    # 37 MB file instead would cost more than loading it. Code from another
    # engine is refused at load anyway, below.
    engine_identity = Path(wasmtime.__file__).stat().st_mtime_ns
    identity = f"{source}|{stat.st_size}|{stat.st_mtime_ns}|{engine_identity}"
    cached = _cache_dir() / f"{hashlib.sha256(identity.encode()).hexdigest()[:32]}.cwasm"
    if cached.is_file():
        try:
            return cm.Component.deserialize_file(engine, str(cached))
        except wasmtime.WasmtimeError:
            cached.unlink(missing_ok=True)  # stale or damaged: compile again
    component = cm.Component(engine, source.read_bytes())
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(component.serialize())
        partial.replace(cached)  # atomic, so a concurrent start never reads half a file
        _prune(cached.parent)
    except OSError as exc:
        print(f"mcp: not caching the compiled component: {exc}", file=sys.stderr)
    return component


def _prune(folder: Path, keep: int = 8) -> None:
    """Keep the most recently written entries only: each one is tens of MB."""
    entries = sorted(folder.glob("*.cwasm"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[keep:]:
        old.unlink(missing_ok=True)


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "mcp-component" / "cwasm"


def run_stdio(path: str, env: Sequence[tuple[str, str]] = ()) -> int:
    """Instantiate the component with inherited stdio and call ``wasi:cli/run``."""
    engine = wasmtime.Engine()
    component = load(engine, path)
    linker = cm.Linker(engine)
    linker.add_wasip2()
    linker.add_wasi_http()
    store = wasmtime.Store(engine)
    wasi = wasmtime.WasiConfig()
    wasi.inherit_stdin()
    wasi.inherit_stdout()
    wasi.inherit_stderr()
    wasi.env = list(env)
    store.set_wasi(wasi)
    instance = linker.instantiate(store, component)
    interface = instance.get_export_index(store, RUN_INTERFACE)
    index = None if interface is None else instance.get_export_index(store, "run", interface)
    func = None if index is None else instance.get_func(store, index)
    if func is None:
        print(f"error: {path} does not export {RUN_INTERFACE}", file=sys.stderr)
        return 2
    outcome = func(store)
    func.post_return(store)
    # `run` returns result<_, _>, which wasmtime-py gives as a tagged Variant.
    return 0 if getattr(outcome, "tag", None) == "ok" else 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mcp_component.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("component", help="a composed server, e.g. build/mcp-http-server.wasm")
    parser.add_argument("--env", action="append", default=[], metavar="KEY=VALUE",
                        help="an environment variable for the component (repeatable)")
    args = parser.parse_args(argv)
    env: list[tuple[str, str]] = []
    for item in args.env:
        key, sep, value = item.partition("=")
        if not sep or not key:
            parser.error(f"--env expects KEY=VALUE, got {item!r}")
        env.append((key, value))
    return run_stdio(args.component, env)


if __name__ == "__main__":
    sys.exit(main())
