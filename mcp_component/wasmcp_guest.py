"""Exports a Provider through wasmcp's capability interfaces.

The wasmcp flavour of ``guest.py``: the same ``app.py``, built by ``make
build-wasmcp``, exports ``wasmcp:mcp-v20251125/{tools,resources,prompts,
completions}@0.1.1`` (those the provider offers) instead of this project's
``mcp-component:mcp`` package, so it plugs into what wasmcp composes.

This is the only module of the SDK that imports wasmcp's generated
bindings (``wit_world``, generated at build time for the worlds of
``wit/wasmcp``). The build generates an entry module that does::

    import app
    from mcp_component.wasmcp_guest import export
    globals().update(export(app, name="<folder>"))

How the SDK maps onto the contract, and what it cannot carry, is in
docs/wasmcp.md.
"""

from __future__ import annotations

import json
import sys
import types as pytypes
from collections.abc import Callable
from typing import Any, TypeVar

from componentize_py_types import Err
from wit_world import exports
from wit_world.imports import mcp, server_handler

from . import _wire
from ._completions import CompletionKind
from ._content import (
    Annotations, Audio, CallToolResult, Content, EmbeddedResource, Icon, Image, ResourceLink, Text,
)
from ._asking import ClientRequest, ClientRequestError, Waiting
from ._context import Identity, Notification, RequestInfo
from ._errors import InvalidParamsError, MCPError, ResourceNotFoundError
from ._prompts import Prompt
from ._provider import Provider
from ._resources import Resource, ResourceContents, ResourceTemplate
from ._tools import Tool
from .wasmcp_worlds import interfaces

__all__ = ["export"]

T = TypeVar("T")
Ctx = server_handler.MessageContext

# JSON-RPC codes with a case of their own in wasmcp's error-code; any other
# code (such as MCP's -32002, resource not found) travels as `mcp`.
_ERROR_CASES: dict[int, Callable[[mcp.Error], mcp.ErrorCode]] = {
    -32700: mcp.ErrorCode_ParseError,
    -32600: mcp.ErrorCode_InvalidRequest,
    -32601: mcp.ErrorCode_MethodNotFound,
    -32602: mcp.ErrorCode_InvalidParams,
    -32603: mcp.ErrorCode_InternalError,
}


def export(module: pytypes.ModuleType, name: str | None = None) -> dict[str, type]:
    """The export classes componentize-py expects, by interface, for the
    capabilities ``module``'s Provider offers.

    ``name`` names a provider made of bare decorated functions.
    """
    provider = Provider.from_module(module, name)
    # As in guest.py: a tool's prints go to the log, never onto a stdio transport's stdout.
    sys.stdout = sys.stderr
    build = {"tools": _tools, "resources": _resources, "prompts": _prompts, "completions": _completions}
    return {interface.capitalize(): build[interface](provider) for interface in interfaces(provider.capabilities)}


def _tools(provider: Provider) -> type:
    class Tools(exports.Tools):
        def list_tools(self, ctx: Ctx, request: mcp.ListToolsRequest) -> mcp.ListToolsResult:
            page, next_cursor = _guarded(provider.list_tools, request.cursor)
            return mcp.ListToolsResult(meta=None, next_cursor=next_cursor, tools=[_tool(t) for t in page])

        def call_tool(self, ctx: Ctx, request: mcp.CallToolRequest) -> mcp.CallToolResult | None:
            # None tells wasmcp's chain that another component may own the tool.
            if request.name not in {t.name for t in provider.tools}:
                return None
            arguments = _guarded(_arguments, request.arguments)
            run = _guarded(provider.call_tool, request.name, arguments, _request(ctx))
            while True:
                try:
                    event = run.next()
                except MCPError as exc:  # the call fails as a request
                    raise Err(_error(exc)) from exc
                except Exception as exc:  # a result that cannot become JSON, say
                    raise Err(_internal(exc)) from exc
                if isinstance(event, CallToolResult):
                    return _call_result(event)
                if isinstance(event, ClientRequest):
                    # wasmcp's contract has no way to ask the client and wait.
                    run.respond(event.key, ClientRequestError(
                        f"{event.method}: a wasmcp capability cannot send requests to the client"))
                    continue
                if isinstance(event, Waiting):
                    continue
                _notify(ctx, event)

    return Tools


def _resources(provider: Provider) -> type:
    class Resources(exports.Resources):
        def list_resources(self, ctx: Ctx, request: mcp.ListResourcesRequest) -> mcp.ListResourcesResult:
            page, next_cursor = _guarded(provider.list_resources, request.cursor)
            return mcp.ListResourcesResult(meta=None, next_cursor=next_cursor,
                                           resources=[_resource(r) for r in page])

        def list_resource_templates(self, ctx: Ctx,
                                    request: mcp.ListResourceTemplatesRequest) -> mcp.ListResourceTemplatesResult:
            page, next_cursor = _guarded(provider.list_resource_templates, request.cursor)
            return mcp.ListResourceTemplatesResult(meta=None, next_cursor=next_cursor,
                                                   resource_templates=[_template(t) for t in page])

        def read_resource(self, ctx: Ctx, request: mcp.ReadResourceRequest) -> mcp.ReadResourceResult | None:
            try:
                contents = _guarded(provider.read_resource, request.uri, _request(ctx))
            except Err as err:
                if isinstance(err.__cause__, ResourceNotFoundError):
                    return None  # not this component's URI
                raise
            return mcp.ReadResourceResult(meta=None, contents=[_contents(c) for c in contents])

    return Resources


def _prompts(provider: Provider) -> type:
    class Prompts(exports.Prompts):
        def list_prompts(self, ctx: Ctx, request: mcp.ListPromptsRequest) -> mcp.ListPromptsResult:
            page, next_cursor = _guarded(provider.list_prompts, request.cursor)
            return mcp.ListPromptsResult(meta=None, next_cursor=next_cursor, prompts=[_prompt(p) for p in page])

        def get_prompt(self, ctx: Ctx, request: mcp.GetPromptRequest) -> mcp.GetPromptResult | None:
            if request.name not in {p.name for p in provider.prompts}:
                return None
            arguments = _guarded(_prompt_arguments, request.arguments)
            rendered = _guarded(provider.get_prompt, request.name, arguments, _request(ctx))
            return mcp.GetPromptResult(
                meta=_dumps_opt(rendered.meta),
                description=rendered.description,
                messages=[mcp.PromptMessage(content=_content(m.content), role=_role(m.role))
                          for m in rendered.messages],
            )

    return Prompts


def _completions(provider: Provider) -> type:
    class Completions(exports.Completions):
        def complete(self, ctx: Ctx, request: mcp.CompleteRequest) -> mcp.CompleteResult | None:
            kind: CompletionKind
            if isinstance(request.ref, mcp.CompletionReference_Prompt):
                kind, target = "prompt", request.ref.value.name
                known = target in {p.name for p in provider.prompts}
            else:
                kind, target = "resource_template", request.ref.value
                known = target in {t.uri_template for t in provider.resource_templates}
            if not known:
                return None
            context = {} if request.context is None else _guarded(_prompt_arguments, request.context.arguments)
            done = _guarded(provider.complete, kind, target, request.argument.name, request.argument.value, context)
            return mcp.CompleteResult(meta=None, has_more=done.has_more, total=done.total, values=list(done.values))

    return Completions


def _guarded(func: Callable[..., T], *args: Any) -> T:
    """Call into the SDK; every failure becomes an error-code, never a trap.

    An exception escaping an export would trap the whole composed server.
    """
    try:
        return func(*args)
    except MCPError as exc:
        raise Err(_error(exc)) from exc
    except Exception as exc:
        raise Err(_internal(exc)) from exc


def _error(exc: MCPError) -> mcp.ErrorCode:
    case = _ERROR_CASES.get(exc.code, mcp.ErrorCode_Mcp)
    return case(mcp.Error(code=exc.code, message=exc.message, data=_dumps_opt(exc.data)))


def _internal(exc: Exception) -> mcp.ErrorCode:
    return mcp.ErrorCode_InternalError(mcp.Error(code=-32603, message=f"Internal error: {exc}", data=None))


def _notify(ctx: Ctx, event: Notification) -> None:
    """Write a notification to the client stream the message context carries.

    wasmcp gives a capability the stream and its framing (SSE's ``data: ``
    and blank line, or a newline on stdio); without a stream there is no one
    to tell. The request's progress token is not part of the context, so
    progress has nowhere to go (docs/wasmcp.md).
    """
    stream = ctx.client_stream
    message = _wire.notification(event, None)
    if stream is None or message is None:
        return
    data = bytes(ctx.frame.prefix) + _dumps(message).encode() + bytes(ctx.frame.suffix)
    try:
        for start in range(0, len(data), 4096):  # wasi:io's limit per blocking write
            stream.blocking_write_and_flush(data[start:start + 4096])
    except Err as exc:  # the client went away: the call itself goes on
        print(f"mcp: notification not delivered: {exc.value!r}", file=sys.stderr)


# -- SDK -> wasmcp ----------------------------------------------------------------

def _tool(tool: Tool) -> mcp.Tool:
    a = tool.annotations
    return mcp.Tool(
        name=tool.name,
        input_schema=_dumps(tool.input_schema),
        options=mcp.ToolOptions(
            meta=_dumps_opt(tool.meta),
            annotations=None if a is None else mcp.ToolAnnotations(
                title=a.title, read_only_hint=a.read_only_hint, destructive_hint=a.destructive_hint,
                idempotent_hint=a.idempotent_hint, open_world_hint=a.open_world_hint,
            ),
            description=tool.description,
            output_schema=_dumps_opt(tool.output_schema),
            title=tool.title,
            icons=_icons(tool.icons),
        ),
    )


def _resource(r: Resource) -> mcp.McpResource:
    return mcp.McpResource(uri=r.uri, name=r.name, options=mcp.ResourceOptions(
        size=r.size, title=r.title, description=r.description, mime_type=r.mime_type,
        annotations=_annotations(r.annotations), meta=_dumps_opt(r.meta), icons=_icons(r.icons),
    ))


def _template(t: ResourceTemplate) -> mcp.ResourceTemplate:
    return mcp.ResourceTemplate(uri_template=t.uri_template, name=t.name, options=mcp.ResourceTemplateOptions(
        description=t.description, title=t.title, mime_type=t.mime_type,
        annotations=_annotations(t.annotations), meta=_dumps_opt(t.meta), icons=_icons(t.icons),
    ))


def _contents(c: ResourceContents) -> mcp.ResourceContents:
    return _resource_body(c.uri, c.text, c.blob, c.mime_type, c.meta)


def _resource_body(uri: str, text: str | None, blob: bytes | None, mime_type: str | None,
                   meta: dict[str, Any] | None) -> mcp.ResourceContents:
    options = None
    if mime_type is not None or meta is not None:
        options = mcp.EmbeddedResourceOptions(mime_type=mime_type, meta=_dumps_opt(meta))
    if text is not None:
        return mcp.ResourceContents_Text(mcp.TextResourceContents(
            uri=uri, text=mcp.TextData_Text(text), options=options))
    return mcp.ResourceContents_Blob(mcp.BlobResourceContents(
        uri=uri, blob=mcp.BlobData_Blob(blob or b""), options=options))


def _prompt(p: Prompt) -> mcp.Prompt:
    return mcp.Prompt(name=p.name, options=mcp.PromptOptions(
        meta=_dumps_opt(p.meta),
        arguments=[
            mcp.PromptArgument(name=a.name, description=a.description, required=a.required, title=a.title)
            for a in p.arguments
        ] or None,
        description=p.description,
        title=p.title,
        icons=_icons(p.icons),
    ))


def _call_result(result: CallToolResult) -> mcp.CallToolResult:
    return mcp.CallToolResult(
        meta=_dumps_opt(result.meta),
        content=[_content(c) for c in result.content],
        is_error=True if result.is_error else None,
        structured_content=_dumps_opt(result.structured_content),
    )


def _content(block: Content) -> mcp.ContentBlock:
    if isinstance(block, Text):
        return mcp.ContentBlock_Text(mcp.TextContent(
            text=mcp.TextData_Text(block.text), options=_options(block.annotations, block.meta)))
    if isinstance(block, (Image, Audio)):
        blob = mcp.Blob(data=mcp.BlobData_Blob(block.data), mime_type=block.mime_type,
                        options=_options(block.annotations, block.meta))
        return mcp.ContentBlock_Image(blob) if isinstance(block, Image) else mcp.ContentBlock_Audio(blob)
    if isinstance(block, ResourceLink):
        return mcp.ContentBlock_ResourceLink(mcp.ResourceLinkContent(
            uri=block.uri, name=block.name, options=mcp.ResourceLinkOptions(
                title=block.title, description=block.description, size=block.size, mime_type=block.mime_type,
                annotations=_annotations(block.annotations), meta=_dumps_opt(block.meta),
                icons=_icons(block.icons),
            )))
    assert isinstance(block, EmbeddedResource)
    return mcp.ContentBlock_EmbeddedResource(mcp.EmbeddedResourceContent(
        resource=_resource_body(block.uri, block.text, block.blob, block.mime_type, None),
        options=_options(block.annotations, block.meta),
    ))


def _options(annotations: Annotations | None, meta: dict[str, Any] | None) -> mcp.ContentOptions | None:
    if annotations is None and meta is None:
        return None
    return mcp.ContentOptions(annotations=_annotations(annotations), meta=_dumps_opt(meta))


def _annotations(a: Annotations | None) -> mcp.Annotations | None:
    if a is None:
        return None
    return mcp.Annotations(audience=[_role(r) for r in a.audience] or None,
                           last_modified=a.last_modified, priority=a.priority)


def _icons(icons: tuple[Icon, ...]) -> list[mcp.Icon] | None:
    if not icons:
        return None
    return [mcp.Icon(src=i.src, mime_type=i.mime_type, sizes=list(i.sizes) or None,
                     theme=None if i.theme is None else mcp.IconTheme[i.theme.upper()]) for i in icons]


def _role(role: str) -> mcp.Role:
    return mcp.Role.USER if role == "user" else mcp.Role.ASSISTANT


# -- wasmcp -> SDK ----------------------------------------------------------------

def _request(ctx: Ctx) -> RequestInfo:
    """What the message context tells about the request, in the SDK's terms."""
    identity = None
    if ctx.identity is not None:
        claims = ctx.identity.claims
        extra = {key: _loads_or_text(value) for key, value in claims.custom_claims}
        client_id = extra.get("client_id", extra.get("azp"))
        identity = Identity(
            subject=claims.subject,
            client_id=client_id if isinstance(client_id, str) else None,
            scopes=tuple(claims.scopes),
            claims={**extra, "sub": claims.subject, "scope": " ".join(claims.scopes)},
        )
    return RequestInfo(
        protocol_version=ctx.protocol_version,
        session_id=None if ctx.session is None else ctx.session.session_id,
        identity=identity,
    )


def _arguments(text: str | None) -> dict[str, Any] | None:
    if text is None:
        return None
    value = _loads(text, "tool arguments")
    if value is not None and not isinstance(value, dict):
        raise InvalidParamsError("tool arguments must be a JSON object")
    return value


def _prompt_arguments(text: str | None) -> dict[str, str]:
    """wasmcp passes prompt arguments (and completion context) as a JSON object."""
    if text is None:
        return {}
    value = _loads(text, "arguments")
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise InvalidParamsError("arguments must be a JSON object of strings")
    return value


def _loads(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as exc:
        raise InvalidParamsError(f"{what} are not valid JSON") from exc


def _loads_or_text(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _dumps_opt(value: Any) -> str | None:
    return None if value is None else _dumps(value)
