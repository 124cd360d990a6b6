"""Resources: the ``@resource`` decorator, resources, templates and reading.

``@resource("config://app")`` makes a function a :class:`Resource`; a URI
with ``{variables}`` (RFC 6570 ``{name}`` and ``{+name}``) makes it a
:class:`ResourceTemplate`, whose function takes the variables as
parameters. Like ``@tool``, the decorator only attaches a frozen
:class:`ResourceSpec` and returns the function unchanged.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypedDict, TypeVar, Unpack

from ._cache import CacheHint
from ._content import Annotations, Icon
from ._context import Context, RequestInfo, is_context, run_to_end
from ._docs import docstring
from ._errors import InvalidParamsError, MCPError, ResourceNotFoundError
from ._headers import reject_headers
from ._schema import ArgumentError, FunctionSchema, function_schema, to_json

__all__ = [
    "Resource",
    "ResourceContents",
    "ResourceOptions",
    "ResourceSpec",
    "ResourceTemplate",
    "build_resource",
    "is_template",
    "resource",
    "resource_spec",
]

F = TypeVar("F", bound=Callable[..., Any])

RESOURCE_ATTRIBUTE = "__mcp_resource__"


@dataclass(frozen=True)
class ResourceContents:
    """What reading a resource gives: ``text`` or ``blob``, not both."""

    uri: str
    text: str | None = None
    blob: bytes | None = None
    mime_type: str | None = None
    meta: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        if (self.text is None) == (self.blob is None):
            raise ValueError("ResourceContents needs exactly one of text or blob")


class ResourceOptions(TypedDict, total=False):
    """What ``@resource(uri, ...)`` accepts; every option is optional."""

    name: str
    """Defaults to the function's ``__name__``."""
    title: str
    """A human-readable name."""
    description: str
    """Defaults to the function's docstring (its summary and body)."""
    mime_type: str
    """Announced in listings, and the MIME type of what the function returns."""
    size: int
    """The size in bytes, if known (not for templates)."""
    annotations: Annotations
    icons: tuple[Icon, ...]
    meta: dict[str, Any]
    cache: CacheHint
    """How long a client may reuse what reading it gives, and a list page listing it."""


@dataclass(frozen=True)
class ResourceSpec:
    """The URI and metadata ``@resource`` attaches to a function."""

    uri: str
    options: ResourceOptions = field(default_factory=lambda: ResourceOptions())


def resource(uri: str, /, **options: Unpack[ResourceOptions]) -> Callable[[F], F]:
    """Mark a function as an MCP resource, or a template if ``uri`` has ``{...}``.

    The function is returned unchanged, so it stays callable and testable.
    """
    if not isinstance(uri, str):
        raise TypeError('@resource needs a URI: write @resource("scheme://path")')

    def mark(func: F) -> F:
        spec = ResourceSpec(uri, options)
        # Build it now so a bad signature or template fails where it is declared.
        build_resource(func, spec)
        setattr(func, RESOURCE_ATTRIBUTE, spec)
        return func

    return mark


def resource_spec(fn: object) -> ResourceSpec | None:
    """The spec ``@resource`` attached to ``fn``, if any."""
    spec = getattr(fn, RESOURCE_ATTRIBUTE, None)
    return spec if isinstance(spec, ResourceSpec) else None


def is_template(uri: str) -> bool:
    """Whether ``uri`` is an RFC 6570 template rather than a concrete URI."""
    return "{" in uri


def build_resource(fn: Callable[..., Any], spec: ResourceSpec | None = None) -> Resource | ResourceTemplate:
    """A Resource or a ResourceTemplate, as the spec's URI says."""
    spec = spec or resource_spec(fn)
    if spec is None:
        raise TypeError(f"{_name(fn)} has no resource URI; decorate it with @resource(uri)")
    if is_template(spec.uri):
        return ResourceTemplate.from_function(fn, spec)
    return Resource.from_function(fn, spec)


@dataclass(frozen=True)
class Resource:
    """A resource at a fixed URI, read by calling a function.

    The function takes no parameters, except an optional ``Context``.
    """

    uri: str
    name: str
    fn: Callable[..., Any]
    title: str | None = None
    description: str | None = None
    mime_type: str | None = None
    size: int | None = None
    annotations: Annotations | None = None
    icons: tuple[Icon, ...] = ()
    meta: dict[str, Any] | None = None
    cache: CacheHint | None = None
    schema: FunctionSchema = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _check_cache(self.cache, self.uri)
        if not self.uri:
            raise ValueError("a resource needs a non-empty URI")
        if is_template(self.uri):
            raise ValueError(f"{self.uri!r} is a URI template; use ResourceTemplate")
        schema = function_schema(self.fn, inject=is_context)
        params = list(schema.input_schema["properties"])
        if params:
            raise TypeError(
                f"{_name(self.fn)}: the function of resource {self.uri} takes no parameters"
                f" (only a Context), but declares {', '.join(params)}; put variables in"
                " the URI, e.g. 'scheme://items/{id}', to make a template"
            )
        object.__setattr__(self, "schema", schema)

    @classmethod
    def from_function(cls, fn: Callable[..., Any], spec: ResourceSpec | None = None) -> Resource:
        """Build a resource from a function and its ``@resource`` spec."""
        spec = spec or resource_spec(fn)
        if spec is None:
            raise TypeError(f"{_name(fn)} has no resource URI; decorate it with @resource(uri)")
        options = spec.options
        return cls(
            uri=spec.uri,
            name=options.get("name") or fn.__name__,
            fn=fn,
            title=options.get("title"),
            description=options.get("description", docstring(fn)),
            mime_type=options.get("mime_type"),
            size=options.get("size"),
            annotations=options.get("annotations"),
            icons=tuple(options.get("icons", ())),
            meta=options.get("meta"),
            cache=options.get("cache"),
        )

    def read(self, request: RequestInfo | None = None) -> list[ResourceContents]:
        """Call the function and return what it gave as contents."""
        return _read(self.uri, self.fn, {}, self.schema, request, self.mime_type)


# {name} is one path segment; {+name} (reserved expansion) may span several.
_EXPRESSION = re.compile(r"\{([^{}]*)\}")
_VARIABLE = re.compile(r"^(\+?)([A-Za-z_][A-Za-z0-9_]*)$")
_SEGMENT = "[^/?#]+"
_RESERVED = ".+"


@dataclass(frozen=True)
class ResourceTemplate:
    """Resources whose URIs match an RFC 6570 template, read by one function.

    The function's parameters (besides an optional ``Context``) are exactly
    the template's variables; their values are coerced to the annotations.
    """

    uri_template: str
    name: str
    fn: Callable[..., Any]
    title: str | None = None
    description: str | None = None
    mime_type: str | None = None
    annotations: Annotations | None = None
    icons: tuple[Icon, ...] = ()
    meta: dict[str, Any] | None = None
    cache: CacheHint | None = None
    schema: FunctionSchema = field(init=False, repr=False, compare=False)
    variables: tuple[str, ...] = field(init=False, compare=False)
    """The template's variable names, in order."""
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _check_cache(self.cache, self.uri_template)
        pattern, variables = _compile(self.uri_template)
        schema = function_schema(self.fn, inject=is_context)
        reject_headers(self.fn, "resource template")
        params = list(schema.input_schema["properties"])
        if set(params) != set(variables):
            problems = []
            missing = [v for v in variables if v not in params]
            extra = [p for p in params if p not in variables]
            if missing:
                problems.append(f"no parameter for variable(s) {', '.join(missing)}")
            if extra:
                problems.append(f"parameter(s) {', '.join(extra)} not in the template")
            raise TypeError(
                f"{_name(self.fn)}: the parameters must be the variables of"
                f" {self.uri_template}: {'; '.join(problems)}"
            )
        object.__setattr__(self, "schema", schema)
        object.__setattr__(self, "variables", variables)
        object.__setattr__(self, "pattern", pattern)

    @classmethod
    def from_function(cls, fn: Callable[..., Any], spec: ResourceSpec | None = None) -> ResourceTemplate:
        """Build a template from a function and its ``@resource`` spec."""
        spec = spec or resource_spec(fn)
        if spec is None:
            raise TypeError(f"{_name(fn)} has no resource URI; decorate it with @resource(uri)")
        options = spec.options
        if "size" in options:
            raise ValueError(f"size does not apply to resource template {spec.uri}")
        return cls(
            uri_template=spec.uri,
            name=options.get("name") or fn.__name__,
            fn=fn,
            title=options.get("title"),
            description=options.get("description", docstring(fn)),
            mime_type=options.get("mime_type"),
            annotations=options.get("annotations"),
            icons=tuple(options.get("icons", ())),
            meta=options.get("meta"),
            cache=options.get("cache"),
        )

    def match(self, uri: str) -> dict[str, str] | None:
        """The variables' values if ``uri`` matches the whole template, else None."""
        found = self.pattern.fullmatch(uri)
        if found is None:
            return None
        # Expansion percent-encodes what a value cannot hold literally.
        return {name: urllib.parse.unquote(value) for name, value in found.groupdict().items()}

    def read(self, uri: str, request: RequestInfo | None = None) -> list[ResourceContents]:
        """Read the resource at ``uri``, which must match the template."""
        variables = self.match(uri)
        if variables is None:
            raise ResourceNotFoundError(f"Unknown resource: {uri}", data={"uri": uri})
        try:
            kwargs = self.schema.bind_strings(variables)
        except ArgumentError as exc:
            raise InvalidParamsError(
                f"Invalid value for variable {exc.path!r} of {self.uri_template}: {exc.message}"
            ) from None
        return _read(uri, self.fn, kwargs, self.schema, request, self.mime_type)


def _compile(template: str) -> tuple[re.Pattern[str], tuple[str, ...]]:
    """An anchored regex for an RFC 6570 template, and its variable names."""
    parts: list[str] = []
    names: list[str] = []
    position = 0
    for expression in _EXPRESSION.finditer(template):
        parts.append(_literal(template, template[position:expression.start()]))
        variable = _VARIABLE.match(expression.group(1))
        if variable is None:
            raise ValueError(
                f"unsupported expression {expression.group(0)} in URI template {template!r};"
                " only {name} and {+name} are supported"
            )
        reserved, name = variable.groups()
        if name in names:
            raise ValueError(f"variable {name!r} appears twice in URI template {template!r}")
        names.append(name)
        parts.append(f"(?P<{name}>{_RESERVED if reserved else _SEGMENT})")
        position = expression.end()
    parts.append(_literal(template, template[position:]))
    if not names:
        raise ValueError(f"URI template {template!r} has no variables")
    return re.compile("".join(parts), re.DOTALL), tuple(names)


def _literal(template: str, text: str) -> str:
    if "{" in text or "}" in text:
        raise ValueError(f"unbalanced braces in URI template {template!r}")
    return re.escape(text)


def _read(uri: str, fn: Callable[..., Any], kwargs: dict[str, Any], schema: FunctionSchema,
          request: RequestInfo | None, mime_type: str | None) -> list[ResourceContents]:
    context = Context(request)
    context._stops_for_input = True
    for name in schema.injected:
        kwargs[name] = context
    try:
        return _to_contents(uri, run_to_end(fn(**kwargs)), mime_type)
    except MCPError:
        raise
    except Exception as exc:  # a failing resource fails its read, never the server
        raise MCPError(f"Error reading resource {uri}: {exc}") from exc


def _to_contents(uri: str, value: Any, mime_type: str | None) -> list[ResourceContents]:
    """Turn what a resource function returned into contents, in one place."""
    if isinstance(value, ResourceContents):
        return [value]
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, ResourceContents) for v in value):
        return list(value)
    if isinstance(value, str):
        return [ResourceContents(uri, text=value, mime_type=mime_type or "text/plain")]
    if isinstance(value, (bytes, bytearray)):
        return [ResourceContents(uri, blob=bytes(value), mime_type=mime_type or "application/octet-stream")]
    data = json.dumps(to_json(value), ensure_ascii=False, separators=(",", ":"))
    return [ResourceContents(uri, text=data, mime_type=mime_type or "application/json")]


def _check_cache(cache: object, uri: str) -> None:
    if cache is not None and not isinstance(cache, CacheHint):
        raise TypeError(f"resource {uri}: cache must be a CacheHint, not {cache!r}")


def _name(fn: object) -> str:
    return str(getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None) or repr(fn))
