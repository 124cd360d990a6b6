"""End to end: the official client over stdio (the same build, run as a
command) and over HTTP with plain JSON responses instead of SSE."""

from __future__ import annotations

import asyncio
import json
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest
from mcp import Client, StdioServerParameters

from ..paths import BUILD, ROOT
from .server import Runtime, serve, stdio_commands

pytestmark = pytest.mark.e2e

SERVER = BUILD / "mcp-http-server.wasm"


async def exercise(client: Client) -> tuple[list[str], Any, list[float], list[Any]]:
    progress: list[float] = []

    async def on_progress(value: float, total: float | None, message: str | None) -> None:
        progress.append(value)

    listed = await client.list_tools()
    result = await client.call_tool("primes", {"limit": 200}, progress_callback=on_progress)
    bad = await client.call_tool("slugify", {"title": 5})
    return [t.name for t in listed.tools], result, progress, [bad]




@pytest.mark.parametrize("command", stdio_commands(SERVER))
def test_official_client_over_stdio(command: list[str]) -> None:
    logs: list[Any] = []

    async def on_log(params: Any) -> None:
        logs.append(params.data)

    async def go() -> Any:
        params = StdioServerParameters(command=command[0], args=command[1:], cwd=str(ROOT))
        async with Client(params, mode="legacy", logging_callback=on_log) as client:
            return client.server_info, await exercise(client)

    info, (names, result, progress, [bad]) = asyncio.run(go())
    assert info.name == "toolbox"
    assert "primes" in names
    assert result.structured_content["result"][-1] == 199
    assert len(progress) >= 3
    assert logs == ["found 46 primes up to 200"]
    assert bad.is_error and "title" in bad.content[0].text


@pytest.mark.parametrize("command", stdio_commands(SERVER))
def test_print_in_a_tool_does_not_corrupt_stdio(command: list[str]) -> None:
    """A tool's print() goes to stderr: stdout carries only JSON-RPC lines."""
    faults = str(BUILD / "faults-server.wasm")
    argv = [faults if arg == str(SERVER) else arg for arg in command]
    lines = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}}},
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "print_to_stdout", "arguments": {}}},
    ]
    stdin = "".join(json.dumps(line) + "\n" for line in lines)
    done = subprocess.run(argv, input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=300)
    replies = [json.loads(line) for line in done.stdout.splitlines()]  # every stdout line is JSON
    assert [reply["id"] for reply in replies] == [1, 2]
    assert replies[1]["result"]["content"] == [{"type": "text", "text": "printed"}]
    assert "a line a tool printed" in done.stderr


@pytest.fixture(scope="module")
def json_url(runtime: Runtime) -> Iterator[str]:
    with serve(SERVER, runtime, MCP_RESPONSE_MODE="json") as endpoint:
        yield endpoint


def test_official_client_with_json_responses(json_url: str) -> None:
    async def go() -> Any:
        async with Client(json_url, mode="legacy") as client:
            return await exercise(client)

    names, result, progress, [bad] = asyncio.run(go())
    assert "primes" in names
    assert result.structured_content["result"][:3] == [2, 3, 5]
    assert progress == []  # JSON responses carry no notifications
    assert bad.is_error
