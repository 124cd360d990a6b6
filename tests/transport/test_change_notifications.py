"""List-changed and resource-updated notifications: to the calling client on
its request's stream, to other sessions on their GET streams, resource
updates only to the subscribed."""

from __future__ import annotations

import json
from typing import Any

from mcp_component import Context, Provider
from mcp_component.testing import Client
from mcp_transport.config import TransportConfig
from mcp_transport.dispatch import Dispatcher
from mcp_transport.http import HttpRequest, HttpResponse, McpHttpApp
from mcp_transport.local_port import LocalProvider
from mcp_transport.sessions import MAX_QUEUED
from mcp_transport.stdio import StdioSession

provider = Provider("changes", resource_subscriptions=True)


@provider.resource("note://today")
def today() -> str:
    return "nothing yet"


@provider.tool
async def add_tool(ctx: Context) -> str:
    await ctx.send_tool_list_changed()
    return "added"


@provider.tool
def edit_note(ctx: Context) -> str:
    ctx.send_resource_updated("note://today")
    ctx.send_prompt_list_changed()
    return "edited"


HEADERS = {"content-type": "application/json", "accept": "application/json, text/event-stream",
           "host": "127.0.0.1", "mcp-protocol-version": "2025-11-25"}


def post(app: McpHttpApp, session: str | None, payload: dict[str, Any], accept: str | None = None) -> HttpResponse:
    headers = dict(HEADERS)
    if session:
        headers["mcp-session-id"] = session
    if accept:
        headers["accept"] = accept
    return app.handle(HttpRequest("POST", "/mcp", headers, json.dumps(payload).encode()))


def connect(app: McpHttpApp) -> str | None:
    response = post(app, None, {"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
        "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}})
    return dict(response.headers).get("mcp-session-id")


def methods(response: HttpResponse) -> list[str]:
    text = b"".join(response.body).decode()
    found = [json.loads(line[6:]) for line in text.splitlines() if line.startswith("data: ") and line[6:]]
    return [m.get("method", "result") for m in found]


def listen(app: McpHttpApp, session: str | None) -> list[str]:
    headers = {**HEADERS, "accept": "text/event-stream"}
    if session:
        headers["mcp-session-id"] = session
    return methods(app.handle(HttpRequest("GET", "/mcp", headers)))


def call(app: McpHttpApp, session: str | None, tool: str, **kwargs: Any) -> HttpResponse:
    return post(app, session, {"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                               "params": {"name": tool, "arguments": {}}}, **kwargs)


def subscribe(app: McpHttpApp, session: str | None) -> None:
    post(app, session, {"jsonrpc": "2.0", "id": 2, "method": "resources/subscribe", "params": {"uri": "note://today"}})


def make_app(sessions: bool = True) -> McpHttpApp:
    return McpHttpApp(Dispatcher(LocalProvider(provider)), TransportConfig(sessions=sessions, one_instance=True))


def test_the_caller_hears_on_its_stream_and_other_sessions_on_their_get_streams() -> None:
    app = make_app()
    caller, other, subscriber = connect(app), connect(app), connect(app)
    subscribe(app, subscriber)
    assert methods(call(app, caller, "add_tool")) == ["notifications/tools/list_changed", "result"]
    assert methods(call(app, caller, "edit_note")) == ["notifications/prompts/list_changed", "result"]
    assert listen(app, other) == ["notifications/tools/list_changed", "notifications/prompts/list_changed"]
    assert listen(app, subscriber) == ["notifications/tools/list_changed", "notifications/resources/updated",
                                       "notifications/prompts/list_changed"]
    assert listen(app, other) == []  # delivered once
    assert listen(app, caller) == []


def test_a_subscribed_caller_gets_its_update_on_its_stream() -> None:
    app = make_app()
    caller = connect(app)
    subscribe(app, caller)
    assert methods(call(app, caller, "edit_note")) == ["notifications/resources/updated",
                                                       "notifications/prompts/list_changed", "result"]
    post(app, caller, {"jsonrpc": "2.0", "id": 3, "method": "resources/unsubscribe", "params": {"uri": "note://today"}})
    assert methods(call(app, caller, "edit_note")) == ["notifications/prompts/list_changed", "result"]


def test_json_responses_still_reach_other_sessions() -> None:
    app = make_app()
    caller, other = connect(app), connect(app)
    b"".join(call(app, caller, "add_tool", accept="application/json").body)
    assert listen(app, other) == ["notifications/tools/list_changed"]


def test_a_client_that_never_listens_does_not_grow_the_queue() -> None:
    app = make_app()
    caller, other = connect(app), connect(app)
    for _ in range(MAX_QUEUED + 10):
        methods(call(app, caller, "add_tool"))  # a streamed body runs as it is read
    assert len(listen(app, other)) == MAX_QUEUED


def test_without_sessions_only_the_caller_hears() -> None:
    app = make_app(sessions=False)
    subscribe(app, None)
    assert methods(call(app, None, "edit_note")) == ["notifications/resources/updated",
                                                     "notifications/prompts/list_changed", "result"]


def test_stdio_sends_updates_for_subscribed_resources_only() -> None:
    session = StdioSession(Dispatcher(LocalProvider(provider)))

    def line(payload: dict[str, Any]) -> list[str]:
        return [m.get("method", "result") for m in session.handle_line(json.dumps(payload).encode())]

    tool = {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "edit_note", "arguments": {}}}
    assert line(tool) == ["notifications/prompts/list_changed", "result"]
    line({"jsonrpc": "2.0", "id": 2, "method": "resources/subscribe", "params": {"uri": "note://today"}})
    assert line(tool) == ["notifications/resources/updated", "notifications/prompts/list_changed", "result"]


def test_the_in_memory_client_collects_them() -> None:
    client = Client(provider)
    client.call_tool("edit_note")
    assert [n["method"] for n in client.notifications] == ["notifications/resources/updated",
                                                          "notifications/prompts/list_changed"]
