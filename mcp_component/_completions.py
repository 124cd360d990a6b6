"""Completions: suggested values for a prompt argument or a template variable.

A handler registered with ``@provider.completion(...)`` takes the value
typed so far, and optionally the arguments already filled in, and returns
suggestions. Without one, an argument annotated with a ``Literal`` of
strings or a string ``Enum`` completes to its members.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from ._context import run_to_end
from ._errors import MCPError
from ._schema import FunctionSchema

__all__ = ["MAX_VALUES", "Completer", "Completion", "CompletionKind", "choices", "complete_choices"]

MAX_VALUES = 100
"""The most values one completion may carry (an MCP limit)."""

CompletionKind = Literal["prompt", "resource_template"]
_KINDS: tuple[str, ...] = get_args(CompletionKind)


@dataclass(frozen=True)
class Completion:
    """Suggested values; ``total`` and ``has_more`` tell about the rest."""

    values: list[str]
    total: int | None = None
    has_more: bool = False


@dataclass(frozen=True)
class Completer:
    """A function completing one argument of a prompt or resource template.

    ``name`` is the prompt's name or the template's URI template. The
    function is called as ``fn(value)`` or ``fn(value, context)``, where
    ``context`` maps the arguments already filled in to their values.
    """

    kind: CompletionKind
    name: str
    argument: str
    fn: Callable[..., Any]
    takes_context: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise ValueError(f"a completion is for a 'prompt' or a 'resource_template', not {self.kind!r}")
        object.__setattr__(self, "takes_context", _takes_context(self.fn))

    def complete(self, value: str, context: Mapping[str, str]) -> Completion:
        """Call the function; raises MCPError (-32603) when it fails."""
        try:
            args: tuple[Any, ...] = (value, dict(context)) if self.takes_context else (value,)
            return _to_completion(run_to_end(self.fn(*args)))
        except MCPError:
            raise
        except Exception as exc:  # a failing completer fails its request, never the server
            raise MCPError(
                f"Error completing argument {self.argument} of {self.kind} {self.name}: {exc}"
            ) from exc


def _takes_context(fn: Callable[..., Any]) -> bool:
    """Whether ``fn`` is ``(value, context)`` rather than ``(value)``."""
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"cannot read the signature of completion handler {fn!r}: {exc}") from exc
    candidates: tuple[tuple[Any, ...], ...] = (("", {}), ("",))
    for args in candidates:
        try:
            signature.bind(*args)
        except TypeError:
            continue
        return len(args) == 2
    raise TypeError(
        f"completion handler {getattr(fn, '__qualname__', fn)!r} must take (value) or (value, context)"
    )


def _to_completion(result: Any) -> Completion:
    if isinstance(result, Completion):
        if len(result.values) <= MAX_VALUES:
            return result
        total = result.total if result.total is not None else len(result.values)
        return Completion(list(result.values[:MAX_VALUES]), total, True)
    if isinstance(result, (str, bytes)) or not isinstance(result, Iterable):
        raise TypeError(f"a completion handler returns a list of str or a Completion, not {type(result).__name__}")
    values = list(result)
    for item in values:
        if not isinstance(item, str):
            raise TypeError(f"completion values must be str, got {type(item).__name__}")
    return _limited(values)


def _limited(values: list[str]) -> Completion:
    if len(values) <= MAX_VALUES:
        return Completion(values)
    return Completion(values[:MAX_VALUES], total=len(values), has_more=True)


def choices(schema: FunctionSchema, argument: str) -> tuple[str, ...] | None:
    """The string values an argument's annotation allows, if it lists them.

    A ``Literal`` of strings or a string ``Enum`` (optionally ``| None``)
    does; anything else gives None.
    """
    prop = schema.input_schema["properties"].get(argument)
    if not isinstance(prop, dict):
        return None
    for candidate in [prop, *prop.get("anyOf", ())]:
        values = [v for v in candidate.get("enum", ()) if v is not None]
        if values and all(isinstance(v, str) for v in values):
            return tuple(values)
    return None


def complete_choices(options: Iterable[str], value: str) -> Completion:
    """The options starting with ``value``, ignoring case, in their order."""
    prefix = value.casefold()
    return _limited([option for option in options if option.casefold().startswith(prefix)])
