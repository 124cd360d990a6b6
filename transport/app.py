"""The transport component's entry points: ``wasi:http/incoming-handler``
and ``wasi:cli/run`` (stdio). Short shims into ``mcp_transport``.
"""

from __future__ import annotations

import sys

from wit_world import exports
from wit_world.imports.wasi_http_types import IncomingRequest, ResponseOutparam

from mcp_transport.config import ConfigError, TransportConfig
from mcp_transport.dispatch import Dispatcher
from mcp_transport.http import HttpResponse, McpHttpApp
from mcp_transport.stdio import serve_stdio
from mcp_transport.wasi_http import read_request, write_response
from mcp_transport.wit_port import WitProvider

_app: McpHttpApp | None = None


def _http_app() -> McpHttpApp:
    # Built on the first request, not at import: componentize-py runs the
    # import at build time, when the runtime's environment is not there yet.
    # It then lives as long as the instance (sessions live in it).
    global _app
    if _app is None:
        _app = McpHttpApp(Dispatcher(WitProvider()), TransportConfig.from_env())
    return _app


class IncomingHandler(exports.IncomingHandler):
    def handle(self, request: IncomingRequest, response_out: ResponseOutparam) -> None:
        try:
            app = _http_app()
        except ConfigError as exc:
            print(f"mcp: configuration error: {exc}", file=sys.stderr)
            write_response(HttpResponse(500, [("content-type", "text/plain; charset=utf-8")],
                                        [f"server misconfigured: {exc}".encode()]), response_out)
            return
        try:
            response = app.handle(read_request(request, app.config.max_body_bytes))
        except Exception as exc:  # an uncaught exception would trap the whole instance
            print(f"mcp: internal error: {exc!r}", file=sys.stderr)
            response = HttpResponse(500, [("content-type", "text/plain; charset=utf-8")], [b"Internal Server Error"])
        write_response(response, response_out)


class Run(exports.Run):
    def run(self) -> None:
        serve_stdio(Dispatcher(WitProvider()))
