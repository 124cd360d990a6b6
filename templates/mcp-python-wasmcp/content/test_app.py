"""Unit tests of app.py in plain CPython, no Wasm build: `make test`."""

from mcp_component.testing import Client

import app

client = Client(app.provider)


def test_lists_the_tools() -> None:
    names = [tool["name"] for tool in client.list_tools()["tools"]]
    assert names == ["greet", "count_words", "add_numbers"]


def test_greet() -> None:
    result = client.call_tool("greet", {"name": "Ada", "style": "excited"})
    assert result["content"] == [{"type": "text", "text": "Hello, Ada!"}]


def test_greet_refuses_an_empty_name() -> None:
    result = client.call_tool("greet", {"name": " "})
    assert result["isError"] is True


def test_count_words_is_structured() -> None:
    result = client.call_tool("count_words", {"text": "one two three"})
    assert result["structuredContent"] == {"words": 3, "characters": 13, "longest_word": "three"}


def test_add_numbers() -> None:
    result = client.call_tool("add_numbers", {"numbers": [1.5, 2.25, 3]})
    assert result["structuredContent"] == {"result": 6.75}
