"""Where the milliseconds of one ``tools/call`` go.

Two kinds of evidence:

* a V8 CPU profile of the jco server's main thread during a c1 echo run
  (bench/node_profile.mjs starts it on SIGUSR2 and writes it on SIGTERM),
  its self time split by what ran: CPython inside the component (both
  transport and provider), the jco-generated glue, preview2-shim's
  synchronous I/O, Node's own HTTP, GC;
* the transport's Python (McpHttpApp.handle) timed on native CPython with
  an in-process provider, for what that layer costs without Wasm.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .paths import ROOT
from .results import BreakdownRow
from .stats import median

# (part, how it is recognised in the profile); the first match wins.
PARTS = (
    ("idle: waiting for the next request (client + loopback)", "(idle)"),
    ("GC", "(garbage collector)"),
    ("preview2-shim sync I/O: blocking wasi:io calls handed to its I/O worker (synckit)", "synckit"),
    ("preview2-shim: wasi:http on Node's http server, wasi:io streams", "preview2-shim"),
    ("Python in Wasm: CPython running transport + provider", "wasm://"),
    ("jco glue: canonical ABI lifting, lowering, tasks", "transpiled"),
    ("profiler itself (excluded)", "node:inspector"),
    ("Node: http parsing, sockets, event loop", "node:"),
)
OTHER = "other (V8 runtime, native code outside these)"


def profile_breakdown(profile_path: Path, transpiled_name: str, requests: int) -> list[BreakdownRow]:
    """Self time per part, in ms per request and as a share of busy time."""
    profile = json.loads(profile_path.read_text())
    nodes = {node["id"]: node for node in profile["nodes"]}
    parent = {child: node["id"] for node in profile["nodes"] for child in node.get("children", [])}
    self_us: Counter[int] = Counter()
    for sample, delta in zip(profile["samples"], profile["timeDeltas"]):
        self_us[sample] += max(delta, 0)
    by_part: Counter[str] = Counter()
    examples: dict[str, Counter[str]] = {}
    for node_id, micros in self_us.items():
        part, frame = _classify(node_id, nodes, parent, transpiled_name)
        by_part[part] += micros
        examples.setdefault(part, Counter())[frame] += micros
    busy = sum(v for k, v in by_part.items() if not k.startswith(("idle", "profiler"))) or 1
    sync = _sync_calls(profile_path, requests)
    rows = []
    for part, micros in by_part.most_common():
        top = ", ".join(f"{name} {us / 1000 / requests:.3f}" for name, us in examples[part].most_common(3))
        share = 0.0 if part.startswith(("idle", "profiler")) else micros / busy
        evidence = f"top frames (ms/req): {top}"
        if part.startswith("preview2-shim sync") and sync:
            evidence = sync + "; " + evidence
        rows.append(BreakdownRow(part, micros / 1000 / requests, share, evidence))
    return rows


def _sync_calls(profile_path: Path, requests: int) -> str:
    """The synchronous I/O round trips bench/node_profile.mjs counted, per request."""
    path = profile_path.with_name(profile_path.name + ".sync.json")
    if not path.exists():
        return ""
    counted = json.loads(path.read_text())
    calls = counted["calls"] / requests
    each = counted["waitMs"] / counted["calls"] if counted["calls"] else 0.0
    kinds = sorted(counted.get("byCall", {}).items(), key=lambda item: -item[1])
    detail = ", ".join(f"{name} {count / requests:.1f}" for name, count in kinds)
    return (f"{calls:.1f} Atomics.wait round trips per request, the main thread blocked "
            f"{each:.3f} ms in each (per request: {detail})")


def _classify(node_id: int, nodes: dict[int, Any], parent: dict[int, int], transpiled: str) -> tuple[str, str]:
    """A sample's part: the first frame up its stack that is neither native
    (no script) nor Node's own library decides, so Node work done for
    preview2-shim or for the component counts there; pure Node stacks
    (the HTTP parser, the event loop) count as Node."""
    label = nodes[node_id]["callFrame"]["functionName"] or "(anonymous)"
    node_part: str | None = None
    for current in _ancestors(node_id, parent):
        call = nodes[current]["callFrame"]
        url, name = call["url"], call["functionName"]
        if name == "(root)":
            break
        if name.startswith("(") and name.endswith(")"):
            key = name  # (idle), (garbage collector), (program)
        elif not url:
            continue
        elif url.startswith("node:") and "node:inspector" not in url:
            node_part = node_part or _part(url)
            continue
        elif url.endswith("/node_profile.mjs"):
            continue  # the counting wrappers pass through to what they wrap
        else:
            key = "transpiled" if url.endswith("/" + transpiled) else url
        return _part(key), label
    return node_part or OTHER, label


def _part(key: str) -> str:
    return next((part for part, marker in PARTS if marker in key), OTHER)


def _ancestors(node_id: int, parent: dict[int, int]) -> Iterator[int]:
    current: int | None = node_id
    while current is not None:
        yield current
        current = parent.get(current)


def native_transport_ms(iterations: int) -> float:
    """Median ms of McpHttpApp.handle for one echo tools/call on native
    CPython, the provider answered in-process (no WIT, no Wasm)."""
    sys.path.insert(0, str(ROOT / "transport"))
    from mcp_transport.config import TransportConfig
    from mcp_transport.dispatch import Dispatcher
    from mcp_transport.http import HttpRequest, McpHttpApp
    from mcp_transport.port import CallContext, Finished, ServerDescription

    class EchoPort:
        def describe(self) -> ServerDescription:
            return ServerDescription({"name": "bench", "version": "0"}, frozenset({"tools"}))

        def call_tool(self, ctx: CallContext, name: str, arguments: dict[str, Any] | None) -> Iterator[Finished]:
            yield Finished({"content": [{"type": "text", "text": (arguments or {}).get("text", "")}]})

    app = McpHttpApp(Dispatcher(EchoPort()), TransportConfig(response_mode="json"))  # type: ignore[arg-type]
    headers = {"host": "127.0.0.1:8080", "content-type": "application/json",
               "accept": "application/json, text/event-stream", "mcp-protocol-version": "2025-11-25"}
    times = []
    for index in range(iterations):
        body = json.dumps({"jsonrpc": "2.0", "id": index, "method": "tools/call",
                           "params": {"name": "echo", "arguments": {"text": f"bench echo {index}"}}}).encode()
        start = time.perf_counter()
        response = app.handle(HttpRequest("POST", "/mcp", headers, body))
        b"".join(response.body)
        times.append((time.perf_counter() - start) * 1000)
    return median(times)
