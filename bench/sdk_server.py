"""The official MCP Python SDK serving the bench tools: stateless
Streamable HTTP with JSON responses, log level WARNING.

    python -m bench.sdk_server --port 8000
"""

from __future__ import annotations

import argparse

from mcp.server.mcpserver import MCPServer

from bench.provider.bench_tools import echo, text_stats


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.sdk_server")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    server: MCPServer[object] = MCPServer("bench", version="0.1.0", log_level="WARNING")
    server.add_tool(echo)
    server.add_tool(text_stats)
    server.run("streamable-http", host="127.0.0.1", port=args.port, json_response=True, stateless_http=True)


if __name__ == "__main__":
    main()
