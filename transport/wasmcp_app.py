"""The transport's entry points for wasmcp providers: the same
``wasi:http/incoming-handler`` and ``wasi:cli/run`` as ``app.py``, serving
the provider behind wasmcp's capability interfaces (see
mcp_transport.wasmcp_port). Built by make's build/wasmcp/transport-*.wasm.
"""

from __future__ import annotations

import functools

from wit_world import exports
from wit_world.imports import stdout

from mcp_transport.dispatch import Dispatcher
from mcp_transport.entry import make_exports
from mcp_transport.stdio import serve_stdio
from mcp_transport.wasi_http import response_stream
from mcp_transport.wasmcp_port import SSE_FRAME, STDIO_FRAME, WasmcpProvider

# HTTP: a capability may write its notifications into a streamed (SSE)
# response as events of their own, before the answer (wasmcp's model).
IncomingHandler, _ = make_exports(lambda: WasmcpProvider(response_stream, SSE_FRAME))


class Run(exports.Run):
    """stdio, as app.py serves it; here a capability may also write its
    notifications to stdout itself, a line each, before the answer (wasmcp
    hands capabilities the client's stream)."""

    def run(self) -> None:
        serve_stdio(Dispatcher(WasmcpProvider(functools.cache(stdout.get_stdout), STDIO_FRAME)))
