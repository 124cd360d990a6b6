"""Method dispatch: one JSON-RPC request in, its messages out.

:meth:`Dispatcher.handle` yields every message the request produces:
notifications first (progress, logs), then exactly one response. Protocol
failures become JSON-RPC errors here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

from . import lifecycle
from .jsonrpc import (
    INTERNAL_ERROR,
    INVALID_PARAMS,
    METHOD_NOT_FOUND,
    JsonRpcError,
    Request,
    error_response,
    result_response,
)
from .port import CallContext, Finished, Notify, ProviderPort, ServerDescription

__all__ = ["Dispatcher"]

Handler = Callable[[Request, CallContext], Iterator[Notify | Finished]]


class Dispatcher:
    """Routes MCP requests to a provider."""

    def __init__(self, provider: ProviderPort) -> None:
        self._provider = provider
        self._description: ServerDescription | None = None
        # method -> (capability it needs or None, handler)
        self._methods: dict[str, tuple[str | None, Handler]] = {
            "initialize": (None, self._initialize),
            "ping": (None, self._ping),
            "tools/list": ("tools", self._list_tools),
            "tools/call": ("tools", self._call_tool),
        }

    @property
    def description(self) -> ServerDescription:
        if self._description is None:
            self._description = self._provider.describe()
        return self._description

    def handle(self, request: Request, ctx: CallContext) -> Iterator[dict[str, Any]]:
        """Yield the JSON-RPC messages answering ``request``, response last."""
        ctx = _with_request_meta(ctx, request.params)
        try:
            needs, handler = self._route(request.method)
            for event in handler(request, ctx):
                if isinstance(event, Notify):
                    yield {"jsonrpc": "2.0", "method": event.method, "params": event.params}
                else:
                    yield result_response(request.id, event.result)
        except JsonRpcError as exc:
            yield error_response(request.id, exc)
        except Exception as exc:  # a bug or trap below must fail this request only
            yield error_response(request.id, JsonRpcError(INTERNAL_ERROR, f"Internal error: {exc}"))

    def _route(self, method: str) -> tuple[str | None, Handler]:
        entry = self._methods.get(method)
        if entry is None:
            raise JsonRpcError(METHOD_NOT_FOUND, f"Method not found: {method}")
        needs, _ = entry
        if needs is not None and needs not in self.description.capabilities:
            raise JsonRpcError(METHOD_NOT_FOUND, f"Method not found: {method} (this server offers no {needs})")
        return entry

    # -- handlers ---------------------------------------------------------

    def _initialize(self, request: Request, ctx: CallContext) -> Iterator[Notify | Finished]:
        requested = lifecycle.check_initialize_params(request.params)
        version = lifecycle.negotiate_version(requested)
        yield Finished(lifecycle.initialize_result(self.description, version))

    def _ping(self, request: Request, ctx: CallContext) -> Iterator[Notify | Finished]:
        yield Finished({})

    def _list_tools(self, request: Request, ctx: CallContext) -> Iterator[Notify | Finished]:
        yield Finished(self._provider.list_tools(ctx, _cursor(request.params)))

    def _call_tool(self, request: Request, ctx: CallContext) -> Iterator[Notify | Finished]:
        name = request.params.get("name")
        if not isinstance(name, str) or not name:
            raise JsonRpcError(INVALID_PARAMS, 'tools/call: "name" must be a non-empty string')
        arguments = request.params.get("arguments")
        if arguments is not None and not isinstance(arguments, dict):
            raise JsonRpcError(INVALID_PARAMS, 'tools/call: "arguments" must be an object')
        yield from self._provider.call_tool(ctx, name, arguments)


def _with_request_meta(ctx: CallContext, params: dict[str, Any]) -> CallContext:
    meta = params.get("_meta")
    if not isinstance(meta, dict):
        return ctx
    token = meta.get("progressToken")
    if isinstance(token, bool) or not isinstance(token, (str, int)):
        token = None
    return replace(ctx, progress_token=token, meta=meta)


def _cursor(params: dict[str, Any]) -> str | None:
    cursor = params.get("cursor")
    if cursor is not None and not isinstance(cursor, str):
        raise JsonRpcError(INVALID_PARAMS, '"cursor" must be a string')
    return cursor
