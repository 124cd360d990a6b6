"""JSON Schema from Python type hints, and argument binding against it.

One place turns a tool function's signature into its MCP ``inputSchema``
(JSON Schema 2020-12) and its return annotation into an ``outputSchema``,
validates and coerces incoming JSON arguments against the very same hints,
and turns return values back into plain JSON data.

Each hint is compiled once into a small tree of nodes; a node knows both its
schema and how to bind a JSON value, so the schema a client sees and the
checks the server runs cannot drift apart.
"""

from __future__ import annotations

import collections.abc as cabc
import copy
import dataclasses
import datetime
import decimal
import enum
import inspect
import json
import re
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, NotRequired, Required, Union, get_args, get_origin

from ._content import Audio, CallToolResult, EmbeddedResource, Image, ResourceLink, Text

try:  # optional: constraints such as Annotated[int, Gt(0)]
    import annotated_types  # type: ignore[import-not-found, unused-ignore]
except ImportError:  # pragma: no cover - exercised only where it is absent
    annotated_types = None  # type: ignore[assignment, unused-ignore]

__all__ = [
    "ArgumentError",
    "FunctionSchema",
    "function_schema",
    "return_schema",
    "to_json",
    "type_schema",
    "type_binder",
]


class ArgumentError(Exception):
    """An argument failed validation.

    ``path`` names the field, e.g. ``"items[2].name"`` (empty for the
    arguments object itself); ``message`` says what is wrong.
    """

    def __init__(self, path: str, message: str) -> None:
        super().__init__(path, message)
        self.path = path
        self.message = message

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


# --------------------------------------------------------------------------
# Small helpers


_ALL_TYPES = frozenset({"null", "boolean", "integer", "number", "string", "array", "object"})
_NUMERIC = frozenset({"integer", "number"})
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_MISSING: Any = object()
# typing.ReadOnly / TypeAliasType only exist on newer Pythons.
_ReadOnly: Any = getattr(typing, "ReadOnly", None)
_TypeAliasType: Any = getattr(typing, "TypeAliasType", None)
_CONTENT_TYPES: tuple[type, ...] = (Text, Image, Audio, ResourceLink, EmbeddedResource, CallToolResult)


def _kind(value: object) -> str:
    """The JSON type name of a value (bool is checked before int on purpose)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "array"
    if isinstance(value, Mapping):
        return "object"
    return type(value).__name__


def _short(value: object) -> str:
    try:
        text = json.dumps(value)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _describe(value: object) -> str:
    kind = _kind(value)
    if kind in ("null", "array", "object"):
        return kind
    return f"{kind} {_short(value)}"


def _type_error(path: str, expected: str, value: object) -> ArgumentError:
    return ArgumentError(path, f"expected {expected}, got {_describe(value)}")


def _join(path: str, key: str) -> str:
    if not path:
        return key
    if _IDENT.match(key):
        return f"{path}.{key}"
    return f"{path}[{json.dumps(key)}]"


def _hint_name(tp: object) -> str:
    if isinstance(tp, type):
        return tp.__qualname__
    return repr(tp)


def _accepts(types_: frozenset[str], kind: str) -> bool:
    # JSON Schema treats 1 and 1.0 as the same number.
    if kind in _NUMERIC:
        return bool(types_ & _NUMERIC)
    return kind in types_


def _never(_tp: object) -> bool:
    return False


# --------------------------------------------------------------------------
# Nodes: a compiled hint, with its schema and its binder


class _Node:
    schema: dict[str, Any]
    json_types: frozenset[str] = _ALL_TYPES
    expected: str = "any value"
    # Unions try members in rank order: most specific first.
    rank: int = 7
    is_object: bool = False

    def bind(self, value: Any, path: str, exact: bool) -> Any:
        """Validate and coerce ``value``; ``exact`` forbids int<->float coercion."""
        raise NotImplementedError


class _AnyNode(_Node):
    rank = 9

    def __init__(self) -> None:
        self.schema = {}

    def bind(self, value: Any, path: str, exact: bool) -> Any:
        return value


class _NoneNode(_Node):
    json_types = frozenset({"null"})
    expected = "null"
    rank = 0

    def __init__(self) -> None:
        self.schema = {"type": "null"}

    def bind(self, value: Any, path: str, exact: bool) -> Any:
        if value is not None:
            raise _type_error(path, self.expected, value)
        return None


class _BoolNode(_Node):
    json_types = frozenset({"boolean"})
    expected = "boolean"
    rank = 1

    def __init__(self) -> None:
        self.schema = {"type": "boolean"}

    def bind(self, value: Any, path: str, exact: bool) -> Any:
        if not isinstance(value, bool):
            raise _type_error(path, self.expected, value)
        return value


class _IntNode(_Node):
    json_types = frozenset({"integer"})
    expected = "integer"
    rank = 3

    def __init__(self) -> None:
        self.schema = {"type": "integer"}

    def bind(self, value: Any, path: str, exact: bool) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        # JSON does not distinguish 3 from 3.0; accept an integral float.
        if isinstance(value, float) and not exact and value.is_integer():
            return int(value)
        raise _type_error(path, self.expected, value)


class _FloatNode(_Node):
    json_types = frozenset({"number"})
    expected = "number"
    rank = 4

    def __init__(self) -> None:
        self.schema = {"type": "number"}

    def bind(self, value: Any, path: str, exact: bool) -> Any:
        if isinstance(value, float):
            return value
        if isinstance(value, int) and not isinstance(value, bool) and not exact:
            try:
                return float(value)
            except OverflowError:
                raise ArgumentError(path, "number too large") from None
        raise _type_error(path, self.expected, value)


class _StrNode(_Node):
    json_types = frozenset({"string"})
    expected = "string"
    rank = 8

    def __init__(self) -> None:
        self.schema = {"type": "string"}

    def bind(self, value: Any, path: str, exact: bool) -> Any:
        if not isinstance(value, str):
            raise _type_error(path, self.expected, value)
        return value


class _TemporalNode(_Node):
    json_types = frozenset({"string"})

    def __init__(self, cls: type[datetime.date] | type[datetime.time], fmt: str, expected: str) -> None:
        self.cls = cls
        self.schema = {"type": "string", "format": fmt}
        self.expected = expected
        # "2024-01-02" is a date first: datetime.fromisoformat accepts it too.
        self.rank = 6 if cls is datetime.datetime else 5

    def bind(self, value: Any, path: str, exact: bool) -> Any:
        if isinstance(value, str):
            try:
                return self.cls.fromisoformat(value)
            except ValueError:
                pass
        raise _type_error(path, self.expected, value)


class _ChoiceNode(_Node):
    """Literal values or Enum members: a JSON value maps to one Python value."""

    rank = 2

    def __init__(self, values: list[Any], results: list[Any]) -> None:
        self.values = values
        self.results = results
        kinds = {_kind(v) for v in values}
        self.json_types = frozenset(kinds)
        self.schema = {"enum": list(values)}
        if len(kinds) == 1:
            self.schema["type"] = kinds.pop()
        self.expected = "one of " + ", ".join(_short(v) for v in values)

    def bind(self, value: Any, path: str, exact: bool) -> Any:
        kind = _kind(value)
        for expected, result in zip(self.values, self.results):
            other = _kind(expected)
            # Type-aware equality: True must not match 1, but 1.0 may match 1.
            same = other == kind or (other in _NUMERIC and kind in _NUMERIC)
            if same and expected == value:
                return result
        raise _type_error(path, self.expected, value)


class _ArrayNode(_Node):
    json_types = frozenset({"array"})
    expected = "array"

    def __init__(self, item: _Node, container: Callable[[list[Any]], Any], unique: bool) -> None:
        self.item = item
        self.container = container
        self.unique = unique
        self.schema = {"type": "array"}
        if item.schema:
            self.schema["items"] = item.schema
        if unique:
            self.schema["uniqueItems"] = True

    def bind(self, value: Any, path: str, exact: bool) -> Any:
        if not isinstance(value, (list, tuple)):
            raise _type_error(path, self.expected, value)
        items = [self.item.bind(v, f"{path}[{i}]", exact) for i, v in enumerate(value)]
        if self.unique:
            # The schema says uniqueItems, so duplicates are an error, not merged.
            seen: list[Any] = []
            for i, v in enumerate(items):
                if v in seen:
                    raise ArgumentError(f"{path}[{i}]", "duplicate item")
                seen.append(v)
        return self.container(items)


class _TupleNode(_Node):
    json_types = frozenset({"array"})

    def __init__(self, items: list[_Node]) -> None:
        self.items = items
        n = len(items)
        self.expected = f"array of {n} item{'' if n == 1 else 's'}"
        self.schema = {"type": "array", "minItems": n, "maxItems": n}
        if items:
            self.schema["prefixItems"] = [node.schema for node in items]

    def bind(self, value: Any, path: str, exact: bool) -> Any:
        if not isinstance(value, (list, tuple)):
            raise _type_error(path, self.expected, value)
        if len(value) != len(self.items):
            raise ArgumentError(path, f"expected {self.expected}, got {len(value)}")
        return tuple(node.bind(v, f"{path}[{i}]", exact) for i, (node, v) in enumerate(zip(self.items, value)))


class _MapNode(_Node):
    json_types = frozenset({"object"})
    expected = "object"
    is_object = True

    def __init__(self, value: _Node) -> None:
        self.value = value
        self.schema = {"type": "object"}
        if value.schema:
            self.schema["additionalProperties"] = value.schema

    def bind(self, value: Any, path: str, exact: bool) -> Any:
        if not isinstance(value, Mapping):
            raise _type_error(path, self.expected, value)
        return {k: self.value.bind(v, _join(path, str(k)), exact) for k, v in value.items()}


@dataclass
class _Field:
    name: str
    node: _Node
    required: bool
    schema: dict[str, Any]


class _ObjectNode(_Node):
    """A fixed set of named fields: a dataclass, a TypedDict, or tool arguments."""

    json_types = frozenset({"object"})
    expected = "object"
    is_object = True

    def __init__(
        self,
        fields: list[_Field],
        build: Callable[[dict[str, Any], str], Any],
        noun: str = "field",
        defaults: Mapping[str, Any] | None = None,
    ) -> None:
        self.fields = fields
        self.by_name = {f.name: f for f in fields}
        self.build = build
        self.noun = noun
        self.defaults = defaults or {}
        self.schema = {
            "type": "object",
            "properties": {f.name: f.schema for f in fields},
        }
        required = [f.name for f in fields if f.required]
        if required:
            self.schema["required"] = required
        self.schema["additionalProperties"] = False

    def bind(self, value: Any, path: str, exact: bool) -> Any:
        if not isinstance(value, Mapping):
            raise _type_error(path, self.expected, value)
        # Unknown keys first: a misspelt name explains the "missing" that follows.
        for key in value:
            if key not in self.by_name:
                names = ", ".join(self.by_name)
                hint = f"; expected one of: {names}" if names else f"; no {self.noun}s are accepted"
                raise ArgumentError(_join(path, str(key)), f"unknown {self.noun}{hint}")
        out: dict[str, Any] = {}
        for f in self.fields:
            sub = _join(path, f.name)
            if f.name in value:
                out[f.name] = f.node.bind(value[f.name], sub, exact)
            elif f.name in self.defaults:
                out[f.name] = self.defaults[f.name]
            elif f.required:
                raise ArgumentError(sub, f"missing required {self.noun}")
        return self.build(out, path)


class _UnionNode(_Node):
    def __init__(self, members: list[_Node]) -> None:
        self.members = members
        self.ordered = sorted(members, key=lambda m: m.rank)
        self.schema = {"anyOf": [m.schema for m in members]}
        self.json_types = frozenset().union(*(m.json_types for m in members))
        self.expected = " or ".join(dict.fromkeys(m.expected for m in members))

    def bind(self, value: Any, path: str, exact: bool) -> Any:
        # An exact pass first, so that 5 binds to int and 5.0 to float in int | float.
        errors: dict[int, ArgumentError] = {}
        for exact_pass in (True,) if exact else (True, False):
            for member in self.ordered:
                try:
                    return member.bind(value, path, exact_pass)
                except ArgumentError as exc:
                    errors[id(member)] = exc
        # When only one member takes this JSON type, its error is the useful one
        # (e.g. the bad field inside an Optional[dataclass]).
        kind = _kind(value)
        takers = [m for m in self.members if _accepts(m.json_types, kind)]
        if len(takers) == 1:
            raise errors[id(takers[0])]
        if takers:  # several shapes of this JSON type; say why each failed
            reasons = "; ".join(str(errors[id(m)]) for m in takers)
            raise ArgumentError(path, f"matches none of the alternatives ({reasons})")
        raise _type_error(path, self.expected, value)


class _ConstrainedNode(_Node):
    """Annotated[...] metadata: a description and annotated_types constraints."""

    def __init__(self, inner: _Node, keywords: dict[str, Any], description: str | None) -> None:
        self.inner = inner
        self.keywords = keywords
        self.schema = {**inner.schema, **keywords}
        if description is not None:
            self.schema["description"] = description
        self.json_types = inner.json_types
        self.expected = inner.expected
        self.rank = inner.rank
        self.is_object = inner.is_object

    def bind(self, value: Any, path: str, exact: bool) -> Any:
        result = self.inner.bind(value, path, exact)
        # Checked on the JSON value, as a JSON Schema validator would.
        for keyword, limit in self.keywords.items():
            problem = _violation(keyword, limit, value)
            if problem is not None:
                raise ArgumentError(path, problem)
        return result


def _violation(keyword: str, limit: Any, value: Any) -> str | None:
    if keyword in _NUMERIC_KEYWORDS:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None
        if keyword == "minimum" and not value >= limit:
            return f"must be >= {limit}"
        if keyword == "maximum" and not value <= limit:
            return f"must be <= {limit}"
        if keyword == "exclusiveMinimum" and not value > limit:
            return f"must be > {limit}"
        if keyword == "exclusiveMaximum" and not value < limit:
            return f"must be < {limit}"
        if keyword == "multipleOf" and not _is_multiple(value, limit):
            return f"must be a multiple of {limit}"
        return None
    size_of = _LENGTH_KEYWORDS.get(keyword)
    if size_of is None:
        return None
    kind, one, many = size_of
    if _kind(value) != kind:
        return None
    unit = one if limit == 1 else many
    if keyword.startswith("min") and len(value) < limit:
        return f"must have at least {limit} {unit}"
    if keyword.startswith("max") and len(value) > limit:
        return f"must have at most {limit} {unit}"
    return None


_NUMERIC_KEYWORDS = frozenset({"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"})
_LENGTH_KEYWORDS: dict[str, tuple[str, str, str]] = {
    "minLength": ("string", "character", "characters"),
    "maxLength": ("string", "character", "characters"),
    "minItems": ("array", "item", "items"),
    "maxItems": ("array", "item", "items"),
    "minProperties": ("object", "property", "properties"),
    "maxProperties": ("object", "property", "properties"),
}


def _is_multiple(value: int | float, step: int | float) -> bool:
    if isinstance(value, int) and isinstance(step, int):
        return value % step == 0
    # Decimal via repr, so that 0.3 counts as a multiple of 0.1.
    try:
        return decimal.Decimal(repr(value)) % decimal.Decimal(repr(step)) == 0
    except decimal.InvalidOperation:
        return False


# --------------------------------------------------------------------------
# Compiling hints into nodes


_LIST_ORIGINS: frozenset[Any] = frozenset(
    {list, cabc.Sequence, cabc.MutableSequence, cabc.Collection, cabc.Iterable}
)
_SET_ORIGINS: dict[Any, Callable[[list[Any]], Any]] = {
    set: set,
    cabc.MutableSet: set,
    frozenset: frozenset,
    cabc.Set: frozenset,
}
_MAP_ORIGINS: frozenset[Any] = frozenset({dict, cabc.Mapping, cabc.MutableMapping})
_QUALIFIERS: tuple[Any, ...] = tuple(q for q in (Required, NotRequired, _ReadOnly) if q is not None)


def _peel(tp: object) -> tuple[object, list[object], bool | None]:
    """Strip Annotated and TypedDict qualifiers, in any nesting order.

    Returns the bare hint, the Annotated metadata (innermost first, so later
    entries win) and True/False for Required/NotRequired, None if neither.
    """
    metadata: list[object] = []
    required: bool | None = None
    while True:
        origin = get_origin(tp)
        if origin is Annotated:
            args = get_args(tp)
            metadata = [*args[1:], *metadata]
            tp = args[0]
        elif origin in _QUALIFIERS:
            if origin is Required:
                required = True
            elif origin is NotRequired:
                required = False
            tp = get_args(tp)[0]
        else:
            return tp, metadata, required


def _build(tp: object, stack: tuple[object, ...]) -> _Node:
    bare, metadata, _ = _peel(tp)
    if metadata:
        return _apply_metadata(_build(bare, stack), metadata)
    tp = bare
    if isinstance(tp, (str, typing.ForwardRef)):
        raise TypeError(f"unresolved forward reference {tp!r}")
    if _TypeAliasType is not None and isinstance(tp, _TypeAliasType):
        if tp in stack:
            raise TypeError(f"recursive type {_hint_name(tp)} is not supported")
        return _build(tp.__value__, (*stack, tp))
    if isinstance(tp, typing.NewType):
        return _build(tp.__supertype__, stack)
    if tp is Any or tp is object:
        return _AnyNode()
    if tp is None or tp is type(None):
        return _NoneNode()
    if tp is bool:
        return _BoolNode()
    if tp is int:
        return _IntNode()
    if tp is float:
        return _FloatNode()
    if tp is str or tp is typing.LiteralString:
        return _StrNode()
    if tp is datetime.datetime:
        return _TemporalNode(datetime.datetime, "date-time", "date-time string (ISO 8601)")
    if tp is datetime.date:
        return _TemporalNode(datetime.date, "date", "date string (YYYY-MM-DD)")
    if tp is datetime.time:
        return _TemporalNode(datetime.time, "time", "time string (HH:MM:SS)")

    origin = get_origin(tp)
    args = get_args(tp)
    if origin is Union or origin is types.UnionType:
        return _UnionNode([_build(a, stack) for a in args])
    if origin is Literal:
        return _build_literal(tp, args)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return _build_enum(tp)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _build_dataclass(tp, stack)
    if typing.is_typeddict(tp):
        return _build_typeddict(tp, stack)
    return _build_container(tp, origin, args, stack)


def _build_container(tp: object, origin: Any, args: tuple[Any, ...], stack: tuple[object, ...]) -> _Node:
    base = origin if origin is not None else tp
    try:
        hash(base)
    except TypeError:
        raise TypeError(f"unsupported type hint {_hint_name(tp)}") from None
    if base is tuple:
        if tp is tuple or tp is typing.Tuple or (len(args) == 2 and args[1] is Ellipsis):
            item = _build(args[0], stack) if args else _AnyNode()
            return _ArrayNode(item, tuple, unique=False)
        return _TupleNode([_build(a, stack) for a in args])
    if base in _LIST_ORIGINS:
        return _ArrayNode(_build(args[0], stack) if args else _AnyNode(), list, unique=False)
    if base in _SET_ORIGINS:
        return _ArrayNode(_build(args[0], stack) if args else _AnyNode(), _SET_ORIGINS[base], unique=True)
    if base in _MAP_ORIGINS:
        if args:
            key = _peel(args[0])[0]
            if key is not str and key is not Any:
                raise TypeError(f"unsupported type hint {_hint_name(tp)}: JSON object keys are strings")
            return _MapNode(_build(args[1], stack))
        return _MapNode(_AnyNode())
    raise TypeError(f"unsupported type hint {_hint_name(tp)}")


def _scalar(value: object, where: str) -> object:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"{where}: value {value!r} is not a JSON string, number, boolean or null")


def _build_literal(tp: object, args: tuple[Any, ...]) -> _Node:
    values: list[Any] = []
    for a in args:
        # PEP 586 allows enum members inside Literal: bind to the member.
        values.append(_scalar(a.value if isinstance(a, enum.Enum) else a, _hint_name(tp)))
    return _ChoiceNode(values, list(args))


def _build_enum(cls: type[enum.Enum]) -> _Node:
    members = list(cls)
    values = [_scalar(m.value, _hint_name(cls)) for m in members]
    return _ChoiceNode(values, members)


def _class_hints(cls: type) -> dict[str, Any]:
    try:
        return typing.get_type_hints(cls, include_extras=True)
    except Exception as exc:  # NameError, or anything a bad annotation raises
        raise TypeError(f"cannot resolve the type hints of {_hint_name(cls)}: {exc}") from exc


def _property(node: _Node, description: object = None, default: object = _MISSING) -> dict[str, Any]:
    schema = dict(node.schema)
    if isinstance(description, str) and description and "description" not in schema:
        schema["description"] = description
    if default is not _MISSING:
        try:
            schema["default"] = to_json(default)
        except (TypeError, ValueError):
            pass  # a default JSON cannot carry is simply not advertised
    return schema


def _build_dataclass(cls: type, stack: tuple[object, ...]) -> _Node:
    if cls in stack:
        raise TypeError(f"recursive type {_hint_name(cls)} is not supported")
    stack = (*stack, cls)
    hints = _class_hints(cls)
    if any(isinstance(h, dataclasses.InitVar) for h in hints.values()):
        raise TypeError(f"dataclass {_hint_name(cls)} has an InitVar, which is not supported")
    fields: list[_Field] = []
    for f in dataclasses.fields(cls):
        if not f.init:
            continue
        node = _build(hints.get(f.name, Any), stack)
        has_default = f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING
        schema = _property(node, f.metadata.get("description"), f.default if f.default is not dataclasses.MISSING else _MISSING)
        fields.append(_Field(f.name, node, not has_default, schema))

    def build(values: dict[str, Any], path: str) -> Any:
        try:
            return cls(**values)
        except (TypeError, ValueError) as exc:  # e.g. a __post_init__ check
            raise ArgumentError(path, f"invalid {cls.__name__}: {exc}") from exc

    return _ObjectNode(fields, build)


def _build_typeddict(cls: Any, stack: tuple[object, ...]) -> _Node:
    if cls in stack:
        raise TypeError(f"recursive type {_hint_name(cls)} is not supported")
    stack = (*stack, cls)
    hints = _class_hints(cls)
    required_keys: frozenset[str] = getattr(cls, "__required_keys__", frozenset())
    fields: list[_Field] = []
    for name, hint in hints.items():
        bare, metadata, required = _peel(hint)
        node = _build(bare, stack)
        if metadata:
            node = _apply_metadata(node, metadata)
        # Required/NotRequired read from the hint too: under
        # `from __future__ import annotations` __required_keys__ can miss them.
        is_required = required if required is not None else name in required_keys
        fields.append(_Field(name, node, is_required, _property(node)))
    return _ObjectNode(fields, lambda values, path: values)


def _apply_metadata(node: _Node, metadata: list[object]) -> _Node:
    description: str | None = None
    keywords: dict[str, Any] = {}
    for item in _flatten_metadata(metadata):
        if isinstance(item, str):
            description = item
        elif annotated_types is not None and isinstance(item, annotated_types.BaseMetadata):
            keywords.update(_constraint_keywords(item, node))
        # Other metadata belongs to someone else; ignore it.
    if description is None and not keywords:
        return node
    return _ConstrainedNode(node, keywords, description)


def _flatten_metadata(metadata: Iterable[object]) -> Iterable[object]:
    for item in metadata:
        if (
            annotated_types is not None
            and not isinstance(item, str)
            and isinstance(item, annotated_types.GroupedMetadata)
        ):
            yield from _flatten_metadata(typing.cast(Iterable[object], item))
        else:
            yield item


def _constraint_keywords(item: object, node: _Node) -> dict[str, Any]:
    assert annotated_types is not None
    at = annotated_types
    numeric: tuple[str, object] | None = None
    if isinstance(item, at.Gt):
        numeric = ("exclusiveMinimum", item.gt)
    elif isinstance(item, at.Ge):
        numeric = ("minimum", item.ge)
    elif isinstance(item, at.Lt):
        numeric = ("exclusiveMaximum", item.lt)
    elif isinstance(item, at.Le):
        numeric = ("maximum", item.le)
    elif isinstance(item, at.MultipleOf):
        numeric = ("multipleOf", item.multiple_of)
    if numeric is not None:
        keyword, limit = numeric
        if not node.json_types & _NUMERIC:
            raise TypeError(f"{item!r} does not apply to {node.expected}")
        if isinstance(limit, bool) or not isinstance(limit, (int, float)):
            raise TypeError(f"{item!r}: only numeric bounds can be expressed in JSON Schema")
        if keyword == "multipleOf" and not limit > 0:
            raise TypeError(f"{item!r}: multipleOf must be positive")
        return {keyword: limit}
    if isinstance(item, (at.MinLen, at.MaxLen)):
        prefix = "min" if isinstance(item, at.MinLen) else "max"
        limit = item.min_length if isinstance(item, at.MinLen) else item.max_length
        out: dict[str, Any] = {}
        for kind, suffix in (("string", "Length"), ("array", "Items"), ("object", "Properties")):
            if kind in node.json_types:
                out[prefix + suffix] = limit
        if not out:
            raise TypeError(f"{item!r} does not apply to {node.expected}")
        return out
    return {}


# --------------------------------------------------------------------------
# Public API


def type_schema(tp: object) -> dict[str, Any]:
    """JSON Schema for one type hint.

    Raises TypeError, naming the hint, for hints that have no JSON form.
    """
    return copy.deepcopy(_build(tp, ()).schema)


@dataclass(frozen=True)
class FunctionSchema:
    """A tool function's input schema, and the binder for its arguments."""

    input_schema: dict[str, Any]
    # Parameters left out of the schema (e.g. a Context), name -> the hint.
    injected: dict[str, Any]
    _arguments: _ObjectNode = field(repr=False, compare=False)

    def bind(self, arguments: Mapping[str, Any] | None) -> dict[str, Any]:
        """Validate and coerce JSON arguments into keyword arguments.

        Defaults are filled in; injected parameters are not (the caller adds
        them). Raises ArgumentError naming the first bad field.
        """
        if arguments is None:
            arguments = {}
        if not isinstance(arguments, Mapping):
            raise ArgumentError("", f"arguments must be a JSON object, got {_describe(arguments)}")
        result: dict[str, Any] = self._arguments.bind(arguments, "", False)
        return result

    def bind_strings(self, arguments: Mapping[str, Any] | None) -> dict[str, Any]:
        """Like :meth:`bind`, for arguments that arrive as strings.

        URI template variables and prompt arguments are strings on the wire;
        a string for a parameter that takes no string is parsed first (as
        JSON, else as a bool, int or float literal), so ``"42"`` binds to an
        ``int``. A string that does not parse is bound as is and fails there,
        naming the parameter.
        """
        if not isinstance(arguments, Mapping):
            return self.bind(arguments)
        parsed: dict[str, Any] = {}
        for key, value in arguments.items():
            known = self._arguments.by_name.get(key)
            if known is not None and isinstance(value, str):
                value = _from_string(value, known.node.json_types)
            parsed[key] = value
        return self.bind(parsed)


def _from_string(value: str, json_types: frozenset[str]) -> Any:
    if "string" in json_types:
        return value
    try:
        return json.loads(value)
    except ValueError:
        pass
    # Spellings JSON rejects but a person typing a URI or an argument uses.
    text = value.strip()
    if "boolean" in json_types and text.lower() in ("true", "false"):
        return text.lower() == "true"
    for kind, parse in (("integer", int), ("number", float)):
        if kind in json_types:
            try:
                return parse(text)
            except ValueError:
                pass
    return value


def _callable_name(fn: object) -> str:
    return str(getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None) or repr(fn))


def function_schema(
    fn: Callable[..., Any], *, inject: Callable[[object], bool] = _never
) -> FunctionSchema:
    """Build the input schema of a tool function and a binder for its arguments.

    Parameters whose hint satisfies ``inject`` (tried on the hint, on it
    without Annotated, and on X of Optional[X]) are left out of the schema
    and listed in ``injected``.
    ``*args``, ``**kwargs`` and positional-only parameters raise TypeError.
    """
    name = _callable_name(fn)
    try:
        signature = inspect.signature(fn)
        hints = typing.get_type_hints(fn, include_extras=True)
    except Exception as exc:  # NameError from a bad annotation, ValueError from a builtin...
        raise TypeError(f"cannot read the signature of {name}: {exc}") from exc
    docs = _docstring_args(inspect.getdoc(fn))

    fields: list[_Field] = []
    defaults: dict[str, Any] = {}
    injected: dict[str, Any] = {}
    for param in signature.parameters.values():
        if param.kind is inspect.Parameter.VAR_POSITIONAL:
            raise TypeError(f"{name}: *{param.name} is not supported; tool parameters must be named")
        if param.kind is inspect.Parameter.VAR_KEYWORD:
            raise TypeError(f"{name}: **{param.name} is not supported; tool parameters must be named")
        if param.kind is inspect.Parameter.POSITIONAL_ONLY:
            raise TypeError(f"{name}: positional-only parameter {param.name!r} is not supported")
        hint = hints.get(param.name, _MISSING)
        if hint is not _MISSING and any(inject(h) for h in _injection_candidates(hint)):
            injected[param.name] = hint
            continue
        try:
            node = _AnyNode() if hint is _MISSING else _build(hint, ())
        except TypeError as exc:
            raise TypeError(f"{name}: parameter {param.name!r}: {exc}") from exc
        default = _MISSING if param.default is inspect.Parameter.empty else param.default
        if default is not _MISSING:
            defaults[param.name] = default
        schema = copy.deepcopy(_property(node, docs.get(param.name), default))
        fields.append(_Field(param.name, node, default is _MISSING, schema))

    arguments = _ObjectNode(fields, lambda values, path: values, noun="argument", defaults=defaults)
    return FunctionSchema(copy.deepcopy(arguments.schema), injected, arguments)


def _injection_candidates(hint: object) -> list[object]:
    """The hint, then without Annotated, then X from Optional[X]."""
    candidates = [hint]
    bare = _peel(hint)[0]
    if bare is not hint:
        candidates.append(bare)
    if get_origin(bare) is Union or get_origin(bare) is types.UnionType:
        others = [a for a in get_args(bare) if a is not type(None)]
        if len(others) == 1:
            candidates.append(_peel(others[0])[0])
    return candidates


_SECTION = re.compile(r"^(Args|Arguments|Parameters|Params|Keyword Args|Keyword Arguments):\s*$")
_ENTRY = re.compile(r"^\*{0,2}(?P<name>\w+)\s*(?:\(.*\))?\s*:\s*(?P<text>.*)$")


def _docstring_args(doc: str | None) -> dict[str, str]:
    """Parameter descriptions from a Google-style "Args:" section."""
    if not doc:
        return {}
    result: dict[str, str] = {}
    header: int | None = None  # indent of the section header while inside one
    entry: int | None = None  # indent of the entries in the current section
    current: str | None = None
    for line in inspect.cleandoc(doc).splitlines():
        text = line.strip()
        indent = len(line) - len(line.lstrip())
        if header is not None and text and indent <= header:
            header = None  # dedent ends the section
        if header is None:
            if _SECTION.match(text):
                header, entry, current = indent, None, None
            continue
        if not text:
            continue
        if entry is None:
            entry = indent
        if indent <= entry:
            match = _ENTRY.match(text)
            current = match["name"] if match else None
            if match is not None:
                result[match["name"]] = match["text"].strip()
        elif current is not None:
            result[current] = f"{result[current]} {text}".strip()
    return result


def _mentions_content(tp: object) -> bool:
    if isinstance(tp, type) and issubclass(tp, _CONTENT_TYPES):
        return True
    return any(_mentions_content(a) for a in get_args(tp))


def return_schema(fn: Callable[..., Any]) -> tuple[dict[str, Any] | None, bool]:
    """The outputSchema implied by a function's return annotation.

    Returns ``(schema, wrapped)``. ``(None, False)`` when there is no
    annotation, when it is None, str, Any or content (those become content,
    not structured output), or when it has no JSON Schema. Dicts, dataclasses
    and TypedDicts give an object schema as is; anything else is wrapped as
    ``{"result": ...}`` and ``wrapped`` is True, so the caller must wrap the
    value the same way.
    """
    try:
        hints = typing.get_type_hints(fn, include_extras=True)
    except Exception:  # an unresolvable return hint means no output schema
        return None, False
    if "return" not in hints:
        return None, False
    tp = hints["return"]
    bare = _peel(tp)[0]
    if bare is None or bare is type(None) or bare is str or bare is Any or bare is object:
        return None, False
    if _mentions_content(tp):
        return None, False
    try:
        node = _build(tp, ())
    except TypeError:
        return None, False
    schema = copy.deepcopy(node.schema)
    if node.is_object:
        return schema, False
    return {"type": "object", "properties": {"result": schema}, "required": ["result"]}, True


def to_json(value: Any) -> Any:
    """Convert a Python value into plain JSON data.

    Dataclasses become dicts (recursively), Enums their values, tuples and
    sets lists, mapping keys strings, dates and times ISO 8601 strings.
    Raises TypeError for anything else that JSON cannot carry.
    """
    return _to_json(value, set())


def _to_json(value: Any, active: set[int]) -> Any:
    if isinstance(value, enum.Enum):
        return _to_json(value.value, active)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    is_dataclass = dataclasses.is_dataclass(value) and not isinstance(value, type)
    is_container = is_dataclass or isinstance(value, (Mapping, list, tuple, set, frozenset))
    if isinstance(value, (bytes, bytearray, memoryview)):
        raise TypeError(f"{type(value).__name__} value {_short(value)} cannot be converted to JSON: return "
                        "Image(data, mime_type), Audio(data, mime_type) or an EmbeddedResource with a blob, "
                        "or text")
    if not is_container:
        raise TypeError(f"{type(value).__name__} value {_short(value)} cannot be converted to JSON")
    if id(value) in active:
        raise TypeError("circular reference cannot be converted to JSON")
    active.add(id(value))
    try:
        if is_dataclass:
            return {f.name: _to_json(getattr(value, f.name), active) for f in dataclasses.fields(value)}
        if isinstance(value, Mapping):
            return {_json_key(k): _to_json(v, active) for k, v in value.items()}
        items = [_to_json(v, active) for v in value]
        if isinstance(value, (set, frozenset)):
            try:  # sets have no order; sort when possible so output is stable
                items.sort()
            except TypeError:
                pass
        return items
    finally:
        active.discard(id(value))


def _json_key(key: object) -> str:
    if isinstance(key, enum.Enum):
        key = key.value
    if isinstance(key, str):
        return key
    # The same spelling json.dumps uses for non-string keys.
    if key is None or isinstance(key, (bool, int, float)):
        return json.dumps(key)
    raise TypeError(f"mapping key {key!r} cannot be converted to a JSON object key")


def type_binder(tp: object) -> tuple[dict[str, Any], Callable[[Any], Any]]:
    """JSON Schema for ``tp``, and a function binding a JSON value to it.

    The binder validates and coerces like tool arguments do, raising
    :class:`ArgumentError` naming the first bad field.
    """
    node = _build(tp, ())
    return copy.deepcopy(node.schema), lambda value: node.bind(value, "", False)
