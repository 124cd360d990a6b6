"""MCP over stdio: newline-delimited JSON-RPC on stdin and stdout.

Every message the dispatcher yields (notifications, then the response) is
written as one line; diagnostics go to stderr, never stdout.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any, BinaryIO

from . import lifecycle
from .dispatch import Dispatcher
from .jsonrpc import JsonRpcError, Request, error_response, parse_message
from .port import CallContext
from .sessions import SessionState

__all__ = ["StdioSession", "serve_stdio"]


class StdioSession:
    """The state of the one client on the other end of the pipes."""

    def __init__(self, dispatcher: Dispatcher) -> None:
        self.dispatcher = dispatcher
        self.state = SessionState()
        self.protocol_version = lifecycle.LATEST_VERSION

    def handle_line(self, line: bytes) -> Iterator[dict[str, Any]]:
        """The messages to write in answer to one input line."""
        if not line.strip():
            return
        try:
            message = parse_message(line)
        except JsonRpcError as exc:
            yield error_response(exc.request_id, exc)
            return
        if not isinstance(message, Request):
            return  # notifications and client responses get no answer
        ctx = CallContext(protocol_version=self.protocol_version, log_level=self.state.log_level,
                          client_info=self.state.client_info)
        for reply in self.dispatcher.handle(message, ctx, self.state):
            if message.method == "initialize" and "result" in reply:
                self.protocol_version = reply["result"]["protocolVersion"]
                client = message.params.get("clientInfo")
                self.state.client_info = client if isinstance(client, dict) else None
            yield reply



def serve_stdio(dispatcher: Dispatcher, stdin: BinaryIO | None = None, stdout: BinaryIO | None = None) -> None:
    """Answer requests from stdin until it closes."""
    source = stdin or sys.stdin.buffer
    sink = stdout or sys.stdout.buffer
    session = StdioSession(dispatcher)
    print("mcp: serving on stdio", file=sys.stderr, flush=True)
    for line in iter(source.readline, b""):
        for reply in session.handle_line(line):
            sink.write(json.dumps(reply, ensure_ascii=False, separators=(",", ":")).encode() + b"\n")
            sink.flush()
