"""Method dispatch: routing by capability, parameter checks, error mapping."""

from __future__ import annotations

from typing import Any

import pytest

from mcp_transport.dispatch import Dispatcher
from mcp_transport.jsonrpc import Request
from mcp_transport.port import CallContext
from mcp_transport.sessions import SessionState

from .fake_provider import FakeProvider

EVERYTHING = frozenset({"tools", "resources", "resource-subscriptions", "prompts", "completions", "logging"})


def call(method: str, params: dict[str, Any] | None = None,
         capabilities: frozenset[str] = EVERYTHING) -> tuple[dict[str, Any], FakeProvider]:
    provider = FakeProvider(capabilities=capabilities)
    messages = list(Dispatcher(provider).handle(Request(1, method, params or {}), CallContext("2025-11-25"), SessionState()))
    return messages[-1], provider


def test_initialize_advertises_every_offered_capability() -> None:
    reply, _ = call("initialize", {"protocolVersion": "2025-11-25", "clientInfo": {"name": "c", "version": "1"}})
    assert reply["result"]["capabilities"] == {
        "tools": {"listChanged": True},
        "resources": {"subscribe": True, "listChanged": True},
        "prompts": {"listChanged": True},
        "completions": {},
        "logging": {},
    }


def test_resources_list_and_templates() -> None:
    assert call("resources/list")[0]["result"] == {"resources": [{"uri": "test://a", "name": "a"}]}
    assert call("resources/templates/list")[0]["result"]["resourceTemplates"][0]["uriTemplate"] == "test://{id}"


def test_resources_read_and_unknown_uri() -> None:
    assert call("resources/read", {"uri": "test://a"})[0]["result"]["contents"][0]["text"] == "A"
    assert call("resources/read", {"uri": "test://b"})[0]["error"]["code"] == -32002


def test_subscribe_and_unsubscribe() -> None:
    reply, provider = call("resources/subscribe", {"uri": "test://a"})
    assert reply["result"] == {} and provider.subscriptions == {"test://a"}
    assert call("resources/unsubscribe", {"uri": "test://a"})[0]["result"] == {}


def test_subscribe_needs_the_subscription_capability() -> None:
    reply, _ = call("resources/subscribe", {"uri": "test://a"}, frozenset({"resources"}))
    assert reply["error"]["code"] == -32601


def test_prompts_get_passes_string_arguments() -> None:
    reply, _ = call("prompts/get", {"name": "greet", "arguments": {"who": "Ada"}})
    assert reply["result"]["messages"][0]["content"]["text"] == "Hi Ada"


def test_completion_complete() -> None:
    reply, _ = call("completion/complete", {"ref": {"type": "ref/prompt", "name": "greet"},
                                            "argument": {"name": "who", "value": "al"}})
    assert reply["result"] == {"completion": {"values": ["alpha", "alps"], "hasMore": False}}


@pytest.mark.parametrize(
    ("method", "params"),
    [
        ("resources/read", {}),
        ("resources/read", {"uri": 5}),
        ("resources/subscribe", {}),
        ("prompts/get", {}),
        ("prompts/get", {"name": "greet", "arguments": {"who": 3}}),
        ("prompts/get", {"name": "greet", "arguments": ["who"]}),
        ("completion/complete", {}),
        ("completion/complete", {"ref": {"type": "ref/tool", "name": "x"}, "argument": {"name": "a", "value": ""}}),
        ("completion/complete", {"ref": {"type": "ref/prompt"}, "argument": {"name": "a", "value": ""}}),
        ("completion/complete", {"ref": {"type": "ref/prompt", "name": "greet"}, "argument": {"name": "a"}}),
        ("completion/complete", {"ref": {"type": "ref/resource", "uri": "u"}, "argument": {"name": "a", "value": ""},
                                 "context": {"arguments": {"x": 1}}}),
        ("logging/setLevel", {}),
        ("tools/list", {"cursor": 3}),
    ],
)
def test_bad_params_are_invalid_params(method: str, params: dict[str, Any]) -> None:
    assert call(method, params)[0]["error"]["code"] == -32602


@pytest.mark.parametrize("method", ["resources/list", "prompts/list", "completion/complete", "logging/setLevel"])
def test_capabilities_not_offered_are_method_not_found(method: str) -> None:
    assert call(method, {}, frozenset({"tools"}))[0]["error"]["code"] == -32601


def test_a_provider_crash_fails_only_that_request() -> None:
    class Broken(FakeProvider):
        def list_tools(self, ctx: CallContext, cursor: str | None) -> dict[str, Any]:
            raise RuntimeError("trap")

    messages = list(Dispatcher(Broken()).handle(Request(1, "tools/list", {}), CallContext("2025-11-25"), SessionState()))
    assert messages == [{"jsonrpc": "2.0", "id": 1, "error": {"code": -32603, "message": "Internal error: trap"}}]
