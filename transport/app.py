"""The transport component's entry point (``wasi:http/incoming-handler``).

A short shim: everything it calls is plain Python in ``mcp_transport``.
"""

from wit_world import exports
from wit_world.imports.wasi_http_types import IncomingRequest, ResponseOutparam

from mcp_transport.dispatch import Dispatcher
from mcp_transport.http import HttpConfig, McpHttpApp
from mcp_transport.wasi_http import read_request, write_response
from mcp_transport.wit_port import WitProvider

_config = HttpConfig()


class IncomingHandler(exports.IncomingHandler):
    def handle(self, request: IncomingRequest, response_out: ResponseOutparam) -> None:
        app = McpHttpApp(Dispatcher(WitProvider()), _config)
        write_response(app.handle(read_request(request, _config.max_body_bytes)), response_out)
