"""Completer and Completion: handler forms, the 100-value limit, choices."""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from typing import Any, Literal

import pytest

from mcp_component import Completer, Completion, InvalidParamsError, MCPError
from mcp_component._completions import MAX_VALUES, choices, complete_choices
from mcp_component._schema import function_schema

LANGUAGES = ["python", "perl", "php", "rust"]


def starting(value: str) -> list[str]:
    return [lang for lang in LANGUAGES if lang.startswith(value)]


def test_a_handler_may_take_only_the_value() -> None:
    completer = Completer("prompt", "review", "language", starting)
    assert completer.complete("p", {}) == Completion(["python", "perl", "php"])


def test_a_handler_may_take_the_context_too() -> None:
    seen: list[Mapping[str, str]] = []

    def with_context(value: str, context: Mapping[str, str]) -> list[str]:
        seen.append(context)
        return [f"{context.get('owner', '?')}/{value}"]

    completer = Completer("resource_template", "repo://{owner}/{repo}", "repo", with_context)
    assert completer.complete("sdk", {"owner": "me"}) == Completion(["me/sdk"])
    assert seen == [{"owner": "me"}]


def test_a_handler_with_an_optional_context_gets_it() -> None:
    def maybe(value: str, context: Mapping[str, str] | None = None) -> list[str]:
        return [str(context)]

    assert Completer("prompt", "p", "a", maybe).complete("", {"x": "1"}).values == ["{'x': '1'}"]


@pytest.mark.parametrize("result", [("a", "b"), iter(["a", "b"]), {"a": 1, "b": 2}])
def test_any_iterable_of_strings_is_accepted(result: Any) -> None:
    assert Completer("prompt", "p", "a", lambda value: result).complete("", {}) == Completion(["a", "b"])


def test_a_generator_handler_is_accepted() -> None:
    def gen(value: str) -> Iterator[str]:
        yield from ("x", "y")

    assert Completer("prompt", "p", "a", gen).complete("", {}).values == ["x", "y"]


def test_a_completion_is_returned_as_is() -> None:
    answer = Completion(["a"], total=10, has_more=True)
    assert Completer("prompt", "p", "a", lambda value: answer).complete("", {}) is answer


def test_an_async_handler_runs_to_its_end() -> None:
    async def slow(value: str) -> list[str]:
        return [value * 2]

    assert Completer("prompt", "p", "a", slow).complete("ab", {}).values == ["abab"]


# -- the 100-value limit ---------------------------------------------------------


def test_a_long_list_is_truncated_with_the_full_count() -> None:
    many = [f"v{i}" for i in range(150)]
    result = Completer("prompt", "p", "a", lambda value: many).complete("", {})
    assert result == Completion(many[:MAX_VALUES], total=150, has_more=True)
    assert MAX_VALUES == 100


def test_exactly_one_hundred_is_not_truncated() -> None:
    many = [f"v{i}" for i in range(100)]
    assert Completer("prompt", "p", "a", lambda value: many).complete("", {}) == Completion(many)


def test_a_long_completion_is_truncated_keeping_its_total() -> None:
    many = [f"v{i}" for i in range(120)]
    assert Completer("prompt", "p", "a", lambda value: Completion(many)).complete("", {}) == Completion(
        many[:100], total=120, has_more=True)
    assert Completer("prompt", "p", "a", lambda value: Completion(many, total=5000)).complete("", {}) == (
        Completion(many[:100], total=5000, has_more=True))


# -- errors ------------------------------------------------------------------------


@pytest.mark.parametrize("fn", [lambda: [], lambda value, context, extra: [], lambda *, value: []])
def test_a_handler_must_take_value_or_value_and_context(fn: Any) -> None:
    with pytest.raises(TypeError, match=r"\(value\) or \(value, context\)"):
        Completer("prompt", "p", "a", fn)


def test_the_kind_is_prompt_or_resource_template() -> None:
    with pytest.raises(ValueError, match="prompt"):
        Completer("tool", "p", "a", starting)  # type: ignore[arg-type]


@pytest.mark.parametrize("result, message", [
    ("python", "list of str"),
    (3, "list of str"),
    (["ok", 3], "must be str"),
])
def test_a_bad_result_is_an_internal_error(result: Any, message: str) -> None:
    with pytest.raises(MCPError, match=message) as caught:
        Completer("prompt", "p", "a", lambda value: result).complete("", {})
    assert caught.value.code == -32603


def test_an_exception_becomes_an_internal_error() -> None:
    def boom(value: str) -> list[str]:
        raise RuntimeError("index offline")

    with pytest.raises(MCPError) as caught:
        Completer("prompt", "review", "language", boom).complete("", {})
    assert type(caught.value) is MCPError and caught.value.code == -32603
    assert caught.value.message == "Error completing argument language of prompt review: index offline"


def test_an_mcp_error_passes_through() -> None:
    def refuse(value: str) -> list[str]:
        raise InvalidParamsError("not here")

    with pytest.raises(InvalidParamsError, match="not here"):
        Completer("prompt", "p", "a", refuse).complete("", {})


# -- choices from annotations ---------------------------------------------------------


class Colour(enum.Enum):
    RED = "red"
    ROSE = "Rose"
    GREEN = "green"


class Level(enum.Enum):
    LOW = 1
    HIGH = 2


def annotated(mode: Literal["fast", "Faithful", "slow"], colour: Colour, maybe: Literal["x", "y"] | None,
              level: Level, number: Literal[1, 2], free: str, nothing: None = None) -> None:
    pass


@pytest.mark.parametrize("argument, expected", [
    ("mode", ("fast", "Faithful", "slow")),
    ("colour", ("red", "Rose", "green")),
    ("maybe", ("x", "y")),
    ("level", None),
    ("number", None),
    ("free", None),
    ("nothing", None),
    ("absent", None),
])
def test_choices_come_from_string_literals_and_enums(argument: str, expected: tuple[str, ...] | None) -> None:
    assert choices(function_schema(annotated), argument) == expected


def test_complete_choices_matches_a_prefix_ignoring_case_in_order() -> None:
    options = ("fast", "Faithful", "slow")
    assert complete_choices(options, "fa") == Completion(["fast", "Faithful"])
    assert complete_choices(options, "FAI") == Completion(["Faithful"])
    assert complete_choices(options, "") == Completion(list(options))
    assert complete_choices(options, "z") == Completion([])


def test_complete_choices_respects_the_limit() -> None:
    options = [f"o{i}" for i in range(130)]
    assert complete_choices(options, "o") == Completion(options[:100], total=130, has_more=True)
