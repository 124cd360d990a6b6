"""Unit tests of app.py in plain CPython, no Wasm build: `make test`."""

import pytest
from mcp_component.testing import Client, ClientError

import app

client = Client(app.provider)


def test_offers_tools_resources_and_prompts() -> None:
    capabilities = client.initialize()["capabilities"]
    assert {"tools", "resources", "prompts", "completions"} <= set(capabilities)
    assert [t["name"] for t in client.list_tools()["tools"]] == ["define", "slugify"]
    assert [p["name"] for p in client.list_prompts()["prompts"]] == ["explain_term"]


def test_define() -> None:
    result = client.call_tool("define", {"term": "WIT"})
    assert result["structuredContent"]["term"] == "wit"
    assert client.call_tool("define", {"term": "nope"})["isError"] is True


def test_slugify_reports_progress() -> None:
    result = client.call_tool("slugify", {"titles": ["Hello, World!", "Crème brûlée"]}, progress_token="p")
    assert result["structuredContent"] == {"result": ["hello-world", "creme-brulee"]}
    assert any(n["method"] == "notifications/progress" for n in client.notifications)


def test_resources() -> None:
    assert client.read_resource("glossary://terms")["contents"][0]["text"] == '["component","mcp","wit"]'
    assert "Model Context Protocol" in client.read_resource("glossary://terms/mcp")["contents"][0]["text"]
    with pytest.raises(ClientError):
        client.read_resource("glossary://terms/nope")


def test_prompt_and_completion() -> None:
    messages = client.get_prompt("explain_term", {"term": "mcp"})["messages"]
    assert "Model Context Protocol" in messages[0]["content"]["text"]
    completion = client.complete({"type": "ref/prompt", "name": "explain_term"}, {"name": "term", "value": "c"})
    assert completion["completion"]["values"] == ["component"]
