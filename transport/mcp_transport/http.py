"""Streamable HTTP: the HTTP rules around one MCP endpoint.

Works on plain :class:`HttpRequest`/:class:`HttpResponse` values so it runs
the same in a component (through ``wasi_http``) and in host-side tests.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from . import lifecycle
from .dispatch import Dispatcher
from .jsonrpc import JsonRpcError, Notification, Request, Response, error_response, parse_message
from .port import CallContext

__all__ = [
    "HEADER_ACCEPT",
    "HEADER_CONTENT_TYPE",
    "HEADER_PROTOCOL_VERSION",
    "HttpConfig",
    "HttpRequest",
    "HttpResponse",
    "McpHttpApp",
]

HEADER_ACCEPT = "accept"
HEADER_CONTENT_TYPE = "content-type"
HEADER_PROTOCOL_VERSION = "mcp-protocol-version"
HEADER_SESSION_ID = "mcp-session-id"

JSON = "application/json"
EVENT_STREAM = "text/event-stream"

# Assumed when a client sends no MCP-Protocol-Version header (spec rule).
DEFAULT_HEADER_VERSION = "2025-03-26"


@dataclass(frozen=True)
class HttpConfig:
    """How the endpoint behaves."""

    endpoint: str = "/mcp"
    max_body_bytes: int = 4 * 1024 * 1024


@dataclass(frozen=True)
class HttpRequest:
    """An HTTP request; header names are lower-case."""

    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    body_too_large: bool = False


@dataclass
class HttpResponse:
    """An HTTP response whose body may stream."""

    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: Iterable[bytes] = ()


class McpHttpApp:
    """Answers HTTP requests to the MCP endpoint."""

    def __init__(self, dispatcher: Dispatcher, config: HttpConfig | None = None) -> None:
        self.dispatcher = dispatcher
        self.config = config or HttpConfig()

    def handle(self, request: HttpRequest) -> HttpResponse:
        path = request.path.split("?", 1)[0]
        if path != self.config.endpoint:
            return _plain(404, "Not Found")
        if request.method != "POST":
            return _plain(405, "Method Not Allowed", [("allow", "POST")])
        if request.body_too_large:
            return _rpc_error(413, JsonRpcError(-32600, "Request body too large"))
        media_type = request.headers.get(HEADER_CONTENT_TYPE, "").split(";", 1)[0].strip().lower()
        if media_type != JSON:
            return _rpc_error(415, JsonRpcError(-32600, "Unsupported Media Type: Content-Type must be application/json"))
        accepts = _accepted(request.headers.get(HEADER_ACCEPT, ""))
        if not (JSON in accepts or EVENT_STREAM in accepts or "*/*" in accepts):
            return _rpc_error(406, JsonRpcError(-32600, "Not Acceptable: Accept must allow application/json or text/event-stream"))
        try:
            message = parse_message(request.body)
        except JsonRpcError as exc:
            return _rpc_error(400, exc)
        if isinstance(message, (Notification, Response)):
            return HttpResponse(202)
        version = request.headers.get(HEADER_PROTOCOL_VERSION)
        if message.method != "initialize":
            if version is None:
                version = DEFAULT_HEADER_VERSION
            elif version not in lifecycle.SUPPORTED_VERSIONS:
                return _rpc_error(400, JsonRpcError(
                    -32600, f"Unsupported MCP-Protocol-Version: {version}"), message.id)
        ctx = CallContext(protocol_version=version or lifecycle.LATEST_VERSION,
                          session_id=request.headers.get(HEADER_SESSION_ID))
        messages = self.dispatcher.handle(message, ctx)
        if EVENT_STREAM in accepts and (JSON not in accepts or message.method == "tools/call"):
            return HttpResponse(200, [("content-type", EVENT_STREAM), ("cache-control", "no-cache")],
                                _sse(messages))
        return _json(200, _last(messages))


def _accepted(header: str) -> set[str]:
    return {part.split(";", 1)[0].strip().lower() for part in header.split(",") if part.strip()}


def _last(messages: Iterator[dict[str, Any]]) -> dict[str, Any]:
    # JSON responses carry only the final response; notifications are dropped.
    last: dict[str, Any] = {}
    for last in messages:
        pass
    return last


def _sse(messages: Iterator[dict[str, Any]]) -> Iterator[bytes]:
    for message in messages:
        yield b"event: message\ndata: " + _dumps(message) + b"\n\n"


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def _json(status: int, payload: dict[str, Any]) -> HttpResponse:
    return HttpResponse(status, [("content-type", JSON)], [_dumps(payload)])


def _rpc_error(status: int, error: JsonRpcError, request_id: str | int | None = None) -> HttpResponse:
    return _json(status, error_response(request_id if request_id is not None else error.request_id, error))


def _plain(status: int, text: str, headers: list[tuple[str, str]] | None = None) -> HttpResponse:
    return HttpResponse(status, [("content-type", "text/plain; charset=utf-8"), *(headers or [])], [text.encode()])
