"""Tool parameters mirrored into HTTP headers (2026-07-28 ``x-mcp-header``).

``Annotated[str, Header("Region")]`` marks a tool parameter whose value the
client also sends as an ``Mcp-Param-Region`` header, so that HTTP
infrastructure (load balancers, gateways) can route on it without reading
the body. The SDK only declares it in the input schema; the transport
checks that header and body agree.
"""

from __future__ import annotations

import dataclasses
import re
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, get_args, get_origin

__all__ = ["Header", "header_schema", "reject_headers"]

# RFC 9110 token: what a header field name may be made of.
_TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
# JSON types a header can carry as text and give back unchanged.
_HEADER_TYPES = ("string", "integer", "boolean")


@dataclass(frozen=True)
class Header:
    """Marks a tool parameter the client mirrors into an HTTP header.

    Use it in ``Annotated``: ``region: Annotated[str, Header("Region")]``.
    Only a top-level ``str``, ``int`` or ``bool`` parameter can carry one;
    ``name`` is an HTTP token, unique (ignoring case) within the tool.
    """

    name: str


def header_schema(fn: Callable[..., Any], input_schema: dict[str, Any], *, explicit: bool) -> dict[str, Any]:
    """``input_schema`` with ``x-mcp-header`` on each parameter marked with a Header.

    Raises TypeError, naming the parameter, for a marker that cannot be
    honoured: nested in another type, on a parameter of another type, a
    name used twice, or with an explicit input schema (which is kept as
    given).
    """
    marked = _top_level_headers(fn)
    if not marked:
        return input_schema
    name = _name(fn)
    if explicit:
        raise TypeError(
            f"{name}: parameter {next(iter(marked))!r} has a Header marker, but the tool has an explicit"
            " input_schema, which is kept as given; put \"x-mcp-header\" in that schema instead"
        )
    properties: dict[str, Any] = dict(input_schema.get("properties", {}))
    seen: dict[str, str] = {}
    for param, header in marked.items():
        if not isinstance(header.name, str) or not _TOKEN.fullmatch(header.name):
            raise TypeError(
                f"{name}: parameter {param!r}: Header({header.name!r}) is not a valid header name;"
                " it must be an HTTP token (letters, digits and !#$%&'*+-.^_`|~), with no spaces"
            )
        prop = properties.get(param)
        if not isinstance(prop, dict) or prop.get("type") not in _HEADER_TYPES:
            raise TypeError(
                f"{name}: parameter {param!r} has Header({header.name!r}), but only a str, int or"
                f" bool parameter can be mirrored into a header (its schema is {prop!r})"
            )
        other = seen.get(header.name.lower())
        if other is not None:
            raise TypeError(
                f"{name}: parameters {other!r} and {param!r} both use header {header.name!r}"
                " (header names are compared ignoring case)"
            )
        seen[header.name.lower()] = param
        properties[param] = {**prop, "x-mcp-header": header.name}
    return {**input_schema, "properties": properties}


def reject_headers(fn: Callable[..., Any], what: str) -> None:
    """Raise TypeError if a parameter of ``fn`` (a prompt or resource) uses Header."""
    for param, hint in _hints(fn).items():
        if _mentions_header(hint, set()):
            raise TypeError(
                f"{_name(fn)}: parameter {param!r}: Header applies only to tool parameters, not to a {what}"
            )


def _top_level_headers(fn: Callable[..., Any]) -> dict[str, Header]:
    """The Header marker of each parameter that has one at its top level."""
    found: dict[str, Header] = {}
    for param, hint in _hints(fn).items():
        if param == "return":
            continue
        markers: list[Header] = []
        inner: object = hint
        while get_origin(inner) is Annotated:
            args = get_args(inner)
            markers.extend(item for item in args[1:] if isinstance(item, Header))
            inner = args[0]
        if _mentions_header(inner, set()):
            raise TypeError(
                f"{_name(fn)}: parameter {param!r}: Header must mark the parameter itself"
                " (Annotated[str, Header(...)]), not a type nested inside it"
            )
        if len(markers) > 1:
            raise TypeError(f"{_name(fn)}: parameter {param!r} has more than one Header marker")
        if markers:
            found[param] = markers[0]
    return found


def _mentions_header(tp: object, seen: set[int]) -> bool:
    """Whether a Header marker appears anywhere inside the hint ``tp``."""
    if id(tp) in seen:
        return False
    seen.add(id(tp))
    if get_origin(tp) is Annotated:
        args = get_args(tp)
        if any(isinstance(item, Header) for item in args[1:]):
            return True
        return _mentions_header(args[0], seen)
    if any(_mentions_header(arg, seen) for arg in get_args(tp)):
        return True
    if isinstance(tp, type) and (dataclasses.is_dataclass(tp) or typing.is_typeddict(tp)):
        return any(_mentions_header(hint, seen) for hint in _hints(tp).values())
    return False


def _hints(obj: object) -> dict[str, Any]:
    # A hint that does not resolve fails later, with a better message,
    # where the schema is built.
    try:
        return typing.get_type_hints(obj, include_extras=True)
    except Exception:
        return {}


def _name(fn: object) -> str:
    return str(getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None) or repr(fn))
