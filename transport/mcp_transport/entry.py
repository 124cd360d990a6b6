"""The component's exports, ``wasi:http/incoming-handler`` and
``wasi:cli/run``, as short shims over a provider port.

Shared by both builds: the composed transport (its port reaches the
provider through WIT imports) and the one-interpreter server (its port
calls the SDK in the same interpreter).
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from wit_world import exports

from .config import ConfigError, TransportConfig
from .dispatch import Dispatcher
from .http import HttpResponse, McpHttpApp
from .port import ProviderPort
from .stdio import serve_stdio
from .warm_up import warm_up
from .wasi_http import IncomingRequest, ResponseOutparam, read_request, write_response

__all__ = ["make_exports"]


def make_exports(make_port: Callable[[], ProviderPort]) -> tuple[type[exports.IncomingHandler], type[exports.Run]]:
    """The export classes componentize-py expects, serving ``make_port()``."""
    app: McpHttpApp | None = None

    def http_app() -> McpHttpApp:
        # Built on the first request, not at import: componentize-py runs the
        # import at build time, when the runtime's environment is not there yet.
        # It then lives as long as the instance (sessions live in it).
        nonlocal app
        if app is None:
            app = McpHttpApp(Dispatcher(make_port()), TransportConfig.from_env())
        return app

    class IncomingHandler(exports.IncomingHandler):
        def handle(self, request: IncomingRequest, response_out: ResponseOutparam) -> None:
            try:
                served = http_app()
            except ConfigError as exc:
                print(f"mcp: configuration error: {exc}", file=sys.stderr)
                write_response(HttpResponse(500, [("content-type", "text/plain; charset=utf-8")],
                                            [f"server misconfigured: {exc}".encode()]), response_out)
                return
            try:
                response = served.handle(read_request(request, served.config.max_body_bytes))
            except Exception as exc:  # an uncaught exception would trap the whole instance
                print(f"mcp: internal error: {exc!r}", file=sys.stderr)
                response = HttpResponse(500, [("content-type", "text/plain; charset=utf-8")],
                                        [b"Internal Server Error"])
            write_response(response, response_out)

    class Run(exports.Run):
        def run(self) -> None:
            serve_stdio(Dispatcher(make_port()))

    # Imported at build time: what runs now is in every instance's snapshot.
    warm_up()
    return IncomingHandler, Run
