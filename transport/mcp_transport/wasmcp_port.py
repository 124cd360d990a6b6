"""The provider, reached through wasmcp's capability interfaces.

The wasmcp counterpart of ``wit_port``: the transport built for a world of
``wit/wasmcp`` imports some of ``wasmcp:mcp-v20251125/{tools,resources,
prompts,completions}@0.1.1`` (those the provider exports) and this module
turns the dispatcher's JSON-level calls into calls of them, and wasmcp's
records into MCP JSON. The only transport module that imports wasmcp's
bindings.

wasmcp components carry no server description: the transport advertises
the capabilities whose interfaces it imports, and names the server from
``MCP_SERVER_NAME`` and ``MCP_SERVER_VERSION``.
"""

from __future__ import annotations

import json
import os
import types
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from componentize_py_types import Err
from wit_world.imports import mcp, server_handler, server_io, streams
from wit_world.imports import wasmcp_auth_types as auth

from .jsonrpc import INTERNAL_ERROR, INVALID_PARAMS, METHOD_NOT_FOUND, RESOURCE_NOT_FOUND, JsonRpcError
from .port import CallContext, Finished, ServerDescription, ToolEvent
from .wire_json import b64, call_result, loads, put, tool_annotations

# The capability interfaces present in this build: componentize-py generates
# bindings only for what the world imports, so each is optional here.
capabilities: dict[str, types.ModuleType] = {}
try:
    from wit_world.imports import tools
    capabilities["tools"] = tools
except ImportError:
    pass
try:
    from wit_world.imports import resources
    capabilities["resources"] = resources
except ImportError:
    pass
try:
    from wit_world.imports import prompts
    capabilities["prompts"] = prompts
except ImportError:
    pass
try:
    from wit_world.imports import completions
    capabilities["completions"] = completions
except ImportError:
    pass

__all__ = ["SSE_FRAME", "STDIO_FRAME", "WasmcpProvider", "capabilities"]

T = TypeVar("T")

# What wasmcp frames a message with on each transport: one line on stdio.
STDIO_FRAME = server_io.MessageFrame(prefix=b"", suffix=b"\n")
SSE_FRAME = server_io.MessageFrame(prefix=b"data: ", suffix=b"\n\n")


class WasmcpProvider:
    """A :class:`~mcp_transport.port.ProviderPort` over wasmcp's interfaces.

    ``client_stream`` gives the stream a capability may write notifications
    to, framed as ``frame`` says, or none: stdout when serving stdio (a
    line each, the framing the transport uses), a streamed (SSE) HTTP
    response's body while it is written, none for a JSON response.
    """

    def __init__(self, client_stream: Callable[[], streams.OutputStream | None] | None = None,
                 frame: server_io.MessageFrame = SSE_FRAME) -> None:
        self._client_stream = client_stream
        self._frame = frame

    def describe(self) -> ServerDescription:
        offered = set(capabilities)
        if "tools" in offered:
            offered.add("logging")  # tools may log through the client stream
        server = {"name": os.environ.get("MCP_SERVER_NAME", "wasmcp-server"),
                  "version": os.environ.get("MCP_SERVER_VERSION", "0.1.0")}
        return ServerDescription(server, frozenset(offered))

    def list_tools(self, ctx: CallContext, cursor: str | None) -> dict[str, Any]:
        page = _call(_need("tools").list_tools, self._context(ctx), mcp.ListToolsRequest(cursor=cursor))
        return _page("tools", [_tool(t) for t in page.tools], page.next_cursor, page.meta)

    def call_tool(self, ctx: CallContext, name: str, arguments: dict[str, Any] | None) -> Iterator[ToolEvent]:
        request = mcp.CallToolRequest(name=name, arguments=None if arguments is None else json.dumps(arguments))
        result = _call(_need("tools").call_tool, self._context(ctx), request)
        if result is None:  # no component in the chain owns the tool
            raise JsonRpcError(INVALID_PARAMS, f"Unknown tool: {name}")
        yield Finished(call_result(result, _content))

    def list_resources(self, ctx: CallContext, cursor: str | None) -> dict[str, Any]:
        page = _call(_need("resources").list_resources, self._context(ctx),
                     mcp.ListResourcesRequest(cursor=cursor))
        return _page("resources", [_resource(r) for r in page.resources], page.next_cursor, page.meta)

    def list_resource_templates(self, ctx: CallContext, cursor: str | None) -> dict[str, Any]:
        page = _call(_need("resources").list_resource_templates, self._context(ctx),
                     mcp.ListResourceTemplatesRequest(cursor=cursor))
        return _page("resourceTemplates", [_template(t) for t in page.resource_templates], page.next_cursor,
                     page.meta)

    def read_resource(self, ctx: CallContext, uri: str) -> dict[str, Any]:
        read = _call(_need("resources").read_resource, self._context(ctx),
                     mcp.ReadResourceRequest(uri=uri))
        if read is None:
            raise JsonRpcError(RESOURCE_NOT_FOUND, f"Unknown resource: {uri}", {"uri": uri})
        result: dict[str, Any] = {"contents": [_resource_contents(c) for c in read.contents]}
        put(result, "_meta", loads(read.meta))
        return result

    def subscribe(self, ctx: CallContext, uri: str) -> None:
        raise JsonRpcError(METHOD_NOT_FOUND, "Resource subscriptions are not part of wasmcp's resources interface")

    def unsubscribe(self, ctx: CallContext, uri: str) -> None:
        self.subscribe(ctx, uri)

    def list_prompts(self, ctx: CallContext, cursor: str | None) -> dict[str, Any]:
        page = _call(_need("prompts").list_prompts, self._context(ctx),
                     mcp.ListPromptsRequest(cursor=cursor))
        return _page("prompts", [_prompt(p) for p in page.prompts], page.next_cursor, page.meta)

    def get_prompt(self, ctx: CallContext, name: str, arguments: dict[str, str]) -> dict[str, Any]:
        got = _call(_need("prompts").get_prompt, self._context(ctx),
                    mcp.GetPromptRequest(name=name, arguments=json.dumps(arguments) if arguments else None))
        if got is None:
            raise JsonRpcError(INVALID_PARAMS, f"Unknown prompt: {name}")
        result: dict[str, Any] = {}
        put(result, "description", got.description)
        result["messages"] = [{"role": m.role.name.lower(), "content": _content(m.content)} for m in got.messages]
        put(result, "_meta", loads(got.meta))
        return result

    def complete(self, ctx: CallContext, ref: dict[str, Any], argument: dict[str, Any],
                 context: dict[str, str]) -> dict[str, Any]:
        reference: mcp.CompletionReference
        if ref["type"] == "ref/prompt":
            reference = mcp.CompletionReference_Prompt(mcp.CompletionPromptReference(name=ref["name"], title=None))
            unknown = f"Unknown prompt: {ref['name']}"
        else:
            reference = mcp.CompletionReference_ResourceTemplate(ref["uri"])
            unknown = f"Unknown resource template: {ref['uri']}"
        request = mcp.CompleteRequest(
            argument=mcp.CompletionArgument(name=argument["name"], value=argument["value"]),
            ref=reference,
            context=mcp.CompletionContext(arguments=json.dumps(context)) if context else None,
        )
        done = _call(_need("completions").complete, self._context(ctx), request)
        if done is None:
            raise JsonRpcError(INVALID_PARAMS, unknown)
        values: dict[str, Any] = {"values": list(done.values)}
        put(values, "total", done.total)
        values["hasMore"] = bool(done.has_more)
        result: dict[str, Any] = {"completion": values}
        put(result, "_meta", loads(done.meta))
        return result

    def _context(self, ctx: CallContext) -> server_handler.MessageContext:
        return server_handler.MessageContext(
            client_stream=None if self._client_stream is None else self._client_stream(),
            protocol_version=ctx.protocol_version,
            session=None if ctx.session_id is None else mcp.Session(session_id=ctx.session_id, store_id=""),
            identity=None if ctx.identity is None else _identity(ctx.identity.subject, ctx.identity.scopes,
                                                                 ctx.identity.claims),
            frame=self._frame,
            http_context=None,
        )


def _need(capability: str) -> Any:
    """The imported interface, or "method not found" in a build without it."""
    try:
        return capabilities[capability]
    except KeyError:
        raise JsonRpcError(METHOD_NOT_FOUND, f"Method not found: the provider offers no {capability}") from None


def _call(func: Callable[..., T], *args: Any) -> T:
    """Call a capability; its error-code becomes a JSON-RPC error."""
    try:
        return func(*args)
    except Err as exc:
        raise _protocol_error(exc.value) from None


def _protocol_error(error: mcp.ErrorCode) -> JsonRpcError:
    # Every case carries the whole JSON-RPC error object; the case only
    # names its kind, so the object's own code is the one the client gets.
    detail = error.value
    return JsonRpcError(detail.code or INTERNAL_ERROR, detail.message, loads(detail.data))


def _identity(subject: str, scopes: tuple[str, ...], claims: dict[str, Any]) -> mcp.Identity:
    """The caller in wasmcp's terms. The raw token is not kept by the transport."""
    standard = {"sub", "iss", "aud", "exp", "iat", "nbf", "jti", "scope", "scp"}
    audience = claims.get("aud")
    return mcp.Identity(jwt=b"", claims=auth.JwtClaims(
        subject=subject,
        issuer=_str_or_none(claims.get("iss")),
        audience=[audience] if isinstance(audience, str) else [a for a in audience or [] if isinstance(a, str)],
        expiration=_int_or_none(claims.get("exp")),
        issued_at=_int_or_none(claims.get("iat")),
        not_before=_int_or_none(claims.get("nbf")),
        jwt_id=_str_or_none(claims.get("jti")),
        scopes=list(scopes),
        confirmation=None,
        custom_claims=[(key, json.dumps(value)) for key, value in claims.items() if key not in standard],
    ))


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _int_or_none(value: Any) -> int | None:
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0 else None


# -- wasmcp -> JSON --------------------------------------------------------------

def _page(key: str, items: list[dict[str, Any]], next_cursor: str | None, meta: str | None) -> dict[str, Any]:
    result: dict[str, Any] = {key: items}
    put(result, "nextCursor", next_cursor)
    put(result, "_meta", loads(meta))
    return result


def _tool(tool: mcp.Tool) -> dict[str, Any]:
    out: dict[str, Any] = {"name": tool.name}
    o = tool.options
    if o is not None:
        put(out, "title", o.title)
        put(out, "description", o.description)
    out["inputSchema"] = json.loads(tool.input_schema)
    if o is not None:
        put(out, "outputSchema", loads(o.output_schema))
        if o.annotations is not None:
            out["annotations"] = tool_annotations(o.annotations)
        _icons(out, o.icons)
        put(out, "_meta", loads(o.meta))
    return out


def _resource(r: mcp.McpResource) -> dict[str, Any]:
    out: dict[str, Any] = {"uri": r.uri, "name": r.name}
    o = r.options
    if o is not None:
        put(out, "title", o.title)
        put(out, "description", o.description)
        put(out, "mimeType", o.mime_type)
        put(out, "size", o.size)
        _listing_extras(out, o.annotations, o.icons, o.meta)
    return out


def _template(t: mcp.ResourceTemplate) -> dict[str, Any]:
    out: dict[str, Any] = {"uriTemplate": t.uri_template, "name": t.name}
    o = t.options
    if o is not None:
        put(out, "title", o.title)
        put(out, "description", o.description)
        put(out, "mimeType", o.mime_type)
        _listing_extras(out, o.annotations, o.icons, o.meta)
    return out


def _listing_extras(out: dict[str, Any], annotations: mcp.Annotations | None, icons: list[mcp.Icon] | None,
                    meta: str | None) -> None:
    if annotations is not None:
        out["annotations"] = _annotations(annotations)
    _icons(out, icons)
    put(out, "_meta", loads(meta))


def _prompt(p: mcp.Prompt) -> dict[str, Any]:
    out: dict[str, Any] = {"name": p.name}
    o = p.options
    if o is not None:
        put(out, "title", o.title)
        put(out, "description", o.description)
        if o.arguments:
            out["arguments"] = [_prompt_argument(a) for a in o.arguments]
        _icons(out, o.icons)
        put(out, "_meta", loads(o.meta))
    return out


def _prompt_argument(a: mcp.PromptArgument) -> dict[str, Any]:
    out: dict[str, Any] = {"name": a.name}
    put(out, "title", a.title)
    put(out, "description", a.description)
    put(out, "required", a.required)
    return out



def _content(block: mcp.ContentBlock) -> dict[str, Any]:
    out: dict[str, Any]
    options: mcp.ContentOptions | None = None
    if isinstance(block, mcp.ContentBlock_Text):
        out = {"type": "text", "text": _text(block.value.text)}
        options = block.value.options
    elif isinstance(block, (mcp.ContentBlock_Image, mcp.ContentBlock_Audio)):
        kind = "image" if isinstance(block, mcp.ContentBlock_Image) else "audio"
        out = {"type": kind, "data": b64(_bytes(block.value.data)), "mimeType": block.value.mime_type}
        options = block.value.options
    elif isinstance(block, mcp.ContentBlock_ResourceLink):
        link = block.value
        out = {"type": "resource_link", "uri": link.uri, "name": link.name}
        o = link.options
        if o is not None:
            put(out, "title", o.title)
            put(out, "description", o.description)
            put(out, "mimeType", o.mime_type)
            put(out, "size", o.size)
            _icons(out, o.icons)
            if o.annotations is not None:
                out["annotations"] = _annotations(o.annotations)
            put(out, "_meta", loads(o.meta))
    else:
        out = {"type": "resource", "resource": _resource_contents(block.value.resource)}
        options = block.value.options
    if options is not None:
        if options.annotations is not None:
            out["annotations"] = _annotations(options.annotations)
        put(out, "_meta", loads(options.meta))
    return out


def _resource_contents(contents: mcp.ResourceContents) -> dict[str, Any]:
    inner = contents.value
    out: dict[str, Any] = {"uri": inner.uri}
    if inner.options is not None:
        put(out, "mimeType", inner.options.mime_type)
    if isinstance(contents, mcp.ResourceContents_Text):
        out["text"] = _text(contents.value.text)
    else:
        out["blob"] = b64(_bytes(contents.value.blob))
    if inner.options is not None:
        put(out, "_meta", loads(inner.options.meta))
    return out


def _text(data: mcp.TextData) -> str:
    if isinstance(data, mcp.TextData_Text):
        return data.value
    return _drain(data.value).decode("utf-8", errors="replace")


def _bytes(data: mcp.BlobData) -> bytes:
    if isinstance(data, mcp.BlobData_Blob):
        return data.value
    return _drain(data.value)


def _drain(stream: streams.InputStream) -> bytes:
    """Read a streamed text or blob to its end (a result is sent whole)."""
    chunks = bytearray()
    with stream:
        while True:
            try:
                chunks.extend(stream.blocking_read(65536))
            except Err as exc:
                if isinstance(exc.value, streams.StreamError_Closed):
                    return bytes(chunks)
                raise


def _annotations(a: mcp.Annotations) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if a.audience:
        out["audience"] = [r.name.lower() for r in a.audience]
    put(out, "priority", a.priority)
    put(out, "lastModified", a.last_modified)
    return out


def _icons(out: dict[str, Any], icons: list[mcp.Icon] | None) -> None:
    if not icons:
        return
    listed = []
    for icon in icons:
        item: dict[str, Any] = {"src": icon.src}
        put(item, "mimeType", icon.mime_type)
        if icon.sizes:
            item["sizes"] = list(icon.sizes)
        if icon.theme is not None:
            item["theme"] = icon.theme.name.lower()
        listed.append(item)
    out["icons"] = listed




