"""End to end: tools that ask the client while they run (elicitation,
sampling, roots), on every runtime mode and over stdio, driven by the
official MCP client with its callbacks.

Where every request reaches one instance (jco, stdio) the call waits in
it for the answers; where requests may reach several (wasmtime serve, both
modes) it fails at once with an error that says why.

Needs `make build PROVIDER=planner SERVER=build/planner-server.wasm`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from mcp import Client, StdioServerParameters
from mcp import types as mcp_types

from ..paths import BUILD, ROOT
from .server import Runtime, serve, stdio_commands

pytestmark = pytest.mark.e2e

SERVER = BUILD / "planner-server.wasm"
CANNOT_WAIT = "its requests may reach other or fresh instances"


@pytest.fixture(scope="module")
def url(runtime: Runtime) -> Iterator[str]:
    if not SERVER.exists():
        pytest.fail(f"{SERVER} is missing: run `make build PROVIDER=planner SERVER=build/planner-server.wasm` first")
    with serve(SERVER, runtime, extra_env={"MCP_SESSIONS": "on"}) as endpoint:
        yield endpoint


class FakeUser:
    """The client side: answers the server's requests and keeps them."""

    def __init__(self, action: str = "accept", content: dict[str, Any] | None = None) -> None:
        self.action = action
        self.content = content if content is not None else {"days": 2, "budget": "low", "interests": "tiles"}
        self.asked: list[Any] = []

    async def elicit(self, context: Any, params: mcp_types.ElicitRequestParams) -> mcp_types.ElicitResult:
        self.asked.append(params)
        if self.action != "accept":
            return mcp_types.ElicitResult(action=self.action)  # type: ignore[arg-type]
        return mcp_types.ElicitResult(action="accept", content=self.content)

    async def sample(self, context: Any, params: mcp_types.CreateMessageRequestParams) -> mcp_types.CreateMessageResult:
        self.asked.append(params)
        text = "Day 1: walk\nDay 2: walk"
        return mcp_types.CreateMessageResult(role="assistant", model="fake-model", stop_reason="endTurn",
                                             content=mcp_types.TextContent(type="text", text=text))

    async def roots(self, context: Any) -> mcp_types.ListRootsResult:
        return mcp_types.ListRootsResult(roots=[mcp_types.Root(uri="file:///trips", name="trips")])  # type: ignore[arg-type]

    def client(self, server: Any, **options: Any) -> Client:
        return Client(server, mode="legacy", elicitation_callback=self.elicit, sampling_callback=self.sample,
                      list_roots_callback=self.roots, **options)


def call(user: FakeUser, server: Any, name: str, arguments: dict[str, Any]) -> Any:
    async def go() -> Any:
        async with user.client(server) as client:
            return await client.call_tool(name, arguments)

    return asyncio.run(go())


def test_a_form_then_the_clients_model(url: str, runtime: Runtime) -> None:
    user = FakeUser()
    result = call(user, url, "plan_trip", {"destination": "Lisbon"})
    if not runtime.waits:
        assert result.is_error and CANNOT_WAIT in result.content[0].text
        assert user.asked == []
        return
    assert not result.is_error, result.content
    assert result.structured_content["result"] == {
        "destination": "Lisbon", "days": 2, "budget": "low", "plan": "Day 1: walk\nDay 2: walk", "model": "fake-model"}
    form, sampling = user.asked
    assert form.message == "Planning a trip to Lisbon. A few details?"
    assert set(form.requested_schema["properties"]) == {"days", "budget", "travellers", "interests"}
    assert "tiles" in sampling.messages[0].content.text and sampling.max_tokens == 120


def test_a_declined_form(url: str, runtime: Runtime) -> None:
    result = call(FakeUser("decline"), url, "plan_trip", {"destination": "Porto"})
    if runtime.waits:
        assert result.structured_content["result"] == "No plan: the traveller chose to decline."


def test_an_answer_outside_the_form_fails_the_call_clearly(url: str, runtime: Runtime) -> None:
    result = call(FakeUser(content={"days": 99}), url, "plan_trip", {"destination": "Faro"})
    assert result.is_error
    if runtime.waits:
        assert "does not match the schema" in result.content[0].text and "days" in result.content[0].text


def test_roots_and_a_client_without_the_capability(url: str, runtime: Runtime) -> None:
    result = call(FakeUser(), url, "shared_folders", {})
    if runtime.waits:
        assert result.structured_content["result"] == ["trips: file:///trips"]

    async def bare() -> Any:
        async with Client(url, mode="legacy") as client:
            return await client.call_tool("shared_folders", {})

    result = asyncio.run(bare())
    assert "did not declare the roots capability" in result.structured_content["result"][0]


def test_several_calls_wait_at_once(url: str, runtime: Runtime) -> None:
    user = FakeUser()

    async def go() -> list[Any]:
        async with user.client(url) as client:
            return list(await asyncio.gather(*(
                client.call_tool("packing_list", {"destination": city, "days": 2})
                for city in ("Braga", "Evora", "Sintra"))))

    results = asyncio.run(go())
    if not runtime.waits:
        assert all(r.is_error and CANNOT_WAIT in r.content[0].text for r in results)
        assert user.asked == []
        return
    assert all(r.structured_content["result"] == ["Day 1: walk", "Day 2: walk"] for r in results)
    assert len(user.asked) == 3


def test_resuming_a_call_the_server_does_not_hold_ends_the_wait_with_an_error(url: str) -> None:
    headers = {"accept": "application/json, text/event-stream", "content-type": "application/json",
               "mcp-protocol-version": "2025-11-25"}
    initialized = httpx.post(url, headers=headers, timeout=30, json={
        "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}})
    headers["mcp-session-id"] = initialized.headers["mcp-session-id"]
    response = httpx.get(url, timeout=30, headers={**headers, "accept": "text/event-stream",
                                                   "last-event-id": "0123456789abcdef-3"})
    assert response.status_code == 200 and response.headers["content-type"] == "text/event-stream"
    assert '"isError":true' in response.text and "The call was lost" in response.text




@pytest.mark.parametrize("command", stdio_commands(SERVER))
def test_over_stdio(command: list[str]) -> None:
    user = FakeUser()
    params = StdioServerParameters(command=command[0], args=command[1:], cwd=str(ROOT))
    result = call(user, params, "plan_trip", {"destination": "Coimbra"})
    assert not result.is_error, result.content
    assert result.structured_content["result"]["plan"] == "Day 1: walk\nDay 2: walk"
