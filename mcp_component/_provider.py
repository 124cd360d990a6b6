"""The Provider: one MCP server's capabilities, collected in one place."""

from __future__ import annotations

import types
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar, Unpack, overload

from ._content import Icon
from ._context import RequestInfo
from ._errors import NotFoundError
from ._pagination import paginate
from ._tools import Tool, ToolOptions, ToolRun, ToolSpec, tool_spec

__all__ = ["Capabilities", "Provider"]

F = TypeVar("F", bound=Callable[..., Any])


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
    """An MCP capability provider: a name, a version, and its tools.

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
    ) -> None:
        if page_size is not None and page_size < 1:
            raise ValueError("page_size must be at least 1")
        self.name = name
        self.version = version
        self.title = title
        self.description = description
        self.instructions = instructions
        self.website_url = website_url
        self.icons = tuple(icons)
        self.page_size = page_size
        self.mask_error_details = mask_error_details
        self._tools: dict[str, Tool] = {}
        for fn in tools:
            self.add_tool(fn)

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

    @classmethod
    def from_module(cls, module: types.ModuleType) -> Provider:
        """The module's Provider, or one made of its ``@tool`` functions."""
        found = [value for value in vars(module).values() if isinstance(value, Provider)]
        if len(found) > 1:
            raise ValueError(f"module {module.__name__} defines more than one Provider")
        if found:
            return found[0]
        name = module.__name__.rsplit(".", 1)[-1]
        marked = [value for value in vars(module).values()
                  if callable(value) and tool_spec(value) is not None]
        if not marked:
            raise ValueError(f"module {module.__name__} defines no Provider and no @tool function")
        return cls(name, tools=marked)

    # -- what the transport asks for --------------------------------------

    @property
    def capabilities(self) -> Capabilities:
        has_tools = bool(self._tools)
        # Tools may log through their Context, so logging goes with tools.
        return Capabilities(tools=has_tools, logging=has_tools)

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
