"""The provider in the same interpreter: the one-interpreter build.

A :class:`~mcp_transport.port.ProviderPort` that calls an SDK
:class:`~mcp_component.Provider` directly instead of through the imported
MCP WIT interfaces (``wit_port``). The MCP JSON comes from the SDK's own
``_wire`` module, the same the in-memory test client answers with, so a
one-interpreter server answers exactly what the composed one does
(tests/e2e/test_parity.py checks both).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Literal, TypeVar

from mcp_component import Provider, RequestInfo, ToolRun
from mcp_component import _wire as wire
from mcp_component._asking import ClientRequest, ClientRequestError, InputRequired, Waiting
from mcp_component._context import Identity as SdkIdentity
from mcp_component._errors import MCPError
from mcp_component._content import CallToolResult

from .jsonrpc import INTERNAL_ERROR, JsonRpcError
from .port import (
    Answer,
    AnswerError,
    CallContext,
    ClientAsk,
    Finished,
    Notify,
    ServerDescription,
    Suspend,
    ToolEvent,
)
from .port import InputRequired as NeedsAnswers

__all__ = ["LocalProvider"]

T = TypeVar("T")

_CAPABILITIES = {
    "tools": "tools",
    "resources": "resources",
    "resource-subscriptions": "resource_subscriptions",
    "prompts": "prompts",
    "completions": "completions",
    "logging": "logging",
}


class LocalProvider:
    """A ProviderPort over an SDK Provider in this interpreter."""

    def __init__(self, provider: Provider) -> None:
        self.provider = provider

    def describe(self) -> ServerDescription:
        offered = frozenset(name for name, attr in _CAPABILITIES.items()
                            if getattr(self.provider.capabilities, attr))
        return ServerDescription(wire.server_info(self.provider), offered, self.provider.instructions)

    def list_tools(self, ctx: CallContext, cursor: str | None) -> dict[str, Any]:
        page, next_cursor = _call(self.provider.list_tools, cursor)
        return wire.page("tools", [wire.tool(t) for t in page], next_cursor, self.provider.page_cache(page))

    def call_tool(self, ctx: CallContext, name: str, arguments: dict[str, Any] | None) -> Iterator[ToolEvent]:
        run = _call(self.provider.call_tool, name, arguments, _request(ctx))
        asked: list[ClientAsk] = []
        try:
            while True:
                event = _call(run.next)
                if isinstance(event, CallToolResult):
                    yield Finished(wire.call_result(event))
                    return
                if isinstance(event, ClientRequest):
                    asked.append((event.key, event.method, event.params))
                    continue
                if isinstance(event, Waiting):
                    yield Suspend(tuple(asked), _responder(run))
                    asked = []
                    continue
                message = wire.notification(event, ctx.progress_token)
                if message is not None:
                    yield Notify(message["method"], message.get("params", {}))
        finally:
            run.close()  # the transport gave up on the call: cancel what still runs

    def list_resources(self, ctx: CallContext, cursor: str | None) -> dict[str, Any]:
        page, next_cursor = _call(self.provider.list_resources, cursor)
        return wire.page("resources", [wire.resource(r) for r in page], next_cursor, self.provider.page_cache(page))

    def list_resource_templates(self, ctx: CallContext, cursor: str | None) -> dict[str, Any]:
        page, next_cursor = _call(self.provider.list_resource_templates, cursor)
        return wire.page("resourceTemplates", [wire.resource_template(t) for t in page], next_cursor,
                         self.provider.page_cache(page))

    def read_resource(self, ctx: CallContext, uri: str) -> dict[str, Any]:
        contents = _call(self.provider.read_resource, uri, _request(ctx))
        return wire.read_result(contents, self.provider.read_cache(uri))

    def subscribe(self, ctx: CallContext, uri: str) -> None:
        _call(self.provider.subscribe, uri)

    def unsubscribe(self, ctx: CallContext, uri: str) -> None:
        _call(self.provider.unsubscribe, uri)

    def list_prompts(self, ctx: CallContext, cursor: str | None) -> dict[str, Any]:
        page, next_cursor = _call(self.provider.list_prompts, cursor)
        return wire.page("prompts", [wire.prompt(p) for p in page], next_cursor, self.provider.page_cache(page))

    def get_prompt(self, ctx: CallContext, name: str, arguments: dict[str, str]) -> dict[str, Any]:
        return wire.prompt_result(_call(self.provider.get_prompt, name, arguments, _request(ctx)))

    def complete(self, ctx: CallContext, ref: dict[str, Any], argument: dict[str, Any],
                 context: dict[str, str]) -> dict[str, Any]:
        kind: Literal["prompt", "resource_template"]
        kind, target = ("prompt", ref["name"]) if ref["type"] == "ref/prompt" else ("resource_template", ref["uri"])
        done = _call(self.provider.complete, kind, target, argument["name"], argument["value"], context)
        return wire.completion(done)


def _call(func: Callable[..., T], *args: Any) -> T:
    """Run a provider call; SDK errors keep their JSON-RPC code, message and data."""
    try:
        return func(*args)
    except InputRequired as needed:  # a BaseException: a provider's own handlers let it through
        raise NeedsAnswers(tuple((r.key, r.method, r.params) for r in needed.requests)) from None
    except MCPError as exc:
        raise JsonRpcError(exc.code, exc.message, exc.data) from exc
    except Exception as exc:  # a provider bug fails its request, never the server
        raise JsonRpcError(INTERNAL_ERROR, f"Internal error: {exc}") from exc


def _responder(run: ToolRun) -> Callable[[str, Answer], None]:
    def respond(key: str, answer: Answer) -> None:
        run.respond(key, ClientRequestError(answer.message) if isinstance(answer, AnswerError) else answer)

    return respond


def _request(ctx: CallContext) -> RequestInfo:
    client = ctx.client_info or {}
    who = ctx.identity
    return RequestInfo(
        protocol_version=ctx.protocol_version,
        client_name=client.get("name") if ctx.client_info is not None else None,
        client_version=client.get("version") if ctx.client_info is not None else None,
        progress_token=ctx.progress_token,
        log_level=ctx.log_level,  # type: ignore[arg-type]  # the dispatcher checked it is a LogLevel
        session_id=ctx.session_id,
        identity=None if who is None else SdkIdentity(who.subject, who.client_id, who.scopes, who.claims),
        meta=ctx.meta,
        client_capabilities=ctx.client_capabilities,
        input_responses=ctx.input_responses,
    )
