"""Tools: the ``@tool`` decorator, function-backed tools, and running a call.

``@tool`` only attaches a frozen :class:`ToolSpec` to the function and
returns it unchanged; a :class:`~mcp_component.Provider` collects the
functions and builds :class:`Tool` objects from them.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict, TypeVar, Union, Unpack, overload

from ._asking import WAITING, Answer, ClientRequest, ClientRequestError, MissingCapabilityError, Waiting
from ._cache import CacheHint
from ._content import CallToolResult, Icon
from ._context import Context, Notification, RequestInfo, is_context
from ._docs import docstring
from ._errors import MCPError, ToolError
from ._headers import header_schema

if TYPE_CHECKING:
    import asyncio

    from ._loop import ToolLoop

# The event loop of async tools (asyncio and its selector) adds about 2 MB
# to a component. componentize-py bundles what is imported when the
# component is built, and declaring a tool happens then: so _loop is
# imported when an `async def` tool is declared, and a provider without
# one (and the transport, which imports the SDK for its HTTP client) does
# without it.
_LOOP = f"{__package__}._loop"


def _loop_module() -> Any:
    return importlib.import_module(_LOOP)
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
    cache: CacheHint
    """How long a client may reuse a tools/list page that lists this tool."""


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
    cache: CacheHint | None = None

    @classmethod
    def from_function(cls, fn: Callable[..., Any], spec: ToolSpec | None = None) -> Tool:
        """Build a tool from a function and its ``@tool`` options."""
        options = (spec or tool_spec(fn) or ToolSpec()).options
        schema = function_schema(fn, inject=is_context)
        if inspect.iscoroutinefunction(fn):
            _loop_module()  # bundled with this provider (see _LOOP)
        if "output_schema" in options:
            output_schema, wrapped = options["output_schema"], False
            if output_schema is not None and output_schema.get("type") != "object":
                # MCP: structuredContent, and so its schema, is a JSON object.
                raise TypeError(f"{fn.__name__}: an explicit output_schema must have \"type\": \"object\"")
        else:
            output_schema, wrapped = return_schema(fn)
        explicit = "input_schema" in options
        input_schema = header_schema(fn, options["input_schema"] if explicit else schema.input_schema,
                                     explicit=explicit)
        return cls(
            name=options.get("name") or fn.__name__,
            fn=fn,
            schema=schema,
            input_schema=input_schema,
            output_schema=output_schema,
            wrap_output=wrapped,
            title=options.get("title"),
            description=options.get("description", docstring(fn)),
            annotations=options.get("annotations"),
            icons=tuple(options.get("icons", ())),
            meta=options.get("meta"),
            cache=_cache_option(options.get("cache"), fn),
        )

    def start(self, arguments: dict[str, Any] | None, request: RequestInfo | None = None,
              *, mask_error_details: bool = False) -> ToolRun:
        """Prepare a call; nothing runs until :meth:`ToolRun.next`."""
        return ToolRun(self, arguments, Context(request), mask_error_details)

    def call(self, arguments: dict[str, Any] | None = None, request: RequestInfo | None = None) -> CallToolResult:
        """Run a call to the end and return its result (notifications dropped).

        Nobody is there to answer requests to the client: each fails with
        ClientRequestError (else the call would wait for ever).
        """
        run = self.start(arguments, request)
        while True:
            event = run.next()
            if isinstance(event, CallToolResult):
                return event
            if isinstance(event, ClientRequest):
                refusal = ClientRequestError(f"{event.method}: Tool.call cannot answer the tool's requests")
                run.respond(event.key, refusal)


def _cache_option(value: object, fn: Callable[..., Any]) -> CacheHint | None:
    if value is not None and not isinstance(value, CacheHint):
        raise TypeError(f"{getattr(fn, '__name__', fn)}: cache must be a CacheHint, not {value!r}")
    return value


CallEvent = Union[Notification, ClientRequest, Waiting, CallToolResult]
"""What :meth:`ToolRun.next` returns: notifications and client requests,
:data:`WAITING` while answers are due, then the result. A call that must
end as a JSON-RPC error instead (a client lacking a capability under
2026-07-28) makes :meth:`ToolRun.next` raise that :class:`MCPError`."""


class ToolRun:
    """One call of a tool, advanced step by step.

    Each :meth:`next` returns the next notification the tool emitted or, at
    the end, its :class:`CallToolResult`. A plain function runs in the first
    step. A coroutine runs as a task on an asyncio event loop of the call's
    own (``_loop.ToolLoop``, closed when the call ends), so it may await
    ``asyncio.sleep``, ``gather``, ``wait_for``, events and tasks of its
    own. Each ``await`` of a Context method with notifications queued
    pauses that loop; :meth:`next` hands them over and the next step
    resumes the loop, so they reach the client while the tool works.

    A tool that asks the client (``await ctx.elicit(...)``) makes
    :meth:`next` return a :class:`ClientRequest`; once every request is
    out, :meth:`next` returns :data:`WAITING` (without running anything)
    until each has an answer through :meth:`respond`. Under 2026-07-28 the
    transport answers that with an input-required result and closes the
    run; the client's answers come with the next call, and asks already
    answered there return at once.

    A :class:`MissingCapabilityError` escaping the tool fails the request
    itself: after the notifications queued before it, :meth:`next` raises
    it.
    """

    def __init__(self, tool: Tool, arguments: dict[str, Any] | None, ctx: Context,
                 mask_error_details: bool) -> None:
        self.tool = tool
        self.context = ctx
        self._arguments = arguments
        self._mask = mask_error_details
        self._started = False
        self._loop: ToolLoop | None = None
        self._task: asyncio.Task[Any] | None = None
        self._events: deque[CallEvent] = deque()
        self._finished = False
        self._error: MCPError | None = None
        self._questions: _Questions | None = None

    def next(self) -> CallEvent:
        while not self._events:
            if self._error is not None:
                error, self._error = self._error, None
                raise error
            if self._finished:
                return error_result(f"The call of tool '{self.tool.name}' has already finished")
            if self._questions is not None and self._questions.unanswered():
                return WAITING
            self._step()
        event = self._events.popleft()
        return event

    def respond(self, key: str, answer: Answer) -> bool:
        """Deliver the client's answer (or why there is none) to request ``key``.

        False when the call has no such request waiting.
        """
        return self._questions is not None and self._questions.answer(key, answer)

    def close(self) -> None:
        """Abandon the call: cancel its tasks and close its event loop.

        For a caller that stops before the result (its client went away);
        a call that ran to its result is closed already. Idempotent.
        """
        self._shut_down()
        self._events.clear()
        self._error = None
        self._finished = True

    def __del__(self) -> None:
        if getattr(self, "_loop", None) is not None:
            with contextlib.suppress(Exception):
                self._shut_down()

    def _step(self) -> None:
        if not self._started:
            self._started = True
            self._begin()
        else:
            self._advance()

    def _start(self, coroutine: Coroutine[Any, Any, Any]) -> None:
        try:
            loop = _loop_module().new_loop()
        except Exception as exc:
            coroutine.close()
            self._fail(exc)
            return
        self._loop = loop
        self._task = loop.create_task(coroutine, name=f"tool {self.tool.name}")
        self._task.add_done_callback(lambda _: loop.stop())
        # Not a bound method: the run must not be reachable from its own
        # context, so dropping an unfinished run closes it at once (__del__).
        self.context._hand_over = _pause_on(loop, self.context)
        self._questions = _Questions(loop, self.context)
        self.context._asker = self._questions.ask

    def _advance(self) -> None:
        """Run the loop until the task ends or a Context await pauses it."""
        loop, task = self._loop, self._task
        assert loop is not None and task is not None
        try:
            _loop_module().run_here_or_in_a_thread(loop.run_forever)
        except Exception as exc:  # the loop stalled, or cannot run here
            self._shut_down()
            self._fail(exc)
            return
        except BaseException:
            self._shut_down()
            raise
        if not task.done():  # paused at a Context await
            self._events.extend(self.context.drain())
            return
        self._shut_down()
        if task.cancelled():
            self._fail(RuntimeError("the tool's task was cancelled"))
            return
        error = task.exception()
        if error is None:
            self._finish(task.result())
        elif isinstance(error, Exception):  # a failing tool fails its call, never the server
            self._fail(error)
        else:
            raise error

    def _shut_down(self) -> None:
        """Cancel what is left of the call's tasks and close its loop."""
        loop, self._loop, self._task = self._loop, None, None
        self.context._hand_over = None
        self.context._asker = None
        self._questions = None
        if loop is not None:
            with contextlib.suppress(Exception):  # the result stands either way
                loops = _loop_module()
                loops.run_here_or_in_a_thread(lambda: loops.shut_down(loop))

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
            self._start(value)
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
        if isinstance(exc, MissingCapabilityError):
            # A protocol error, not a tool error: the request fails (-32021).
            self._events.extend(self.context.drain())
            self._error = exc
            self._finished = True
            return
        if isinstance(exc, ToolError):
            message = str(exc)
        elif self._mask:
            message = f"Error executing tool {self.tool.name}"
        else:  # str() of e.g. a TimeoutError is empty: name the exception then
            message = f"Error executing tool {self.tool.name}: {str(exc) or type(exc).__name__}"
        self._end(error_result(message))

    def _end(self, result: CallToolResult) -> None:
        self._events.extend(self.context.drain())
        self._events.append(result)
        self._finished = True


def _pause_on(loop: ToolLoop, context: Context) -> Callable[[], Awaitable[None]]:
    """What awaiting a Context method awaits during a call running on ``loop``.

    With notifications queued, it stops the loop at the end of this
    iteration and yields once, so the task resumes only when the next step
    runs the loop again, after :meth:`ToolRun.next` has handed them over.
    """

    async def pause() -> None:
        if not context._pending():
            return
        asyncio = _loop_module().asyncio
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            return
        if running is not loop or loop.is_closed():  # awaited elsewhere: nothing to pause
            return
        loop.stop()
        await asyncio.sleep(0)

    return pause


class _Questions:
    """The requests a call sent the client, and the futures awaiting answers.

    Shared by the run and its context (not the run itself, so that dropping
    an unfinished run still closes it).
    """

    def __init__(self, loop: ToolLoop, context: Context) -> None:
        self._loop = loop
        self._context = context
        self._waiting: dict[str, asyncio.Future[Mapping[str, Any]]] = {}

    async def ask(self, key: str, method: str, params: dict[str, Any]) -> Mapping[str, Any]:
        if _loop_module().asyncio.get_running_loop() is not self._loop:
            raise ClientRequestError(f"{method}: ask the client from the tool call's own event loop")
        future: asyncio.Future[Mapping[str, Any]] = self._loop.create_future()
        self._waiting[key] = future
        self._context._outbox.append(ClientRequest(key, method, params))
        # Stop after this iteration, so every request the call's tasks make
        # now goes out together; the loop runs again once all are answered.
        self._loop.stop()
        try:
            return await future
        finally:
            self._waiting.pop(key, None)

    def answer(self, key: str, answer: Answer) -> bool:
        future = self._waiting.get(key)
        if future is None or future.done():
            return False
        if isinstance(answer, ClientRequestError):
            future.set_exception(answer)
        else:
            future.set_result(answer)
        return True

    def unanswered(self) -> bool:
        return any(not future.done() for future in self._waiting.values())
