"""Streamable HTTP for MCP 2026-07-28: one self-contained POST, one answer.

A request whose ``MCP-Protocol-Version`` header names a version after the
2025 handshake era comes here (``http`` routes it). Nothing is kept
between requests, so any instance, fresh or reused, answers any of them.
Checks run in this order, each with its status: method (405), body size
(413), Content-Type (415), Accept (406), JSON-RPC (400), the request's
``_meta`` and the headers that must mirror it (400, ``envelope``), then
``Mcp-Param-*`` headers of a tool call (400). Errors the request itself
raises keep their table-mapped status (404 for an unknown method).

The answer is JSON when the request produces nothing before its response,
so its HTTP status can still tell the error; a request that sends progress
or logs first streams them as SSE, its response last.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from . import envelope
from .lifecycle import SUPPORTED_VERSIONS
from .config import TransportConfig
from .dispatch import Dispatcher
from .http_messages import (
    EVENT_STREAM,
    HEADER_PROTOCOL_VERSION,
    HttpRequest,
    HttpResponse,
    json_response,
    plain,
    read_post,
    rpc_error,
    sse_event,
)
from .jsonrpc import INVALID_REQUEST, JsonRpcError, Notification, Request, Response
from .port import CallContext, Identity
from .sessions import SessionState

__all__ = ["StatelessEndpoint"]


class StatelessEndpoint:
    """Answers 2026-07-28 requests to the MCP endpoint."""

    def __init__(self, dispatcher: Dispatcher, config: TransportConfig) -> None:
        self.dispatcher = dispatcher
        self.config = config

    def handle(self, request: HttpRequest, identity: Identity | None) -> HttpResponse:
        if request.method != "POST":
            # No GET stream and no session to DELETE: a client listens with
            # subscriptions/listen, and there is nothing to end.
            return plain(405, "Method Not Allowed", [("allow", "POST")])
        posted = read_post(request, self.config.max_body_bytes)
        if isinstance(posted, HttpResponse):
            return posted
        accepts, message = posted
        # HTTP lets a field value carry whitespace around it; it is not part of the value.
        headers = {name: value.strip() for name, value in request.headers.items()}
        if isinstance(message, Response):
            return rpc_error(400, JsonRpcError(
                INVALID_REQUEST, "Bad Request: with protocol 2026-07-28 the server sends no requests to answer"))
        if isinstance(message, Notification):
            # Nothing to act on: cancelling is closing the stream, and no
            # state lives between requests. Acknowledged, as before.
            version = headers.get(HEADER_PROTOCOL_VERSION, "")
            if version not in envelope.MODERN_VERSIONS:
                return rpc_error(400, envelope.unsupported_version_error(version))
            return HttpResponse(202)
        return self._request(message, headers, accepts, identity)

    def _request(self, message: Request, headers: dict[str, str], accepts: set[str],
                 identity: Identity | None) -> HttpResponse:
        version = headers.get(HEADER_PROTOCOL_VERSION, "")
        meta = message.params.get("_meta")
        if version not in envelope.MODERN_VERSIONS and not (isinstance(meta, dict)
                                                            and envelope.PROTOCOL_VERSION_KEY in meta):
            # A client of no era we speak (no envelope either): name what we do speak.
            refused = envelope.unsupported_version_error(version)
            return rpc_error(400, JsonRpcError(refused.code, f"Unsupported protocol version: {version}", {
                "supported": [*envelope.MODERN_VERSIONS, *sorted(SUPPORTED_VERSIONS, reverse=True)],
                "requested": version}, message.id))
        try:
            sent = envelope.read_envelope(message.method, message.params, headers)
            ctx = CallContext(protocol_version=sent.protocol_version, client_info=sent.client_info,
                              client_capabilities=sent.client_capabilities, log_level=sent.log_level,
                              identity=identity)
            if message.method == "tools/call":
                self._check_param_headers(message.params, headers, ctx)
        except JsonRpcError as exc:
            exc.request_id = message.id
            return rpc_error(envelope.http_status(exc.code), exc)
        streams = EVENT_STREAM in accepts and self.config.response_mode != "json"
        if message.method == "subscriptions/listen" and not streams:
            return rpc_error(406, JsonRpcError(INVALID_REQUEST, "Not Acceptable: a listen stream is "
                                               "text/event-stream, which the request must accept", None, message.id))
        messages: Iterator[dict[str, Any]] = (
            reply for reply in self.dispatcher.handle(message, ctx, SessionState()) if isinstance(reply, dict))
        first = next(messages, None)
        if first is None:  # the dispatcher always answers; this only guards the protocol
            return rpc_error(500, JsonRpcError(-32603, "Internal error: no response", None, message.id))
        if "id" in first or not streams:
            return self._json(first, messages)
        return HttpResponse(200, [("content-type", EVENT_STREAM), ("cache-control", "no-cache")],
                            _stream(first, messages))

    def _check_param_headers(self, params: dict[str, Any], headers: dict[str, str], ctx: CallContext) -> None:
        arguments = params.get("arguments")
        mirrored = any(name.startswith(envelope.PARAM_HEADER_PREFIX) for name in headers)
        if not isinstance(arguments, dict) or not (arguments or mirrored):
            return  # nothing to mirror, and no header claims a value
        name = params.get("name")
        schema = self.dispatcher.tool_input_schema(name, ctx) if isinstance(name, str) else None
        if schema is not None:
            envelope.check_param_headers(schema, arguments, headers)

    @staticmethod
    def _json(first: dict[str, Any], messages: Iterator[dict[str, Any]]) -> HttpResponse:
        # Only the response goes out; the request finishes (its cleanup)
        # before the client hears, so the instance is idle when it comes back.
        last = first
        for message in messages:
            last = message
        error = last.get("error")
        status = envelope.http_status(error["code"]) if isinstance(error, dict) else 200
        return json_response(status, last)


def _stream(first: dict[str, Any], messages: Iterator[dict[str, Any]]) -> Iterator[bytes]:
    # Events carry no ids: a 2026-07-28 stream is not resumed, the client
    # sends the request again.
    yield sse_event(first)
    for message in messages:
        if "id" in message:
            for _ in messages:  # let the request finish before the client hears
                pass
        yield sse_event(message)
