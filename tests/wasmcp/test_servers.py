"""End to end: wasmcp components served by our transport on every runtime
installed, driven by the official MCP client: the SDK's toolbox and
conformance providers built for wasmcp, a TypeScript provider
(componentize-js) and a raw-bindings Python provider. The SDK builds also
answer what the in-memory client answers, where wasmcp's contract carries
it (docs/wasmcp.md)."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from mcp import Client, StdioServerParameters

from mcp_component.testing import Client as MemoryClient

from ..e2e.server import Runtime, serve, wasmtime
from ..e2e.test_parity import CONFORMANCE, TOOLBOX, Case, in_memory, over_http
from ..paths import BUILD, ROOT
from ..unit.test_testing_client import load_provider

pytestmark = pytest.mark.e2e

SERVERS = ["toolbox", "conformance", "strings-py", "calc-ts"]


@pytest.fixture(scope="module")
def served(request: pytest.FixtureRequest, runtime: Runtime) -> Iterator[tuple[str, str]]:
    name: str = request.param
    server = BUILD / "wasmcp" / f"{name}-server.wasm"
    if not server.exists():
        pytest.fail(f"{server} is missing: `make test` builds it (make compose-wasmcp)")
    with serve(server, runtime) as url:
        yield name, url


async def session(url: str, name: str) -> dict[str, Any]:
    """What the official client sees of the server, per example."""
    logs: list[Any] = []

    async def on_log(params: Any) -> None:
        logs.append(params.data)

    async with Client(url, mode="legacy", logging_callback=on_log) as client:
        seen: dict[str, Any] = {"info": client.server_info, "caps": client.server_capabilities,
                                "tools": [t.name for t in (await client.list_tools()).tools], "logs": logs}
        if name == "calc-ts":
            seen["call"] = await client.call_tool("multiply", {"a": 6, "b": 7})
            seen["bad"] = await client.call_tool("divide", {"a": 1, "b": 0})
        elif name == "strings-py":
            seen["call"] = await client.call_tool("reverse", {"text": "wasmcp"})
            seen["bad"] = await client.call_tool("uppercase", {"text": 3})
            seen["resources"] = [r.uri for r in (await client.list_resources()).resources]
            seen["read"] = await client.read_resource("strings://readme")
        elif name == "toolbox":
            seen["call"] = await client.call_tool("slugify", {"title": "Hello wasmcp"})
            seen["bad"] = await client.call_tool("slugify", {"title": 3})
            seen["primes"] = await client.call_tool("primes", {"limit": 30})
        else:
            seen["call"] = await client.call_tool("test_simple_text", {})
            seen["bad"] = await client.call_tool("test_error_handling", {})
            seen["prompt"] = await client.get_prompt("test_prompt_with_arguments", {"arg1": "a", "arg2": "b"})
        try:
            await client.call_tool("no_such_tool", {})
            seen["unknown"] = None
        except Exception as exc:  # the client raises the JSON-RPC error
            seen["unknown"] = str(exc)
        return seen


@pytest.mark.parametrize("served", SERVERS, indirect=True)
def test_official_client(served: tuple[str, str]) -> None:
    name, url = served
    seen = asyncio.run(session(url, name))
    assert seen["info"].name == "wasmcp-server"
    assert seen["caps"].tools is not None
    assert "Unknown tool: no_such_tool" in str(seen["unknown"])
    assert seen["bad"].is_error
    text = seen["call"].content[0].text
    if name == "calc-ts":
        assert seen["tools"] == ["add", "multiply", "divide"]
        assert text == "42" and seen["call"].structured_content == {"result": 42}
        assert seen["caps"].resources is None
    elif name == "strings-py":
        assert seen["tools"] == ["reverse", "uppercase", "count_words"]
        assert text == "pcmsaw"
        assert seen["resources"] == ["strings://readme"]
        assert seen["read"].contents[0].text.startswith("# strings")
    elif name == "toolbox":
        assert "primes" in seen["tools"] and text == "hello-wasmcp"
        # The capability wrote its log notification into the SSE response itself.
        assert seen["primes"].structured_content == {"result": [2, 3, 5, 7, 11, 13, 17, 19, 23, 29]}
        assert seen["logs"] == ["found 10 primes up to 30"]
    else:
        assert seen["caps"].prompts is not None and seen["caps"].completions is not None
        assert text == "This is a simple text response for testing."
        assert seen["prompt"].messages[0].content.text.count("a") >= 1


# wasmcp's contract has no resource subscriptions, and carries no progress
# token to a capability (notifications are not compared). Every other
# answer must be the SDK's own.
NOT_CARRIED = {"resources/subscribe", "resources/unsubscribe"}


@pytest.mark.parametrize("served", ["toolbox", "conformance"], indirect=True)
def test_sdk_builds_answer_as_the_in_memory_client(served: tuple[str, str]) -> None:
    name, url = served
    cases = TOOLBOX if name == "toolbox" else CONFORMANCE
    client = MemoryClient(load_provider(name))
    listings = [Case(m) for m in ("tools/list", "resources/list", "resources/templates/list", "prompts/list")]
    for number, case in enumerate([*listings, *cases], start=10):
        if case.method in NOT_CARRIED:
            continue
        _, expected = in_memory(client, case)
        _, answered = over_http(url, case, number)
        assert answered == expected, case


def test_stdio_log_notifications_reach_the_client() -> None:
    """Over stdio the transport hands a capability the client's stream, so
    the SDK's log notifications reach the official client (wasmcp's model)."""
    server = BUILD / "wasmcp" / "toolbox-server.wasm"
    cli = wasmtime()
    command = [cli, "run", "-Shttp", str(server)] if cli else [sys.executable, "-m", "mcp_component.run", str(server)]
    logs: list[Any] = []

    async def on_log(params: Any) -> None:
        logs.append(params.data)

    async def go() -> Any:
        params = StdioServerParameters(command=command[0], args=command[1:], cwd=str(ROOT))
        async with Client(params, mode="legacy", logging_callback=on_log) as client:
            return await client.call_tool("primes", {"limit": 30})

    result = asyncio.run(go())
    assert result.structured_content == {"result": [2, 3, 5, 7, 11, 13, 17, 19, 23, 29]}
    assert logs == ["found 10 primes up to 30"]
