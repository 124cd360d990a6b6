"""Load a built provider component in wasmtime-py and call its exports.

Calls go through the WIT interfaces exactly as the transport's would,
with wasmtime-py's component values (records with kebab-case fields).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import wasmtime
from wasmtime import component as cm

PACKAGE = "mcp-component:mcp"
VERSION = "0.1.0"


def _record(**fields: Any) -> cm.Record:
    record = cm.Record()
    for name, value in fields.items():
        setattr(record, name.replace("_", "-"), value)
    return record


def request_context(progress_token: Any = None, log_level: str | None = None) -> cm.Record:
    return _record(
        protocol_version="2025-11-25", client=None, progress_token=progress_token,
        log_level=log_level, session_id=None, identity=None, meta=None, client_capabilities=None,
        input_responses=None,
    )


class ProviderInstance:
    """One instance of a provider component."""

    def __init__(self, engine: wasmtime.Engine, component: cm.Component,
                 env: dict[str, str] | None = None) -> None:
        """``env``: the component's environment variables (none by default)."""
        linker = cm.Linker(engine)
        linker.add_wasip2()
        linker.add_wasi_http()  # providers may call out over wasi:http
        self.store = wasmtime.Store(engine)
        wasi = wasmtime.WasiConfig()
        if env:
            wasi.env = list(env.items())
        self.store.set_wasi(wasi)
        self.store.set_wasi_http()  # without it the first wasi:http call panics wasmtime
        self.instance = linker.instantiate(self.store, component)

    def _func(self, interface: str, name: str) -> cm.Func:
        iface = self.instance.get_export_index(self.store, f"{PACKAGE}/{interface}@{VERSION}")
        assert iface is not None, f"component does not export {interface}"
        index = self.instance.get_export_index(self.store, name, iface)
        assert index is not None, f"{interface} has no {name}"
        func = self.instance.get_func(self.store, index)
        assert func is not None
        return func

    def call(self, interface: str, name: str, *args: Any) -> Any:
        func = self._func(interface, name)
        result = func(self.store, *args)
        func.post_return(self.store)
        return result

    def info(self) -> Any:
        return self.call("server-info", "get-info")

    def list_tools(self, cursor: str | None = None) -> Any:
        return self.call("tools", "list-tools", request_context(), cursor)

    def call_tool(self, name: str, arguments: dict[str, Any] | None, **ctx: Any) -> list[Any]:
        """Every event of one call, the finished one last."""
        handle = self.call("tools", "call-tool", request_context(**ctx), name,
                           None if arguments is None else json.dumps(arguments))
        events = []
        while True:
            event = self.call("tools", "[method]tool-call.next", handle)
            events.append(event)
            if event.tag == "finished":
                return events


def load(path: Path) -> tuple[wasmtime.Engine, cm.Component]:
    config = wasmtime.Config()
    config.cache = True  # later runs load the compiled code from the user cache
    engine = wasmtime.Engine(config)
    return engine, cm.Component.from_file(engine, str(path))
