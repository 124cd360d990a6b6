"""Streamable HTTP: the HTTP rules around one endpoint.

Requests of MCP 2025-11-25 and before are served here; a request whose
``MCP-Protocol-Version`` names a later version goes to ``stateless_http``.

Works on plain :class:`HttpRequest`/:class:`HttpResponse` values so it runs
the same in a component (through ``wasi_http``) and in host-side tests.
Checks run in this order, each with its own status: path (404), Host and
Origin (403), bearer token when authorization is on (401/403), method (405), session (400/404), protocol version header
(400), body size (413), Content-Type (415), Accept (406), JSON-RPC (400).

A tool call that asks the client something is parked between requests
(``parking``): its stream sends the requests and ends, the client's answers
arrive as POSTs, and its reconnection (GET with ``Last-Event-ID``) resumes
the call.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from . import lifecycle
from .auth import AuthFailure, Authenticator
from .config import TransportConfig
from .dispatch import Dispatcher
from .http_messages import (
    EVENT_STREAM,
    HEADER_ACCEPT,
    HEADER_AUTHORIZATION,
    HEADER_CONTENT_TYPE,
    HEADER_HOST,
    HEADER_LAST_EVENT_ID,
    HEADER_ORIGIN,
    HEADER_PROTOCOL_VERSION,
    HEADER_SESSION_ID,
    JSON,
    HttpRequest,
    HttpResponse,
)
from .http_messages import accepted as _accepted
from .http_messages import dumps as _dumps
from .http_messages import json_response as _json
from .http_messages import plain as _plain
from .http_messages import read_post
from .http_messages import rpc_error as _rpc_error
from .jsonrpc import INVALID_REQUEST, JsonRpcError, Notification, Request, Response, error_response
from .parking import Parked, Parking
from .port import AnswerError, CallContext, Identity, Suspend
from .request_state import RequestStates
from .sessions import Sessions, SessionState, concerns
from .stateless_http import StatelessEndpoint

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

# Assumed when a client sends no MCP-Protocol-Version header (spec rule).
DEFAULT_HEADER_VERSION = "2025-03-26"
# Transport-level errors use this JSON-RPC code, as the reference servers do.
SERVER_ERROR = -32000
# SSE priming events (empty data with an id) arrived with this version.
PRIMING_SINCE = "2025-11-25"
RETRY_MILLISECONDS = 1000
# How soon a client polls its GET stream again for server-initiated messages.
IDLE_RETRY_MILLISECONDS = 10000


class McpHttpApp:
    """Answers HTTP requests to the MCP endpoint.

    One app lives as long as its component instance; sessions and the
    log level set without sessions live in it.
    """

    def __init__(self, dispatcher: Dispatcher, config: TransportConfig | None = None) -> None:
        self.dispatcher = dispatcher
        self.config = config or TransportConfig()
        self.sessions = Sessions(self.config.session_secret)
        if self.config.request_state_secret is not None:
            dispatcher.request_states = RequestStates(self.config.request_state_secret)
        self.stateless = StatelessEndpoint(dispatcher, self.config)
        self._sessionless = SessionState()
        self.parking = Parking()
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
        version = request.headers.get(HEADER_PROTOCOL_VERSION, "").strip()
        if version and version not in lifecycle.SUPPORTED_VERSIONS:
            # 2026-07-28 (or a version only it can refuse properly, -32022).
            return self.stateless.handle(request, identity)
        self.parking.sweep()
        if request.method == "POST":
            return self._post(request, identity)
        if request.method == "GET" and (HEADER_LAST_EVENT_ID in request.headers or self._listens):
            return self._get(request)
        if request.method == "DELETE" and self.config.sessions:
            return self._delete(request)
        allow = ("GET, " if self._listens else "") + ("POST, DELETE" if self.config.sessions else "POST")
        # A GET stream for server-initiated messages needs a session to
        # belong to, and one instance for all of them: where requests spread
        # over instances, a client's polling would only spread its session's
        # state further. Resuming a call's stream (Last-Event-ID) is always served.
        return _plain(405, "Method Not Allowed", [("allow", allow)])

    @property
    def _listens(self) -> bool:
        return self.config.sessions and self.config.one_instance

    @staticmethod
    def _metadata(request: HttpRequest, auth: Authenticator) -> HttpResponse:
        # RFC 9728 protected resource metadata: public, so no token and no
        # Host/Origin check; any origin may read it.
        if request.method != "GET":
            return _plain(405, "Method Not Allowed", [("allow", "GET")])
        return _json(200, auth.metadata(), [("access-control-allow-origin", "*"), ("cache-control", "max-age=300")])

    # -- POST ---------------------------------------------------------------

    def _post(self, request: HttpRequest, identity: Identity | None = None) -> HttpResponse:
        posted = read_post(request, self.config.max_body_bytes)
        if isinstance(posted, HttpResponse):
            return posted
        accepts, message = posted
        if isinstance(message, Request) and message.method == "initialize":
            return self._initialize(message, identity)
        state, session_id = self._session(request)
        version = self._protocol_version(request)
        if isinstance(message, Response):
            self.parking.answer(message, session_id)
            return HttpResponse(202)
        if isinstance(message, Notification):
            if message.method == "notifications/cancelled":
                self.parking.cancel(message.params.get("requestId"), session_id)
            return HttpResponse(202)
        ctx = CallContext(protocol_version=version, session_id=session_id, log_level=state.log_level,
                          client_info=state.client_info, identity=identity,
                          client_capabilities=state.client_capabilities)
        messages = self.dispatcher.handle(message, ctx, state)
        headers = [(HEADER_SESSION_ID, session_id)] if session_id else []
        if self._wants_sse(accepts, message.method):
            # Older clients may not skip an empty event nor resume a stream,
            # so prime (and park) only for versions that define both.
            negotiated = state.protocol_version or version
            resumable = lifecycle.SUPPORTED_VERSIONS.index(negotiated) >= lifecycle.SUPPORTED_VERSIONS.index(PRIMING_SINCE)
            call = Parked(message.id, session_id, messages)
            return HttpResponse(200, [("content-type", EVENT_STREAM), ("cache-control", "no-cache"), *headers],
                                self._stream(call, state, resumable, prime=resumable))
        last = _last(messages, "the client takes JSON responses only, so no request can reach it during a call",
                     lambda note: self._fan_out(note, state))
        return _json(200, last, headers)

    def _initialize(self, message: Request, identity: Identity | None) -> HttpResponse:
        # Always JSON: the session id header must be known before the body.
        state = SessionState()
        response = _last(self.dispatcher.handle(message, CallContext(lifecycle.LATEST_VERSION, identity=identity),
                                                state))
        headers: list[tuple[str, str]] = []
        capabilities = message.params.get("capabilities")
        capabilities = capabilities if isinstance(capabilities, dict) else {}
        if self.config.sessions and "result" in response:
            client = message.params.get("clientInfo")
            headers.append((HEADER_SESSION_ID, self.sessions.create(
                response["result"]["protocolVersion"], client if isinstance(client, dict) else None,
                capabilities)))
        elif "result" in response:
            # Without sessions the instance serves one client at a time at
            # best; what it declared last is all there is to go on.
            self._sessionless.client_capabilities = capabilities
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
        self.parking.end_session(session_id)
        return HttpResponse(200)

    # -- streams and the calls parked between them --------------------------

    def _get(self, request: HttpRequest) -> HttpResponse:
        accepts = _accepted(request.headers.get(HEADER_ACCEPT, ""))
        if not accepts & {EVENT_STREAM, "*/*", "text/*"}:
            return _rpc_error(406, JsonRpcError(INVALID_REQUEST, "Not Acceptable: Accept must allow text/event-stream"))
        state, session_id = self._session(request)
        headers = [("content-type", EVENT_STREAM), ("cache-control", "no-cache")]
        if session_id:
            headers.append((HEADER_SESSION_ID, session_id))
        last_event_id = request.headers.get(HEADER_LAST_EVENT_ID)
        if last_event_id is None:
            # The stream for server-initiated messages: what other requests
            # queued for this client (list changes, updates of resources it
            # subscribed to), then it ends; the client polls back after
            # `retry`, so no request holds the instance. No event ids: there
            # is nothing to resume.
            queued = [b"event: message\ndata: " + _dumps(note) + b"\n\n" for note in state.outbox]
            state.outbox.clear()
            return HttpResponse(200, headers, [*queued, f"retry: {IDLE_RETRY_MILLISECONDS}\ndata: \n\n".encode()])
        found = self.parking.find(last_event_id, session_id)
        if found is None:
            return HttpResponse(200, headers, [_lost_call(last_event_id)])
        call, seen = found
        if not call.ready:  # answers still due: replay what was missed, poll back soon
            return HttpResponse(200, headers, [*call.replay(seen), call.poll_hint()])
        self.parking.take(call)
        return HttpResponse(200, headers, self._stream(call, state, True, prime=False, seen=seen))

    def _fan_out(self, message: dict[str, Any], state: SessionState) -> bool:
        """Whether a notification goes to this request's client (queueing changes for others)."""
        return self.sessions.fan_out(message, state) if self.config.sessions else concerns(state, message)

    def _stream(self, call: Parked, state: SessionState, resumable: bool, *, prime: bool,
                seen: int | None = None) -> Iterator[bytes]:
        """Stream a call's messages as SSE, parking it where it waits for the client."""
        if prime:
            yield f"id: {call.stream}-0\nretry: {RETRY_MILLISECONDS}\ndata: \n\n".encode()
        if seen is not None:
            yield from call.replay(seen)
        call.sent.clear()
        for owed in call.owed:
            yield call.event(_dumps(owed))
        call.owed.clear()
        for message in call.messages:
            if isinstance(message, Suspend):
                reason = self._cannot_park(resumable)
                if reason is not None:
                    for key, method, _ in message.requests:
                        message.respond(key, AnswerError(f"{method}: {reason}"))
                    continue
                for outgoing in call.ask(message, self.parking.now()):
                    yield call.event(_dumps(outgoing))
                self.parking.park(call)
                yield call.poll_hint()
                return
            if "id" in message:
                # The response: let the call finish (its cleanup, the
                # provider's resource drop) before the client hears, so the
                # instance is idle when its next request comes. wasmtime
                # serve hands a request that meets a busy instance to another
                # one, where this session's state is unknown.
                for _ in call.messages:
                    pass
                yield call.event(_dumps(message))
                return
            if self._fan_out(message, state):
                yield call.event(_dumps(message))

    def _cannot_park(self, resumable: bool) -> str | None:
        if not self.config.one_instance:
            return ("this server cannot wait for the client's answer, as its requests may reach other or fresh "
                    "instances (MCP_INSTANCES=one where every request reaches one instance)")
        if not resumable:
            return f"the client must use protocol {PRIMING_SINCE} or later (stream resumption) to be asked"
        return None


class _HttpError(Exception):
    """Ends request handling early with a ready response."""

    def __init__(self, response: HttpResponse) -> None:
        super().__init__(response.status)
        self.response = response


def _last(messages: Iterator[dict[str, Any] | Suspend], reason: str = "",
          fan_out: Callable[[dict[str, Any]], bool] | None = None) -> dict[str, Any]:
    # A JSON response carries only the final message; notifications are
    # dropped (change notifications still reach other clients), and
    # requests to the client fail for ``reason``.
    last: dict[str, Any] = {}
    for message in messages:
        if isinstance(message, Suspend):
            for key, method, _ in message.requests:
                message.respond(key, AnswerError(f"{method}: {reason}"))
            continue
        if fan_out is not None and "id" not in message:
            fan_out(message)
        last = message
    return last


def _lost_call(last_event_id: str) -> bytes:
    # The call this stream belonged to is not in this instance: another
    # instance ran it, or this one restarted. Ending the client's wait with
    # a failed tool result (clients match it to their request) beats a hang.
    result = {"content": [{"type": "text", "text": (
        "The call was lost before it finished: the server no longer holds it (a runtime that starts a fresh "
        "instance per request, a restart, or more than one instance). Call the tool again.")}], "isError": True}
    return b"event: message\ndata: " + _dumps({"jsonrpc": "2.0", "id": last_event_id, "result": result}) + b"\n\n"
