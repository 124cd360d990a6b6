"""Step 4: per-request instance cost, the model `wasmtime serve` uses.

The composed server exports only wasi:http/incoming-handler and
wasi:cli/run, which wasmtime-py cannot drive with an HTTP request, so this
measures the bench provider component: a fresh instance (new Store, the
linker made once like an InstancePre) plus one ``tools.call-tool`` and its
``next`` calls through the exports, as the transport would make them.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import wasmtime
from wasmtime import component as cm

from .paths import ROOT
from .results import InstanceResult
from .stats import percentile

TOOLS = "mcp-component:mcp/tools@0.1.0"


def _request_context() -> cm.Record:
    record = cm.Record()
    for name, value in (("protocol-version", "2025-11-25"), ("client", None), ("progress-token", None),
                        ("log-level", None), ("session-id", None), ("identity", None), ("meta", None),
                        ("client-capabilities", None), ("input-responses", None)):
        setattr(record, name, value)
    return record


class _Provider:
    """The bench provider, compiled once; instances made on demand."""

    def __init__(self, path: Path, copy_on_write: bool = True) -> None:
        config = wasmtime.Config()
        config.cache = True  # compiled once per machine, like a server's ahead-of-time compile
        config.memory_init_cow = copy_on_write
        self.engine = wasmtime.Engine(config)
        self.component = cm.Component.from_file(self.engine, str(path))
        self.linker = cm.Linker(self.engine)
        self.linker.add_wasip2()
        self.linker.add_wasi_http()
        # Export indices resolve on the component, once, not per instance.
        tools = self.component.get_export_index(TOOLS)
        assert tools is not None, f"{path} does not export {TOOLS}"
        call_tool = self.component.get_export_index("call-tool", tools)
        next_event = self.component.get_export_index("[method]tool-call.next", tools)
        assert call_tool is not None and next_event is not None
        self.call_tool, self.next_event = call_tool, next_event
        self.context = _request_context()

    def instantiate(self) -> tuple[wasmtime.Store, cm.Instance]:
        store = wasmtime.Store(self.engine)
        store.set_wasi(wasmtime.WasiConfig())
        return store, self.linker.instantiate(store, self.component)

    def echo(self, store: wasmtime.Store, instance: cm.Instance, text: str) -> None:
        """One ``tools/call`` of echo; raises if the answer is not the text."""
        call = instance.get_func(store, self.call_tool)
        step = instance.get_func(store, self.next_event)
        assert call is not None and step is not None
        handle = call(store, self.context, "echo", json.dumps({"text": text}))
        call.post_return(store)
        while True:
            event: Any = step(store, handle)
            step.post_return(store)
            if event.tag == "finished":
                break
        handle.drop(store)
        content = getattr(event.payload, "content", None)
        if not content or content[0].payload.text != text:
            raise AssertionError(f"echo through the provider answered {event.payload!r}")


def instance_costs(path: Path, iterations: int) -> InstanceResult:
    provider = _Provider(path)
    provider.echo(*provider.instantiate(), "warm-up")  # first-use costs (page faults, lazy init) off the clock
    instantiate, instantiate_call, first, second, warm = [], [], [], [], []
    for index in range(iterations):
        start = time.perf_counter()
        store, instance = provider.instantiate()
        made = time.perf_counter()
        provider.echo(store, instance, f"fresh {index}")
        done = time.perf_counter()
        provider.echo(store, instance, f"again {index}")
        instantiate.append((made - start) * 1000)
        instantiate_call.append((done - start) * 1000)
        first.append((done - made) * 1000)
        second.append((time.perf_counter() - done) * 1000)
        del store, instance
    store, instance = provider.instantiate()
    for index in range(iterations):
        start = time.perf_counter()
        provider.echo(store, instance, f"warm {index}")
        warm.append((time.perf_counter() - start) * 1000)
    no_cow_instantiate, no_cow_first = _without_copy_on_write(path, max(10, iterations // 5))
    return InstanceResult(
        iterations,
        percentile(instantiate, 50), percentile(instantiate, 99),
        percentile(instantiate_call, 50), percentile(instantiate_call, 99),
        percentile(warm, 50), percentile(warm, 99),
        str(path.relative_to(ROOT)),
        percentile(first, 50), percentile(second, 50), no_cow_instantiate, no_cow_first,
    )


def _without_copy_on_write(path: Path, iterations: int) -> tuple[float, float]:
    """Median instantiate and first-call ms with memory_init_cow off: shows
    how much of a fresh instance's first call is page faults."""
    provider = _Provider(path, copy_on_write=False)
    provider.echo(*provider.instantiate(), "warm-up")
    instantiate, first = [], []
    for index in range(iterations):
        start = time.perf_counter()
        store, instance = provider.instantiate()
        made = time.perf_counter()
        provider.echo(store, instance, f"no-cow {index}")
        instantiate.append((made - start) * 1000)
        first.append((time.perf_counter() - made) * 1000)
        del store, instance
    return percentile(instantiate, 50), percentile(first, 50)
