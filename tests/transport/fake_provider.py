"""A plain-Python ProviderPort for testing the transport's layers on the host."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from mcp_transport.jsonrpc import INVALID_PARAMS, JsonRpcError
from mcp_transport.port import CallContext, Finished, Notify, ServerDescription, ToolEvent


@dataclass
class FakeProvider:
    capabilities: frozenset[str] = frozenset({"tools", "logging"})
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
