"""Run a composed server over stdio on wasmtime-py, for MCP clients that
launch a command (the host-side twin of ``wasmtime run``)::

    python -m mcp_component.run build/mcp-http-server.wasm [--env KEY=VALUE ...]

stdin and stdout carry newline-delimited JSON-RPC; stderr carries logs.
This module runs on the host only; components never import it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import wasmtime
from wasmtime import component as cm

__all__ = ["main", "run_stdio"]

RUN_INTERFACE = "wasi:cli/run@0.2.6"


def run_stdio(path: str, env: Sequence[tuple[str, str]] = ()) -> int:
    """Instantiate the component with inherited stdio and call ``wasi:cli/run``."""
    config = wasmtime.Config()
    config.cache = True  # compiled code is cached per user: later starts are fast
    engine = wasmtime.Engine(config)
    component = cm.Component.from_file(engine, path)
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
