"""The composed server is one self-contained component for a WASI host."""

from __future__ import annotations

from pathlib import Path

import pytest
import wasmtime
from wasmtime import component as cm

from mcp_component import run

from ..paths import BUILD
from .loader import load

pytestmark = pytest.mark.component

SERVER = BUILD / "mcp-http-server.wasm"


@pytest.fixture(scope="module")
def compiled() -> tuple[wasmtime.Engine, cm.Component]:
    if not SERVER.exists():
        pytest.fail(f"{SERVER} is missing: run `make build` first (make test does)")
    return load(SERVER)


def test_imports_wasi_only(compiled: tuple[wasmtime.Engine, cm.Component]) -> None:
    engine, component = compiled
    imports = list(component.type.imports(engine))
    assert imports and all(name.startswith("wasi:") for name in imports), imports


def test_exports_the_http_handler_and_no_mcp_interface(compiled: tuple[wasmtime.Engine, cm.Component]) -> None:
    engine, component = compiled
    exports = list(component.type.exports(engine))
    assert any(name.startswith("wasi:http/incoming-handler@") for name in exports)
    assert not any(name.startswith("mcp-component:") for name in exports)


def test_instantiates_with_a_wasi_http_host(compiled: tuple[wasmtime.Engine, cm.Component]) -> None:
    # The same engine `wasmtime serve` runs on; this checks every import
    # resolves against WASI 0.2 + wasi:http and pre-initialised Python starts.
    engine, component = compiled
    linker = cm.Linker(engine)
    linker.add_wasip2()
    linker.add_wasi_http()
    store = wasmtime.Store(engine)
    store.set_wasi(wasmtime.WasiConfig())
    instance = linker.instantiate(store, component)
    assert instance.get_export_index(store, "wasi:http/incoming-handler@0.2.6") is not None


def test_the_stdio_runner_caches_compiled_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    engine = wasmtime.Engine()
    first = run.load(engine, str(SERVER))
    cached = list((tmp_path / "mcp-component" / "cwasm").glob("*.cwasm"))
    assert len(cached) == 1
    second = run.load(engine, str(SERVER))  # now from the serialized copy
    assert [*first.type.exports(engine)] == [*second.type.exports(engine)]
