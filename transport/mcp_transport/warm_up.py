"""Requests served once at build time, so that instances start warm.

componentize-py snapshots the interpreter after the entry module is
imported, and every instance starts from that snapshot. Code that has run
once in CPython is cheaper the next time: its bytecode is specialised, its
attribute caches and lazily built tables are filled. Run nothing before
the snapshot and each fresh instance pays for it again, on its first
request; with a fresh instance per request (Spin, ``REUSE=1``) that is
every request.

So the entry module serves a few typical requests through a throwaway app:
the same transport code, a stand-in provider of its own (the SDK's, in this
interpreter: nothing of the real provider runs at build time, and no WIT
import is called, which the build could not answer), and the default
settings (the runtime's environment is not there yet). Nothing of it
outlives the call: the app, its sessions and the stand-in are dropped.
"""

from __future__ import annotations

import json
from typing import Any

from mcp_component import Provider

from .config import TransportConfig
from .dispatch import Dispatcher
from .http import McpHttpApp
from .http_messages import HttpRequest
from .local_port import LocalProvider

__all__ = ["warm_up"]

_LEGACY = "2025-11-25"
_MODERN = "2026-07-28"


def _stand_in() -> Provider:
    provider = Provider("warm-up")

    @provider.tool
    def echo(text: str) -> str:
        """Returns the text."""
        return text

    return provider


def _request(method: str, params: dict[str, Any] | None, version: str, accept: str) -> HttpRequest:
    headers = {"host": "localhost", "content-type": "application/json", "accept": accept,
               "mcp-protocol-version": version}
    message: dict[str, Any] = {"jsonrpc": "2.0", "id": 1, "method": method}
    if version == _MODERN:
        params = {**(params or {}), "_meta": {"io.modelcontextprotocol/protocolVersion": _MODERN,
                                               "io.modelcontextprotocol/clientCapabilities": {}}}
        headers["mcp-method"] = method
        if method == "tools/call":
            headers["mcp-name"] = str((params or {}).get("name"))
    if params is not None:
        message["params"] = params
    return HttpRequest("POST", "/mcp", headers, json.dumps(message).encode())


def warm_up(rounds: int = 2) -> list[tuple[int, bytes]]:
    """Serve each typical request ``rounds`` times on a throwaway app; the
    last round's answers (status and body) are returned for the tests."""
    app = McpHttpApp(Dispatcher(LocalProvider(_stand_in())), TransportConfig())
    both = "application/json, text/event-stream"
    call = {"name": "echo", "arguments": {"text": "warm"}}
    initialize = {"protocolVersion": _LEGACY, "capabilities": {},
                  "clientInfo": {"name": "warm-up", "version": "0"}}
    requests = [
        _request("initialize", initialize, _LEGACY, both),
        _request("ping", None, _LEGACY, both),
        _request("tools/list", None, _LEGACY, both),
        _request("tools/call", call, _LEGACY, both),  # SSE, the default for tools/call
        _request("tools/call", call, _LEGACY, "application/json"),
        _request("tools/list", None, _MODERN, both),
        _request("tools/call", call, _MODERN, both),
    ]
    answers: list[tuple[int, bytes]] = []
    for _ in range(rounds):
        answers = []
        for request in requests:
            response = app.handle(request)
            answers.append((response.status, b"".join(response.body)))
    return answers
