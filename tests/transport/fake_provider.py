"""A plain-Python ProviderPort for testing the transport's layers on the host."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from mcp_transport.jsonrpc import INVALID_PARAMS, RESOURCE_NOT_FOUND, JsonRpcError
from mcp_transport.port import CallContext, Finished, Notify, ServerDescription, ToolEvent


@dataclass
class FakeProvider:
    capabilities: frozenset[str] = frozenset({"tools", "logging"})
    subscriptions: set[str] = field(default_factory=set)
    calls: list[tuple[str, dict[str, Any] | None, CallContext]] = field(default_factory=list)

    def describe(self) -> ServerDescription:
        return ServerDescription({"name": "fake", "version": "1.0"}, self.capabilities, "Be nice.")

    def list_tools(self, ctx: CallContext, cursor: str | None) -> dict[str, Any]:
        if cursor not in (None, "page-2"):
            raise JsonRpcError(INVALID_PARAMS, "invalid cursor")
        if cursor is None:
            return {"tools": [{"name": "echo", "inputSchema": {"type": "object"}}], "nextCursor": "page-2"}
        return {"tools": [{"name": "shout", "inputSchema": {"type": "object"}}]}

    def call_tool(self, ctx: CallContext, name: str, arguments: dict[str, Any] | None) -> Iterator[ToolEvent]:
        self.calls.append((name, arguments, ctx))
        if name not in ("echo", "shout"):
            raise JsonRpcError(INVALID_PARAMS, f"Unknown tool: {name}")
        yield Notify("notifications/message", {"level": "info", "data": "working"})
        text = str((arguments or {}).get("text", ""))
        yield Finished({"content": [{"type": "text", "text": text.upper() if name == "shout" else text}]})

    def list_resources(self, ctx: CallContext, cursor: str | None) -> dict[str, Any]:
        return {"resources": [{"uri": "test://a", "name": "a"}]}

    def list_resource_templates(self, ctx: CallContext, cursor: str | None) -> dict[str, Any]:
        return {"resourceTemplates": [{"uriTemplate": "test://{id}", "name": "by-id"}]}

    def read_resource(self, ctx: CallContext, uri: str) -> dict[str, Any]:
        if uri != "test://a":
            raise JsonRpcError(RESOURCE_NOT_FOUND, f"Unknown resource: {uri}")
        return {"contents": [{"uri": uri, "text": "A"}]}

    def subscribe(self, ctx: CallContext, uri: str) -> None:
        self.read_resource(ctx, uri)
        self.subscriptions.add(uri)

    def unsubscribe(self, ctx: CallContext, uri: str) -> None:
        self.subscriptions.discard(uri)

    def list_prompts(self, ctx: CallContext, cursor: str | None) -> dict[str, Any]:
        return {"prompts": [{"name": "greet", "arguments": [{"name": "who", "required": True}]}]}

    def get_prompt(self, ctx: CallContext, name: str, arguments: dict[str, str]) -> dict[str, Any]:
        if name != "greet" or "who" not in arguments:
            raise JsonRpcError(INVALID_PARAMS, "bad prompt")
        return {"messages": [{"role": "user", "content": {"type": "text", "text": f"Hi {arguments['who']}"}}]}

    def complete(self, ctx: CallContext, ref: dict[str, Any], argument: dict[str, Any],
                 context: dict[str, str]) -> dict[str, Any]:
        options = ["alpha", "beta", "alps"]
        return {"completion": {"values": [o for o in options if o.startswith(argument["value"])], "hasMore": False}}
