"""Exports a Provider as a component, through componentize-py's bindings.

This is the only module that imports the generated bindings (``wit_world``,
made by componentize-py at build time for the ``provider`` world). It maps
WIT records to the SDK's plain dataclasses and back; provider code never
sees a binding. The build generates an entry module that does::

    import app
    from mcp_component.guest import export
    ServerInfo, Types, Tools, Resources, Prompts, Completion = export(app, name="<folder>")
"""

from __future__ import annotations

import json
import sys
import types as pytypes
from collections.abc import Callable
from typing import Any, TypeVar

from componentize_py_types import Err, Ok
from wit_world import exports
from wit_world.exports import completion as wit_completion
from wit_world.exports import prompts as wit_prompts
from wit_world.exports import resources as wit_resources
from wit_world.exports import server_info as wit_info
from wit_world.exports import tools as wit_tools
from wit_world.exports import types as wit

from ._asking import ClientRequest, ClientRequestError, InputRequired, Waiting
from ._cache import CacheHint
from ._content import (
    Annotations, Audio, CallToolResult, Content, EmbeddedResource, Icon, Image, ResourceLink, Text,
)
from ._context import Identity, ListChanged, LogMessage, Notification, Progress, RequestInfo, ResourceUpdated
from ._errors import InvalidParamsError, MCPError
from ._completions import CompletionKind
from ._prompts import Prompt
from ._provider import Provider
from ._resources import Resource, ResourceContents, ResourceTemplate
from ._tools import Tool, ToolRun

__all__ = ["export"]

T = TypeVar("T")


def export(module: pytypes.ModuleType, name: str | None = None) -> tuple[type, ...]:
    """The export classes componentize-py expects, serving ``module``'s Provider.

    ``name`` names a provider made of bare decorated functions.
    """
    provider = Provider.from_module(module, name)
    info = _info(provider)
    # Over stdio the transport's stdout carries the JSON-RPC messages, and a
    # provider shares it: whatever a tool prints goes to stderr, the log.
    sys.stdout = sys.stderr

    class ServerInfo(exports.ServerInfo):
        def get_info(self) -> wit_info.Info:
            return info

    class Types(exports.Types):
        pass

    class Tools(exports.Tools):
        def list_tools(self, ctx: wit.RequestContext, cursor: str | None) -> wit_tools.ListToolsResult:
            page, next_cursor = _guarded(provider.list_tools, cursor)
            return wit_tools.ListToolsResult([_tool(t) for t in page], next_cursor,
                                             _cache(provider.page_cache(page)))

        def call_tool(self, ctx: wit.RequestContext, name: str, arguments: str | None) -> wit_tools.ToolCall:
            try:
                run = provider.call_tool(name, _arguments(arguments), _request(ctx))
            except MCPError as exc:
                return _FailedCall(_error(exc))
            except Exception as exc:
                return _FailedCall(wit.ErrorCode_Internal(f"Internal error: {exc}"))
            return _RunningCall(run)

    class Resources(exports.Resources):
        def list_resources(self, ctx: wit.RequestContext, cursor: str | None) -> wit_resources.ListResourcesResult:
            page, next_cursor = _guarded(provider.list_resources, cursor)
            return wit_resources.ListResourcesResult([_resource(r) for r in page], next_cursor,
                                                     _cache(provider.page_cache(page)))

        def list_resource_templates(self, ctx: wit.RequestContext,
                                    cursor: str | None) -> wit_resources.ListResourceTemplatesResult:
            page, next_cursor = _guarded(provider.list_resource_templates, cursor)
            return wit_resources.ListResourceTemplatesResult([_template(t) for t in page], next_cursor,
                                                             _cache(provider.page_cache(page)))

        def read_resource(self, ctx: wit.RequestContext, uri: str) -> wit_resources.ReadResourceResult:
            contents = _guarded(provider.read_resource, uri, _request(ctx))
            return wit_resources.ReadResourceResult([_contents(c) for c in contents], None,
                                                    _cache(provider.read_cache(uri)))

        def subscribe(self, ctx: wit.RequestContext, uri: str) -> None:
            _guarded(provider.subscribe, uri)

        def unsubscribe(self, ctx: wit.RequestContext, uri: str) -> None:
            _guarded(provider.unsubscribe, uri)

    class Prompts(exports.Prompts):
        def list_prompts(self, ctx: wit.RequestContext, cursor: str | None) -> wit_prompts.ListPromptsResult:
            page, next_cursor = _guarded(provider.list_prompts, cursor)
            return wit_prompts.ListPromptsResult([_prompt(p) for p in page], next_cursor,
                                                 _cache(provider.page_cache(page)))

        def get_prompt(self, ctx: wit.RequestContext, name: str,
                       arguments: list[tuple[str, str]]) -> wit_prompts.GetPromptResult:
            rendered = _guarded(provider.get_prompt, name, dict(arguments), _request(ctx))
            return wit_prompts.GetPromptResult(
                rendered.description,
                [wit_prompts.PromptMessage(_role(m.role), _content(m.content)) for m in rendered.messages],
                _dumps_opt(rendered.meta),
            )

    class Completion(exports.Completion):
        def complete(self, ctx: wit.RequestContext, reference: wit_completion.CompletionReference,
                     argument_name: str, value: str,
                     context: list[tuple[str, str]]) -> wit_completion.CompletionResult:
            kind: CompletionKind = (
                "prompt" if isinstance(reference, wit_completion.CompletionReference_Prompt) else "resource_template"
            )
            done = _guarded(provider.complete, kind, reference.value, argument_name, value, dict(context))
            return wit_completion.CompletionResult(list(done.values), done.total, done.has_more)

    return ServerInfo, Types, Tools, Resources, Prompts, Completion


def _guarded(func: Callable[..., T], *args: Any) -> T:
    """Call into the SDK; every failure becomes an error-code, never a trap.

    An exception escaping an export would trap the whole composed server.
    A prompt or resource read that stopped for the client's answers
    (2026-07-28) becomes ``input-required`` with its requests.
    """
    try:
        return func(*args)
    except InputRequired as stop:
        try:
            error: wit.ErrorCode = wit.ErrorCode_InputRequired([_client_request(r) for r in stop.requests])
        except Exception as exc:  # params that cannot become JSON
            error = wit.ErrorCode_Internal(f"Internal error: {exc}")
        raise Err(error) from None
    except MCPError as exc:
        raise Err(_error(exc)) from exc
    except Exception as exc:
        raise Err(wit.ErrorCode_Internal(f"Internal error: {exc}")) from exc


class _RunningCall(wit_tools.ToolCall):
    def __init__(self, run: ToolRun) -> None:
        self._run = run

    def next(self) -> wit_tools.CallEvent:
        try:
            event = self._run.next()
            if isinstance(event, CallToolResult):
                return wit_tools.CallEvent_Finished(Ok(_call_result(event)))
            if isinstance(event, ClientRequest):
                return wit_tools.CallEvent_Request(_client_request(event))
            if isinstance(event, Waiting):
                return wit_tools.CallEvent_Waiting()
            return wit_tools.CallEvent_Notification(_notification(event))
        except MCPError as exc:  # the call fails as a request (a capability the client lacks)
            return wit_tools.CallEvent_Finished(Err(_error(exc)))
        except Exception as exc:  # e.g. a result that cannot become JSON
            return wit_tools.CallEvent_Finished(Err(wit.ErrorCode_Internal(f"Internal error: {exc}")))

    def respond(self, key: str, answer: Ok[str] | Err[wit.ErrorCode]) -> None:
        if isinstance(answer, Err):
            self._run.respond(key, ClientRequestError(_error_text(answer.value)))
            return
        value = _loads_object(answer.value)
        self._run.respond(key, value if value is not None
                          else ClientRequestError("the client's answer is not a JSON object"))


class _FailedCall(wit_tools.ToolCall):
    def __init__(self, error: wit.ErrorCode) -> None:
        self._error = error

    def next(self) -> wit_tools.CallEvent:
        return wit_tools.CallEvent_Finished(Err(self._error))

    def respond(self, key: str, answer: Ok[str] | Err[wit.ErrorCode]) -> None:
        pass


_CLIENT_METHODS = {
    "sampling/createMessage": wit.ClientMethod.SAMPLING_CREATE_MESSAGE,
    "elicitation/create": wit.ClientMethod.ELICITATION_CREATE,
    "roots/list": wit.ClientMethod.ROOTS_LIST,
}


def _error_text(error: wit.ErrorCode) -> str:
    if isinstance(error, wit.ErrorCode_Other):
        return error.value.message
    return str(error.value)


def _client_request(request: ClientRequest) -> wit.ClientRequest:
    return wit.ClientRequest(request.key, _CLIENT_METHODS[request.method], _dumps(request.params))


# -- SDK -> WIT ----------------------------------------------------------------

def _info(provider: Provider) -> wit_info.Info:
    caps = provider.capabilities
    flags = wit_info.Capabilities(0)
    for offered, flag in (
        (caps.tools, wit_info.Capabilities.TOOLS),
        (caps.resources, wit_info.Capabilities.RESOURCES),
        (caps.resource_subscriptions, wit_info.Capabilities.RESOURCE_SUBSCRIPTIONS),
        (caps.prompts, wit_info.Capabilities.PROMPTS),
        (caps.completions, wit_info.Capabilities.COMPLETIONS),
        (caps.logging, wit_info.Capabilities.LOGGING),
    ):
        if offered:
            flags |= flag
    return wit_info.Info(
        implementation=wit.Implementation(provider.name, provider.title, provider.version),
        description=provider.description,
        website_url=provider.website_url,
        icons=[_icon(i) for i in provider.icons],
        instructions=provider.instructions,
        capabilities=flags,
    )


def _tool(tool: Tool) -> wit_tools.Tool:
    a = tool.annotations
    return wit_tools.Tool(
        name=tool.name,
        title=tool.title,
        description=tool.description,
        input_schema=_dumps(tool.input_schema),
        output_schema=None if tool.output_schema is None else _dumps(tool.output_schema),
        annotations=None if a is None else wit_tools.ToolAnnotations(
            a.title, a.read_only_hint, a.destructive_hint, a.idempotent_hint, a.open_world_hint
        ),
        icons=[_icon(i) for i in tool.icons],
        meta=_dumps_opt(tool.meta),
    )


def _resource(r: Resource) -> wit_resources.Resource:
    return wit_resources.Resource(
        r.uri, r.name, r.title, r.description, r.mime_type, r.size,
        _annotations(r.annotations), [_icon(i) for i in r.icons], _dumps_opt(r.meta),
    )


def _template(t: ResourceTemplate) -> wit_resources.ResourceTemplate:
    return wit_resources.ResourceTemplate(
        t.uri_template, t.name, t.title, t.description, t.mime_type,
        _annotations(t.annotations), [_icon(i) for i in t.icons], _dumps_opt(t.meta),
    )


def _contents(c: ResourceContents) -> wit.ResourceContents:
    body: wit.ResourceBody = (
        wit.ResourceBody_Text(c.text) if c.text is not None else wit.ResourceBody_Blob(c.blob or b"")
    )
    return wit.ResourceContents(c.uri, c.mime_type, body, _dumps_opt(c.meta))


def _prompt(p: Prompt) -> wit_prompts.Prompt:
    return wit_prompts.Prompt(
        p.name, p.title, p.description,
        [wit_prompts.PromptArgument(a.name, a.title, a.description, a.required) for a in p.arguments],
        [_icon(i) for i in p.icons], _dumps_opt(p.meta),
    )


def _cache(hint: CacheHint | None) -> wit.CacheHint | None:
    if hint is None:
        return None
    scope = wit.CacheScope.PUBLIC if hint.scope == "public" else wit.CacheScope.PRIVATE
    return wit.CacheHint(hint.ttl_ms, scope)


def _role(role: str) -> wit.Role:
    return wit.Role.USER if role == "user" else wit.Role.ASSISTANT


def _call_result(result: CallToolResult) -> wit_tools.CallToolResult:
    return wit_tools.CallToolResult(
        content=[_content(c) for c in result.content],
        structured_content=_dumps_opt(result.structured_content),
        is_error=result.is_error,
        meta=_dumps_opt(result.meta),
    )


def _content(block: Content) -> wit.ContentBlock:
    if isinstance(block, Text):
        return wit.ContentBlock_Text(wit.TextContent(block.text, _annotations(block.annotations), _dumps_opt(block.meta)))
    if isinstance(block, Image):
        return wit.ContentBlock_Image(_media(block))
    if isinstance(block, Audio):
        return wit.ContentBlock_Audio(_media(block))
    if isinstance(block, ResourceLink):
        return wit.ContentBlock_ResourceLink(wit.ResourceLink(
            block.uri, block.name, block.title, block.description, block.mime_type, block.size,
            _annotations(block.annotations), [_icon(i) for i in block.icons], _dumps_opt(block.meta),
        ))
    body: wit.ResourceBody = (
        wit.ResourceBody_Text(block.text) if block.text is not None
        else wit.ResourceBody_Blob(block.blob or b"")
    )
    return wit.ContentBlock_EmbeddedResource(wit.EmbeddedResource(
        wit.ResourceContents(block.uri, block.mime_type, body, None),
        _annotations(block.annotations), _dumps_opt(block.meta),
    ))


def _media(block: Image | Audio) -> wit.MediaContent:
    return wit.MediaContent(block.data, block.mime_type, _annotations(block.annotations), _dumps_opt(block.meta))


def _annotations(a: Annotations | None) -> wit.Annotations | None:
    if a is None:
        return None
    return wit.Annotations([_role(r) for r in a.audience],
                           a.priority, a.last_modified)


def _icon(icon: Icon) -> wit.Icon:
    theme = None if icon.theme is None else getattr(wit.IconTheme, icon.theme.upper())
    return wit.Icon(icon.src, icon.mime_type, list(icon.sizes), theme)


def _notification(event: Notification) -> wit.Notification:
    if isinstance(event, Progress):
        return wit.Notification_Progress(wit.Progress(event.progress, event.total, event.message))
    if isinstance(event, ListChanged):
        return wit.Notification_ListChanged(getattr(wit.ListKind, event.kind.upper()))
    if isinstance(event, ResourceUpdated):
        return wit.Notification_ResourceUpdated(event.uri)
    assert isinstance(event, LogMessage)
    return wit.Notification_Log(wit.LogMessage(
        getattr(wit.LogLevel, event.level.upper()), event.logger, _dumps(event.data)
    ))


def _error(exc: MCPError) -> wit.ErrorCode:
    # The SDK already knows the exact JSON-RPC code (and data) each error
    # must have; passing them explicitly keeps the server's answer identical
    # to the in-memory client's. The typed variants serve other providers.
    return wit.ErrorCode_Other(wit.ProtocolError(exc.code, exc.message, _dumps_opt(exc.data)))


# -- WIT -> SDK ----------------------------------------------------------------

def _request(ctx: wit.RequestContext) -> RequestInfo:
    token: str | int | None = None
    if isinstance(ctx.progress_token, wit.ProgressToken_Text):
        token = ctx.progress_token.value
    elif isinstance(ctx.progress_token, wit.ProgressToken_Integer):
        token = ctx.progress_token.value
    identity = None
    if ctx.identity is not None:
        identity = Identity(
            subject=ctx.identity.subject,
            client_id=ctx.identity.client_id,
            scopes=tuple(ctx.identity.scopes),
            claims=_loads_object(ctx.identity.claims) or {},
        )
    return RequestInfo(
        protocol_version=ctx.protocol_version,
        client_name=None if ctx.client is None else ctx.client.name,
        client_version=None if ctx.client is None else ctx.client.version,
        progress_token=token,
        log_level=None if ctx.log_level is None else ctx.log_level.name.lower(),  # type: ignore[arg-type]
        session_id=ctx.session_id,
        identity=identity,
        meta=_loads_object(ctx.meta),
        client_capabilities=_loads_object(ctx.client_capabilities),
        input_responses=_input_responses(ctx.input_responses),
    )


def _input_responses(text: str | None) -> dict[str, Any] | None:
    # Some, even if unreadable, means the 2026-07-28 way of asking: answers
    # that cannot be read are no answers, so their requests are asked again.
    if text is None:
        return None
    return _loads_object(text) or {}


def _arguments(text: str | None) -> dict[str, Any] | None:
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise InvalidParamsError("tool arguments are not valid JSON") from exc
    if value is not None and not isinstance(value, dict):
        raise InvalidParamsError("tool arguments must be a JSON object")
    return value


def _loads_object(text: str | None) -> dict[str, Any] | None:
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _dumps_opt(value: Any) -> str | None:
    return None if value is None else _dumps(value)
