"""Prompts: the ``@prompt`` decorator, function-backed prompts, and rendering.

A prompt function takes its arguments as parameters and returns messages:
a ``str`` (one user message), a :class:`Message`, content, a list of
those, or a full :class:`PromptResult`. Like ``@tool``, the decorator only
attaches a frozen :class:`PromptSpec` and returns the function unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypedDict, TypeVar, Unpack, get_args, overload

from ._cache import CacheHint
from ._content import Audio, Content, EmbeddedResource, Icon, Image, ResourceLink, Role, Text
from ._context import Context, RequestInfo, is_context, run_to_end
from ._docs import docstring
from ._errors import InvalidParamsError, MCPError
from ._headers import reject_headers
from ._schema import ArgumentError, FunctionSchema, function_schema

__all__ = [
    "Message",
    "Prompt",
    "PromptArgument",
    "PromptOptions",
    "PromptResult",
    "PromptSpec",
    "assistant",
    "prompt",
    "prompt_spec",
    "user",
]

F = TypeVar("F", bound=Callable[..., Any])

PROMPT_ATTRIBUTE = "__mcp_prompt__"

_ROLES: tuple[str, ...] = get_args(Role)
_CONTENT_TYPES = (Text, Image, Audio, ResourceLink, EmbeddedResource)


@dataclass(frozen=True)
class Message:
    """One message of a prompt: who says it, and one block of content."""

    role: Role
    content: Content

    def __post_init__(self) -> None:
        if self.role not in _ROLES:
            raise ValueError(f"a message's role is 'user' or 'assistant', not {self.role!r}")


def user(content: str | Content) -> Message:
    """A message from the user; a ``str`` becomes text."""
    return Message("user", Text(content) if isinstance(content, str) else content)


def assistant(content: str | Content) -> Message:
    """A message from the assistant; a ``str`` becomes text."""
    return Message("assistant", Text(content) if isinstance(content, str) else content)


@dataclass(frozen=True)
class PromptResult:
    """A rendered prompt, for when a plain return value is not enough."""

    messages: list[Message]
    description: str | None = None
    meta: dict[str, Any] | None = None


@dataclass(frozen=True)
class PromptArgument:
    """One argument a prompt accepts, as listed to clients."""

    name: str
    description: str | None = None
    required: bool = False
    title: str | None = None


class PromptOptions(TypedDict, total=False):
    """What ``@prompt(...)`` accepts; every option is optional."""

    name: str
    """The prompt's name; defaults to the function's ``__name__``."""
    title: str
    """A human-readable name."""
    description: str
    """Defaults to the function's docstring (its summary and body)."""
    icons: tuple[Icon, ...]
    meta: dict[str, Any]
    cache: CacheHint
    """How long a client may reuse a prompts/list page that lists this prompt."""


@dataclass(frozen=True)
class PromptSpec:
    """The metadata ``@prompt`` attaches to a function."""

    options: PromptOptions = field(default_factory=lambda: PromptOptions())


@overload
def prompt(fn: F, /) -> F: ...
@overload
def prompt(fn: None = None, /, **options: Unpack[PromptOptions]) -> Callable[[F], F]: ...
def prompt(fn: F | None = None, /, **options: Unpack[PromptOptions]) -> F | Callable[[F], F]:
    """Mark a function as an MCP prompt; use bare or with options.

    The function is returned unchanged, so it stays callable and testable.
    """

    def mark(func: F) -> F:
        # Build the Prompt now so a bad signature fails where it is declared.
        Prompt.from_function(func, PromptSpec(options))
        setattr(func, PROMPT_ATTRIBUTE, PromptSpec(options))
        return func

    return mark(fn) if fn is not None else mark


def prompt_spec(fn: object) -> PromptSpec | None:
    """The spec ``@prompt`` attached to ``fn``, if any."""
    spec = getattr(fn, PROMPT_ATTRIBUTE, None)
    return spec if isinstance(spec, PromptSpec) else None


@dataclass(frozen=True)
class Prompt:
    """A prompt backed by a Python function."""

    name: str
    fn: Callable[..., Any]
    arguments: tuple[PromptArgument, ...] = ()
    title: str | None = None
    description: str | None = None
    icons: tuple[Icon, ...] = ()
    meta: dict[str, Any] | None = None
    cache: CacheHint | None = None
    schema: FunctionSchema = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "schema", function_schema(self.fn, inject=is_context))
        reject_headers(self.fn, "prompt")
        if self.cache is not None and not isinstance(self.cache, CacheHint):
            raise TypeError(f"prompt {self.name}: cache must be a CacheHint, not {self.cache!r}")

    @classmethod
    def from_function(cls, fn: Callable[..., Any], spec: PromptSpec | None = None) -> Prompt:
        """Build a prompt from a function and its ``@prompt`` options."""
        options = (spec or prompt_spec(fn) or PromptSpec()).options
        return cls(
            name=options.get("name") or fn.__name__,
            fn=fn,
            arguments=prompt_arguments(function_schema(fn, inject=is_context)),
            title=options.get("title"),
            description=options.get("description", docstring(fn)),
            icons=tuple(options.get("icons", ())),
            meta=options.get("meta"),
            cache=options.get("cache"),
        )

    def render(self, arguments: Mapping[str, str] | None,
               request: RequestInfo | None = None) -> PromptResult:
        """Call the function with ``arguments`` and return its messages.

        Raises InvalidParamsError naming a missing, unknown or invalid
        argument, and MCPError (-32603) when the function fails. Under
        2026-07-28 a function that asks the client a question it has no
        answer to yet stops with InputRequired.
        """
        try:
            kwargs = self.schema.bind_strings(arguments)
        except ArgumentError as exc:
            raise InvalidParamsError(f"Invalid arguments for prompt '{self.name}': {exc}") from None
        context = Context(request)
        context._stops_for_input = True
        for name in self.schema.injected:
            kwargs[name] = context
        try:
            return _to_result(run_to_end(self.fn(**kwargs)))
        except MCPError:
            raise
        except Exception as exc:  # a failing prompt fails its request, never the server
            raise MCPError(f"Error rendering prompt {self.name}: {exc}") from exc


def prompt_arguments(schema: FunctionSchema) -> tuple[PromptArgument, ...]:
    """The arguments a function's schema lists, with their descriptions."""
    properties: dict[str, Any] = schema.input_schema["properties"]
    required = set(schema.input_schema.get("required", ()))
    return tuple(
        PromptArgument(name, description=prop.get("description"), required=name in required)
        for name, prop in properties.items()
    )


def _to_result(value: Any) -> PromptResult:
    """Turn what a prompt function returned into a PromptResult, in one place."""
    if isinstance(value, PromptResult):
        return value
    if isinstance(value, (list, tuple)):
        return PromptResult([_message(item) for item in value])
    return PromptResult([_message(value)])


def _message(item: Any) -> Message:
    if isinstance(item, Message):
        return item
    if isinstance(item, (str, *_CONTENT_TYPES)):
        return user(item)
    raise TypeError(
        f"a prompt returns str, Message, content, a list of those, or PromptResult;"
        f" got {type(item).__name__}"
    )
