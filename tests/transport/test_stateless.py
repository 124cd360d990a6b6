"""MCP 2026-07-28 on the same endpoint: the envelope, discovery, input-required rounds."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from mcp_transport.config import TransportConfig
from mcp_transport.dispatch import Dispatcher
from mcp_transport.envelope import CLIENT_CAPABILITIES_KEY, LOG_LEVEL_KEY, PROTOCOL_VERSION_KEY
from mcp_transport.http import HttpRequest, HttpResponse, McpHttpApp
from mcp_transport.jsonrpc import RESOURCE_NOT_FOUND, JsonRpcError, Request
from mcp_transport.port import CallContext, Finished, InputRequired, Notify, Suspend, ToolEvent
from mcp_transport.request_state import RequestStates
from mcp_transport.sessions import SessionState
from mcp_transport.stdio import StdioSession

from .fake_provider import FakeProvider

MODERN = "2026-07-28"
ASK_NAME = ("name", "elicitation/create", {"message": "Your name?", "requestedSchema": {
    "type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}})
ASK_COLOR = ("color", "elicitation/create", {"message": "Your colour?", "requestedSchema": {
    "type": "object", "properties": {"color": {"type": "string"}}, "required": ["color"]}})
REGION_SCHEMA = {"type": "object", "properties": {"region": {"type": "string", "x-mcp-header": "Region"}}}


def _accepted(answers: dict[str, Any] | None, key: str) -> dict[str, Any] | None:
    answer = (answers or {}).get(key)
    return answer["content"] if isinstance(answer, dict) and answer.get("action") == "accept" else None


@dataclass
class AskingProvider(FakeProvider):
    """Asks as a replayed provider does: the answers so far come in ctx.input_responses."""

    capabilities: frozenset[str] = frozenset({"tools", "prompts", "resources", "logging"})
    last_ctx: CallContext | None = None

    def list_tools(self, ctx: CallContext, cursor: str | None) -> dict[str, Any]:
        tools = [{"name": name, "inputSchema": {"type": "object"}} for name in ("greet", "trip", "chatty")]
        tools.append({"name": "weather", "inputSchema": REGION_SCHEMA})
        return {"tools": tools, "ttlMs": 60000, "cacheScope": "public"}

    def call_tool(self, ctx: CallContext, name: str, arguments: dict[str, Any] | None) -> Iterator[ToolEvent]:
        self.last_ctx = ctx
        answers = ctx.input_responses
        if name == "chatty":
            yield Notify("notifications/message", {"level": "debug", "data": "detail"})
            yield Notify("notifications/message", {"level": "warning", "data": "careful"})
            yield Notify("notifications/tools/list_changed", {})
            yield Finished({"content": [{"type": "text", "text": "done"}]})
            return
        if name == "weather":
            yield Finished({"content": [{"type": "text", "text": str((arguments or {}).get("region"))}]})
            return
        person = _accepted(answers, "name")
        if person is None:
            yield Suspend((ASK_NAME,), lambda key, answer: None)
            return
        if name == "trip":
            color = _accepted(answers, "color")
            if color is None:
                yield Suspend((ASK_COLOR,), lambda key, answer: None)
                return
            yield Finished({"content": [{"type": "text", "text": f"{person['name']} likes {color['color']}"}]})
            return
        yield Finished({"content": [{"type": "text", "text": f"Hello, {person['name']}!"}]})

    def read_resource(self, ctx: CallContext, uri: str) -> dict[str, Any]:
        if uri != "test://a":
            raise JsonRpcError(RESOURCE_NOT_FOUND, f"Unknown resource: {uri}")
        return {"contents": [{"uri": uri, "text": "A"}], "ttlMs": 5000, "cacheScope": "public"}

    def list_prompts(self, ctx: CallContext, cursor: str | None) -> dict[str, Any]:
        return {"prompts": [{"name": "intro"}]}

    def get_prompt(self, ctx: CallContext, name: str, arguments: dict[str, str]) -> dict[str, Any]:
        person = _accepted(ctx.input_responses, "name")
        if person is None:
            raise InputRequired((ASK_NAME,))
        return {"messages": [{"role": "user", "content": {"type": "text", "text": f"I am {person['name']}"}}]}


def _app(**config: Any) -> tuple[McpHttpApp, AskingProvider]:
    provider = AskingProvider()
    return McpHttpApp(Dispatcher(provider), TransportConfig(**config)), provider


def _meta(**extra: Any) -> dict[str, Any]:
    return {PROTOCOL_VERSION_KEY: MODERN, CLIENT_CAPABILITIES_KEY: {"elicitation": {}},
            "io.modelcontextprotocol/clientInfo": {"name": "test", "version": "1"}, **extra}


def _post(app: McpHttpApp, method: str, params: dict[str, Any] | None = None, *, headers: dict[str, str] | None = None,
          accept: str = "application/json, text/event-stream", request_id: Any = 7,
          meta: dict[str, Any] | None = None) -> HttpResponse:
    body_params = dict(params or {})
    body_params["_meta"] = _meta() if meta is None else meta
    sent = {"content-type": "application/json", "accept": accept, "host": "localhost",
            "mcp-protocol-version": MODERN, "mcp-method": method}
    name = body_params.get("uri") if method == "resources/read" else body_params.get("name")
    if method in ("tools/call", "prompts/get", "resources/read") and isinstance(name, str):
        sent["mcp-name"] = name
    sent.update(headers or {})
    sent = {key: value for key, value in sent.items() if value is not None}
    body = json.dumps({"jsonrpc": "2.0", "id": request_id, "method": method, "params": body_params}).encode()
    return app.handle(HttpRequest("POST", "/mcp", sent, body))


def _body(response: HttpResponse) -> Any:
    return json.loads(b"".join(response.body))


def _events(response: HttpResponse) -> list[dict[str, Any]]:
    text = b"".join(response.body).decode()
    return [json.loads(line[len("data: "):]) for line in text.splitlines() if line.startswith("data: {")]


def test_discover_names_every_version_and_the_capabilities() -> None:
    app, _ = _app()
    response = _post(app, "server/discover")
    assert response.status == 200
    result = _body(response)["result"]
    assert result["supportedVersions"][0] == MODERN and "2025-11-25" in result["supportedVersions"]
    assert set(result["capabilities"]) == {"tools", "prompts", "resources", "logging"}
    assert result["resultType"] == "complete"
    assert result["_meta"]["io.modelcontextprotocol/serverInfo"] == {"name": "fake", "version": "1.0"}
    assert result["instructions"] == "Be nice."


@pytest.mark.parametrize(("meta", "headers", "status", "code"), [
    ({}, {}, 400, -32602),
    ({CLIENT_CAPABILITIES_KEY: {}}, {}, 400, -32602),
    ({PROTOCOL_VERSION_KEY: MODERN}, {}, 400, -32602),
    (None, {"mcp-method": "tools/list"}, 400, -32020),
    (None, {"mcp-method": "SERVER/DISCOVER"}, 400, -32020),
    (None, {"mcp-method": None}, 400, -32020),
    ({PROTOCOL_VERSION_KEY: "2099-01-01", CLIENT_CAPABILITIES_KEY: {}}, {}, 400, -32020),
])
def test_a_bad_envelope_is_refused_with_its_code_and_the_request_id(
        meta: dict[str, Any] | None, headers: dict[str, str], status: int, code: int) -> None:
    app, _ = _app()
    response = _post(app, "server/discover", meta=meta, headers=headers, request_id="r-1")
    assert response.status == status
    body = _body(response)
    assert body["error"]["code"] == code and body["id"] == "r-1"


def test_an_unsupported_version_lists_the_supported_ones() -> None:
    app, _ = _app()
    response = _post(app, "server/discover", meta=_meta(**{PROTOCOL_VERSION_KEY: "v999"}),
                     headers={"mcp-protocol-version": "v999"})
    assert response.status == 400
    error = _body(response)["error"]
    assert error["code"] == -32022 and error["data"] == {"supported": [MODERN], "requested": "v999"}


@pytest.mark.parametrize("method", ["initialize", "ping", "logging/setLevel", "resources/subscribe",
                                    "resources/unsubscribe", "no/such-method"])
def test_removed_and_unknown_methods_are_404(method: str) -> None:
    app, _ = _app()
    response = _post(app, method, {"uri": "test://a"} if "subscribe" in method else {})
    assert response.status == 404 and _body(response)["error"]["code"] == -32601


def test_get_and_delete_are_not_allowed() -> None:
    app, _ = _app(sessions=True)
    for verb in ("GET", "DELETE"):
        response = app.handle(HttpRequest(verb, "/mcp", {"host": "localhost", "mcp-protocol-version": MODERN}))
        assert response.status == 405 and ("allow", "POST") in response.headers


def test_a_notification_is_acknowledged() -> None:
    app, _ = _app()
    body = json.dumps({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 1}}).encode()
    headers = {"content-type": "application/json", "accept": "application/json", "host": "localhost",
               "mcp-protocol-version": MODERN}
    assert app.handle(HttpRequest("POST", "/mcp", headers, body)).status == 202


def test_lists_carry_result_type_and_cache_hints() -> None:
    app, _ = _app()
    tools = _body(_post(app, "tools/list"))["result"]
    assert (tools["resultType"], tools["ttlMs"], tools["cacheScope"]) == ("complete", 60000, "public")
    prompts = _body(_post(app, "prompts/list"))["result"]
    assert (prompts["ttlMs"], prompts["cacheScope"]) == (0, "private")
    read = _body(_post(app, "resources/read", {"uri": "test://a"}))["result"]
    assert (read["ttlMs"], read["cacheScope"], read["resultType"]) == (5000, "public", "complete")


def test_older_clients_get_no_cache_hints() -> None:
    provider = AskingProvider()
    messages = list(Dispatcher(provider).handle(Request(1, "tools/list", {}), CallContext("2025-11-25"), SessionState()))
    assert "ttlMs" not in messages[-1]["result"] and "resultType" not in messages[-1]["result"]


def test_an_unknown_resource_is_invalid_params_naming_it() -> None:
    app, _ = _app()
    response = _post(app, "resources/read", {"uri": "test://nope"})
    assert response.status == 400
    error = _body(response)["error"]
    assert error["code"] == -32602 and error["data"] == {"uri": "test://nope"}


def test_a_question_round_trips_through_an_input_required_result() -> None:
    app, _ = _app()
    first = _body(_post(app, "tools/call", {"name": "greet", "arguments": {}}))["result"]
    assert first["resultType"] == "input_required"
    assert first["inputRequests"] == {"name": {"method": "elicitation/create", "params": ASK_NAME[2]}}
    assert isinstance(first["requestState"], str)
    answer = {"name": {"action": "accept", "content": {"name": "Ada"}}}
    done = _body(_post(app, "tools/call", {"name": "greet", "arguments": {}, "inputResponses": answer,
                                           "requestState": first["requestState"]}))["result"]
    assert done == {"content": [{"type": "text", "text": "Hello, Ada!"}], "resultType": "complete",
                    "_meta": {"io.modelcontextprotocol/serverInfo": {"name": "fake", "version": "1.0"}}}


def test_several_rounds_carry_the_earlier_answers_in_the_state() -> None:
    app, provider = _app()
    first = _body(_post(app, "tools/call", {"name": "trip", "arguments": {}}))["result"]
    second = _body(_post(app, "tools/call", {
        "name": "trip", "arguments": {}, "requestState": first["requestState"],
        "inputResponses": {"name": {"action": "accept", "content": {"name": "Ada"}}}}))["result"]
    assert list(second["inputRequests"]) == ["color"] and second["requestState"] != first["requestState"]
    third = _body(_post(app, "tools/call", {
        "name": "trip", "arguments": {}, "requestState": second["requestState"],
        "inputResponses": {"color": {"action": "accept", "content": {"color": "teal"}}}}))["result"]
    assert third["content"][0]["text"] == "Ada likes teal"
    assert provider.last_ctx is not None and set(provider.last_ctx.input_responses or {}) == {"name", "color"}


def test_another_instance_with_the_same_secret_continues_the_rounds() -> None:
    secret = b"s" * 32
    one, _ = _app(request_state_secret=secret)
    other, _ = _app(request_state_secret=secret)
    first = _body(_post(one, "tools/call", {"name": "trip", "arguments": {}}))["result"]
    second = _body(_post(other, "tools/call", {
        "name": "trip", "arguments": {}, "requestState": first["requestState"],
        "inputResponses": {"name": {"action": "accept", "content": {"name": "Ada"}}}}))["result"]
    assert list(second["inputRequests"]) == ["color"]


@pytest.mark.parametrize("state", ["x", "not.a-state", None])
def test_a_tampered_state_is_refused(state: str | None) -> None:
    app, _ = _app()
    first = _body(_post(app, "tools/call", {"name": "greet", "arguments": {}}))["result"]
    sent = first["requestState"] + "-TAMPERED" if state is None else state
    response = _post(app, "tools/call", {"name": "greet", "arguments": {}, "requestState": sent,
                                         "inputResponses": {"name": {"action": "accept", "content": {"name": "A"}}}})
    assert response.status == 400 and _body(response)["error"]["code"] == -32602


def test_a_state_does_not_carry_over_to_other_arguments() -> None:
    app, _ = _app()
    first = _body(_post(app, "tools/call", {"name": "greet", "arguments": {}}))["result"]
    response = _post(app, "tools/call", {"name": "greet", "arguments": {"x": 1}, "requestState": first["requestState"]})
    assert _body(response)["error"]["code"] == -32602


def test_answers_that_are_not_results_are_asked_again_and_null_is_refused() -> None:
    app, _ = _app()
    again = _body(_post(app, "tools/call", {"name": "greet", "arguments": {}, "inputResponses": {"name": 12345}}))
    assert again["result"]["resultType"] == "input_required"
    refused = _post(app, "tools/call", {"name": "greet", "arguments": {}, "inputResponses": None})
    assert refused.status == 400 and _body(refused)["error"]["code"] == -32602


def test_a_prompt_can_ask_too() -> None:
    app, _ = _app()
    first = _body(_post(app, "prompts/get", {"name": "intro"}))["result"]
    assert first["resultType"] == "input_required" and list(first["inputRequests"]) == ["name"]
    done = _body(_post(app, "prompts/get", {"name": "intro", "requestState": first["requestState"],
                                            "inputResponses": {"name": {"action": "accept",
                                                                        "content": {"name": "Ada"}}}}))
    assert done["result"]["messages"][0]["content"]["text"] == "I am Ada"


def test_logs_go_out_only_at_the_level_the_request_asked_for() -> None:
    app, _ = _app()
    quiet = _post(app, "tools/call", {"name": "chatty", "arguments": {}})
    assert ("content-type", "application/json") in quiet.headers  # nothing before the response: JSON
    assert _body(quiet)["result"]["content"][0]["text"] == "done"
    loud = _post(app, "tools/call", {"name": "chatty", "arguments": {}}, meta=_meta(**{LOG_LEVEL_KEY: "info"}))
    events = _events(loud)
    assert [event.get("method") for event in events] == ["notifications/message", None]
    assert events[0]["params"]["level"] == "warning"  # debug is below info; list changes ride listen streams


def test_param_headers_must_mirror_the_arguments() -> None:
    app, _ = _app()
    call = {"name": "weather", "arguments": {"region": "Europe"}}
    assert _post(app, "tools/call", call).status == 400
    ok = _post(app, "tools/call", call, headers={"mcp-param-region": "Europe"})
    assert _body(ok)["result"]["content"][0]["text"] == "Europe"
    encoded = _post(app, "tools/call", {"name": "weather", "arguments": {"region": "Zürich"}},
                    headers={"mcp-param-region": "=?base64?WsO8cmljaA==?="})
    assert _body(encoded)["result"]["content"][0]["text"] == "Zürich"
    wrong = _post(app, "tools/call", call, headers={"mcp-param-region": "Asia"})
    assert wrong.status == 400 and _body(wrong)["error"]["code"] == -32020


def test_mcp_name_must_match_but_may_carry_whitespace() -> None:
    app, _ = _app()
    call = {"name": "greet", "arguments": {}}
    assert _post(app, "tools/call", call, headers={"mcp-name": "  greet  "}).status == 200
    mismatch = _post(app, "tools/call", call, headers={"mcp-name": "other"})
    assert mismatch.status == 400 and _body(mismatch)["error"]["code"] == -32020


def test_listen_acknowledges_first_with_the_subscription_id() -> None:
    app, _ = _app()
    response = _post(app, "subscriptions/listen", {"notifications": {"toolsListChanged": True,
                                                                      "resourcesListChanged": True,
                                                                      "promptsListChanged": False}},
                     request_id=42)
    events = _events(response)
    assert events[0]["method"] == "notifications/subscriptions/acknowledged"
    assert events[0]["params"]["notifications"] == {"toolsListChanged": True, "resourcesListChanged": True}
    assert events[0]["params"]["_meta"]["io.modelcontextprotocol/subscriptionId"] == 42
    assert events[-1]["id"] == 42 and events[-1]["result"]["resultType"] == "complete"
    json_only = _post(app, "subscriptions/listen", {"notifications": {}}, accept="application/json")
    assert json_only.status == 406


def test_the_handshake_era_is_untouched_on_the_same_endpoint() -> None:
    app, _ = _app()
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "c", "version": "1"}}}).encode()
    headers = {"content-type": "application/json", "accept": "application/json, text/event-stream",
               "host": "localhost"}
    result = _body(app.handle(HttpRequest("POST", "/mcp", headers, body)))["result"]
    assert result["protocolVersion"] == "2025-11-25" and "resultType" not in result


def test_stdio_serves_a_request_that_carries_its_own_envelope() -> None:
    session = StdioSession(Dispatcher(AskingProvider(), RequestStates(None)))
    line = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                       "params": {"name": "greet", "arguments": {}, "_meta": _meta()}}).encode()
    first = list(session.handle_line(line))[-1]["result"]
    assert first["resultType"] == "input_required"
    retry = json.dumps({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {
        "name": "greet", "arguments": {}, "_meta": _meta(), "requestState": first["requestState"],
        "inputResponses": {"name": {"action": "accept", "content": {"name": "Ada"}}}}}).encode()
    assert list(session.handle_line(retry))[-1]["result"]["content"][0]["text"] == "Hello, Ada!"
    bad = json.dumps({"jsonrpc": "2.0", "id": 3, "method": "tools/list",
                      "params": {"_meta": {PROTOCOL_VERSION_KEY: MODERN}}}).encode()
    assert list(session.handle_line(bad))[-1]["error"]["code"] == -32602

