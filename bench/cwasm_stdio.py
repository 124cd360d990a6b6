"""Serve stdio from a serialized component (``Component.serialize()``
output): a cached start with neither a compile nor wasmtime's cache lookup,
which hashes the whole .wasm and decompresses the cached code.

    python -m bench.cwasm_stdio build/bench/bench-server.cwasm
"""

from __future__ import annotations

import sys

import wasmtime
from wasmtime import component as cm

RUN = "wasi:cli/run@0.2.6"


def main(path: str) -> int:
    # Default Config: it must match the engine that serialized the component.
    engine = wasmtime.Engine(wasmtime.Config())
    component = cm.Component.deserialize_file(engine, path)
    linker = cm.Linker(engine)
    linker.add_wasip2()
    linker.add_wasi_http()
    store = wasmtime.Store(engine)
    wasi = wasmtime.WasiConfig()
    wasi.inherit_stdin()
    wasi.inherit_stdout()
    wasi.inherit_stderr()
    store.set_wasi(wasi)
    instance = linker.instantiate(store, component)
    interface = instance.get_export_index(store, RUN)
    index = None if interface is None else instance.get_export_index(store, "run", interface)
    run = None if index is None else instance.get_func(store, index)
    if run is None:
        print(f"error: {path} does not export {RUN}", file=sys.stderr)
        return 2
    run(store)
    run.post_return(store)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
