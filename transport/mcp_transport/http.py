"""Streamable HTTP (MCP 2025-11-25): the HTTP rules around one endpoint.

Works on plain :class:`HttpRequest`/:class:`HttpResponse` values so it runs
the same in a component (through ``wasi_http``) and in host-side tests.
Checks run in this order, each with its own status: path (404), Host and
Origin (403), bearer token when authorization is on (401/403), method (405), session (400/404), protocol version header
(400), body size (413), Content-Type (415), Accept (406), JSON-RPC (400).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from . import lifecycle
from .auth import AuthFailure, Authenticator
from .config import TransportConfig
from .dispatch import Dispatcher
from .jsonrpc import INVALID_REQUEST, JsonRpcError, Notification, Request, Response, error_response, parse_message
from .port import CallContext, Identity
from .sessions import Sessions, SessionState

__all__ = [
    "HEADER_ACCEPT",
    "HEADER_CONTENT_TYPE",
    "HEADER_ORIGIN",
    "HEADER_PROTOCOL_VERSION",
    "HEADER_SESSION_ID",
    "HttpRequest",
    "HttpResponse",
    "McpHttpApp",
]

HEADER_ACCEPT = "accept"
HEADER_AUTHORIZATION = "authorization"
HEADER_CONTENT_TYPE = "content-type"
HEADER_HOST = "host"
HEADER_ORIGIN = "origin"
HEADER_PROTOCOL_VERSION = "mcp-protocol-version"
HEADER_SESSION_ID = "mcp-session-id"

JSON = "application/json"
EVENT_STREAM = "text/event-stream"

# Assumed when a client sends no MCP-Protocol-Version header (spec rule).
DEFAULT_HEADER_VERSION = "2025-03-26"
# Transport-level errors use this JSON-RPC code, as the reference servers do.
SERVER_ERROR = -32000
# SSE priming events (empty data with an id) arrived with this version.
PRIMING_SINCE = "2025-11-25"
RETRY_MILLISECONDS = 1000


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
    """Answers HTTP requests to the MCP endpoint.

    One app lives as long as its component instance; sessions and the
    log level set without sessions live in it.
    """

    def __init__(self, dispatcher: Dispatcher, config: TransportConfig | None = None) -> None:
        self.dispatcher = dispatcher
        self.config = config or TransportConfig()
        self.sessions = Sessions(self.config.session_secret)
        self._sessionless = SessionState()
        self.auth = Authenticator(self.config.auth, self.config.endpoint) if self.config.auth else None

    def handle(self, request: HttpRequest) -> HttpResponse:
        try:
            return self._handle(request)
        except _HttpError as exc:
            return exc.response

    def _handle(self, request: HttpRequest) -> HttpResponse:
        path = request.path.split("?", 1)[0]
        if self.auth is not None and self.auth.is_metadata_path(path):
            return self._metadata(request, self.auth)
        if path != self.config.endpoint:
            return _plain(404, "Not Found")
        if not self.config.host_allowed(request.headers.get(HEADER_HOST)):
            return _rpc_error(403, JsonRpcError(SERVER_ERROR, "Forbidden: Host not allowed"))
        if not self.config.origin_allowed(request.headers.get(HEADER_ORIGIN)):
            return _rpc_error(403, JsonRpcError(SERVER_ERROR, "Forbidden: Origin not allowed"))
        identity = None
        if self.auth is not None:
            try:
                identity = self.auth.authenticate(request.headers.get(HEADER_AUTHORIZATION))
            except AuthFailure as failure:
                return HttpResponse(failure.status, [("content-type", JSON), ("www-authenticate", failure.challenge)],
                                    [self.auth.failure_body(failure)])
        if request.method == "POST":
            return self._post(request, identity)
        if request.method == "DELETE" and self.config.sessions:
            return self._delete(request)
        allow = "POST, DELETE" if self.config.sessions else "POST"
        # GET would open a stream for server-initiated messages; this server
        # sends none outside a request, so it declines (allowed by the spec).
        return _plain(405, "Method Not Allowed", [("allow", allow)])

    @staticmethod
    def _metadata(request: HttpRequest, auth: Authenticator) -> HttpResponse:
        # RFC 9728 protected resource metadata: public, so no token and no
        # Host/Origin check; any origin may read it.
        if request.method != "GET":
            return _plain(405, "Method Not Allowed", [("allow", "GET")])
        return _json(200, auth.metadata(), [("access-control-allow-origin", "*"), ("cache-control", "max-age=300")])

    # -- POST ---------------------------------------------------------------

    def _post(self, request: HttpRequest, identity: Identity | None = None) -> HttpResponse:
        if request.body_too_large:
            return _rpc_error(413, JsonRpcError(INVALID_REQUEST, "Payload Too Large: body exceeds "
                                                f"{self.config.max_body_bytes} bytes"))
        media_type = request.headers.get(HEADER_CONTENT_TYPE, "").split(";", 1)[0].strip().lower()
        if media_type != JSON:
            return _rpc_error(415, JsonRpcError(INVALID_REQUEST, "Unsupported Media Type: Content-Type must be application/json"))
        accepts = _accepted(request.headers.get(HEADER_ACCEPT, ""))
        if not accepts & {JSON, EVENT_STREAM, "*/*", "application/*", "text/*"}:
            return _rpc_error(406, JsonRpcError(INVALID_REQUEST, "Not Acceptable: Accept must allow application/json or text/event-stream"))
        try:
            message = parse_message(request.body)
        except JsonRpcError as exc:
            return _rpc_error(400, exc)

        if isinstance(message, Request) and message.method == "initialize":
            return self._initialize(message, identity)
        state, session_id = self._session(request)
        version = self._protocol_version(request)
        if isinstance(message, (Notification, Response)):
            return HttpResponse(202)
        ctx = CallContext(protocol_version=version, session_id=session_id, log_level=state.log_level,
                          client_info=state.client_info, identity=identity)
        messages = self.dispatcher.handle(message, ctx, state)
        headers = [(HEADER_SESSION_ID, session_id)] if session_id else []
        if self._wants_sse(accepts, message.method):
            # Older clients may not skip an empty event, so prime only clients
            # that negotiated a version that defines it.
            negotiated = state.protocol_version or version
            priming = lifecycle.SUPPORTED_VERSIONS.index(negotiated) >= lifecycle.SUPPORTED_VERSIONS.index(PRIMING_SINCE)
            return HttpResponse(200, [("content-type", EVENT_STREAM), ("cache-control", "no-cache"), *headers],
                                _sse(messages, priming))
        return _json(200, _last(messages), headers)

    def _initialize(self, message: Request, identity: Identity | None) -> HttpResponse:
        # Always JSON: the session id header must be known before the body.
        state = SessionState()
        response = _last(self.dispatcher.handle(message, CallContext(lifecycle.LATEST_VERSION, identity=identity),
                                                state))
        headers: list[tuple[str, str]] = []
        if self.config.sessions and "result" in response:
            client = message.params.get("clientInfo")
            headers.append((HEADER_SESSION_ID, self.sessions.create(
                response["result"]["protocolVersion"], client if isinstance(client, dict) else None)))
        return _json(200, response, headers)

    def _wants_sse(self, accepts: set[str], method: str) -> bool:
        if EVENT_STREAM not in accepts or self.config.response_mode == "json":
            return False
        if JSON not in accepts or self.config.response_mode == "sse":
            return True
        return method == "tools/call"  # auto: stream where notifications can occur

    # -- sessions and headers -------------------------------------------------

    def _session(self, request: HttpRequest) -> tuple[SessionState, str | None]:
        if not self.config.sessions:
            return self._sessionless, None
        session_id = request.headers.get(HEADER_SESSION_ID)
        if not session_id:
            raise _HttpError(_rpc_error(400, JsonRpcError(SERVER_ERROR, "Bad Request: Mcp-Session-Id header is required")))
        state = self.sessions.get(session_id)
        if state is None:
            raise _HttpError(_rpc_error(404, JsonRpcError(SERVER_ERROR, "Not Found: unknown or terminated session")))
        return state, session_id

    def _protocol_version(self, request: HttpRequest) -> str:
        version = request.headers.get(HEADER_PROTOCOL_VERSION)
        if version is None:
            return DEFAULT_HEADER_VERSION
        if version not in lifecycle.SUPPORTED_VERSIONS:
            raise _HttpError(_rpc_error(400, JsonRpcError(
                SERVER_ERROR, f"Bad Request: unsupported MCP-Protocol-Version: {version}")))
        return version

    def _delete(self, request: HttpRequest) -> HttpResponse:
        _, session_id = self._session(request)
        assert session_id is not None
        self.sessions.terminate(session_id)
        return HttpResponse(200)


class _HttpError(Exception):
    """Ends request handling early with a ready response."""

    def __init__(self, response: HttpResponse) -> None:
        super().__init__(response.status)
        self.response = response


def _accepted(header: str) -> set[str]:
    return {part.split(";", 1)[0].strip().lower() for part in header.split(",") if part.strip()}


def _last(messages: Iterator[dict[str, Any]]) -> dict[str, Any]:
    # A JSON response carries only the final message; notifications are dropped.
    last: dict[str, Any] = {}
    for last in messages:
        pass
    return last


def _sse(messages: Iterator[dict[str, Any]], priming: bool) -> Iterator[bytes]:
    # Event ids are unique across streams: a random stream prefix and a count.
    stream = secrets.token_hex(8)
    if priming:
        yield f"id: {stream}-0\nretry: {RETRY_MILLISECONDS}\ndata: \n\n".encode()
    for number, message in enumerate(messages, start=1):
        yield f"event: message\nid: {stream}-{number}\ndata: ".encode() + _dumps(message) + b"\n\n"


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def _json(status: int, payload: dict[str, Any], headers: list[tuple[str, str]] | None = None) -> HttpResponse:
    return HttpResponse(status, [("content-type", JSON), *(headers or [])], [_dumps(payload)])


def _rpc_error(status: int, error: JsonRpcError) -> HttpResponse:
    return _json(status, error_response(error.request_id, error))


def _plain(status: int, text: str, headers: list[tuple[str, str]] | None = None) -> HttpResponse:
    return HttpResponse(status, [("content-type", "text/plain; charset=utf-8"), *(headers or [])], [text.encode()])
