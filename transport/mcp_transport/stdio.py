"""MCP over stdio: newline-delimited JSON-RPC on stdin and stdout.

Every message the dispatcher yields (notifications, then the response) is
written as one line; diagnostics go to stderr, never stdout. A tool call
that asks the client something writes its requests and waits (parked, as
over HTTP) while other lines are served; the answer's line resumes it.

A request whose ``_meta`` names its protocol version (2026-07-28) stands
alone: it is served with what its ``_meta`` says about the client, whatever
came before, and asks the client through input-required results.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any, BinaryIO

from . import envelope, lifecycle
from .dispatch import Dispatcher
from .jsonrpc import JsonRpcError, Notification, Request, Response, error_response, parse_message
from .parking import Parked, Parking
from .port import CallContext, Suspend
from .sessions import SessionState, concerns

__all__ = ["StdioSession", "serve_stdio"]


class StdioSession:
    """The state of the one client on the other end of the pipes."""

    def __init__(self, dispatcher: Dispatcher) -> None:
        self.dispatcher = dispatcher
        self.state = SessionState()
        self.protocol_version = lifecycle.LATEST_VERSION
        self.parking = Parking()

    def handle_line(self, line: bytes) -> Iterator[dict[str, Any]]:
        """The messages to write in answer to one input line."""
        self.parking.sweep()
        for overdue in self.parking.ready():  # their answers timed out: go on without
            self.parking.take(overdue)
            yield from self._run(overdue)
        if not line.strip():
            return
        try:
            message = parse_message(line)
        except JsonRpcError as exc:
            yield error_response(exc.request_id, exc)
            return
        if isinstance(message, Response):
            call = self.parking.answer(message, None)
            if call is not None and call.ready:
                self.parking.take(call)
                yield from self._run(call)
            return
        if isinstance(message, Notification):
            if message.method == "notifications/cancelled":
                self.parking.cancel(message.params.get("requestId"), None)
            return
        meta = message.params.get("_meta")
        if isinstance(meta, dict) and envelope.PROTOCOL_VERSION_KEY in meta and message.method != "initialize":
            yield from self._stateless(message)
            return
        if message.method == "initialize":
            capabilities = message.params.get("capabilities")
            self.state.client_capabilities = capabilities if isinstance(capabilities, dict) else {}
        ctx = CallContext(protocol_version=self.protocol_version, log_level=self.state.log_level,
                          client_info=self.state.client_info, client_capabilities=self.state.client_capabilities)
        for reply in self._run(Parked(message.id, None, self.dispatcher.handle(message, ctx, self.state))):
            if message.method == "initialize" and "result" in reply:
                self.protocol_version = reply["result"]["protocolVersion"]
                client = message.params.get("clientInfo")
                self.state.client_info = client if isinstance(client, dict) else None
            yield reply

    def _stateless(self, message: Request) -> Iterator[dict[str, Any]]:
        try:
            sent = envelope.read_envelope(message.method, message.params, None)
        except JsonRpcError as exc:
            yield error_response(message.id, exc)
            return
        ctx = CallContext(protocol_version=sent.protocol_version, client_info=sent.client_info,
                          client_capabilities=sent.client_capabilities, log_level=sent.log_level)
        for reply in self.dispatcher.handle(message, ctx, SessionState()):
            if isinstance(reply, dict):
                yield reply

    def _run(self, call: Parked) -> Iterator[dict[str, Any]]:
        """A call's messages, until it ends or waits for the client (then it is parked)."""
        yield from call.owed
        call.owed.clear()
        for message in call.messages:
            if isinstance(message, Suspend):
                if message.requests:  # (none: an offer to end an HTTP stream, nothing to do here)
                    yield from call.ask(message, self.parking.now())
                    self.parking.park(call)
                    return
                continue
            if concerns(self.state, message):
                yield message



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
