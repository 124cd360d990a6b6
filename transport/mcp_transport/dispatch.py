"""Method dispatch: one JSON-RPC request in, its messages out.

:meth:`Dispatcher.handle` yields every message the request produces:
notifications first (progress, logs), then exactly one response. A tool
call that asks the client something yields a :class:`~.port.Suspend`
between them, which the transport acts on (see ``parking``). Protocol
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
from .port import CallContext, Finished, Notify, ProviderPort, ServerDescription, Suspend
from .sessions import SessionState

__all__ = ["LOG_LEVELS", "Dispatcher"]

LOG_LEVELS = ("debug", "info", "notice", "warning", "error", "critical", "alert", "emergency")

Events = Iterator[Notify | Suspend | Finished]
Handler = Callable[[Request, CallContext, SessionState], Events]


class Dispatcher:
    """Routes MCP requests to a provider."""

    def __init__(self, provider: ProviderPort) -> None:
        self._provider = provider
        self._description: ServerDescription | None = None
        # method -> (capability it needs, or None for every server; handler)
        self._methods: dict[str, tuple[str | None, Handler]] = {
            "initialize": (None, self._initialize),
            "ping": (None, self._ping),
            "tools/list": ("tools", self._list_tools),
            "tools/call": ("tools", self._call_tool),
            "resources/list": ("resources", self._list_resources),
            "resources/templates/list": ("resources", self._list_resource_templates),
            "resources/read": ("resources", self._read_resource),
            "resources/subscribe": ("resource-subscriptions", self._subscribe),
            "resources/unsubscribe": ("resource-subscriptions", self._unsubscribe),
            "prompts/list": ("prompts", self._list_prompts),
            "prompts/get": ("prompts", self._get_prompt),
            "completion/complete": ("completions", self._complete),
            "logging/setLevel": ("logging", self._set_level),
        }

    @property
    def description(self) -> ServerDescription:
        if self._description is None:
            self._description = self._provider.describe()
        return self._description

    def handle(self, request: Request, ctx: CallContext,
               state: SessionState) -> Iterator[dict[str, Any] | Suspend]:
        """Yield the JSON-RPC messages answering ``request``, response last."""
        try:
            handler = self._route(request.method)
            ctx = _with_request_meta(ctx, request.params)
            events = handler(request, ctx, state)
            try:
                for event in events:
                    if isinstance(event, Notify):
                        yield {"jsonrpc": "2.0", "method": event.method, "params": event.params}
                    elif isinstance(event, Suspend):
                        yield event
                    else:
                        yield result_response(request.id, event.result)
            finally:
                # A call given up on (its client cancelled it or never came
                # back) unwinds now, so the provider cancels what still runs.
                close = getattr(events, "close", None)
                if close is not None:
                    close()
        except JsonRpcError as exc:
            yield error_response(request.id, exc)
        except Exception as exc:  # a bug or trap below must fail this request only
            yield error_response(request.id, JsonRpcError(INTERNAL_ERROR, f"Internal error: {exc}"))

    def _route(self, method: str) -> Handler:
        entry = self._methods.get(method)
        if entry is None:
            raise JsonRpcError(METHOD_NOT_FOUND, f"Method not found: {method}")
        needs, handler = entry
        if needs is not None and needs not in self.description.capabilities:
            raise JsonRpcError(METHOD_NOT_FOUND, f"Method not found: {method} (this server offers no {needs})")
        return handler

    # -- lifecycle and utilities -------------------------------------------

    def _initialize(self, request: Request, ctx: CallContext, state: SessionState) -> Events:
        requested = lifecycle.check_initialize_params(request.params)
        version = lifecycle.negotiate_version(requested)
        yield Finished(lifecycle.initialize_result(self.description, version))

    def _ping(self, request: Request, ctx: CallContext, state: SessionState) -> Events:
        yield Finished({})

    def _set_level(self, request: Request, ctx: CallContext, state: SessionState) -> Events:
        level = request.params.get("level")
        if level not in LOG_LEVELS:
            raise JsonRpcError(INVALID_PARAMS, f'logging/setLevel: "level" must be one of {", ".join(LOG_LEVELS)}')
        state.log_level = level
        yield Finished({})

    # -- tools ----------------------------------------------------------------

    def _list_tools(self, request: Request, ctx: CallContext, state: SessionState) -> Events:
        yield Finished(self._provider.list_tools(ctx, _cursor(request.params)))

    def _call_tool(self, request: Request, ctx: CallContext, state: SessionState) -> Events:
        name = _required_str(request.params, "name", "tools/call")
        arguments = request.params.get("arguments")
        if arguments is not None and not isinstance(arguments, dict):
            raise JsonRpcError(INVALID_PARAMS, 'tools/call: "arguments" must be an object')
        yield from self._provider.call_tool(ctx, name, arguments)

    # -- resources --------------------------------------------------------------

    def _list_resources(self, request: Request, ctx: CallContext, state: SessionState) -> Events:
        yield Finished(self._provider.list_resources(ctx, _cursor(request.params)))

    def _list_resource_templates(self, request: Request, ctx: CallContext, state: SessionState) -> Events:
        yield Finished(self._provider.list_resource_templates(ctx, _cursor(request.params)))

    def _read_resource(self, request: Request, ctx: CallContext, state: SessionState) -> Events:
        yield Finished(self._provider.read_resource(ctx, _required_str(request.params, "uri", "resources/read")))

    def _subscribe(self, request: Request, ctx: CallContext, state: SessionState) -> Events:
        uri = _required_str(request.params, "uri", "resources/subscribe")
        self._provider.subscribe(ctx, uri)
        state.subscriptions.add(uri)  # the transport tells this client of updates
        yield Finished({})

    def _unsubscribe(self, request: Request, ctx: CallContext, state: SessionState) -> Events:
        uri = _required_str(request.params, "uri", "resources/unsubscribe")
        self._provider.unsubscribe(ctx, uri)
        state.subscriptions.discard(uri)
        yield Finished({})

    # -- prompts and completion ---------------------------------------------------

    def _list_prompts(self, request: Request, ctx: CallContext, state: SessionState) -> Events:
        yield Finished(self._provider.list_prompts(ctx, _cursor(request.params)))

    def _get_prompt(self, request: Request, ctx: CallContext, state: SessionState) -> Events:
        name = _required_str(request.params, "name", "prompts/get")
        yield Finished(self._provider.get_prompt(ctx, name, _string_map(request.params, "arguments", "prompts/get")))

    def _complete(self, request: Request, ctx: CallContext, state: SessionState) -> Events:
        ref = request.params.get("ref")
        if not isinstance(ref, dict) or ref.get("type") not in ("ref/prompt", "ref/resource"):
            raise JsonRpcError(INVALID_PARAMS, 'completion/complete: "ref" must be a ref/prompt or ref/resource object')
        key = "name" if ref["type"] == "ref/prompt" else "uri"
        if not isinstance(ref.get(key), str):
            raise JsonRpcError(INVALID_PARAMS, f'completion/complete: "ref.{key}" must be a string')
        argument = request.params.get("argument")
        if (not isinstance(argument, dict) or not isinstance(argument.get("name"), str)
                or not isinstance(argument.get("value"), str)):
            raise JsonRpcError(INVALID_PARAMS, 'completion/complete: "argument" must have string "name" and "value"')
        context = request.params.get("context") or {}
        if not isinstance(context, dict):
            raise JsonRpcError(INVALID_PARAMS, 'completion/complete: "context" must be an object')
        known = _string_map(context, "arguments", "completion/complete context")
        yield Finished(self._provider.complete(ctx, ref, argument, known))


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


def _required_str(params: dict[str, Any], key: str, method: str) -> str:
    value = params.get(key)
    if not isinstance(value, str) or not value:
        raise JsonRpcError(INVALID_PARAMS, f'{method}: "{key}" must be a non-empty string')
    return value


def _string_map(params: dict[str, Any], key: str, method: str) -> dict[str, str]:
    value = params.get(key) or {}
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise JsonRpcError(INVALID_PARAMS, f'{method}: "{key}" must be an object of strings')
    return dict(value)
