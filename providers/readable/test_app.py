"""The readable provider in plain CPython, with its requirements.txt
installed: `make test-provider PROVIDER=readable`."""

from __future__ import annotations

from app import provider
from mcp_component.testing import Client


def test_each_tool_reads_like_words() -> None:
    client = Client(provider)
    assert client.call_tool("file_size", {"size": 3_000_000})["content"][0]["text"] == "3.0 MB"
    assert client.call_tool("file_size", {"size": 3_145_728, "binary": True})["content"][0]["text"] == "3.0 MiB"
    assert client.call_tool("duration", {"seconds": 3600})["content"][0]["text"] == "an hour"
    assert client.call_tool("ordinal", {"number": 3})["content"][0]["text"] == "3rd"
    assert client.call_tool("in_words", {"number": 1_200_000})["content"][0]["text"] == "1.2 million"


def test_a_negative_size_is_refused() -> None:
    result = Client(provider).call_tool("file_size", {"size": -1})
    assert result["isError"] is True and "size" in result["content"][0]["text"]
