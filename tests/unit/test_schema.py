"""Tests for mcp_component._schema: schemas from hints, binding, output, to_json.

No ``from __future__ import annotations`` here on purpose: evaluated hints are
tested in this file, string hints in ``_future_annotated_fns.py``.
"""

import collections.abc
import datetime
import enum
import importlib.util
import pathlib
import sys
import typing
from dataclasses import dataclass, field
from types import ModuleType
from typing import (
    Annotated,
    Any,
    Dict,
    List,
    Literal,
    Mapping,
    NewType,
    NotRequired,
    Optional,
    Required,
    Sequence,
    Tuple,
    TypedDict,
    Union,
)

import annotated_types as at
import pytest

from mcp_component._content import CallToolResult, Image, Text
from mcp_component._schema import (
    ArgumentError,
    FunctionSchema,
    function_schema,
    return_schema,
    to_json,
    type_schema,
)


# --------------------------------------------------------------------------
# Types used across the tests


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


class Mixed(enum.Enum):
    A = "a"
    ONE = 1


@dataclass
class Address:
    street: str
    zip_code: str | None = None


@dataclass
class Person:
    name: str
    age: int
    address: Address | None = None
    tags: list[str] = field(default_factory=list)


@dataclass
class Positive:
    value: int

    def __post_init__(self) -> None:
        if self.value <= 0:
            raise ValueError("value must be positive")


@dataclass
class Node:
    children: list["Node"]


class Movie(TypedDict):
    title: str
    year: int


class PartialMovie(TypedDict, total=False):
    title: Required[str]
    year: int
    rating: Annotated[float, "out of 10"]


class MovieWithOptional(TypedDict):
    title: str
    sequel: NotRequired[str]


class TreeDict(TypedDict):
    children: list["TreeDict"]


UserId = NewType("UserId", int)


class Opaque:
    """A class with no JSON form."""


class Ctx:
    """Stands in for the real Context type."""


def _is_ctx(tp: object) -> bool:
    return tp is Ctx


def _fn_for(tp: object) -> typing.Callable[..., Any]:
    """A one-parameter function `f(value: tp)`, to bind single values."""

    def f(value):  # type: ignore[no-untyped-def]
        return value

    f.__annotations__ = {"value": tp}
    return f


def bind_one(tp: object, value: Any) -> Any:
    return function_schema(_fn_for(tp)).bind({"value": value})["value"]


def bind_error(tp: object, value: Any) -> ArgumentError:
    with pytest.raises(ArgumentError) as info:
        bind_one(tp, value)
    return info.value


# --------------------------------------------------------------------------
# ArgumentError


def test_argument_error_str_with_path() -> None:
    err = ArgumentError("items[2].name", "expected string, got integer 3")
    assert err.path == "items[2].name"
    assert err.message == "expected string, got integer 3"
    assert str(err) == "items[2].name: expected string, got integer 3"


def test_argument_error_str_without_path() -> None:
    assert str(ArgumentError("", "arguments must be a JSON object")) == "arguments must be a JSON object"


# --------------------------------------------------------------------------
# type_schema


@pytest.mark.parametrize(
    ("hint", "schema"),
    [
        (str, {"type": "string"}),
        (int, {"type": "integer"}),
        (float, {"type": "number"}),
        (bool, {"type": "boolean"}),
        (None, {"type": "null"}),
        (type(None), {"type": "null"}),
        (Any, {}),
        (object, {}),
        (Optional[int], {"anyOf": [{"type": "integer"}, {"type": "null"}]}),
        (Union[int, str], {"anyOf": [{"type": "integer"}, {"type": "string"}]}),
        (int | str, {"anyOf": [{"type": "integer"}, {"type": "string"}]}),
        (str | None, {"anyOf": [{"type": "string"}, {"type": "null"}]}),
        (list[int], {"type": "array", "items": {"type": "integer"}}),
        (List[str], {"type": "array", "items": {"type": "string"}}),
        (Sequence[int], {"type": "array", "items": {"type": "integer"}}),
        (collections.abc.Sequence[int], {"type": "array", "items": {"type": "integer"}}),
        (list, {"type": "array"}),
        (List, {"type": "array"}),
        (list[Any], {"type": "array"}),
        (tuple[int, ...], {"type": "array", "items": {"type": "integer"}}),
        (tuple, {"type": "array"}),
        (
            tuple[int, str],
            {
                "type": "array",
                "minItems": 2,
                "maxItems": 2,
                "prefixItems": [{"type": "integer"}, {"type": "string"}],
            },
        ),
        (Tuple[int], {"type": "array", "minItems": 1, "maxItems": 1, "prefixItems": [{"type": "integer"}]}),
        (tuple[()], {"type": "array", "minItems": 0, "maxItems": 0}),
        (set[str], {"type": "array", "items": {"type": "string"}, "uniqueItems": True}),
        (frozenset[int], {"type": "array", "items": {"type": "integer"}, "uniqueItems": True}),
        (dict[str, int], {"type": "object", "additionalProperties": {"type": "integer"}}),
        (Dict[str, str], {"type": "object", "additionalProperties": {"type": "string"}}),
        (Mapping[str, float], {"type": "object", "additionalProperties": {"type": "number"}}),
        (dict, {"type": "object"}),
        (dict[str, Any], {"type": "object"}),
        (Literal["a", "b"], {"enum": ["a", "b"], "type": "string"}),
        (Literal[1, 2], {"enum": [1, 2], "type": "integer"}),
        (Literal["a", 1], {"enum": ["a", 1]}),
        (Literal[True], {"enum": [True], "type": "boolean"}),
        (Literal["a", None], {"enum": ["a", None]}),
        (Literal[Color.RED], {"enum": ["red"], "type": "string"}),
        (Color, {"enum": ["red", "blue"], "type": "string"}),
        (Level, {"enum": [1, 2], "type": "integer"}),
        (Mixed, {"enum": ["a", 1]}),
        (datetime.date, {"type": "string", "format": "date"}),
        (datetime.datetime, {"type": "string", "format": "date-time"}),
        (datetime.time, {"type": "string", "format": "time"}),
        (UserId, {"type": "integer"}),
        (Annotated[int, "how many"], {"type": "integer", "description": "how many"}),
        (Annotated[str, "first", "second"], {"type": "string", "description": "second"}),
        (Annotated[int, object()], {"type": "integer"}),
        (
            Optional[Annotated[str, "a name"]],
            {"anyOf": [{"type": "string", "description": "a name"}, {"type": "null"}]},
        ),
    ],
    ids=repr,
)
def test_type_schema(hint: object, schema: dict[str, Any]) -> None:
    assert type_schema(hint) == schema


def test_type_schema_dataclass_nested_inline() -> None:
    assert type_schema(Person) == {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "age": {"type": "integer"},
            "address": {
                "anyOf": [
                    {
                        "type": "object",
                        "properties": {
                            "street": {"type": "string"},
                            "zip_code": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
                        },
                        "required": ["street"],
                        "additionalProperties": False,
                    },
                    {"type": "null"},
                ],
                "default": None,
            },
            # default_factory is not called, so no "default" is advertised
            "tags": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["name", "age"],
        "additionalProperties": False,
    }


def test_type_schema_dataclass_field_metadata_description() -> None:
    @dataclass
    class Box:
        size: int = field(metadata={"description": "edge length"})
        label: Annotated[str, "what is inside"] = field(default="", metadata={"description": "loses"})

    assert type_schema(Box)["properties"] == {
        "size": {"type": "integer", "description": "edge length"},
        "label": {"type": "string", "description": "what is inside", "default": ""},
    }


def test_type_schema_dataclass_skips_init_false_fields() -> None:
    @dataclass
    class Counted:
        name: str
        count: int = field(init=False, default=0)

    assert list(type_schema(Counted)["properties"]) == ["name"]


def test_type_schema_typeddict() -> None:
    assert type_schema(Movie) == {
        "type": "object",
        "properties": {"title": {"type": "string"}, "year": {"type": "integer"}},
        "required": ["title", "year"],
        "additionalProperties": False,
    }


def test_type_schema_typeddict_total_false_and_required() -> None:
    assert type_schema(PartialMovie) == {
        "type": "object",
        "properties": {
            "title": {"type": "string"},
            "year": {"type": "integer"},
            "rating": {"type": "number", "description": "out of 10"},
        },
        "required": ["title"],
        "additionalProperties": False,
    }


def test_type_schema_typeddict_not_required() -> None:
    schema = type_schema(MovieWithOptional)
    assert schema["required"] == ["title"]
    assert schema["properties"]["sequel"] == {"type": "string"}


@pytest.mark.parametrize(
    ("hint", "schema"),
    [
        (Annotated[int, "GT"], {"type": "integer", "exclusiveMinimum": 0}),
        (Annotated[int, "GE"], {"type": "integer", "minimum": 1}),
        (Annotated[float, "LT"], {"type": "number", "exclusiveMaximum": 10}),
        (Annotated[float, "LE"], {"type": "number", "maximum": 9.5}),
        (Annotated[int, "MULT"], {"type": "integer", "multipleOf": 5}),
        (Annotated[str, "MINLEN"], {"type": "string", "minLength": 2}),
        (Annotated[str, "MAXLEN"], {"type": "string", "maxLength": 3}),
        (Annotated[list[int], "LEN"], {"type": "array", "items": {"type": "integer"}, "minItems": 1, "maxItems": 3}),
        (Annotated[dict[str, int], "MINLEN"], {"type": "object", "additionalProperties": {"type": "integer"}, "minProperties": 2}),
        (Annotated[int, "INTERVAL"], {"type": "integer", "minimum": 0, "exclusiveMaximum": 100}),
        (
            Annotated[int | None, "GT"],
            {"anyOf": [{"type": "integer"}, {"type": "null"}], "exclusiveMinimum": 0},
        ),
    ],
    ids=repr,
)
def test_type_schema_constraints(hint: Any, schema: dict[str, Any]) -> None:
    assert type_schema(_with_constraints(hint)) == schema


def _with_constraints(hint: Any) -> Any:
    """Replace the placeholder string of Annotated[T, "NAME"] by a real constraint.

    Lets the parametrize list above be built even without annotated_types.
    """
    assert at is not None
    inner, name = typing.get_args(hint)
    constraint = {
        "GT": at.Gt(0),
        "GE": at.Ge(1),
        "LT": at.Lt(10),
        "LE": at.Le(9.5),
        "MULT": at.MultipleOf(5),
        "MINLEN": at.MinLen(2),
        "MAXLEN": at.MaxLen(3),
        "LEN": at.Len(1, 3),
        "INTERVAL": at.Interval(ge=0, lt=100),
    }[name]
    return Annotated[inner, constraint]


def test_type_schema_constraint_with_description() -> None:
    assert at is not None
    assert type_schema(Annotated[int, at.Ge(0), "a count"]) == {
        "type": "integer",
        "minimum": 0,
        "description": "a count",
    }


def test_type_schema_nested_constraints() -> None:
    assert at is not None
    hint = Annotated[list[Annotated[int, at.Gt(0)]], at.MinLen(1)]
    assert type_schema(hint) == {
        "type": "array",
        "items": {"type": "integer", "exclusiveMinimum": 0},
        "minItems": 1,
    }


@pytest.mark.parametrize(
    "make",
    [
        lambda: Annotated[str, at.Gt(0)],
        lambda: Annotated[int, at.MinLen(1)],
        lambda: Annotated[datetime.date, at.Gt(datetime.date(2020, 1, 1))],
        lambda: Annotated[int, at.MultipleOf(0)],
    ],
    ids=["gt-on-str", "minlen-on-int", "non-numeric-bound", "multipleof-zero"],
)
def test_type_schema_constraint_that_does_not_apply(make: typing.Callable[[], Any]) -> None:
    with pytest.raises(TypeError):
        type_schema(make())


class BadEnum(enum.Enum):
    PAIR = (1, 2)


@pytest.mark.parametrize(
    ("hint", "named"),
    [
        (bytes, "bytes"),
        (complex, "complex"),
        (Opaque, "Opaque"),
        (list[Opaque], "Opaque"),
        (dict[int, str], "dict[int, str]"),
        (typing.TypeVar("T"), "~T"),
        (BadEnum, "BadEnum"),
        (Literal[b"x"], "b'x'"),
        (Node, "Node"),
        (TreeDict, "TreeDict"),
        ("Person", "Person"),
    ],
    ids=repr,
)
def test_type_schema_unsupported_raises_naming_the_hint(hint: object, named: str) -> None:
    with pytest.raises(TypeError, match=named.replace("[", r"\[").replace("]", r"\]")):
        type_schema(hint)


def test_type_schema_recursive_type_is_a_clean_type_error() -> None:
    with pytest.raises(TypeError, match="recursive"):
        type_schema(Node)
    with pytest.raises(TypeError, match="recursive"):
        type_schema(TreeDict)


def test_type_schema_same_dataclass_twice_is_not_recursion() -> None:
    @dataclass
    class Route:
        start: Address
        end: Address

    schema = type_schema(Route)
    assert schema["properties"]["start"] == schema["properties"]["end"]


def test_type_schema_returns_a_fresh_copy() -> None:
    first = type_schema(Person)
    first["properties"].clear()
    assert type_schema(Person)["properties"]


# --------------------------------------------------------------------------
# bind: successful coercion


@pytest.mark.parametrize(
    ("hint", "value", "expected"),
    [
        (str, "x", "x"),
        (str, "", ""),
        (int, 3, 3),
        (int, 3.0, 3),
        (int, -7, -7),
        (float, 2.5, 2.5),
        (float, 2, 2.0),
        (bool, True, True),
        (bool, False, False),
        (None, None, None),
        (Any, {"a": [1]}, {"a": [1]}),
        (object, "anything", "anything"),
        (Optional[int], None, None),
        (Optional[int], 4, 4),
        (int | str, "5", "5"),
        (int | str, 5, 5),
        (str | int, 5, 5),
        (int | float, 5, 5),
        (int | float, 5.0, 5.0),
        (float | int, 5, 5),
        (int | str, 5.0, 5),
        (float | None, 3, 3.0),
        (bool | int, True, True),
        (bool | int, 1, 1),
        (Literal["a"] | str, "a", "a"),
        (list[int], [1, 2], [1, 2]),
        (List[float], [1, 2.5], [1.0, 2.5]),
        (Sequence[str], ["a"], ["a"]),
        (list, [1, "a"], [1, "a"]),
        (tuple[int, ...], [1, 2], (1, 2)),
        (tuple[int, str], [1, "a"], (1, "a")),
        (tuple, [1, "a"], (1, "a")),
        (tuple[()], [], ()),
        (set[str], ["a", "b"], {"a", "b"}),
        (frozenset[int], [1, 2], frozenset({1, 2})),
        (dict[str, int], {"a": 1}, {"a": 1}),
        (Mapping[str, list[int]], {"a": [1]}, {"a": [1]}),
        (dict, {"a": None}, {"a": None}),
        (Literal["a", "b"], "b", "b"),
        (Literal[1, 2], 2, 2),
        (Literal[1, 2], 2.0, 2),
        (Literal[True, "x"], True, True),
        (Literal[None, "x"], None, None),
        (Literal[Color.RED], "red", Color.RED),
        (Color, "blue", Color.BLUE),
        (Level, 2, Level.HIGH),
        (Mixed, 1, Mixed.ONE),
        (datetime.date, "2024-03-05", datetime.date(2024, 3, 5)),
        (datetime.datetime, "2024-03-05T10:20:30", datetime.datetime(2024, 3, 5, 10, 20, 30)),
        (
            datetime.datetime,
            "2024-03-05T10:20:30+00:00",
            datetime.datetime(2024, 3, 5, 10, 20, 30, tzinfo=datetime.timezone.utc),
        ),
        (datetime.time, "10:20", datetime.time(10, 20)),
        (datetime.date | str, "2024-03-05", datetime.date(2024, 3, 5)),
        (str | datetime.date, "2024-03-05", datetime.date(2024, 3, 5)),
        (str | datetime.date, "soon", "soon"),
        (datetime.datetime | datetime.date, "2024-03-05", datetime.date(2024, 3, 5)),
        (UserId, 7, 7),
        (Annotated[int, "desc"], 1, 1),
        (Movie, {"title": "Up", "year": 2009}, {"title": "Up", "year": 2009}),
        (PartialMovie, {"title": "Up"}, {"title": "Up"}),
        (list[Optional[int]], [1, None], [1, None]),
        (dict[str, Color], {"x": "red"}, {"x": Color.RED}),
    ],
    ids=repr,
)
def test_bind_value(hint: object, value: Any, expected: Any) -> None:
    result = bind_one(hint, value)
    assert result == expected
    assert type(result) is type(expected)


def test_bind_dataclass_recursively() -> None:
    person = bind_one(Person, {"name": "Ann", "age": 30, "address": {"street": "Main St"}})
    assert person == Person("Ann", 30, Address("Main St"))
    assert isinstance(person.address, Address)


def test_bind_dataclass_uses_its_own_defaults() -> None:
    a = bind_one(Person, {"name": "A", "age": 1})
    b = bind_one(Person, {"name": "B", "age": 2})
    assert a.tags == [] and a.tags is not b.tags


def test_bind_list_of_dataclasses() -> None:
    result = bind_one(list[Address], [{"street": "a"}, {"street": "b", "zip_code": "123"}])
    assert result == [Address("a"), Address("b", "123")]


def test_bind_union_of_dataclass_and_str() -> None:
    assert bind_one(Address | str, "x") == "x"
    assert bind_one(Address | str, {"street": "s"}) == Address("s")


def test_bind_any_passes_the_same_object_through() -> None:
    payload = {"k": [1, 2]}
    assert bind_one(Any, payload) is payload


# --------------------------------------------------------------------------
# bind: errors


@pytest.mark.parametrize(
    ("hint", "value", "path", "message"),
    [
        (int, "5", "value", 'expected integer, got string "5"'),
        (int, True, "value", "expected integer, got boolean true"),
        (int, 2.5, "value", "expected integer, got number 2.5"),
        (int, None, "value", "expected integer, got null"),
        (float, True, "value", "expected number, got boolean true"),
        (float, "1.5", "value", 'expected number, got string "1.5"'),
        (bool, 1, "value", "expected boolean, got integer 1"),
        (bool, "true", "value", 'expected boolean, got string "true"'),
        (str, 5, "value", "expected string, got integer 5"),
        (str, ["a"], "value", "expected string, got array"),
        (None, 0, "value", "expected null, got integer 0"),
        (Optional[int], "x", "value", 'expected integer or null, got string "x"'),
        (int | str, [1], "value", "expected integer or string, got array"),
        (int | None, 1.5, "value", "expected integer, got number 1.5"),
        (list[int], {"a": 1}, "value", "expected array, got object"),
        (list[int], [1, "x"], "value[1]", 'expected integer, got string "x"'),
        (list[list[int]], [[1], [2, None]], "value[1][1]", "expected integer, got null"),
        (tuple[int, str], [1], "value", "expected array of 2 items, got 1"),
        (tuple[int, str], [1, 2], "value[1]", "expected string, got integer 2"),
        (set[int], [1, 2, 1], "value[2]", "duplicate item"),
        (dict[str, int], [], "value", "expected object, got array"),
        (dict[str, int], {"a": 1, "b": "x"}, "value.b", 'expected integer, got string "x"'),
        (dict[str, int], {"a b": "x"}, 'value["a b"]', 'expected integer, got string "x"'),
        (Literal["a", "b"], "c", "value", 'expected one of "a", "b", got string "c"'),
        (Literal[1, 2], True, "value", "expected one of 1, 2, got boolean true"),
        (Literal[1, 2], "1", "value", 'expected one of 1, 2, got string "1"'),
        (Color, "green", "value", 'expected one of "red", "blue", got string "green"'),
        (Color, "RED", "value", 'expected one of "red", "blue", got string "RED"'),
        (Level, True, "value", "expected one of 1, 2, got boolean true"),
        (datetime.date, "05/03/2024", "value", 'expected date string (YYYY-MM-DD), got string "05/03/2024"'),
        (datetime.date, 20240305, "value", "expected date string (YYYY-MM-DD), got integer 20240305"),
        (datetime.datetime, "yesterday", "value", 'expected date-time string (ISO 8601), got string "yesterday"'),
        (datetime.time, "25:00", "value", 'expected time string (HH:MM:SS), got string "25:00"'),
        (Address, "Main St", "value", 'expected object, got string "Main St"'),
        (Address, {}, "value.street", "missing required field"),
        (Address, {"street": "s", "city": "c"}, "value.city", "unknown field; expected one of: street, zip_code"),
        (Address, {"street": 1}, "value.street", "expected string, got integer 1"),
        (Movie, {"title": "Up"}, "value.year", "missing required field"),
        (Movie, {"title": "Up", "year": 1, "x": 1}, "value.x", "unknown field; expected one of: title, year"),
        (PartialMovie, {"year": 2000}, "value.title", "missing required field"),
        (Positive, {"value": 0}, "value", "invalid Positive: value must be positive"),
    ],
    ids=repr,
)
def test_bind_error(hint: object, value: Any, path: str, message: str) -> None:
    err = bind_error(hint, value)
    assert (err.path, err.message) == (path, message)


def test_bind_error_nested_path_in_list_of_dataclasses() -> None:
    @dataclass
    class Item:
        name: str
        qty: int = 1

    fs = function_schema(_fn_with(items=list[Item]))
    with pytest.raises(ArgumentError) as info:
        fs.bind({"items": [{"name": "a"}, {"name": 5}]})
    assert info.value.path == "items[1].name"
    assert str(info.value) == "items[1].name: expected string, got integer 5"


def test_bind_error_inside_optional_dataclass_keeps_the_path() -> None:
    err = bind_error(Person, {"name": "A", "age": 1, "address": {"street": 3}})
    assert err.path == "value.address.street"


def test_bind_error_inside_union_with_one_array_member() -> None:
    err = bind_error(list[int] | str, [1, "x"])
    assert (err.path, err.message) == ("value[1]", 'expected integer, got string "x"')


def test_bind_error_union_of_several_objects_explains_each() -> None:
    err = bind_error(Address | Movie, {"title": "x"})
    assert err.path == "value"
    assert err.message == (
        "matches none of the alternatives "
        "(value.title: unknown field; expected one of: street, zip_code; value.year: missing required field)"
    )


def test_bind_error_union_of_arrays() -> None:
    err = bind_error(list[int] | list[str], [1, "a"])
    assert err.message.startswith("matches none of the alternatives (value[1]: ")
    err = bind_error(list[int] | list[str], 5)
    assert err.message == "expected array, got integer 5"


def test_bind_error_long_values_are_shortened() -> None:
    err = bind_error(int, "x" * 100)
    assert err.message.endswith("...")
    assert len(err.message) < 80


@pytest.mark.parametrize(
    ("constraint", "inner", "good", "bad", "message"),
    [
        ("GT", int, 1, 0, "must be > 0"),
        ("GE", int, 1, 0, "must be >= 1"),
        ("LT", float, 9.9, 10, "must be < 10"),
        ("LE", float, 9.5, 9.6, "must be <= 9.5"),
        ("MULT", int, 10, 12, "must be a multiple of 5"),
        ("MINLEN", str, "ab", "a", "must have at least 2 characters"),
        ("MAXLEN", str, "abc", "abcd", "must have at most 3 characters"),
        ("LEN", list[int], [1], [], "must have at least 1 item"),
        ("LEN", list[int], [1, 2, 3], [1, 2, 3, 4], "must have at most 3 items"),
        ("MINLEN", dict[str, int], {"a": 1, "b": 2}, {"a": 1}, "must have at least 2 properties"),
        ("INTERVAL", int, 0, 100, "must be < 100"),
        ("INTERVAL", int, 99, -1, "must be >= 0"),
        ("GT", Optional[int], None, -5, "must be > 0"),
    ],
)
def test_bind_constraints(constraint: str, inner: Any, good: Any, bad: Any, message: str) -> None:
    hint = _with_constraints(Annotated[inner, constraint])
    assert bind_one(hint, good) == good
    err = bind_error(hint, bad)
    assert (err.path, err.message) == ("value", message)


def test_bind_multiple_of_float() -> None:
    assert at is not None
    hint = Annotated[float, at.MultipleOf(0.1)]
    assert bind_one(hint, 0.3) == 0.3
    assert bind_error(hint, 0.25).message == "must be a multiple of 0.1"


def test_bind_constraint_on_list_items_has_item_path() -> None:
    assert at is not None
    hint = list[Annotated[int, at.Ge(0)]]
    err = bind_error(hint, [1, -1])
    assert (err.path, err.message) == ("value[1]", "must be >= 0")


def test_bind_constraint_in_dataclass_field() -> None:
    assert at is not None

    @dataclass
    class Order:
        qty: Annotated[int, at.Gt(0)]

    err = bind_error(list[Order], [{"qty": 1}, {"qty": 0}])
    assert str(err) == "value[1].qty: must be > 0"


# --------------------------------------------------------------------------
# function_schema


def _fn_with(**hints: object) -> typing.Callable[..., Any]:
    """A function with required keyword parameters annotated as given."""
    params = ", ".join(hints)
    namespace: dict[str, Any] = {}
    exec(f"def fn({params}):\n    return None\n", namespace)
    fn = namespace["fn"]
    fn.__annotations__ = dict(hints)
    return typing.cast(typing.Callable[..., Any], fn)


def test_function_schema_basic() -> None:
    def add(a: int, b: int = 2, *, label: str | None = None) -> int:
        return a + b

    fs = function_schema(add)
    assert isinstance(fs, FunctionSchema)
    assert fs.input_schema == {
        "type": "object",
        "properties": {
            "a": {"type": "integer"},
            "b": {"type": "integer", "default": 2},
            "label": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
        },
        "required": ["a"],
        "additionalProperties": False,
    }
    assert fs.injected == {}
    assert "$schema" not in fs.input_schema


def test_function_schema_no_parameters() -> None:
    def ping() -> str:
        return "pong"

    fs = function_schema(ping)
    assert fs.input_schema == {"type": "object", "properties": {}, "additionalProperties": False}
    assert fs.bind(None) == {}
    assert fs.bind({}) == {}
    with pytest.raises(ArgumentError) as info:
        fs.bind({"x": 1})
    assert str(info.value) == "x: unknown argument; no arguments are accepted"


def test_function_schema_omits_required_when_all_have_defaults() -> None:
    def f(a: int = 1, b: str = "x") -> None: ...

    assert "required" not in function_schema(f).input_schema


def test_bind_fills_defaults() -> None:
    def f(a: int, b: int = 2, c: list[int] | None = None) -> None: ...

    fs = function_schema(f)
    assert fs.bind({"a": 1}) == {"a": 1, "b": 2, "c": None}
    assert fs.bind({"a": 1, "b": 3, "c": [4]}) == {"a": 1, "b": 3, "c": [4]}


def test_bind_explicit_null_for_a_non_optional_default_is_rejected() -> None:
    def f(b: int = 2) -> None: ...

    with pytest.raises(ArgumentError, match="b: expected integer, got null"):
        function_schema(f).bind({"b": None})


@pytest.mark.parametrize(
    ("arguments", "text"),
    [
        ({}, "a: missing required argument"),
        ({"a": 1, "z": 2}, "z: unknown argument; expected one of: a, b"),
        # an unknown name is reported before the missing one it probably meant
        ({"aa": 1}, "aa: unknown argument; expected one of: a, b"),
        ({"a": "1"}, 'a: expected integer, got string "1"'),
        ([1, 2], "arguments must be a JSON object, got array"),
        ("a=1", 'arguments must be a JSON object, got string "a=1"'),
    ],
)
def test_bind_argument_errors(arguments: Any, text: str) -> None:
    def f(a: int, b: int = 0) -> None: ...

    with pytest.raises(ArgumentError) as info:
        function_schema(f).bind(arguments)
    assert str(info.value) == text


def test_bind_reports_the_first_bad_field_in_signature_order() -> None:
    def f(a: int, b: int, c: int) -> None: ...

    with pytest.raises(ArgumentError) as info:
        function_schema(f).bind({"c": "x", "b": "y"})
    assert info.value.path == "a"
    with pytest.raises(ArgumentError) as info:
        function_schema(f).bind({"a": 1, "c": "x", "b": "y"})
    assert info.value.path == "b"


def test_unannotated_parameter_accepts_anything() -> None:
    def f(x, y: int = 0):  # type: ignore[no-untyped-def]
        return x

    fs = function_schema(f)
    assert fs.input_schema["properties"]["x"] == {}
    assert fs.input_schema["required"] == ["x"]
    payload = {"deep": [1, {"a": None}]}
    assert fs.bind({"x": payload})["x"] is payload


def test_var_positional_is_rejected() -> None:
    def spread(a: int, *rest: int) -> None: ...

    with pytest.raises(TypeError, match=r"spread.*\*rest"):
        function_schema(spread)


def test_var_keyword_is_rejected() -> None:
    def options(a: int, **extra: str) -> None: ...

    with pytest.raises(TypeError, match=r"options.*\*\*extra"):
        function_schema(options)


def test_positional_only_is_rejected() -> None:
    def pos(a: int, /, b: int) -> None: ...

    with pytest.raises(TypeError, match=r"pos.*positional-only.*'a'"):
        function_schema(pos)


def test_unsupported_parameter_type_names_function_and_parameter() -> None:
    def upload(name: str, data: bytes) -> None: ...

    with pytest.raises(TypeError, match=r"upload: parameter 'data': unsupported type hint bytes"):
        function_schema(upload)


def test_unresolvable_annotation_is_a_type_error() -> None:
    def broken(x: "DoesNotExist") -> None: ...  # type: ignore[name-defined] # noqa: F821

    with pytest.raises(TypeError, match="broken"):
        function_schema(broken)


def test_bound_method() -> None:
    class Tools:
        def scale(self, x: float, factor: float = 2.0) -> float:
            return x * factor

    fs = function_schema(Tools().scale)
    assert list(fs.input_schema["properties"]) == ["x", "factor"]
    assert fs.bind({"x": 1}) == {"x": 1.0, "factor": 2.0}


def test_injected_parameters_are_left_out() -> None:
    def f(query: str, ctx: Ctx, limit: int = 5) -> None: ...

    fs = function_schema(f, inject=_is_ctx)
    assert fs.injected == {"ctx": Ctx}
    assert list(fs.input_schema["properties"]) == ["query", "limit"]
    assert fs.input_schema["required"] == ["query"]
    assert fs.bind({"query": "q"}) == {"query": "q", "limit": 5}
    with pytest.raises(ArgumentError, match="ctx: unknown argument"):
        fs.bind({"query": "q", "ctx": {}})


@pytest.mark.parametrize("hint", [Annotated[Ctx, "the context"], Optional[Ctx], Ctx | None])
def test_injected_through_annotated_and_optional(hint: object) -> None:
    fs = function_schema(_fn_with(ctx=hint, x=int), inject=_is_ctx)
    assert fs.injected == {"ctx": hint}
    assert list(fs.input_schema["properties"]) == ["x"]


def test_injected_type_without_inject_is_unsupported() -> None:
    with pytest.raises(TypeError, match="Ctx"):
        function_schema(_fn_with(ctx=Ctx))


def test_defaults_are_converted_to_json() -> None:
    def f(
        color: Color = Color.RED,
        day: datetime.date = datetime.date(2024, 1, 2),
        pair: tuple[int, int] = (1, 2),
        thing: Any = Opaque(),
    ) -> None: ...

    props = function_schema(f).input_schema["properties"]
    assert props["color"]["default"] == "red"
    assert props["day"]["default"] == "2024-01-02"
    assert props["pair"]["default"] == [1, 2]
    assert "default" not in props["thing"]  # not JSON-serialisable: not advertised


def test_defaults_are_passed_as_python_values() -> None:
    sentinel = Opaque()

    def f(color: Color = Color.RED, thing: Any = sentinel) -> None: ...

    bound = function_schema(f).bind({})
    assert bound["color"] is Color.RED
    assert bound["thing"] is sentinel


def test_input_schema_is_independent_of_later_mutation() -> None:
    def f(p: Person) -> None: ...

    fs = function_schema(f)
    fs.input_schema["properties"]["p"]["properties"].clear()
    assert fs.bind({"p": {"name": "A", "age": 1}}) == {"p": Person("A", 1)}
    assert function_schema(f).input_schema["properties"]["p"]["properties"]


# --------------------------------------------------------------------------
# Descriptions from docstrings


def test_google_docstring_descriptions() -> None:
    def f(query: str, limit: int = 10, mode: str = "fast", flag: bool = False) -> None:
        """Search things.

        Longer text that mentions name: not a parameter.

        Args:
            query: The text to look for.
            limit (int): Maximum number of
                results to return.
            mode (str, optional): Either "fast" or "slow" (default: "fast").
            unknown: Describes no parameter.

        Returns:
            flag: not an argument, this is the Returns section.
        """

    props = function_schema(f).input_schema["properties"]
    assert props["query"]["description"] == "The text to look for."
    assert props["limit"]["description"] == "Maximum number of results to return."
    assert props["mode"]["description"] == 'Either "fast" or "slow" (default: "fast").'
    assert "description" not in props["flag"]


def test_annotated_description_wins_over_docstring() -> None:
    def f(query: Annotated[str, "From Annotated"], other: int) -> None:
        """Do it.

        Args:
            query: From the docstring.
            other: Only in the docstring.
        """

    props = function_schema(f).input_schema["properties"]
    assert props["query"]["description"] == "From Annotated"
    assert props["other"]["description"] == "Only in the docstring."


def test_docstring_variants() -> None:
    def f(a: int, b: int, c: int) -> None:
        """Summary.

        Arguments:
          a:first

          b:
              second, on its own line
          *c: starred name

        Note:
            c: ignored, another section.
        """

    props = function_schema(f).input_schema["properties"]
    assert props["a"]["description"] == "first"
    assert props["b"]["description"] == "second, on its own line"
    assert props["c"]["description"] == "starred name"


def test_no_docstring_or_no_args_section() -> None:
    def f(a: int) -> None:
        """Just a summary."""

    def g(a: int) -> None: ...

    assert function_schema(f).input_schema["properties"]["a"] == {"type": "integer"}
    assert function_schema(g).input_schema["properties"]["a"] == {"type": "integer"}


# --------------------------------------------------------------------------
# from __future__ import annotations


@pytest.fixture(scope="module")
def future_fns() -> ModuleType:
    # Loaded by path so the test does not depend on how pytest sets sys.path.
    path = pathlib.Path(__file__).with_name("_future_annotated_fns.py")
    spec = importlib.util.spec_from_file_location("_future_annotated_fns", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve string hints through sys.modules
    spec.loader.exec_module(module)
    return module


def test_future_annotations_are_strings(future_fns: ModuleType) -> None:
    assert isinstance(future_fns.search.__annotations__["query"], str)


def test_future_annotations_function_schema(future_fns: ModuleType) -> None:
    fs = function_schema(future_fns.search)
    props = fs.input_schema["properties"]
    assert props["query"] == {"type": "string", "description": "What to look for"}
    assert props["limit"] == {"type": "integer", "description": "At most this many results.", "default": 10}
    assert props["since"] == {"anyOf": [{"type": "string", "format": "date"}, {"type": "null"}], "default": None}
    assert props["order"] == {"enum": ["asc", "desc"], "type": "string", "default": "asc"}
    assert props["point"]["anyOf"][0]["properties"]["x"] == {"type": "number"}
    assert fs.input_schema["required"] == ["query"]

    bound = fs.bind({"query": "q", "since": "2024-01-02", "point": {"x": 1, "y": 2.5}})
    assert bound["since"] == datetime.date(2024, 1, 2)
    assert bound["point"] == future_fns.Point(1.0, 2.5)


def test_future_annotations_typeddict(future_fns: ModuleType) -> None:
    fs = function_schema(future_fns.describe)
    schema = fs.input_schema["properties"]["filters"]
    assert schema["required"] == ["name"]
    assert schema["properties"]["limit"] == {"type": "integer", "description": "max results"}
    assert fs.bind({"filters": {"name": "n", "limit": 3}}) == {"filters": {"name": "n", "limit": 3}}
    with pytest.raises(ArgumentError, match="filters.name: missing required field"):
        fs.bind({"filters": {"tags": []}})


def test_future_annotations_return_schema(future_fns: ModuleType) -> None:
    schema, wrapped = return_schema(future_fns.make_point)
    assert wrapped is False
    assert schema is not None and schema["required"] == ["x", "y"]
    schema, wrapped = return_schema(future_fns.search)
    assert wrapped is True
    assert schema is not None and schema["properties"]["result"]["type"] == "array"


# --------------------------------------------------------------------------
# return_schema


def _returning(tp: object) -> typing.Callable[..., Any]:
    def f():  # type: ignore[no-untyped-def]
        return None

    f.__annotations__ = {"return": tp}
    return f


def test_return_schema_without_annotation() -> None:
    def f():  # type: ignore[no-untyped-def]
        return 1

    assert return_schema(f) == (None, False)


@pytest.mark.parametrize(
    "hint",
    [None, type(None), str, Any, object, Annotated[str, "text"], Text, Image, list[Text], Text | Image,
     CallToolResult, Optional[Text], Opaque, bytes, Node],
    ids=repr,
)
def test_return_schema_none(hint: object) -> None:
    assert return_schema(_returning(hint)) == (None, False)


@pytest.mark.parametrize(
    ("hint", "result"),
    [
        (int, {"type": "integer"}),
        (float, {"type": "number"}),
        (bool, {"type": "boolean"}),
        (list[int], {"type": "array", "items": {"type": "integer"}}),
        (Optional[int], {"anyOf": [{"type": "integer"}, {"type": "null"}]}),
        (dict[str, int] | None, {"anyOf": [{"type": "object", "additionalProperties": {"type": "integer"}}, {"type": "null"}]}),
        (Literal["ok", "fail"], {"enum": ["ok", "fail"], "type": "string"}),
        (Color, {"enum": ["red", "blue"], "type": "string"}),
        (datetime.date, {"type": "string", "format": "date"}),
        (Annotated[int, "the sum"], {"type": "integer", "description": "the sum"}),
    ],
    ids=repr,
)
def test_return_schema_wrapped(hint: object, result: dict[str, Any]) -> None:
    assert return_schema(_returning(hint)) == (
        {"type": "object", "properties": {"result": result}, "required": ["result"]},
        True,
    )


@pytest.mark.parametrize(
    ("hint", "schema"),
    [
        (dict, {"type": "object"}),
        (dict[str, Any], {"type": "object"}),
        (dict[str, int], {"type": "object", "additionalProperties": {"type": "integer"}}),
        (Mapping[str, str], {"type": "object", "additionalProperties": {"type": "string"}}),
        (Movie, type_schema(Movie)),
        (Person, type_schema(Person)),
        (Annotated[Address, "where"], {**type_schema(Address), "description": "where"}),
    ],
    ids=repr,
)
def test_return_schema_object(hint: object, schema: dict[str, Any]) -> None:
    assert return_schema(_returning(hint)) == (schema, False)


def test_return_schema_with_unresolvable_annotation() -> None:
    def f() -> "Nowhere":  # type: ignore[name-defined] # noqa: F821
        return None

    assert return_schema(f) == (None, False)


def test_return_schema_async_function() -> None:
    async def f() -> list[str]:
        return []

    schema, wrapped = return_schema(f)
    assert wrapped is True
    assert schema == {
        "type": "object",
        "properties": {"result": {"type": "array", "items": {"type": "string"}}},
        "required": ["result"],
    }


# --------------------------------------------------------------------------
# to_json


class Tag(enum.Enum):
    A = "a"
    B = "b"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (True, True),
        (3, 3),
        (2.5, 2.5),
        ("s", "s"),
        (Color.RED, "red"),
        (Level.HIGH, 2),
        ((1, 2), [1, 2]),
        ({3, 1, 2}, [1, 2, 3]),
        (frozenset({"b", "a"}), ["a", "b"]),
        ([(1, Color.BLUE)], [[1, "blue"]]),
        ({"a": (1,)}, {"a": [1]}),
        ({1: "x", 2.5: "y", None: "n"}, {"1": "x", "2.5": "y", "null": "n"}),
        ({False: 0}, {"false": 0}),
        ({Tag.A: 1}, {"a": 1}),
        (datetime.date(2024, 1, 2), "2024-01-02"),
        (datetime.datetime(2024, 1, 2, 3, 4, 5), "2024-01-02T03:04:05"),
        (datetime.time(3, 4), "03:04:00"),
        (Address("Main"), {"street": "Main", "zip_code": None}),
        (
            Person("Ann", 3, Address("x", "1"), ["t"]),
            {"name": "Ann", "age": 3, "address": {"street": "x", "zip_code": "1"}, "tags": ["t"]},
        ),
        ({"people": [Address("a")]}, {"people": [{"street": "a", "zip_code": None}]}),
    ],
    ids=repr,
)
def test_to_json(value: Any, expected: Any) -> None:
    result = to_json(value)
    assert result == expected
    assert type(result) is type(expected)


def test_to_json_unsortable_set_keeps_every_item() -> None:
    result = to_json({1, "a"})
    assert isinstance(result, list)
    assert sorted(map(str, result)) == ["1", "a"]


def test_to_json_does_not_mutate_input() -> None:
    data = {"a": (1, 2)}
    to_json(data)
    assert data == {"a": (1, 2)}


@pytest.mark.parametrize(
    "value",
    [object(), b"bytes", Opaque(), [1, object()], {(1, 2): "tuple key"}, Address, 1j],
    ids=["object", "bytes", "class-instance", "nested", "tuple-key", "dataclass-type", "complex"],
)
def test_to_json_rejects(value: Any) -> None:
    with pytest.raises(TypeError):
        to_json(value)


def test_to_json_rejects_circular_references() -> None:
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(TypeError, match="circular"):
        to_json(loop)


def test_to_json_shared_but_not_circular_is_fine() -> None:
    shared = [1]
    assert to_json({"a": shared, "b": shared}) == {"a": [1], "b": [1]}
