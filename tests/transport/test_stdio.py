"""stdio: one JSON-RPC message per line in, every reply line out."""

from __future__ import annotations

import io
import json

from mcp_transport.dispatch import Dispatcher
from mcp_transport.stdio import StdioSession, serve_stdio

from .fake_provider import FakeProvider

INIT = b'{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","clientInfo":{"name":"c","version":"1"}}}'


def test_serves_until_stdin_closes() -> None:
    stdin = io.BytesIO(b"\n".join([
        INIT,
        b'{"jsonrpc":"2.0","method":"notifications/initialized"}',
        b'{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"shout","arguments":{"text":"hi"}}}',
        b"",
        b"{oops",
    ]) + b"\n")
    stdout = io.BytesIO()
    serve_stdio(Dispatcher(FakeProvider()), stdin, stdout)
    lines = [json.loads(line) for line in stdout.getvalue().splitlines()]
    assert [line.get("id", line.get("method")) for line in lines] == [1, "notifications/message", 2, None]
    assert lines[0]["result"]["protocolVersion"] == "2025-06-18"
    assert lines[2]["result"]["content"][0]["text"] == "HI"
    assert lines[3]["error"]["code"] == -32700


def test_negotiated_version_reaches_later_requests() -> None:
    provider = FakeProvider()
    session = StdioSession(Dispatcher(provider))
    list(session.handle_line(INIT))
    list(session.handle_line(b'{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo"}}'))
    assert provider.calls[0][2].protocol_version == "2025-06-18"


def test_log_level_set_over_stdio_is_kept() -> None:
    provider = FakeProvider()
    session = StdioSession(Dispatcher(provider))
    list(session.handle_line(b'{"jsonrpc":"2.0","id":1,"method":"logging/setLevel","params":{"level":"error"}}'))
    list(session.handle_line(b'{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo"}}'))
    assert provider.calls[0][2].log_level == "error"


def test_client_info_reaches_later_requests() -> None:
    provider = FakeProvider()
    session = StdioSession(Dispatcher(provider))
    list(session.handle_line(INIT))
    list(session.handle_line(b'{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo"}}'))
    assert provider.calls[0][2].client_info == {"name": "c", "version": "1"}
