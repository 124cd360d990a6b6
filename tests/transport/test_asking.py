"""Requests to the client in the middle of a tool call, over HTTP and stdio.

The call's SSE stream sends the requests and ends; the answers come as
POSTs; the client's reconnection (GET with Last-Event-ID) resumes the call.
A real SDK provider runs behind the transport (the one-interpreter port).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from mcp_component import Context, Provider
from mcp_transport.config import TransportConfig
from mcp_transport.dispatch import Dispatcher
from mcp_transport.http import HttpRequest, HttpResponse, McpHttpApp
from mcp_transport.local_port import LocalProvider
from mcp_transport.parking import ANSWER_TIMEOUT_SECONDS, MAX_PARKED, RECONNECT_GRACE_SECONDS, Parking
from mcp_transport.stdio import StdioSession

HEADERS = {"content-type": "application/json", "accept": "application/json, text/event-stream",
           "host": "127.0.0.1:8080", "mcp-protocol-version": "2025-11-25"}
ALL_CAPABILITIES = {"elicitation": {}, "sampling": {}, "roots": {}}

provider = Provider("asking")


@dataclass
class Name:
    name: str


@provider.tool
async def greet(ctx: Context) -> str:
    """Ask for a name, then for a greeting."""
    answer = await ctx.elicit("Your name?", Name)
    if answer.data is None:
        return f"no name ({answer.action})"
    await ctx.info("got a name")
    reply = await ctx.sample(f"Greet {answer.data.name}", max_tokens=10)
    return reply.text


@provider.tool
async def roots_twice(ctx: Context) -> str:
    """Two requests at once."""
    import asyncio

    first, second = await asyncio.gather(ctx.list_roots(), ctx.list_roots())
    return f"{len(first)} {len(second)}"


@provider.tool
async def careful(ctx: Context) -> str:
    """Reports why it could not ask."""
    try:
        await ctx.list_roots()
    except Exception as exc:
        return f"failed: {exc}"
    return "asked"


@provider.tool
async def polling(ctx: Context) -> str:
    """Lets the stream end early, then finishes."""
    await ctx.close_sse_stream()
    return "done after reconnecting"


class Server:
    """An HTTP app with one initialized session, and a clock tests can move."""

    def __init__(self, capabilities: dict[str, Any] | None = None, **config: Any) -> None:
        self.now = 1000.0
        settings: dict[str, Any] = {"sessions": True, "one_instance": True, **config}
        self.app = McpHttpApp(Dispatcher(LocalProvider(provider)), TransportConfig(**settings))
        self.app.parking = Parking(clock=lambda: self.now)
        reply = self.post({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
            "protocolVersion": "2025-11-25", "clientInfo": {"name": "t", "version": "1"},
            "capabilities": ALL_CAPABILITIES if capabilities is None else capabilities}})
        self.session = dict(reply.headers).get("mcp-session-id")

    def headers(self, **extra: str) -> dict[str, str]:
        headers = dict(HEADERS, **extra)
        if self.session:
            headers["mcp-session-id"] = self.session
        return headers

    def post(self, payload: Any, **extra: str) -> HttpResponse:
        headers = dict(HEADERS, **extra) if not hasattr(self, "session") else self.headers(**extra)
        return self.app.handle(HttpRequest("POST", "/mcp", headers, json.dumps(payload).encode()))

    def get(self, last_event_id: str | None) -> HttpResponse:
        extra = {"accept": "text/event-stream"}
        if last_event_id is not None:
            extra["last-event-id"] = last_event_id
        return self.app.handle(HttpRequest("GET", "/mcp", self.headers(**extra)))

    def call(self, tool: str, request_id: int = 1) -> list[dict[str, Any]]:
        return events(self.post({"jsonrpc": "2.0", "id": request_id, "method": "tools/call",
                                 "params": {"name": tool, "arguments": {}}}))


def events(response: HttpResponse) -> list[dict[str, Any]]:
    """Each SSE event's fields; ``data`` parsed when it holds JSON."""
    assert response.status == 200, response.status
    found = []
    for block in b"".join(response.body).decode().split("\n\n"):
        if not block.strip():
            continue
        fields: dict[str, Any] = {}
        for line in block.splitlines():
            key, _, value = line.partition(": ")
            fields[key] = value
        if fields.get("data"):
            fields["data"] = json.loads(fields["data"])
        found.append(fields)
    return found


def messages(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [event["data"] for event in found if isinstance(event.get("data"), dict)]


def test_an_elicitation_and_a_sampling_round_trip_over_parked_streams() -> None:
    server = Server()
    first = server.call("greet")
    assert first[0]["data"] == "" and first[0]["retry"] == "1000"  # priming
    request = messages(first)[-1]
    assert request["method"] == "elicitation/create"
    assert request["params"]["requestedSchema"]["properties"] == {"name": {"type": "string"}}
    assert "retry" in first[-1] and first[-1]["data"] == ""  # the stream ends with a poll hint

    # Reconnecting before the answer only polls.
    early = events(server.get(first[-1]["id"]))
    assert messages(early) == [] and "retry" in early[-1]

    assert server.post({"jsonrpc": "2.0", "id": request["id"],
                        "result": {"action": "accept", "content": {"name": "Ada"}}}).status == 202
    second = events(server.get(early[-1]["id"]))
    log, sampling = messages(second)
    assert log["method"] == "notifications/message" and log["params"]["data"] == "got a name"
    assert sampling["method"] == "sampling/createMessage"
    assert sampling["params"]["messages"][0]["content"]["text"] == "Greet Ada"

    server.post({"jsonrpc": "2.0", "id": sampling["id"], "result": {
        "role": "assistant", "content": {"type": "text", "text": "Hello, Ada"}, "model": "m"}})
    final = messages(events(server.get(second[-1]["id"])))
    assert final == [{"jsonrpc": "2.0", "id": 1, "result": {"content": [{"type": "text", "text": "Hello, Ada"}]}}]
    assert len(server.app.parking) == 0


def test_a_declined_elicitation_and_a_client_error_reach_the_tool() -> None:
    server = Server()
    request = messages(server.call("greet"))[-1]
    server.post({"jsonrpc": "2.0", "id": request["id"], "result": {"action": "decline"}})
    assert messages(events(server.get(f"{request['id'].split('.')[0]}-1")))[-1]["result"] == {
        "content": [{"type": "text", "text": "no name (decline)"}]}

    request = messages(server.call("careful", 2))[-1]
    server.post({"jsonrpc": "2.0", "id": request["id"], "error": {"code": -32601, "message": "Method not found"}})
    result = messages(events(server.get(f"{request['id'].split('.')[0]}-1")))[-1]["result"]
    assert result["content"][0]["text"] == "failed: roots/list: the client answered -32601: Method not found"


def test_several_requests_at_once_all_need_answers() -> None:
    server = Server()
    found = server.call("roots_twice")
    first, second = messages(found)
    server.post({"jsonrpc": "2.0", "id": first["id"], "result": {"roots": []}})
    assert messages(events(server.get(found[-1]["id"]))) == []  # one answer is still due
    server.post({"jsonrpc": "2.0", "id": second["id"], "result": {"roots": [{"uri": "file:///a"}]}})
    assert messages(events(server.get(found[-1]["id"])))[-1]["result"]["content"][0]["text"] == "0 1"


def test_a_reconnection_that_missed_events_gets_them_again() -> None:
    server = Server()
    found = server.call("roots_twice")
    replayed = messages(events(server.get(found[0]["id"])))  # saw only the priming event
    assert [m["method"] for m in replayed] == ["roots/list", "roots/list"]
    for request in replayed:
        server.post({"jsonrpc": "2.0", "id": request["id"], "result": {"roots": []}})
    assert messages(events(server.get(found[-1]["id"])))[-1]["result"]["content"][0]["text"] == "0 0"


def test_sse_polling_without_any_request() -> None:
    server = Server()
    found = server.call("polling")
    assert messages(found) == []
    result = messages(events(server.get(found[-1]["id"])))
    assert result[-1]["result"]["content"][0]["text"] == "done after reconnecting"


def test_an_unanswered_request_times_out_and_is_cancelled() -> None:
    server = Server()
    found = server.call("careful")
    server.now += ANSWER_TIMEOUT_SECONDS + 1
    resumed = messages(events(server.get(found[-1]["id"])))
    cancelled, result = resumed
    assert cancelled["method"] == "notifications/cancelled"
    assert cancelled["params"]["requestId"] == messages(found)[0]["id"]
    assert "no answer from the client within 300 s" in result["result"]["content"][0]["text"]


def test_a_client_that_never_returns_is_forgotten() -> None:
    server = Server()
    found = server.call("careful")
    server.now += ANSWER_TIMEOUT_SECONDS + 1
    server.post({"jsonrpc": "2.0", "id": 9, "method": "ping"})  # times the request out
    assert len(server.app.parking) == 1  # the client may still come back for the result
    server.now += RECONNECT_GRACE_SECONDS + 1
    server.post({"jsonrpc": "2.0", "id": 9, "method": "ping"})
    assert len(server.app.parking) == 0
    lost = messages(events(server.get(found[-1]["id"])))[-1]
    assert lost["result"]["isError"] is True and "lost" in lost["result"]["content"][0]["text"]


def test_cancelling_the_call_drops_it() -> None:
    server = Server()
    server.call("greet", 7)
    assert len(server.app.parking) == 1
    assert server.post({"jsonrpc": "2.0", "method": "notifications/cancelled",
                        "params": {"requestId": 7}}).status == 202
    assert len(server.app.parking) == 0


def test_at_most_so_many_calls_wait() -> None:
    server = Server()
    for number in range(MAX_PARKED + 5):
        server.call("careful", number)
    assert len(server.app.parking) == MAX_PARKED


def test_another_session_cannot_answer_or_resume() -> None:
    server = Server()
    found = server.call("careful")
    other = Server()
    other.app = server.app
    other.session = server.app.sessions.create("2025-11-25")
    other.post({"jsonrpc": "2.0", "id": messages(found)[0]["id"], "result": {"roots": []}})
    assert not server.app.parking.ready()
    assert messages(events(other.get(found[-1]["id"])))[-1]["result"]["isError"] is True


@pytest.mark.parametrize(("config", "capabilities", "accept", "expected"), [
    ({"one_instance": False}, None, None, "may reach other or fresh instances"),
    ({}, {}, None, "did not declare the roots capability"),
    ({}, None, "application/json", "takes JSON responses only"),
])
def test_a_call_that_cannot_ask_fails_at_once(config: dict[str, Any], capabilities: dict[str, Any] | None,
                                               accept: str | None, expected: str) -> None:
    server = Server(capabilities, **config)
    request = {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "careful", "arguments": {}}}
    if accept is None:
        reply = messages(server.call("careful"))[-1]
    else:
        response = server.post(request, accept=accept)
        reply = json.loads(b"".join(response.body))
    assert expected in reply["result"]["content"][0]["text"]
    assert len(server.app.parking) == 0


def test_an_older_protocol_cannot_be_asked() -> None:
    server = Server()
    server.session = server.app.sessions.create("2025-06-18", None, ALL_CAPABILITIES)
    reply = messages(server.call("careful"))[-1]
    assert "must use protocol 2025-11-25 or later" in reply["result"]["content"][0]["text"]


def test_without_sessions_a_call_still_parks_and_resumes() -> None:
    server = Server(sessions=False)
    assert server.session is None
    found = server.call("careful")
    request = messages(found)[0]
    server.post({"jsonrpc": "2.0", "id": request["id"], "result": {"roots": []}})
    assert messages(events(server.get(found[-1]["id"])))[-1]["result"]["content"][0]["text"] == "asked"


def test_a_get_without_last_event_id_is_an_idle_stream_with_sessions_on_one_instance_only() -> None:
    server = Server()
    idle = events(server.get(None))
    assert idle == [{"retry": "10000", "data": ""}]
    assert Server(sessions=False).get(None).status == 405
    assert Server(one_instance=False).get(None).status == 405


# -- stdio ------------------------------------------------------------------------

def test_stdio_writes_the_request_and_resumes_on_the_answer_line() -> None:
    session = StdioSession(Dispatcher(LocalProvider(provider)))
    list(session.handle_line(json.dumps({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
        "protocolVersion": "2025-11-25", "capabilities": ALL_CAPABILITIES,
        "clientInfo": {"name": "t", "version": "1"}}}).encode()))
    out = list(session.handle_line(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                                               "params": {"name": "greet", "arguments": {}}}).encode()))
    assert [m["method"] for m in out] == ["elicitation/create"]
    # Other requests are served while the call waits.
    assert list(session.handle_line(b'{"jsonrpc":"2.0","id":2,"method":"ping"}')) == [
        {"jsonrpc": "2.0", "id": 2, "result": {}}]
    out = list(session.handle_line(json.dumps({"jsonrpc": "2.0", "id": out[0]["id"], "result": {
        "action": "accept", "content": {"name": "Bo"}}}).encode()))
    assert [m.get("method") for m in out] == ["notifications/message", "sampling/createMessage"]
    out = list(session.handle_line(json.dumps({"jsonrpc": "2.0", "id": out[1]["id"], "result": {
        "role": "assistant", "content": {"type": "text", "text": "Hi Bo"}, "model": "m"}}).encode()))
    assert out == [{"jsonrpc": "2.0", "id": 1, "result": {"content": [{"type": "text", "text": "Hi Bo"}]}}]
