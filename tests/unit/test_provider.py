"""Provider: registration, lookup, capabilities, pagination."""

from __future__ import annotations

import types

import pytest

from mcp_component import Capabilities, InvalidParamsError, NotFoundError, Provider, tool


def make(page_size: int | None = None) -> Provider:
    provider = Provider("demo", page_size=page_size)
    for name in ("a", "b", "c"):
        provider.tool(name=name)(lambda: name)
    return provider


def test_decorator_registers_and_keeps_the_function() -> None:
    provider = Provider("demo")

    @provider.tool
    def ping() -> str:
        return "pong"

    assert ping() == "pong"
    assert [t.name for t in provider.tools] == ["ping"]


def test_duplicate_names_are_rejected() -> None:
    provider = make()
    with pytest.raises(ValueError, match="already registered"):
        provider.tool(name="a")(lambda: "again")


def test_unknown_tool_is_not_found() -> None:
    with pytest.raises(NotFoundError, match="Unknown tool: nope"):
        make().call_tool("nope")


def test_capabilities_follow_what_is_registered() -> None:
    assert Provider("empty").capabilities == Capabilities()
    assert make().capabilities == Capabilities(tools=True, logging=True)


def test_without_page_size_one_page_has_everything() -> None:
    page, cursor = make().list_tools()
    assert [t.name for t in page] == ["a", "b", "c"] and cursor is None


def test_pages_follow_their_cursors() -> None:
    provider = make(page_size=2)
    first, cursor = provider.list_tools()
    assert [t.name for t in first] == ["a", "b"] and cursor is not None
    second, last = provider.list_tools(cursor)
    assert [t.name for t in second] == ["c"] and last is None


@pytest.mark.parametrize("cursor", ["garbage", "eyJvZmZzZXQiOiAtMX0=", "eyJvZmZzZXQiOiA5OX0="])
def test_foreign_cursors_are_invalid_params(cursor: str) -> None:
    with pytest.raises(InvalidParamsError):
        make(page_size=1).list_tools(cursor)


def test_page_size_must_be_positive() -> None:
    with pytest.raises(ValueError):
        Provider("x", page_size=0)


def test_from_module_finds_the_provider_instance() -> None:
    module = types.ModuleType("mine")
    module.provider = make()  # type: ignore[attr-defined]
    assert Provider.from_module(module) is module.provider  # type: ignore[attr-defined]


def test_from_module_collects_decorated_functions() -> None:
    module = types.ModuleType("weather")

    @tool
    def forecast(city: str) -> str:
        return city

    module.forecast = forecast  # type: ignore[attr-defined]
    provider = Provider.from_module(module)
    assert provider.name == "weather" and [t.name for t in provider.tools] == ["forecast"]


def test_from_module_without_tools_says_so() -> None:
    with pytest.raises(ValueError, match="no Provider"):
        Provider.from_module(types.ModuleType("empty"))


def test_call_runs_the_tool() -> None:
    provider = Provider("demo")

    @provider.tool
    def add(a: int, b: int) -> int:
        return a + b

    assert provider.get_tool("add").call({"a": 1, "b": 2}).structured_content == {"result": 3}
