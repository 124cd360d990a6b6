"""End to end, raw HTTP: every transport rule answers with its exact status and
body, and a rejected request changes nothing (the session and its log level
survive). The server runs with sessions on."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from ..paths import BUILD
from .server import Runtime, serve

pytestmark = pytest.mark.e2e

SERVER = BUILD / "mcp-http-server.wasm"
BOTH = "application/json, text/event-stream"


@pytest.fixture(scope="module")
def url(runtime: Runtime) -> Iterator[str]:
    if not SERVER.exists():
        pytest.fail(f"{SERVER} is missing: run `make build` first (make test does)")
    with serve(SERVER, runtime, MCP_SESSIONS="on", MCP_MAX_BODY_BYTES="65536") as endpoint:
        yield endpoint


@pytest.fixture(scope="module")
def session(url: str) -> str:
    """A live session whose log level is 'warning'."""
    response = post(url, {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "raw", "version": "0"}}})
    assert response.status_code == 200
    session_id = response.headers["mcp-session-id"]
    assert post(url, {"jsonrpc": "2.0", "method": "notifications/initialized"}, session_id).status_code == 202
    level = post(url, {"jsonrpc": "2.0", "id": 2, "method": "logging/setLevel", "params": {"level": "warning"}}, session_id)
    assert level.json() == {"jsonrpc": "2.0", "id": 2, "result": {}}
    return session_id


def headers(session_id: str | None = None, **extra: str) -> dict[str, str]:
    base = {"content-type": "application/json", "accept": BOTH, "mcp-protocol-version": "2025-11-25"}
    if session_id:
        base["mcp-session-id"] = session_id
    base.update(extra)
    return base


def post(url: str, payload: Any, session_id: str | None = None, **extra: str) -> httpx.Response:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return httpx.post(url, content=body, headers=headers(session_id, **extra), timeout=30)


def sse(response: httpx.Response) -> list[Any]:
    return [json.loads(line[6:]) for line in response.text.splitlines() if line.startswith("data: ") and line[6:]]


@pytest.fixture
def unchanged(url: str, session: str, runtime: Runtime) -> Iterator[None]:
    """After the test: the session still works and its log level is still
    warning, where the mode keeps it (README, "Instance modes")."""
    yield
    response = post(url, {"jsonrpc": "2.0", "id": 99, "method": "tools/call",
                          "params": {"name": "primes", "arguments": {"limit": 10}}}, session)
    assert response.status_code == 200
    messages = sse(response)
    # primes logs at info: below warning, so nothing but the result arrives;
    # a fresh instance knows no level, so its info log comes first.
    assert [m.get("id") for m in messages] == ([99] if runtime.one_instance else [None, 99])
    assert messages[-1]["result"]["structuredContent"] == {"result": [2, 3, 5, 7]}


def error_body(code: int, message: str, request_id: Any = None) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": request_id, "error": {"code": code, "message": message}}


def test_initialize_issues_a_visible_ascii_session_id(session: str) -> None:
    assert session.isascii() and session.isprintable() and len(session) >= 32


def test_session_id_is_echoed_on_responses(url: str, session: str) -> None:
    response = post(url, {"jsonrpc": "2.0", "id": 3, "method": "ping"}, session)
    assert response.headers["mcp-session-id"] == session


def test_missing_session_id_is_400(url: str, session: str, unchanged: None) -> None:
    response = post(url, {"jsonrpc": "2.0", "id": 3, "method": "tools/list"})
    assert response.status_code == 400
    assert response.json() == error_body(-32000, "Bad Request: Mcp-Session-Id header is required")


def test_unknown_session_id_is_404(url: str, session: str, unchanged: None) -> None:
    response = post(url, {"jsonrpc": "2.0", "id": 3, "method": "tools/list"}, "f" * 32 + "." + "0" * 32)
    assert response.status_code == 404
    assert response.json() == error_body(-32000, "Not Found: unknown or terminated session")


def test_unsupported_protocol_version_is_400(url: str, session: str, unchanged: None) -> None:
    response = post(url, {"jsonrpc": "2.0", "id": 3, "method": "logging/setLevel", "params": {"level": "debug"}},
                    session, **{"mcp-protocol-version": "2099-01-01"})
    # A version no era of ours knows is refused as 2026-07-28 refuses one: -32022, naming what we speak.
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["message"]) == (-32022, "Unsupported protocol version: 2099-01-01")
    assert error["data"]["requested"] == "2099-01-01"
    assert {"2026-07-28", "2025-11-25"} <= set(error["data"]["supported"])


@pytest.mark.parametrize("host", ["evil.example", "attacker.test:8080"])
def test_foreign_host_is_403(url: str, session: str, unchanged: None, host: str) -> None:
    response = post(url, {"jsonrpc": "2.0", "id": 3, "method": "logging/setLevel", "params": {"level": "debug"}},
                    session, host=host)
    assert response.status_code == 403
    assert response.json() == error_body(-32000, "Forbidden: Host not allowed")


def test_foreign_origin_is_403(url: str, session: str, unchanged: None) -> None:
    response = post(url, {"jsonrpc": "2.0", "id": 3, "method": "logging/setLevel", "params": {"level": "debug"}},
                    session, origin="http://evil.example")
    assert response.status_code == 403
    assert response.json() == error_body(-32000, "Forbidden: Origin not allowed")


def test_local_origin_is_allowed(url: str, session: str) -> None:
    response = post(url, {"jsonrpc": "2.0", "id": 3, "method": "ping"}, session, origin="http://localhost:6274")
    assert response.status_code == 200


def test_oversized_body_is_413(url: str, session: str, unchanged: None) -> None:
    big = json.dumps({"jsonrpc": "2.0", "id": 3, "method": "logging/setLevel",
                      "params": {"level": "debug", "pad": "x" * 70000}}).encode()
    response = post(url, big, session)
    assert response.status_code == 413
    assert response.json() == error_body(-32600, "Payload Too Large: body exceeds 65536 bytes")


def test_wrong_content_type_is_415(url: str, session: str, unchanged: None) -> None:
    response = post(url, b'{"jsonrpc":"2.0","id":3,"method":"ping"}', session, **{"content-type": "text/plain"})
    assert response.status_code == 415
    assert response.json() == error_body(-32600, "Unsupported Media Type: Content-Type must be application/json")


def test_unacceptable_accept_is_406(url: str, session: str, unchanged: None) -> None:
    response = post(url, {"jsonrpc": "2.0", "id": 3, "method": "ping"}, session, accept="text/html")
    assert response.status_code == 406
    assert response.json() == error_body(-32600, "Not Acceptable: Accept must allow application/json or text/event-stream")


def test_batch_is_400(url: str, session: str, unchanged: None) -> None:
    batch = [{"jsonrpc": "2.0", "id": 3, "method": "logging/setLevel", "params": {"level": "debug"}}]
    response = post(url, batch, session)
    assert response.status_code == 400
    assert response.json() == error_body(-32600, "Invalid Request: batches are not supported")


def test_malformed_json_is_400(url: str, session: str, unchanged: None) -> None:
    response = post(url, b'{"jsonrpc":', session)
    assert response.status_code == 400
    assert response.json() == error_body(-32700, "Parse error: not valid JSON")


def test_bad_set_level_is_invalid_params(url: str, session: str, unchanged: None) -> None:
    response = post(url, {"jsonrpc": "2.0", "id": 3, "method": "logging/setLevel", "params": {"level": "chatty"}}, session)
    assert response.status_code == 200
    assert response.json()["error"]["code"] == -32602


def test_notification_and_response_get_202_without_body(url: str, session: str) -> None:
    for message in ({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 1}},
                    {"jsonrpc": "2.0", "id": "s1", "result": {}}):
        response = post(url, message, session)
        assert (response.status_code, response.content) == (202, b"")


def test_get_polls_on_one_instance_and_is_405_elsewhere(url: str, session: str, runtime: Runtime,
                                                         unchanged: None) -> None:
    response = httpx.get(url, headers={"accept": "text/event-stream", "mcp-session-id": session}, timeout=30)
    if not runtime.waits:  # a client polling there would only spread its session over instances
        assert response.status_code == 405
        assert response.headers["allow"] == "POST, DELETE"
        return
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/event-stream"
    assert response.text == "retry: 10000\ndata: \n\n"  # nothing queued: come back in 10 s
    put = httpx.put(url, headers={"mcp-session-id": session}, timeout=30)
    assert put.status_code == 405 and put.headers["allow"] == "GET, POST, DELETE"


def test_unknown_path_is_404(url: str, session: str) -> None:
    response = httpx.post(url + "/x", json={"jsonrpc": "2.0", "id": 1, "method": "ping"}, timeout=30)
    assert response.status_code == 404
    assert response.text == "Not Found"


def test_delete_terminates_only_that_session(url: str, session: str, runtime: Runtime) -> None:
    other = post(url, {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "raw", "version": "0"}}}
                 ).headers["mcp-session-id"]
    assert other != session
    deleted = httpx.delete(url, headers=headers(other), timeout=30)
    assert deleted.status_code == 200
    gone = post(url, {"jsonrpc": "2.0", "id": 2, "method": "ping"}, other)
    # Only the instance that ended it remembers (README, "Instance modes").
    assert gone.status_code == (404 if runtime.one_instance else 200)
    assert httpx.delete(url, headers=headers(other), timeout=30).status_code == (404 if runtime.one_instance else 200)
    assert post(url, {"jsonrpc": "2.0", "id": 2, "method": "ping"}, session).status_code == 200
