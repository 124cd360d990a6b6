"""Method dispatch: one JSON-RPC request in, its messages out.

:meth:`Dispatcher.handle` yields every message the request produces:
notifications first (progress, logs), then exactly one response. Protocol
failures become JSON-RPC errors here and nowhere else.

Both protocol eras are served, told apart by the request's protocol
version. Before 2026-07-28, a tool call that asks the client something
yields a :class:`~.port.Suspend` between them, which the transport acts on
(see ``parking``). From 2026-07-28 on, every request stands alone
(``stateless``): the same question becomes an input-required result, and
the client's next request carries the answers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

from . import lifecycle, stateless
from .envelope import MODERN_VERSIONS
from .jsonrpc import (
    INTERNAL_ERROR,
    INVALID_PARAMS,
    METHOD_NOT_FOUND,
    RESOURCE_NOT_FOUND,
    JsonRpcError,
    Request,
    error_response,
    result_response,
)
from .port import (
    LOG_LEVELS,
    CallContext,
    Finished,
    InputRequired,
    Notify,
    ProviderPort,
    ServerDescription,
    Suspend,
)
from .request_state import RequestStates
from .sessions import SessionState

__all__ = ["LOG_LEVELS", "Dispatcher"]

Events = Iterator[Notify | Suspend | Finished]
Handler = Callable[[Request, CallContext, SessionState], Events]


class Dispatcher:
    """Routes MCP requests to a provider."""

    def __init__(self, provider: ProviderPort, request_states: RequestStates | None = None) -> None:
        self._provider = provider
        self._description: ServerDescription | None = None
        # Seals the answers of earlier rounds into 2026-07-28 requestState.
        self.request_states = request_states or RequestStates(None)
        # Tool input schemas by name, for checking Mcp-Param headers.
        self._schemas: dict[str, Any] | None = None
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
        # 2026-07-28 drops the handshake, ping, setLevel (the level rides in
        # each request's _meta) and subscribe (a listen stream's filter).
        self._modern_methods: dict[str, tuple[str | None, Handler]] = {
            name: entry for name, entry in self._methods.items()
            if name not in ("initialize", "ping", "logging/setLevel", "resources/subscribe", "resources/unsubscribe")
        }
        self._modern_methods["server/discover"] = (None, self._discover)
        self._modern_methods["subscriptions/listen"] = (None, self._listen)

    @property
    def description(self) -> ServerDescription:
        if self._description is None:
            self._description = self._provider.describe()
        return self._description

    def handle(self, request: Request, ctx: CallContext,
               state: SessionState) -> Iterator[dict[str, Any] | Suspend]:
        """Yield the JSON-RPC messages answering ``request``, response last."""
        if ctx.protocol_version in MODERN_VERSIONS:
            yield from self._handle_modern(request, ctx, state)
            return
        try:
            handler = self._route(request.method, self._methods)
            ctx = _with_request_meta(ctx, request.params)
            events = handler(request, ctx, state)
            try:
                for event in events:
                    if isinstance(event, Notify):
                        yield {"jsonrpc": "2.0", "method": event.method, "params": event.params}
                    elif isinstance(event, Suspend):
                        yield event
                    else:
                        yield result_response(request.id, stateless.without_cache_hints(event.result))
            finally:
                _close(events)
        except InputRequired:
            yield error_response(request.id, JsonRpcError(INTERNAL_ERROR, (
                f"{request.method}: this needs answers from the client, which it can only be asked for "
                "with protocol 2026-07-28 (in 2025-11-25 only a tool call can ask, while it runs)")))
        except JsonRpcError as exc:
            yield error_response(request.id, exc)
        except Exception as exc:  # a bug or trap below must fail this request only
            yield error_response(request.id, JsonRpcError(INTERNAL_ERROR, f"Internal error: {exc}"))

    def _handle_modern(self, request: Request, ctx: CallContext,
                       state: SessionState) -> Iterator[dict[str, Any]]:
        """A 2026-07-28 request: questions for the client end it with an input-required result."""
        method, params = request.method, request.params
        answers: dict[str, Any] | None = None
        try:
            handler = self._route(method, self._modern_methods)
            ctx = _with_request_meta(ctx, params)
            if method in stateless.INPUT_METHODS:
                answers = stateless.known_answers(method, params, self.request_states)
                ctx = replace(ctx, input_responses=answers)
            events = handler(request, ctx, state)
            try:
                for event in events:
                    if isinstance(event, Notify):
                        message = {"jsonrpc": "2.0", "method": event.method, "params": event.params}
                        if stateless.may_send(message, ctx.log_level):
                            yield message
                    elif isinstance(event, Suspend):
                        if not event.requests:
                            continue  # an offer to end the stream early: nothing to resume here
                        if answers is None:
                            raise JsonRpcError(INTERNAL_ERROR, f"{method} cannot ask the client")
                        # The call is dropped (closed below); the retry runs it again.
                        yield result_response(request.id, stateless.input_required(
                            method, params, event.requests, answers, self.request_states))
                        return
                    else:
                        yield result_response(request.id, stateless.complete(method, event.result, self.description))
            finally:
                _close(events)
        except InputRequired as needed:
            if answers is None:  # only the methods that take answers may ask
                yield error_response(request.id, JsonRpcError(INTERNAL_ERROR, f"{method} cannot ask the client"))
                return
            yield result_response(request.id, stateless.input_required(
                method, params, needed.requests, answers, self.request_states))
        except JsonRpcError as exc:
            if exc.code == RESOURCE_NOT_FOUND and method == "resources/read":
                # 2026-07-28 reports an unknown resource as invalid params naming it.
                exc = JsonRpcError(INVALID_PARAMS, exc.message, {"uri": params.get("uri")})
            yield error_response(request.id, exc)
        except Exception as exc:  # a bug or trap below must fail this request only
            yield error_response(request.id, JsonRpcError(INTERNAL_ERROR, f"Internal error: {exc}"))

    def tool_input_schema(self, name: str, ctx: CallContext) -> Any:
        """The input schema of tool ``name`` as listed (None if it is not), kept per instance.

        Listed again when ``name`` is not known yet: a provider may add tools.
        """
        if self._schemas is None or name not in self._schemas:
            schemas: dict[str, Any] = {}
            cursor: str | None = None
            for _ in range(100):  # a provider whose cursors never end must not hang the request
                page = self._provider.list_tools(ctx, cursor)
                for tool in page.get("tools", []):
                    schemas[tool["name"]] = tool.get("inputSchema")
                cursor = page.get("nextCursor")
                if not isinstance(cursor, str):
                    break
            self._schemas = schemas
        return self._schemas.get(name)

    def _route(self, method: str, methods: dict[str, tuple[str | None, Handler]]) -> Handler:
        entry = methods.get(method)
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

    def _discover(self, request: Request, ctx: CallContext, state: SessionState) -> Events:
        yield Finished(lifecycle.discover_result(self.description))

    def _listen(self, request: Request, ctx: CallContext, state: SessionState) -> Events:
        # The acknowledgement, then the graceful end: no runtime this transport
        # runs on keeps an instance for one open stream while it serves other
        # requests, so a client listens again (and lists again) when it ends.
        acknowledgement, result = stateless.listen_acknowledgement(request.params, request.id, self.description)
        yield Notify(acknowledgement["method"], acknowledgement["params"])
        yield Finished(result)

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


def _close(events: Events) -> None:
    # A call given up on (its client cancelled it, never came back, or must
    # answer first) unwinds now, so the provider cancels what still runs.
    close = getattr(events, "close", None)
    if close is not None:
        close()


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
