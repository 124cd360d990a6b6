"""The Provider: one MCP server's capabilities, collected in one place."""

from __future__ import annotations

import types
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, Unpack, overload

from ._cache import CacheHint, page_hint, read_hint
from ._completions import Completer, Completion, CompletionKind, choices, complete_choices
from ._content import Icon
from ._context import RequestInfo
from ._errors import InvalidParamsError, MCPError, NotFoundError, ResourceNotFoundError, UnsupportedError
from ._pagination import paginate
from ._prompts import Prompt, PromptOptions, PromptResult, PromptSpec, prompt_spec
from ._resources import (
    Resource,
    ResourceContents,
    ResourceOptions,
    ResourceSpec,
    ResourceTemplate,
    build_resource,
    resource_spec,
)
from ._schema import FunctionSchema
from ._tools import Tool, ToolOptions, ToolRun, ToolSpec, tool_spec

__all__ = ["Capabilities", "Provider"]

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


@dataclass(frozen=True)
class Capabilities:
    """Which MCP capabilities a provider offers."""

    tools: bool = False
    resources: bool = False
    resource_subscriptions: bool = False
    prompts: bool = False
    completions: bool = False
    logging: bool = False


class Provider:
    """An MCP capability provider: a name, a version, and what it offers.

    Tools, resources, resource templates, prompts and completions are
    registered with decorators, or collected from a module's decorated
    functions by :meth:`from_module`.

    ``cache`` is the default :class:`CacheHint` for every list page and
    resource read (2026-07-28 ``ttlMs``/``cacheScope``); a tool, prompt,
    resource or template may set its own with ``cache=``.

    >>> provider = Provider("calculator")
    >>> @provider.tool
    ... def add(a: int, b: int) -> int:
    ...     '''Add two integers.'''
    ...     return a + b
    """

    def __init__(
        self,
        name: str,
        *,
        version: str = "0.1.0",
        title: str | None = None,
        description: str | None = None,
        instructions: str | None = None,
        website_url: str | None = None,
        icons: Iterable[Icon] = (),
        page_size: int | None = None,
        mask_error_details: bool = False,
        tools: Iterable[Callable[..., Any]] = (),
        resources: Iterable[Callable[..., Any]] = (),
        prompts: Iterable[Callable[..., Any]] = (),
        resource_subscriptions: bool = False,
        cache: CacheHint | None = None,
    ) -> None:
        if page_size is not None and page_size < 1:
            raise ValueError("page_size must be at least 1")
        if cache is not None and not isinstance(cache, CacheHint):
            raise TypeError(f"cache must be a CacheHint, not {cache!r}")
        self.cache = cache
        """The default cache hint of lists and reads; None leaves them without one."""
        self.name = name
        self.version = version
        self.title = title
        self.description = description
        self.instructions = instructions
        self.website_url = website_url
        self.icons = tuple(icons)
        self.page_size = page_size
        self.mask_error_details = mask_error_details
        self.resource_subscriptions = resource_subscriptions
        self.subscriptions: set[str] = set()
        """The URIs the client subscribed to."""
        self._tools: dict[str, Tool] = {}
        self._resources: dict[str, Resource] = {}
        self._templates: dict[str, ResourceTemplate] = {}
        self._prompts: dict[str, Prompt] = {}
        self._completers: dict[tuple[str, str, str], Completer] = {}
        for fn in tools:
            self.add_tool(fn)
        for fn in resources:
            self.add_resource(fn)
        for fn in prompts:
            self.add_prompt(fn)

    # -- registration -----------------------------------------------------

    @overload
    def tool(self, fn: F, /) -> F: ...
    @overload
    def tool(self, fn: None = None, /, **options: Unpack[ToolOptions]) -> Callable[[F], F]: ...
    def tool(self, fn: F | None = None, /, **options: Unpack[ToolOptions]) -> F | Callable[[F], F]:
        """Register a function as a tool; use bare or with ``@tool`` options."""

        def register(func: F) -> F:
            self.add_tool(func, ToolSpec(options) if options else None)
            return func

        return register(fn) if fn is not None else register

    def add_tool(self, fn: Callable[..., Any], spec: ToolSpec | None = None) -> Tool:
        """Register ``fn`` (decorated with ``@tool`` or not) as a tool."""
        built = Tool.from_function(fn, spec or tool_spec(fn))
        if built.name in self._tools:
            raise ValueError(f"a tool named {built.name!r} is already registered")
        self._tools[built.name] = built
        return built

    def resource(self, uri: str, /, **options: Unpack[ResourceOptions]) -> Callable[[F], F]:
        """Register a function as a resource, or a template if ``uri`` has ``{...}``."""

        def register(func: F) -> F:
            self.add_resource(func, ResourceSpec(uri, options))
            return func

        return register

    def add_resource(self, fn: Callable[..., Any], spec: ResourceSpec | None = None) -> Resource | ResourceTemplate:
        """Register ``fn`` (decorated with ``@resource`` or given a spec)."""
        built = build_resource(fn, spec)
        if isinstance(built, ResourceTemplate):
            if built.uri_template in self._templates:
                raise ValueError(f"a resource template {built.uri_template!r} is already registered")
            self._templates[built.uri_template] = built
        else:
            if built.uri in self._resources:
                raise ValueError(f"a resource at {built.uri!r} is already registered")
            self._resources[built.uri] = built
        return built

    @overload
    def prompt(self, fn: F, /) -> F: ...
    @overload
    def prompt(self, fn: None = None, /, **options: Unpack[PromptOptions]) -> Callable[[F], F]: ...
    def prompt(self, fn: F | None = None, /, **options: Unpack[PromptOptions]) -> F | Callable[[F], F]:
        """Register a function as a prompt; use bare or with ``@prompt`` options."""

        def register(func: F) -> F:
            self.add_prompt(func, PromptSpec(options) if options else None)
            return func

        return register(fn) if fn is not None else register

    def add_prompt(self, fn: Callable[..., Any], spec: PromptSpec | None = None) -> Prompt:
        """Register ``fn`` (decorated with ``@prompt`` or not) as a prompt."""
        built = Prompt.from_function(fn, spec or prompt_spec(fn))
        if built.name in self._prompts:
            raise ValueError(f"a prompt named {built.name!r} is already registered")
        self._prompts[built.name] = built
        return built

    def completion(self, *, prompt: str | None = None, resource_template: str | None = None,
                   argument: str) -> Callable[[F], F]:
        """Register a function completing one argument of a prompt or template.

        Name exactly one of ``prompt`` (its name) or ``resource_template``
        (its URI template). The function takes ``(value)`` or
        ``(value, context)`` and returns a list of str or a Completion.
        The prompt or template is looked up when a completion is asked for.
        """
        kind: CompletionKind
        if prompt is not None and resource_template is None:
            kind, name = "prompt", prompt
        elif resource_template is not None and prompt is None:
            kind, name = "resource_template", resource_template
        else:
            raise ValueError("completion needs exactly one of prompt= or resource_template=")

        def register(func: F) -> F:
            completer = Completer(kind, name, argument, func)
            key = (kind, name, argument)
            if key in self._completers:
                raise ValueError(f"argument {argument!r} of {kind} {name!r} already has a completion")
            self._completers[key] = completer
            return func

        return register

    @classmethod
    def from_module(cls, module: types.ModuleType, name: str | None = None) -> Provider:
        """The module's Provider, or one made of its decorated functions.

        ``name`` names a Provider made from functions (default: the
        module's name); the build passes the provider's folder name.
        """
        found = [value for value in vars(module).values() if isinstance(value, Provider)]
        if len(found) > 1:
            raise ValueError(f"module {module.__name__} defines more than one Provider")
        if found:
            return found[0]
        name = name or module.__name__.rsplit(".", 1)[-1]
        functions = [value for value in vars(module).values() if callable(value)]
        tools = [fn for fn in functions if tool_spec(fn) is not None]
        resources = [fn for fn in functions if resource_spec(fn) is not None]
        prompts = [fn for fn in functions if prompt_spec(fn) is not None]
        if not (tools or resources or prompts):
            raise ValueError(
                f"module {module.__name__} defines no Provider and no @tool, @resource or @prompt function"
            )
        return cls(name, tools=tools, resources=resources, prompts=prompts)

    def _masked(self, func: Callable[..., T], *args: Any) -> T:
        """Run a user function; with mask_error_details, hide what it raised.

        Failures arrive as MCPError "<what failed>: <exception>"; masking
        keeps only "<what failed>". Errors the function raised as MCPError
        itself are meant for the client and pass unchanged.
        """
        try:
            return func(*args)
        except MCPError as exc:
            cause = exc.__cause__
            if not self.mask_error_details or cause is None or isinstance(cause, MCPError):
                raise
            raise MCPError(exc.message.removesuffix(f": {cause}"), data=exc.data) from None

    # -- what the transport asks for --------------------------------------

    def page_cache(self, page: Sequence[Tool | Prompt | Resource | ResourceTemplate]) -> CacheHint | None:
        """The cache hint of one list page: its least fresh item's, or the default's.

        None when neither the provider nor any item on the page sets one.
        """
        return page_hint(self.cache, (item.cache for item in page))

    def read_cache(self, uri: str) -> CacheHint | None:
        """The cache hint for reading ``uri``: its resource's or template's own, else the default."""
        found = self._resources.get(uri)
        if found is not None:
            return read_hint(self.cache, found.cache)
        for template in self._templates.values():
            if template.match(uri) is not None:
                return read_hint(self.cache, template.cache)
        return self.cache

    @property
    def capabilities(self) -> Capabilities:
        has_tools = bool(self._tools)
        has_resources = bool(self._resources or self._templates)
        has_prompts = bool(self._prompts)
        has_completions = bool(self._completers) or self._auto_completes()
        return Capabilities(
            tools=has_tools,
            resources=has_resources,
            resource_subscriptions=self.resource_subscriptions and has_resources,
            prompts=has_prompts,
            completions=has_completions,
            # Tools' Context logs reach the client; reads and renders finish
            # in one step and deliver no notifications.
            logging=has_tools,
        )

    @property
    def tools(self) -> list[Tool]:
        """Every registered tool, in registration order."""
        return list(self._tools.values())

    def get_tool(self, name: str) -> Tool:
        try:
            return self._tools[name]
        except KeyError:
            raise NotFoundError(f"Unknown tool: {name}") from None

    def list_tools(self, cursor: str | None = None) -> tuple[list[Tool], str | None]:
        """One page of tools and the next page's cursor."""
        return paginate(self.tools, cursor, self.page_size)

    def call_tool(self, name: str, arguments: dict[str, Any] | None = None,
                  request: RequestInfo | None = None) -> ToolRun:
        """Start a call of tool ``name``; raises NotFoundError if unknown."""
        return self.get_tool(name).start(arguments, request, mask_error_details=self.mask_error_details)

    # -- resources ----------------------------------------------------------

    @property
    def resources(self) -> list[Resource]:
        """Every resource at a fixed URI, in registration order."""
        return list(self._resources.values())

    @property
    def resource_templates(self) -> list[ResourceTemplate]:
        """Every resource template, in registration order."""
        return list(self._templates.values())

    def list_resources(self, cursor: str | None = None) -> tuple[list[Resource], str | None]:
        """One page of resources and the next page's cursor."""
        return paginate(self.resources, cursor, self.page_size)

    def list_resource_templates(self, cursor: str | None = None) -> tuple[list[ResourceTemplate], str | None]:
        """One page of resource templates and the next page's cursor."""
        return paginate(self.resource_templates, cursor, self.page_size)

    def read_resource(self, uri: str, request: RequestInfo | None = None) -> list[ResourceContents]:
        """Read ``uri``: a fixed resource first, then templates in order.

        Raises ResourceNotFoundError when nothing answers to ``uri``.
        """
        found = self._resources.get(uri)
        if found is not None:
            return self._masked(found.read, request)
        for template in self._templates.values():
            if template.match(uri) is not None:
                return self._masked(template.read, uri, request)
        raise ResourceNotFoundError(f"Unknown resource: {uri}", data={"uri": uri})

    def subscribe(self, uri: str) -> None:
        """Subscribe the client to changes of ``uri``, which must be readable."""
        self._check_subscribable(uri)
        self.subscriptions.add(uri)

    def unsubscribe(self, uri: str) -> None:
        """Forget a subscription; unsubscribing twice is not an error."""
        self._check_subscribable(uri)
        self.subscriptions.discard(uri)

    def _check_subscribable(self, uri: str) -> None:
        if not self.resource_subscriptions:
            raise UnsupportedError("Resource subscriptions are not supported")
        readable = uri in self._resources or any(
            template.match(uri) is not None for template in self._templates.values()
        )
        if not readable:
            raise ResourceNotFoundError(f"Unknown resource: {uri}", data={"uri": uri})

    # -- prompts ------------------------------------------------------------

    @property
    def prompts(self) -> list[Prompt]:
        """Every registered prompt, in registration order."""
        return list(self._prompts.values())

    def list_prompts(self, cursor: str | None = None) -> tuple[list[Prompt], str | None]:
        """One page of prompts and the next page's cursor."""
        return paginate(self.prompts, cursor, self.page_size)

    def get_prompt(self, name: str, arguments: Mapping[str, str] | None = None,
                   request: RequestInfo | None = None) -> PromptResult:
        """Render prompt ``name``; an unknown name is invalid params (-32602)."""
        found = self._prompts.get(name)
        if found is None:
            raise InvalidParamsError(f"Unknown prompt: {name}")
        return self._masked(found.render, arguments, request)

    # -- completions --------------------------------------------------------

    def complete(self, kind: CompletionKind, name: str, argument: str, value: str,
                 context: Mapping[str, str] | None = None) -> Completion:
        """Suggest values for ``argument`` of prompt or template ``name``.

        A registered handler wins; else a Literal or Enum argument completes
        to its matching members; else the completion is empty. An unknown
        prompt, template or argument is invalid params (-32602).
        """
        schema = self._completion_target(kind, name)
        if argument not in schema.input_schema["properties"]:
            raise InvalidParamsError(f"Unknown argument {argument!r} of {_KIND_NAMES[kind]} {name}")
        completer = self._completers.get((kind, name, argument))
        if completer is not None:
            return self._masked(completer.complete, value, context or {})
        options = choices(schema, argument)
        if options is not None:
            return complete_choices(options, value)
        return Completion([])

    def _completion_target(self, kind: str, name: str) -> FunctionSchema:
        if kind == "prompt":
            found_prompt = self._prompts.get(name)
            if found_prompt is None:
                raise InvalidParamsError(f"Unknown prompt: {name}")
            return found_prompt.schema
        if kind == "resource_template":
            found_template = self._templates.get(name)
            if found_template is None:
                raise InvalidParamsError(f"Unknown resource template: {name}")
            return found_template.schema
        raise InvalidParamsError(f"Unknown completion reference kind: {kind}")

    def _auto_completes(self) -> bool:
        """Whether any prompt or template argument completes without a handler."""
        schemas = [p.schema for p in self._prompts.values()] + [t.schema for t in self._templates.values()]
        return any(choices(schema, argument) is not None
                   for schema in schemas for argument in schema.input_schema["properties"])


_KIND_NAMES = {"prompt": "prompt", "resource_template": "resource template"}
