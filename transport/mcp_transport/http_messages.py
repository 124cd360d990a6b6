"""HTTP values and the small builders both protocol eras' endpoints share.

Plain :class:`HttpRequest`/:class:`HttpResponse` values, so the endpoint
runs the same in a component (through ``wasi_http``) and in host-side tests.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .jsonrpc import INVALID_REQUEST, JsonRpcError, Message, error_response, parse_message

__all__ = [
    "EVENT_STREAM",
    "HEADER_ACCEPT",
    "HEADER_AUTHORIZATION",
    "HEADER_CONTENT_TYPE",
    "HEADER_HOST",
    "HEADER_LAST_EVENT_ID",
    "HEADER_ORIGIN",
    "HEADER_PROTOCOL_VERSION",
    "HEADER_SESSION_ID",
    "JSON",
    "HttpRequest",
    "HttpResponse",
    "accepted",
    "dumps",
    "json_response",
    "media_type",
    "plain",
    "read_post",
    "rpc_error",
    "sse_event",
]

HEADER_ACCEPT = "accept"
HEADER_AUTHORIZATION = "authorization"
HEADER_CONTENT_TYPE = "content-type"
HEADER_HOST = "host"
HEADER_LAST_EVENT_ID = "last-event-id"
HEADER_ORIGIN = "origin"
HEADER_PROTOCOL_VERSION = "mcp-protocol-version"
HEADER_SESSION_ID = "mcp-session-id"

JSON = "application/json"
EVENT_STREAM = "text/event-stream"


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


def accepted(header: str) -> set[str]:
    """The media types an Accept header names, parameters dropped."""
    return {part.split(";", 1)[0].strip().lower() for part in header.split(",") if part.strip()}


def media_type(request: HttpRequest) -> str:
    return request.headers.get(HEADER_CONTENT_TYPE, "").split(";", 1)[0].strip().lower()


def dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def sse_event(message: dict[str, Any]) -> bytes:
    """One SSE event carrying a JSON-RPC message, without an id."""
    return b"event: message\ndata: " + dumps(message) + b"\n\n"


def json_response(status: int, payload: dict[str, Any], headers: list[tuple[str, str]] | None = None) -> HttpResponse:
    return HttpResponse(status, [("content-type", JSON), *(headers or [])], [dumps(payload)])


def rpc_error(status: int, error: JsonRpcError) -> HttpResponse:
    return json_response(status, error_response(error.request_id, error))


def plain(status: int, text: str, headers: list[tuple[str, str]] | None = None) -> HttpResponse:
    return HttpResponse(status, [("content-type", "text/plain; charset=utf-8"), *(headers or [])], [text.encode()])


def read_post(request: HttpRequest, max_body_bytes: int) -> tuple[set[str], Message] | HttpResponse:
    """A POST's accepted media types and its one JSON-RPC message, or the refusal.

    The checks both eras make, each with its status: body size (413),
    Content-Type (415), Accept (406), JSON-RPC (400).
    """
    if request.body_too_large:
        return rpc_error(413, JsonRpcError(INVALID_REQUEST, f"Payload Too Large: body exceeds {max_body_bytes} bytes"))
    if media_type(request) != JSON:
        return rpc_error(415, JsonRpcError(INVALID_REQUEST,
                                           "Unsupported Media Type: Content-Type must be application/json"))
    accepts = accepted(request.headers.get(HEADER_ACCEPT, ""))
    if not accepts & {JSON, EVENT_STREAM, "*/*", "application/*", "text/*"}:
        return rpc_error(406, JsonRpcError(
            INVALID_REQUEST, "Not Acceptable: Accept must allow application/json or text/event-stream"))
    try:
        return accepts, parse_message(request.body)
    except JsonRpcError as exc:
        return rpc_error(400, exc)
