"""Tools: the ``@tool`` decorator, function-backed tools, and running a call.

``@tool`` only attaches a frozen :class:`ToolSpec` to the function and
returns it unchanged; a :class:`~mcp_component.Provider` collects the
functions and builds :class:`Tool` objects from them.
"""

from __future__ import annotations

import inspect
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, TypedDict, TypeVar, Union, Unpack, overload

from ._content import CallToolResult, Icon
from ._context import SUSPEND, Context, Notification, RequestInfo, is_context, step
from ._docs import docstring
from ._errors import ToolError
from ._results import error_result, to_call_result
from ._schema import ArgumentError, FunctionSchema, function_schema, return_schema

__all__ = ["Tool", "ToolAnnotations", "ToolOptions", "ToolRun", "ToolSpec", "tool"]

F = TypeVar("F", bound=Callable[..., Any])

TOOL_ATTRIBUTE = "__mcp_tool__"


@dataclass(frozen=True)
class ToolAnnotations:
    """Hints about a tool's behaviour (clients treat them as untrusted)."""

    title: str | None = None
    read_only_hint: bool | None = None
    destructive_hint: bool | None = None
    idempotent_hint: bool | None = None
    open_world_hint: bool | None = None


class ToolOptions(TypedDict, total=False):
    """What ``@tool(...)`` accepts; every option is optional."""

    name: str
    """The tool's name; defaults to the function's ``__name__``."""
    title: str
    """A human-readable name."""
    description: str
    """Defaults to the function's docstring (its summary and body)."""
    annotations: ToolAnnotations
    icons: tuple[Icon, ...]
    meta: dict[str, Any]
    input_schema: dict[str, Any]
    """An explicit input schema, kept exactly as given."""
    output_schema: dict[str, Any] | None
    """An explicit output schema; ``None`` turns structured output off."""


@dataclass(frozen=True)
class ToolSpec:
    """The metadata ``@tool`` attaches to a function."""

    options: ToolOptions = field(default_factory=lambda: ToolOptions())


@overload
def tool(fn: F, /) -> F: ...
@overload
def tool(fn: None = None, /, **options: Unpack[ToolOptions]) -> Callable[[F], F]: ...
def tool(fn: F | None = None, /, **options: Unpack[ToolOptions]) -> F | Callable[[F], F]:
    """Mark a function as an MCP tool; use bare or with options.

    The function is returned unchanged, so it stays callable and testable.
    """

    def mark(func: F) -> F:
        # Build the Tool now so a bad signature fails where it is declared.
        Tool.from_function(func, ToolSpec(options))
        setattr(func, TOOL_ATTRIBUTE, ToolSpec(options))
        return func

    return mark(fn) if fn is not None else mark


def tool_spec(fn: object) -> ToolSpec | None:
    """The spec ``@tool`` attached to ``fn``, if any."""
    spec = getattr(fn, TOOL_ATTRIBUTE, None)
    return spec if isinstance(spec, ToolSpec) else None


@dataclass(frozen=True)
class Tool:
    """A tool backed by a Python function."""

    name: str
    fn: Callable[..., Any]
    schema: FunctionSchema
    input_schema: dict[str, Any]
    output_schema: dict[str, Any] | None
    wrap_output: bool
    title: str | None = None
    description: str | None = None
    annotations: ToolAnnotations | None = None
    icons: tuple[Icon, ...] = ()
    meta: dict[str, Any] | None = None

    @classmethod
    def from_function(cls, fn: Callable[..., Any], spec: ToolSpec | None = None) -> Tool:
        """Build a tool from a function and its ``@tool`` options."""
        options = (spec or tool_spec(fn) or ToolSpec()).options
        schema = function_schema(fn, inject=is_context)
        if "output_schema" in options:
            output_schema, wrapped = options["output_schema"], False
            if output_schema is not None and output_schema.get("type") != "object":
                # MCP: structuredContent, and so its schema, is a JSON object.
                raise TypeError(f"{fn.__name__}: an explicit output_schema must have \"type\": \"object\"")
        else:
            output_schema, wrapped = return_schema(fn)
        return cls(
            name=options.get("name") or fn.__name__,
            fn=fn,
            schema=schema,
            input_schema=options.get("input_schema", schema.input_schema),
            output_schema=output_schema,
            wrap_output=wrapped,
            title=options.get("title"),
            description=options.get("description", docstring(fn)),
            annotations=options.get("annotations"),
            icons=tuple(options.get("icons", ())),
            meta=options.get("meta"),
        )

    def start(self, arguments: dict[str, Any] | None, request: RequestInfo | None = None,
              *, mask_error_details: bool = False) -> ToolRun:
        """Prepare a call; nothing runs until :meth:`ToolRun.next`."""
        return ToolRun(self, arguments, Context(request), mask_error_details)

    def call(self, arguments: dict[str, Any] | None = None, request: RequestInfo | None = None) -> CallToolResult:
        """Run a call to the end and return its result (notifications dropped)."""
        run = self.start(arguments, request)
        while True:
            event = run.next()
            if isinstance(event, CallToolResult):
                return event


CallEvent = Union[Notification, CallToolResult]
"""What :meth:`ToolRun.next` returns: a notification, then the result."""


class ToolRun:
    """One call of a tool, advanced step by step.

    Each :meth:`next` returns the next notification the tool emitted or, at
    the end, its :class:`CallToolResult`. A plain function runs in the first
    step; a coroutine runs until it awaits a Context method, so its
    notifications reach the client while it works.
    """

    def __init__(self, tool: Tool, arguments: dict[str, Any] | None, ctx: Context,
                 mask_error_details: bool) -> None:
        self.tool = tool
        self.context = ctx
        self._arguments = arguments
        self._mask = mask_error_details
        self._started = False
        self._coroutine: Coroutine[Any, Any, Any] | None = None
        self._events: deque[CallEvent] = deque()
        self._finished = False

    def next(self) -> CallEvent:
        while not self._events:
            if self._finished:
                return error_result(f"The call of tool '{self.tool.name}' has already finished")
            self._step()
        event = self._events.popleft()
        return event

    def _step(self) -> None:
        if not self._started:
            self._started = True
            self._begin()
            return
        assert self._coroutine is not None
        try:
            yielded = step(self._coroutine)
        except StopIteration as stop:
            self._finish(stop.value)
        except Exception as exc:  # a failing tool fails its call, never the server
            self._fail(exc)
        else:
            if yielded is not SUSPEND:
                self._coroutine.close()
                self._fail(RuntimeError(
                    "a tool running in a component can only await Context methods"
                ))
            else:
                self._events.extend(self.context.drain())

    def _begin(self) -> None:
        try:
            kwargs = self.tool.schema.bind(self._arguments)
        except ArgumentError as exc:
            self._end(error_result(f"Invalid arguments for tool '{self.tool.name}': {exc}"))
            return
        for name in self.tool.schema.injected:
            kwargs[name] = self.context
        try:
            value = self.tool.fn(**kwargs)
        except Exception as exc:
            self._fail(exc)
            return
        if inspect.iscoroutine(value):
            self._coroutine = value
        else:
            self._finish(value)

    def _finish(self, value: Any) -> None:
        try:
            result = to_call_result(
                value, output_schema=self.tool.output_schema, wrapped=self.tool.wrap_output
            )
        except Exception as exc:
            self._fail(exc)
            return
        self._end(result)

    def _fail(self, exc: Exception) -> None:
        if isinstance(exc, ToolError):
            message = str(exc)
        elif self._mask:
            message = f"Error executing tool {self.tool.name}"
        else:
            message = f"Error executing tool {self.tool.name}: {exc}"
        self._end(error_result(message))

    def _end(self, result: CallToolResult) -> None:
        self._events.extend(self.context.drain())
        self._events.append(result)
        self._finished = True

