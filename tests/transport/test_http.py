"""The HTTP rules of the endpoint, with a plain-Python provider behind it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mcp_transport.config import TransportConfig
from mcp_transport.dispatch import Dispatcher
from mcp_transport.http import HttpRequest, HttpResponse, McpHttpApp

from .fake_provider import FakeProvider

JSON_HEADERS = {"content-type": "application/json", "accept": "application/json, text/event-stream",
                "host": "127.0.0.1:8080"}


def make_app(**config: Any) -> tuple[McpHttpApp, FakeProvider]:
    provider = FakeProvider()
    return McpHttpApp(Dispatcher(provider), TransportConfig(**config)), provider


def post(app: McpHttpApp, payload: Any, headers: dict[str, str] | None = None) -> HttpResponse:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return app.handle(HttpRequest("POST", "/mcp", headers if headers is not None else JSON_HEADERS, body))


def body_json(response: HttpResponse) -> Any:
    return json.loads(b"".join(response.body))


def sse_messages(response: HttpResponse) -> list[Any]:
    text = b"".join(response.body).decode()
    return [json.loads(line[len("data: "):]) for line in text.splitlines() if line.startswith("data: ") and line[6:]]


INITIALIZE = {
    "jsonrpc": "2.0", "id": 1, "method": "initialize",
    "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}},
}


@pytest.mark.parametrize("version", ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"])
def test_initialize_echoes_a_supported_version(version: str) -> None:
    app, _ = make_app()
    request = json.loads(json.dumps(INITIALIZE))
    request["params"]["protocolVersion"] = version
    response = post(app, request)
    assert response.status == 200
    result = body_json(response)["result"]
    assert result["protocolVersion"] == version
    assert result["serverInfo"] == {"name": "fake", "version": "1.0"}
    assert result["capabilities"] == {"tools": {"listChanged": True}, "logging": {}}
    assert result["instructions"] == "Be nice."


def test_initialize_answers_an_unknown_version_with_the_latest() -> None:
    app, _ = make_app()
    request = json.loads(json.dumps(INITIALIZE))
    request["params"]["protocolVersion"] = "1999-01-01"
    assert body_json(post(app, request))["result"]["protocolVersion"] == "2025-11-25"


def test_initialize_without_client_info_is_invalid_params() -> None:
    app, _ = make_app()
    response = post(app, {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-11-25"}})
    assert response.status == 200
    assert body_json(response)["error"]["code"] == -32602


def test_capabilities_not_offered_are_not_advertised_and_not_served() -> None:
    provider = FakeProvider(capabilities=frozenset())
    app = McpHttpApp(Dispatcher(provider))
    result = body_json(post(app, INITIALIZE))["result"]
    assert result["capabilities"] == {}
    error = body_json(post(app, {"jsonrpc": "2.0", "id": 2, "method": "tools/list"}))["error"]
    assert error["code"] == -32601


def test_notification_gets_202_and_no_body() -> None:
    app, _ = make_app()
    response = post(app, {"jsonrpc": "2.0", "method": "notifications/initialized"})
    assert response.status == 202
    assert b"".join(response.body) == b""


def test_client_response_gets_202() -> None:
    app, _ = make_app()
    assert post(app, {"jsonrpc": "2.0", "id": 5, "result": {}}).status == 202


def test_ping() -> None:
    app, _ = make_app()
    assert body_json(post(app, {"jsonrpc": "2.0", "id": "p", "method": "ping"})) == {"jsonrpc": "2.0", "id": "p", "result": {}}


def test_tools_list_pages() -> None:
    app, _ = make_app()
    first = body_json(post(app, {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}))["result"]
    assert first["nextCursor"] == "page-2"
    second = body_json(post(app, {"jsonrpc": "2.0", "id": 2, "method": "tools/list", "params": {"cursor": "page-2"}}))
    assert [t["name"] for t in second["result"]["tools"]] == ["shout"]


def test_tools_call_as_json_returns_only_the_result() -> None:
    app, _ = make_app()
    response = post(app, {"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "shout", "arguments": {"text": "hi"}}},
                    {"content-type": "application/json", "accept": "application/json", "host": "localhost"})
    assert response.status == 200
    assert ("content-type", "application/json") in response.headers
    assert body_json(response)["result"]["content"] == [{"type": "text", "text": "HI"}]


def test_tools_call_as_sse_streams_notifications_before_the_result() -> None:
    app, _ = make_app()
    response = post(app, {"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "echo", "arguments": {"text": "hi"}}})
    assert ("content-type", "text/event-stream") in response.headers
    messages = sse_messages(response)
    assert messages[0]["method"] == "notifications/message"
    assert messages[-1] == {"jsonrpc": "2.0", "id": 3, "result": {"content": [{"type": "text", "text": "hi"}]}}


def test_progress_token_reaches_the_provider() -> None:
    app, provider = make_app()
    response = post(app, {"jsonrpc": "2.0", "id": 3, "method": "tools/call",
                          "params": {"name": "echo", "arguments": {}, "_meta": {"progressToken": "tok"}}})
    sse_messages(response)  # the body streams: the call runs as it is read
    assert provider.calls[0][2].progress_token == "tok"


@pytest.mark.parametrize(
    ("params", "message"),
    [({}, "name"), ({"name": 5}, "name"), ({"name": "echo", "arguments": [1]}, "arguments")],
)
def test_tools_call_with_bad_params_is_invalid_params(params: dict[str, Any], message: str) -> None:
    app, provider = make_app()
    error = body_json(post(app, {"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": params},
                           {"content-type": "application/json", "accept": "application/json", "host": "localhost"}))["error"]
    assert error["code"] == -32602 and message in error["message"]
    assert provider.calls == []


def test_unknown_method_is_method_not_found() -> None:
    app, _ = make_app()
    response = post(app, {"jsonrpc": "2.0", "id": 4, "method": "tools/frobnicate"})
    assert response.status == 200
    assert body_json(response) == {"jsonrpc": "2.0", "id": 4, "error": {"code": -32601, "message": "Method not found: tools/frobnicate"}}


def test_malformed_json_is_400_parse_error() -> None:
    app, _ = make_app()
    response = post(app, b"{not json")
    assert response.status == 400
    assert body_json(response)["error"]["code"] == -32700
    assert body_json(response)["id"] is None


def test_batch_is_400_invalid_request() -> None:
    app, provider = make_app()
    response = post(app, [{"jsonrpc": "2.0", "id": 1, "method": "ping"}])
    assert response.status == 400
    assert body_json(response)["error"]["code"] == -32600
    assert provider.calls == []


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "PATCH"])
def test_other_methods_get_405(method: str) -> None:
    app, _ = make_app()
    response = app.handle(HttpRequest(method, "/mcp", JSON_HEADERS))
    assert response.status == 405
    assert ("allow", "POST") in response.headers


@pytest.mark.parametrize("path", ["/", "/mcp/", "/other", "/mcpx"])
def test_other_paths_get_404(path: str) -> None:
    app, _ = make_app()
    assert app.handle(HttpRequest("POST", path, JSON_HEADERS, b"{}")).status == 404


def test_query_string_is_ignored_for_routing() -> None:
    app, _ = make_app()
    response = app.handle(HttpRequest("POST", "/mcp?x=1", JSON_HEADERS, b'{"jsonrpc":"2.0","id":1,"method":"ping"}'))
    assert response.status == 200


def test_wrong_content_type_gets_415() -> None:
    app, _ = make_app()
    response = post(app, {"jsonrpc": "2.0", "id": 1, "method": "ping"}, {**JSON_HEADERS, "content-type": "text/plain"})
    assert response.status == 415


def test_unacceptable_accept_gets_406() -> None:
    app, _ = make_app()
    response = post(app, {"jsonrpc": "2.0", "id": 1, "method": "ping"}, {**JSON_HEADERS, "accept": "text/html"})
    assert response.status == 406


def test_oversized_body_gets_413() -> None:
    app, _ = make_app()
    response = app.handle(HttpRequest("POST", "/mcp", JSON_HEADERS, b"", body_too_large=True))
    assert response.status == 413


def test_unsupported_protocol_version_header_gets_400() -> None:
    app, _ = make_app()
    response = post(app, {"jsonrpc": "2.0", "id": 1, "method": "ping"}, {**JSON_HEADERS, "mcp-protocol-version": "1999-01-01"})
    assert response.status == 400
    assert "1999-01-01" in body_json(response)["error"]["message"]


# -- DNS rebinding protection ----------------------------------------------------

@pytest.mark.parametrize("host", ["evil.example", "evil.example:8080", "10.0.0.1", ""])
def test_foreign_host_gets_403(host: str) -> None:
    app, provider = make_app()
    response = post(app, {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "echo"}},
                    {**JSON_HEADERS, "host": host})
    assert response.status == 403
    assert provider.calls == []


@pytest.mark.parametrize("host", ["localhost", "localhost:3000", "127.0.0.1:8080", "[::1]:8080"])
def test_local_hosts_are_allowed(host: str) -> None:
    app, _ = make_app()
    assert post(app, {"jsonrpc": "2.0", "id": 1, "method": "ping"}, {**JSON_HEADERS, "host": host}).status == 200


@pytest.mark.parametrize("origin", ["http://evil.example", "https://localhost.evil.example", "null", "file://"])
def test_foreign_origin_gets_403(origin: str) -> None:
    app, _ = make_app()
    response = post(app, {"jsonrpc": "2.0", "id": 1, "method": "ping"}, {**JSON_HEADERS, "origin": origin})
    assert response.status == 403
    assert body_json(response)["error"]["message"] == "Forbidden: Origin not allowed"


@pytest.mark.parametrize("origin", ["http://localhost:5173", "https://127.0.0.1", "http://[::1]:8080"])
def test_local_origins_are_allowed(origin: str) -> None:
    app, _ = make_app()
    assert post(app, {"jsonrpc": "2.0", "id": 1, "method": "ping"}, {**JSON_HEADERS, "origin": origin}).status == 200


def test_configured_hosts_and_origins_replace_the_defaults() -> None:
    app, _ = make_app(allowed_hosts=("mcp.example.com",), allowed_origins=("https://app.example.com",))
    ok = {**JSON_HEADERS, "host": "mcp.example.com", "origin": "https://app.example.com"}
    assert post(app, {"jsonrpc": "2.0", "id": 1, "method": "ping"}, ok).status == 200
    assert post(app, {"jsonrpc": "2.0", "id": 1, "method": "ping"}, {**ok, "host": "localhost"}).status == 403
    assert post(app, {"jsonrpc": "2.0", "id": 1, "method": "ping"}, {**ok, "origin": "http://localhost"}).status == 403


# -- response modes -----------------------------------------------------------------

def test_json_mode_never_streams() -> None:
    app, _ = make_app(response_mode="json")
    response = post(app, {"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "echo"}})
    assert ("content-type", "application/json") in response.headers


def test_sse_mode_streams_every_request() -> None:
    app, _ = make_app(response_mode="sse")
    response = post(app, {"jsonrpc": "2.0", "id": 1, "method": "ping"})
    assert ("content-type", "text/event-stream") in response.headers
    assert sse_messages(response) == [{"jsonrpc": "2.0", "id": 1, "result": {}}]


def test_sse_only_client_gets_sse() -> None:
    app, _ = make_app()
    response = post(app, {"jsonrpc": "2.0", "id": 1, "method": "ping"}, {**JSON_HEADERS, "accept": "text/event-stream"})
    assert ("content-type", "text/event-stream") in response.headers


# -- logging/setLevel ---------------------------------------------------------------

def test_set_level_is_remembered_for_later_requests() -> None:
    app, provider = make_app()
    assert body_json(post(app, {"jsonrpc": "2.0", "id": 1, "method": "logging/setLevel", "params": {"level": "warning"}})) == {
        "jsonrpc": "2.0", "id": 1, "result": {}}
    sse_messages(post(app, {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "echo"}}))
    assert provider.calls[0][2].log_level == "warning"


def test_set_level_rejects_unknown_levels() -> None:
    app, _ = make_app()
    error = body_json(post(app, {"jsonrpc": "2.0", "id": 1, "method": "logging/setLevel", "params": {"level": "loud"}}))["error"]
    assert error["code"] == -32602


# -- sessions -----------------------------------------------------------------------

def initialize(app: McpHttpApp) -> str:
    response = post(app, INITIALIZE)
    assert response.status == 200
    session_id = dict(response.headers)["mcp-session-id"]
    assert session_id.isascii() and session_id.isprintable()
    return session_id


def test_sessions_off_issue_no_id() -> None:
    app, _ = make_app()
    assert "mcp-session-id" not in dict(post(app, INITIALIZE).headers)


def test_session_id_is_required_after_initialize() -> None:
    app, provider = make_app(sessions=True)
    initialize(app)
    response = post(app, {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "echo"}})
    assert response.status == 400
    assert "Mcp-Session-Id" in body_json(response)["error"]["message"]
    assert provider.calls == []


def test_session_id_is_echoed_and_accepted() -> None:
    app, _ = make_app(sessions=True)
    session_id = initialize(app)
    response = post(app, {"jsonrpc": "2.0", "id": 2, "method": "ping"}, {**JSON_HEADERS, "mcp-session-id": session_id})
    assert response.status == 200
    assert dict(response.headers)["mcp-session-id"] == session_id


@pytest.mark.parametrize("session_id", ["nope", "abc.def", "0" * 32 + "." + "0" * 32])
def test_unknown_session_gets_404(session_id: str) -> None:
    app, _ = make_app(sessions=True)
    initialize(app)
    response = post(app, {"jsonrpc": "2.0", "id": 2, "method": "ping"}, {**JSON_HEADERS, "mcp-session-id": session_id})
    assert response.status == 404


def test_delete_terminates_the_session() -> None:
    app, provider = make_app(sessions=True)
    session_id = initialize(app)
    headers = {**JSON_HEADERS, "mcp-session-id": session_id}
    assert app.handle(HttpRequest("DELETE", "/mcp", headers)).status == 200
    response = post(app, {"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "echo"}}, headers)
    assert response.status == 404
    assert app.handle(HttpRequest("DELETE", "/mcp", headers)).status == 404
    assert provider.calls == []


def test_delete_without_a_session_id_gets_400() -> None:
    app, _ = make_app(sessions=True)
    assert app.handle(HttpRequest("DELETE", "/mcp", JSON_HEADERS)).status == 400


def test_sessions_signed_with_a_shared_secret_work_across_instances() -> None:
    first, _ = make_app(sessions=True, session_secret=b"shared")
    second, _ = make_app(sessions=True, session_secret=b"shared")
    other, _ = make_app(sessions=True, session_secret=b"different")
    session_id = initialize(first)
    headers = {**JSON_HEADERS, "mcp-session-id": session_id}
    assert post(second, {"jsonrpc": "2.0", "id": 2, "method": "ping"}, headers).status == 200
    assert post(other, {"jsonrpc": "2.0", "id": 2, "method": "ping"}, headers).status == 404


def test_notifications_need_the_session_too() -> None:
    app, _ = make_app(sessions=True)
    initialize(app)
    assert post(app, {"jsonrpc": "2.0", "method": "notifications/initialized"}).status == 400


def test_delete_is_405_without_sessions() -> None:
    app, _ = make_app()
    response = app.handle(HttpRequest("DELETE", "/mcp", JSON_HEADERS))
    assert response.status == 405 and ("allow", "POST") in response.headers


# -- SSE framing ---------------------------------------------------------------------

def test_sse_events_carry_unique_ids_and_a_priming_event_for_new_clients() -> None:
    app, _ = make_app()
    response = post(app, {"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "echo"}},
                    {**JSON_HEADERS, "mcp-protocol-version": "2025-11-25"})
    events = b"".join(response.body).decode().split("\n\n")
    assert events[0].startswith("id: ") and "retry: 1000" in events[0] and events[0].endswith("data: ")
    ids = [line[4:] for line in "\n".join(events).splitlines() if line.startswith("id: ")]
    assert len(ids) == 3 and len(set(ids)) == 3


def test_older_clients_get_no_priming_event() -> None:
    app, _ = make_app()
    response = post(app, {"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "echo"}},
                    {**JSON_HEADERS, "mcp-protocol-version": "2025-06-18"})
    first = b"".join(response.body).decode().split("\n\n")[0]
    assert first.startswith("event: message")


def test_client_info_from_initialize_reaches_later_calls_in_the_session() -> None:
    app, provider = make_app(sessions=True)
    session_id = initialize(app)
    sse_messages(post(app, {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "echo"}},
                      {**JSON_HEADERS, "mcp-session-id": session_id}))
    assert provider.calls[0][2].client_info == {"name": "t", "version": "1"}


def test_set_level_in_a_session_applies_to_that_session_only() -> None:
    # Regression: a new session's state must start with no log level.
    app, provider = make_app(sessions=True)
    first, second = initialize(app), initialize(app)
    post(app, {"jsonrpc": "2.0", "id": 2, "method": "logging/setLevel", "params": {"level": "error"}},
         {**JSON_HEADERS, "mcp-session-id": first})
    for session_id in (first, second):
        sse_messages(post(app, {"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "echo"}},
                          {**JSON_HEADERS, "mcp-session-id": session_id}))
    assert [call[2].log_level for call in provider.calls] == ["error", None]
