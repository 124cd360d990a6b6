"""The SDK's objects as MCP JSON (2025-11-25), for the in-memory client.

Inside a component the same objects travel as WIT records and the transport
writes this JSON; tests/e2e/test_parity.py checks that both agree.
"""

from __future__ import annotations

import base64
from typing import Any

from ._cache import CacheHint, wire_fields
from ._completions import Completion
from ._content import Annotations, Audio, CallToolResult, Content, EmbeddedResource, Icon, Image, ResourceLink, Text
from ._context import ListChanged, LogMessage, Notification, Progress, ResourceUpdated
from ._prompts import Prompt, PromptResult
from ._provider import Capabilities, Provider
from ._resources import Resource, ResourceContents, ResourceTemplate
from ._tools import Tool

__all__ = [
    "call_result",
    "capabilities",
    "completion",
    "notification",
    "page",
    "prompt",
    "prompt_result",
    "read_result",
    "resource",
    "resource_contents",
    "resource_template",
    "server_info",
    "tool",
]


def server_info(provider: Provider) -> dict[str, Any]:
    out: dict[str, Any] = {"name": provider.name, "version": provider.version}
    _put(out, "title", provider.title)
    _put(out, "description", provider.description)
    _put(out, "websiteUrl", provider.website_url)
    if provider.icons:
        out["icons"] = [_icon(i) for i in provider.icons]
    return out


def capabilities(caps: Capabilities) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if caps.tools:
        out["tools"] = {"listChanged": True}
    if caps.resources:
        out["resources"] = {"subscribe": caps.resource_subscriptions, "listChanged": True}
    if caps.prompts:
        out["prompts"] = {"listChanged": True}
    if caps.completions:
        out["completions"] = {}
    if caps.logging:
        out["logging"] = {}
    return out


def tool(t: Tool) -> dict[str, Any]:
    out: dict[str, Any] = {"name": t.name}
    _put(out, "title", t.title)
    _put(out, "description", t.description)
    out["inputSchema"] = t.input_schema
    _put(out, "outputSchema", t.output_schema)
    if t.annotations is not None:
        a = t.annotations
        annotations: dict[str, Any] = {}
        _put(annotations, "title", a.title)
        _put(annotations, "readOnlyHint", a.read_only_hint)
        _put(annotations, "destructiveHint", a.destructive_hint)
        _put(annotations, "idempotentHint", a.idempotent_hint)
        _put(annotations, "openWorldHint", a.open_world_hint)
        out["annotations"] = annotations
    if t.icons:
        out["icons"] = [_icon(i) for i in t.icons]
    _put(out, "_meta", t.meta)
    return out


def call_result(result: CallToolResult) -> dict[str, Any]:
    out: dict[str, Any] = {"content": [content(c) for c in result.content]}
    _put(out, "structuredContent", result.structured_content)
    if result.is_error:
        out["isError"] = True
    _put(out, "_meta", result.meta)
    return out


def content(block: Content) -> dict[str, Any]:
    out: dict[str, Any]
    if isinstance(block, Text):
        out = {"type": "text", "text": block.text}
    elif isinstance(block, (Image, Audio)):
        out = {"type": "image" if isinstance(block, Image) else "audio",
               "data": _b64(block.data), "mimeType": block.mime_type}
    elif isinstance(block, ResourceLink):
        out = {"type": "resource_link", "uri": block.uri, "name": block.name}
        _put(out, "title", block.title)
        _put(out, "description", block.description)
        _put(out, "mimeType", block.mime_type)
        _put(out, "size", block.size)
        if block.icons:
            out["icons"] = [_icon(i) for i in block.icons]
    else:
        assert isinstance(block, EmbeddedResource)
        inner: dict[str, Any] = {"uri": block.uri}
        _put(inner, "mimeType", block.mime_type)
        if block.text is not None:
            inner["text"] = block.text
        else:
            inner["blob"] = _b64(block.blob or b"")
        out = {"type": "resource", "resource": inner}
    if block.annotations is not None:
        out["annotations"] = _annotations(block.annotations)
    _put(out, "_meta", block.meta)
    return out


def resource(r: Resource) -> dict[str, Any]:
    out: dict[str, Any] = {"uri": r.uri, "name": r.name}
    _put(out, "title", r.title)
    _put(out, "description", r.description)
    _put(out, "mimeType", r.mime_type)
    _put(out, "size", r.size)
    _listing_extras(out, r.annotations, r.icons, r.meta)
    return out


def resource_template(t: ResourceTemplate) -> dict[str, Any]:
    out: dict[str, Any] = {"uriTemplate": t.uri_template, "name": t.name}
    _put(out, "title", t.title)
    _put(out, "description", t.description)
    _put(out, "mimeType", t.mime_type)
    _listing_extras(out, t.annotations, t.icons, t.meta)
    return out


def resource_contents(c: ResourceContents) -> dict[str, Any]:
    out: dict[str, Any] = {"uri": c.uri}
    _put(out, "mimeType", c.mime_type)
    if c.text is not None:
        out["text"] = c.text
    else:
        out["blob"] = _b64(c.blob or b"")
    _put(out, "_meta", c.meta)
    return out


def prompt(p: Prompt) -> dict[str, Any]:
    out: dict[str, Any] = {"name": p.name}
    _put(out, "title", p.title)
    _put(out, "description", p.description)
    if p.arguments:
        arguments = []
        for a in p.arguments:
            argument: dict[str, Any] = {"name": a.name}
            _put(argument, "title", a.title)
            _put(argument, "description", a.description)
            argument["required"] = a.required
            arguments.append(argument)
        out["arguments"] = arguments
    if p.icons:
        out["icons"] = [_icon(i) for i in p.icons]
    _put(out, "_meta", p.meta)
    return out


def prompt_result(result: PromptResult) -> dict[str, Any]:
    out: dict[str, Any] = {}
    _put(out, "description", result.description)
    out["messages"] = [{"role": m.role, "content": content(m.content)} for m in result.messages]
    _put(out, "_meta", result.meta)
    return out


def completion(done: Completion) -> dict[str, Any]:
    values: dict[str, Any] = {"values": list(done.values)}
    _put(values, "total", done.total)
    values["hasMore"] = done.has_more
    return {"completion": values}


def notification(event: Notification, progress_token: str | int | None) -> dict[str, Any] | None:
    """A JSON-RPC notification, or None when progress has no token to go to."""
    if isinstance(event, Progress):
        if progress_token is None:
            return None
        params: dict[str, Any] = {"progressToken": progress_token, "progress": event.progress}
        _put(params, "total", event.total)
        _put(params, "message", event.message)
        return {"jsonrpc": "2.0", "method": "notifications/progress", "params": params}
    if isinstance(event, ListChanged):
        return {"jsonrpc": "2.0", "method": f"notifications/{event.kind}/list_changed"}
    if isinstance(event, ResourceUpdated):
        return {"jsonrpc": "2.0", "method": "notifications/resources/updated", "params": {"uri": event.uri}}
    assert isinstance(event, LogMessage)
    params = {"level": event.level, "data": event.data}
    _put(params, "logger", event.logger)
    return {"jsonrpc": "2.0", "method": "notifications/message", "params": params}


def page(key: str, items: list[dict[str, Any]], next_cursor: str | None,
         cache: CacheHint | None = None) -> dict[str, Any]:
    """A list result: the items under ``key``, ``nextCursor`` when there is
    more, and ``ttlMs``/``cacheScope`` when a cache hint applies."""
    result: dict[str, Any] = {key: items}
    if next_cursor is not None:
        result["nextCursor"] = next_cursor
    result.update(wire_fields(cache))
    return result


def read_result(contents: list[ResourceContents], cache: CacheHint | None = None) -> dict[str, Any]:
    """A resources/read result, with ``ttlMs``/``cacheScope`` when a cache hint applies."""
    return {"contents": [resource_contents(c) for c in contents], **wire_fields(cache)}


def _listing_extras(out: dict[str, Any], annotations: Annotations | None, icons: tuple[Icon, ...],
                    meta: dict[str, Any] | None) -> None:
    if annotations is not None:
        out["annotations"] = _annotations(annotations)
    if icons:
        out["icons"] = [_icon(i) for i in icons]
    _put(out, "_meta", meta)


def _annotations(a: Annotations) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if a.audience:
        out["audience"] = list(a.audience)
    _put(out, "priority", a.priority)
    _put(out, "lastModified", a.last_modified)
    return out


def _icon(icon: Icon) -> dict[str, Any]:
    out: dict[str, Any] = {"src": icon.src}
    _put(out, "mimeType", icon.mime_type)
    if icon.sizes:
        out["sizes"] = list(icon.sizes)
    _put(out, "theme", icon.theme)
    return out


def _put(target: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        target[key] = value


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
