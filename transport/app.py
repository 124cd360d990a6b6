"""The transport component's entry points: ``wasi:http/incoming-handler``
and ``wasi:cli/run`` (stdio), serving the provider behind the imported MCP
WIT interfaces (see mcp_transport.entry).
"""

from __future__ import annotations

from mcp_transport.entry import make_exports
from mcp_transport.wit_port import WitProvider

IncomingHandler, Run = make_exports(WitProvider)
