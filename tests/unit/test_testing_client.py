"""The in-memory client answers like the composed server, without a build."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from mcp_component import Context, Provider
from mcp_component.testing import Client, ClientError

ROOT = Path(__file__).resolve().parents[2]


def load_provider(name: str) -> Provider:
    spec = importlib.util.spec_from_file_location(f"providers_{name}_app", ROOT / "providers" / name / "app.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return Provider.from_module(module)


@pytest.fixture
def toolbox() -> Client:
    return Client(load_provider("toolbox"))


def test_initialize_reports_exactly_the_offered_capabilities(toolbox: Client) -> None:
    result = toolbox.initialize()
    assert result["capabilities"] == {"tools": {"listChanged": True}, "logging": {}}
    assert result["serverInfo"] == {"name": "toolbox", "version": "0.1.0", "title": "Toolbox"}


def test_tools_are_listed_as_mcp_json(toolbox: Client) -> None:
    tools = {t["name"]: t for t in toolbox.list_tools()["tools"]}
    assert tools["hash_text"]["inputSchema"]["properties"]["algorithm"]["default"] == "sha256"
    assert tools["text_stats"]["annotations"] == {"readOnlyHint": True, "idempotentHint": True, "openWorldHint": False}


def test_call_tool_returns_the_result_and_collects_notifications(toolbox: Client) -> None:
    result = toolbox.call_tool("primes", {"limit": 30}, progress_token="p")
    assert result["structuredContent"] == {"result": [2, 3, 5, 7, 11, 13, 17, 19, 23, 29]}
    methods = [n["method"] for n in toolbox.notifications]
    assert methods.count("notifications/progress") >= 3 and methods[-1] == "notifications/message"
    assert all(n["params"]["progressToken"] == "p" for n in toolbox.notifications[:-1])


def test_log_level_filters_notifications(toolbox: Client) -> None:
    toolbox.set_logging_level("warning")
    toolbox.call_tool("primes", {"limit": 30})
    assert toolbox.notifications == []


def test_errors_match_the_server(toolbox: Client) -> None:
    with pytest.raises(ClientError) as unknown:
        toolbox.call_tool("nope", {})
    assert (unknown.value.code, unknown.value.message) == (-32602, "Unknown tool: nope")
    with pytest.raises(ClientError) as missing:
        toolbox.list_prompts()
    assert missing.value.code == -32601
    invalid = toolbox.call_tool("slugify", {"title": "x", "max_length": 0})
    assert invalid["isError"] is True and "max_length" in invalid["content"][0]["text"]


def test_every_capability_of_the_conformance_provider() -> None:
    client = Client(load_provider("conformance"))
    assert client.read_resource("test://template/7/data")["contents"][0]["text"].count("7") >= 2
    with pytest.raises(ClientError) as info:
        client.read_resource("test://missing")
    assert info.value.code == -32002
    prompt = client.get_prompt("test_prompt_with_arguments", {"arg1": "a", "arg2": "b"})
    assert prompt["messages"] == [{"role": "user", "content": {"type": "text", "text": "Prompt with arguments: arg1='a', arg2='b'"}}]
    done = client.complete({"type": "ref/prompt", "name": "test_prompt_with_arguments"}, {"name": "arg1", "value": "pa"})
    assert done == {"completion": {"values": ["paris", "park", "party"], "hasMore": False}}
    assert client.subscribe("test://watched-resource") == {}


def test_context_sees_the_client() -> None:
    provider = Provider("who")

    @provider.tool
    def whoami(ctx: Context) -> str:
        return f"{ctx.request.client_name} {ctx.request.client_version}"

    client = Client(provider, client_name="pytest", client_version="9")
    assert client.call_tool("whoami")["content"] == [{"type": "text", "text": "pytest 9"}]
