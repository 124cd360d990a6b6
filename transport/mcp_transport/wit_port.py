"""The provider, reached through the imported MCP WIT interfaces.

The only transport module that imports the provider's bindings. It turns
JSON-level calls into WIT calls and WIT records into MCP JSON.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from componentize_py_types import Err, Ok
from wit_world.imports import mcp_component_mcp_types as mcp
from wit_world.imports import completion, prompts, resources, server_info, tools

from .dispatch import LOG_LEVELS
from .jsonrpc import INTERNAL_ERROR, INVALID_PARAMS, METHOD_NOT_FOUND, RESOURCE_NOT_FOUND, JsonRpcError
from .port import (
    Answer,
    AnswerError,
    CallContext,
    ClientAsk,
    Finished,
    InputRequired,
    Notify,
    ServerDescription,
    Suspend,
    ToolEvent,
)
from .wire_json import b64, call_result, loads, put, tool_annotations

__all__ = ["WitProvider"]

T = TypeVar("T")

_CAPABILITY_FLAGS = {
    "tools": server_info.Capabilities.TOOLS,
    "resources": server_info.Capabilities.RESOURCES,
    "resource-subscriptions": server_info.Capabilities.RESOURCE_SUBSCRIPTIONS,
    "prompts": server_info.Capabilities.PROMPTS,
    "completions": server_info.Capabilities.COMPLETIONS,
    "logging": server_info.Capabilities.LOGGING,
}


class WitProvider:
    """A :class:`~mcp_transport.port.ProviderPort` over WIT imports."""

    def describe(self) -> ServerDescription:
        info = server_info.get_info()
        impl = info.implementation
        server: dict[str, Any] = {"name": impl.name, "version": impl.version}
        put(server, "title", impl.title)
        put(server, "description", info.description)
        put(server, "websiteUrl", info.website_url)
        if info.icons:
            server["icons"] = [_icon(i) for i in info.icons]
        offered = frozenset(name for name, flag in _CAPABILITY_FLAGS.items() if flag in info.capabilities)
        return ServerDescription(server, offered, info.instructions)

    def list_tools(self, ctx: CallContext, cursor: str | None) -> dict[str, Any]:
        page = _call(tools.list_tools, "tool", _context(ctx), cursor)
        result: dict[str, Any] = {"tools": [_tool(t) for t in page.tools]}
        put(result, "nextCursor", page.next_cursor)
        return _with_cache(result, page.cache)

    def call_tool(self, ctx: CallContext, name: str, arguments: dict[str, Any] | None) -> Iterator[ToolEvent]:
        call = tools.call_tool(_context(ctx), name, None if arguments is None else json.dumps(arguments))
        with call:
            asked: list[ClientAsk] = []
            while True:
                event = call.next()
                if isinstance(event, tools.CallEvent_Notification):
                    notification = _notification(event.value, ctx)
                    if notification is not None:
                        yield notification
                    continue
                if isinstance(event, tools.CallEvent_Request):
                    asked.append(_client_ask(event.value))
                    continue
                if isinstance(event, tools.CallEvent_Waiting):
                    yield Suspend(tuple(asked), lambda key, answer: call.respond(key, _answer(answer)))
                    asked = []
                    continue
                outcome = event.value
                if isinstance(outcome, Err):
                    raise _protocol_error(outcome.value, "tool")
                yield Finished(call_result(outcome.value, _content))
                return


    def list_resources(self, ctx: CallContext, cursor: str | None) -> dict[str, Any]:
        page = _call(resources.list_resources, "resource", _context(ctx), cursor)
        result: dict[str, Any] = {"resources": [_resource(r) for r in page.resources]}
        put(result, "nextCursor", page.next_cursor)
        return _with_cache(result, page.cache)

    def list_resource_templates(self, ctx: CallContext, cursor: str | None) -> dict[str, Any]:
        page = _call(resources.list_resource_templates, "resource", _context(ctx), cursor)
        result: dict[str, Any] = {"resourceTemplates": [_resource_template(t) for t in page.resource_templates]}
        put(result, "nextCursor", page.next_cursor)
        return _with_cache(result, page.cache)

    def read_resource(self, ctx: CallContext, uri: str) -> dict[str, Any]:
        read = _call(resources.read_resource, "resource", _context(ctx), uri)
        result: dict[str, Any] = {"contents": [_resource_contents(c) for c in read.contents]}
        put(result, "_meta", loads(read.meta))
        return _with_cache(result, read.cache)

    def subscribe(self, ctx: CallContext, uri: str) -> None:
        _call(resources.subscribe, "resource", _context(ctx), uri)

    def unsubscribe(self, ctx: CallContext, uri: str) -> None:
        _call(resources.unsubscribe, "resource", _context(ctx), uri)

    def list_prompts(self, ctx: CallContext, cursor: str | None) -> dict[str, Any]:
        page = _call(prompts.list_prompts, "prompt", _context(ctx), cursor)
        result: dict[str, Any] = {"prompts": [_prompt(p) for p in page.prompts]}
        put(result, "nextCursor", page.next_cursor)
        return _with_cache(result, page.cache)

    def get_prompt(self, ctx: CallContext, name: str, arguments: dict[str, str]) -> dict[str, Any]:
        got = _call(prompts.get_prompt, "prompt", _context(ctx), name, list(arguments.items()))
        result: dict[str, Any] = {}
        put(result, "description", got.description)
        result["messages"] = [
            {"role": m.role.name.lower(), "content": _content(m.content)} for m in got.messages
        ]
        put(result, "_meta", loads(got.meta))
        return result

    def complete(self, ctx: CallContext, ref: dict[str, Any], argument: dict[str, Any],
                 context: dict[str, str]) -> dict[str, Any]:
        reference: completion.CompletionReference = (
            completion.CompletionReference_Prompt(ref["name"]) if ref["type"] == "ref/prompt"
            else completion.CompletionReference_ResourceTemplate(ref["uri"])
        )
        done = _call(completion.complete, "prompt", _context(ctx), reference,
                     argument["name"], argument["value"], list(context.items()))
        values: dict[str, Any] = {"values": list(done.values)}
        put(values, "total", done.total)
        values["hasMore"] = done.has_more
        return {"completion": values}


def _call(func: Callable[..., T], kind: str, *args: Any) -> T:
    """Call a provider function; its error-code becomes a JSON-RPC error."""
    try:
        return func(*args)
    except Err as exc:
        raise _protocol_error(exc.value, kind) from None


# -- JSON -> WIT ---------------------------------------------------------------

def _context(ctx: CallContext) -> mcp.RequestContext:
    token: mcp.ProgressToken | None = None
    if isinstance(ctx.progress_token, str):
        token = mcp.ProgressToken_Text(ctx.progress_token)
    elif isinstance(ctx.progress_token, int):
        token = mcp.ProgressToken_Integer(ctx.progress_token)
    client = None
    if ctx.client_info is not None:
        client = mcp.Implementation(str(ctx.client_info.get("name", "")), ctx.client_info.get("title"),
                                    str(ctx.client_info.get("version", "")))
    level = None if ctx.log_level is None else mcp.LogLevel[ctx.log_level.upper()]
    identity = None
    if ctx.identity is not None:
        who = ctx.identity
        identity = mcp.Identity(subject=who.subject, client_id=who.client_id, scopes=list(who.scopes),
                                claims=json.dumps(who.claims))
    return mcp.RequestContext(
        protocol_version=ctx.protocol_version,
        client=client,
        progress_token=token,
        log_level=level,
        session_id=ctx.session_id,
        identity=identity,
        meta=None if ctx.meta is None else json.dumps(ctx.meta),
        client_capabilities=None if ctx.client_capabilities is None else json.dumps(ctx.client_capabilities),
        input_responses=None if ctx.input_responses is None else json.dumps(ctx.input_responses),
    )


_CLIENT_METHODS = {
    mcp.ClientMethod.SAMPLING_CREATE_MESSAGE: "sampling/createMessage",
    mcp.ClientMethod.ELICITATION_CREATE: "elicitation/create",
    mcp.ClientMethod.ROOTS_LIST: "roots/list",
}


def _client_ask(request: mcp.ClientRequest) -> ClientAsk:
    params = loads(request.params)
    return request.key, _CLIENT_METHODS[request.method], params if isinstance(params, dict) else {}


def _answer(answer: Answer) -> Ok[str] | Err[mcp.ErrorCode]:
    if isinstance(answer, AnswerError):
        return Err(mcp.ErrorCode_Other(mcp.ProtocolError(answer.code, answer.message, None)))
    return Ok(json.dumps(answer))


# -- WIT -> JSON ---------------------------------------------------------------

def _with_cache(result: dict[str, Any], cache: mcp.CacheHint | None) -> dict[str, Any]:
    # The provider's hint rides along; the dispatcher keeps it for 2026-07-28
    # clients (filling in a default where there is none) and drops it for others.
    if cache is not None:
        result["ttlMs"] = cache.ttl_ms
        result["cacheScope"] = "public" if cache.scope == mcp.CacheScope.PUBLIC else "private"
    return result


def _protocol_error(error: mcp.ErrorCode, kind: str) -> JsonRpcError | InputRequired:
    if isinstance(error, mcp.ErrorCode_InputRequired):
        return InputRequired(tuple(_client_ask(request) for request in error.value))
    if isinstance(error, mcp.ErrorCode_NotFound):
        # MCP: unknown tools and prompts are invalid params; unknown resources -32002.
        code = RESOURCE_NOT_FOUND if kind == "resource" else INVALID_PARAMS
        return JsonRpcError(code, error.value)
    if isinstance(error, mcp.ErrorCode_InvalidParams):
        return JsonRpcError(INVALID_PARAMS, error.value)
    if isinstance(error, mcp.ErrorCode_Unsupported):
        return JsonRpcError(METHOD_NOT_FOUND, error.value)
    if isinstance(error, mcp.ErrorCode_Internal):
        return JsonRpcError(INTERNAL_ERROR, error.value)
    other = error.value
    return JsonRpcError(other.code or INTERNAL_ERROR, other.message, loads(other.data))


def _tool(tool: tools.Tool) -> dict[str, Any]:
    out: dict[str, Any] = {"name": tool.name}
    put(out, "title", tool.title)
    put(out, "description", tool.description)
    out["inputSchema"] = json.loads(tool.input_schema)
    if tool.output_schema is not None:
        out["outputSchema"] = json.loads(tool.output_schema)
    if tool.annotations is not None:
        out["annotations"] = tool_annotations(tool.annotations)
    if tool.icons:
        out["icons"] = [_icon(i) for i in tool.icons]
    put(out, "_meta", loads(tool.meta))
    return out


def _resource(r: resources.Resource) -> dict[str, Any]:
    out: dict[str, Any] = {"uri": r.uri, "name": r.name}
    put(out, "title", r.title)
    put(out, "description", r.description)
    put(out, "mimeType", r.mime_type)
    put(out, "size", r.size)
    _listing_extras(out, r)
    return out


def _resource_template(t: resources.ResourceTemplate) -> dict[str, Any]:
    out: dict[str, Any] = {"uriTemplate": t.uri_template, "name": t.name}
    put(out, "title", t.title)
    put(out, "description", t.description)
    put(out, "mimeType", t.mime_type)
    _listing_extras(out, t)
    return out


def _listing_extras(out: dict[str, Any], item: resources.Resource | resources.ResourceTemplate) -> None:
    if item.annotations is not None:
        out["annotations"] = _annotations(item.annotations)
    if item.icons:
        out["icons"] = [_icon(i) for i in item.icons]
    put(out, "_meta", loads(item.meta))


def _prompt(p: prompts.Prompt) -> dict[str, Any]:
    out: dict[str, Any] = {"name": p.name}
    put(out, "title", p.title)
    put(out, "description", p.description)
    if p.arguments:
        out["arguments"] = [_prompt_argument(a) for a in p.arguments]
    if p.icons:
        out["icons"] = [_icon(i) for i in p.icons]
    put(out, "_meta", loads(p.meta))
    return out


def _prompt_argument(a: prompts.PromptArgument) -> dict[str, Any]:
    out: dict[str, Any] = {"name": a.name}
    put(out, "title", a.title)
    put(out, "description", a.description)
    out["required"] = a.required
    return out



def _content(block: mcp.ContentBlock) -> dict[str, Any]:
    out: dict[str, Any]
    if isinstance(block, mcp.ContentBlock_Text):
        out = {"type": "text", "text": block.value.text}
    elif isinstance(block, (mcp.ContentBlock_Image, mcp.ContentBlock_Audio)):
        kind = "image" if isinstance(block, mcp.ContentBlock_Image) else "audio"
        out = {"type": kind, "data": b64(block.value.data), "mimeType": block.value.mime_type}
    elif isinstance(block, mcp.ContentBlock_ResourceLink):
        link = block.value
        out = {"type": "resource_link", "uri": link.uri, "name": link.name}
        put(out, "title", link.title)
        put(out, "description", link.description)
        put(out, "mimeType", link.mime_type)
        put(out, "size", link.size)
        if link.icons:
            out["icons"] = [_icon(i) for i in link.icons]
    else:
        out = {"type": "resource", "resource": _resource_contents(block.value.resource)}
    value = block.value
    if value.annotations is not None:
        out["annotations"] = _annotations(value.annotations)
    put(out, "_meta", loads(value.meta))
    return out


def _resource_contents(contents: mcp.ResourceContents) -> dict[str, Any]:
    out: dict[str, Any] = {"uri": contents.uri}
    put(out, "mimeType", contents.mime_type)
    if isinstance(contents.body, mcp.ResourceBody_Text):
        out["text"] = contents.body.value
    else:
        out["blob"] = b64(contents.body.value)
    put(out, "_meta", loads(contents.meta))
    return out


def _annotations(a: mcp.Annotations) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if a.audience:
        out["audience"] = [r.name.lower() for r in a.audience]
    put(out, "priority", a.priority)
    put(out, "lastModified", a.last_modified)
    return out


def _icon(icon: mcp.Icon) -> dict[str, Any]:
    out: dict[str, Any] = {"src": icon.src}
    put(out, "mimeType", icon.mime_type)
    if icon.sizes:
        out["sizes"] = list(icon.sizes)
    if icon.theme is not None:
        out["theme"] = icon.theme.name.lower()
    return out


def _notification(note: mcp.Notification, ctx: CallContext) -> Notify | None:
    if isinstance(note, mcp.Notification_Progress):
        if ctx.progress_token is None:
            return None  # the client did not ask for progress
        params: dict[str, Any] = {"progressToken": ctx.progress_token, "progress": note.value.progress}
        put(params, "total", note.value.total)
        put(params, "message", note.value.message)
        return Notify("notifications/progress", params)
    if isinstance(note, mcp.Notification_ListChanged):
        return Notify(f"notifications/{note.value.name.lower()}/list_changed", {})
    if isinstance(note, mcp.Notification_ResourceUpdated):
        return Notify("notifications/resources/updated", {"uri": note.value})
    log = note.value
    level = log.level.name.lower()
    if ctx.log_level is not None and LOG_LEVELS.index(level) < LOG_LEVELS.index(ctx.log_level):
        return None  # below what the client asked for with logging/setLevel
    params = {"level": level, "data": loads(log.data)}
    put(params, "logger", log.logger)
    return Notify("notifications/message", params)



