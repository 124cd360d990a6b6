"""End to end: MCP 2026-07-28 beside 2025-11-25 on one endpoint.

The official client in its default mode ("auto": server/discover, else
the initialize handshake) against the planner and conformance servers, on
every runtime mode and over stdio; raw HTTP for the wire rules.

In 2026-07-28 a request that needs the client's input ends with an
input-required result and the client sends it again with the answers, so
asking works even where every request reaches a fresh instance (wasmtime
serve, MCP_REUSE=1), unlike the 2025-11-25 way, which needs one instance.

Needs `make build PROVIDER=planner SERVER=build/planner-server.wasm` and
`make build PROVIDER=conformance SERVER=build/conformance-server.wasm`.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
from collections.abc import Awaitable, Callable, Iterator, Mapping
from typing import Any, TypeVar

import httpx
import pytest
from mcp import Client, StdioServerParameters
from mcp import types as mcp_types
from mcp.shared.exceptions import MCPError

from ..paths import BUILD, ROOT
from .server import Runtime, serve, stdio_commands

pytestmark = pytest.mark.e2e

PLANNER = BUILD / "planner-server.wasm"
CONFORMANCE = BUILD / "conformance-server.wasm"
MODERN = "2026-07-28"
LEGACY = "2025-11-25"
CANNOT_WAIT = "its requests may reach other or fresh instances"

PROTOCOL_VERSION_KEY = "io.modelcontextprotocol/protocolVersion"
CLIENT_CAPABILITIES_KEY = "io.modelcontextprotocol/clientCapabilities"
CLIENT_INFO_KEY = "io.modelcontextprotocol/clientInfo"
SERVER_INFO_KEY = "io.modelcontextprotocol/serverInfo"

FORM_ANSWER: dict[str, Any] = {"days": 2, "budget": "low", "interests": "tiles"}
PLAN_TEXT = "Day 1: walk\nDay 2: walk"
# Every capability a client can declare; the server asks only for what is declared.
ALL_CAPABILITIES: dict[str, Any] = {"elicitation": {"form": {}}, "sampling": {}, "roots": {}}

T = TypeVar("T")


@pytest.fixture(scope="module")
def planner(runtime: Runtime) -> Iterator[str]:
    if not PLANNER.exists():
        pytest.fail(f"{PLANNER} is missing: run `make build PROVIDER=planner SERVER={PLANNER}` first")
    # Sessions on: a 2025-11-25 client gets one, a 2026-07-28 client needs none.
    with serve(PLANNER, runtime, MCP_SESSIONS="on") as endpoint:
        yield endpoint


@pytest.fixture(scope="module")
def conformance(runtime: Runtime) -> Iterator[str]:
    if not CONFORMANCE.exists():
        pytest.fail(f"{CONFORMANCE} is missing: run `make build PROVIDER=conformance SERVER={CONFORMANCE}` first")
    with serve(CONFORMANCE, runtime, MCP_SESSIONS="on") as endpoint:
        yield endpoint


def run(body: Callable[[], Awaitable[T]]) -> T:
    async def go() -> T:
        return await body()

    return asyncio.run(go())


class FakeUser:
    """The client side: answers what the server asks, and keeps every question."""

    def __init__(self, action: str = "accept", content: dict[str, Any] | None = None, *,
                 elicits: bool = True, samples: bool = True, lists_roots: bool = True) -> None:
        self.action = action
        self.content = content if content is not None else dict(FORM_ANSWER)
        self.elicits, self.samples, self.lists_roots = elicits, samples, lists_roots
        # (what was asked, its params): "elicit", "sample" or "roots"
        self.asked: list[tuple[str, Any]] = []

    @property
    def kinds(self) -> list[str]:
        return [kind for kind, _ in self.asked]

    async def elicit(self, context: Any, params: mcp_types.ElicitRequestParams) -> mcp_types.ElicitResult:
        self.asked.append(("elicit", params))
        if self.action != "accept":
            return mcp_types.ElicitResult(action=self.action)  # type: ignore[arg-type]
        return mcp_types.ElicitResult(action="accept", content=self.content)

    async def sample(self, context: Any,
                     params: mcp_types.CreateMessageRequestParams) -> mcp_types.CreateMessageResult:
        self.asked.append(("sample", params))
        return mcp_types.CreateMessageResult(role="assistant", model="fake-model", stop_reason="endTurn",
                                             content=mcp_types.TextContent(type="text", text=PLAN_TEXT))

    async def roots(self, context: Any) -> mcp_types.ListRootsResult:
        self.asked.append(("roots", None))
        trips = mcp_types.Root(uri="file:///trips", name="trips")  # type: ignore[arg-type]
        return mcp_types.ListRootsResult(roots=[trips])

    def client(self, server: Any, mode: str = "auto", **options: Any) -> Client:
        # A callback left out is a capability the client does not declare.
        return Client(server, mode=mode,
                      elicitation_callback=self.elicit if self.elicits else None,
                      sampling_callback=self.sample if self.samples else None,
                      list_roots_callback=self.roots if self.lists_roots else None, **options)


async def modern_call(client: Client, name: str, arguments: dict[str, Any]) -> mcp_types.CallToolResult:
    # Without this, a silent fall back to the handshake would pass on jco, where the old way works too.
    assert client.protocol_version == MODERN
    return await client.call_tool(name, arguments)


async def refusal(client: Client, name: str, arguments: dict[str, Any]) -> MCPError:
    """The error a call fails with, caught inside the client (leaving it, the error comes wrapped in a group)."""
    async with client:
        try:
            await modern_call(client, name, arguments)
        except MCPError as exc:
            return exc
    raise AssertionError(f"{name} succeeded")


# -- the official client, planner server, every runtime mode --------------------------


def test_the_client_negotiates_2026_and_lists_the_tools(planner: str) -> None:
    async def go() -> tuple[Any, ...]:
        async with FakeUser().client(planner) as client:
            discovered = client.session.discover_result
            listed = await client.list_tools()
            return client.protocol_version, discovered, client.session.initialize_result, client.server_info, \
                client.instructions, listed

    version, discovered, initialized, info, instructions, listed = run(go)
    assert version == MODERN and initialized is None
    assert discovered is not None and {MODERN, LEGACY} <= set(discovered.supported_versions)
    assert discovered.capabilities.tools is not None
    assert info is not None and (info.name, info.version) == ("planner", "0.1.0")
    assert instructions is not None and instructions.startswith("Plans trips")
    assert {tool.name for tool in listed.tools} == {"plan_trip", "packing_list", "shared_folders"}


def test_a_form_then_the_clients_model_on_every_runtime_mode(planner: str) -> None:
    """Three rounds (form, model, result); on wasmtime-fresh each one reaches a fresh instance."""
    user = FakeUser()

    async def go() -> mcp_types.CallToolResult:
        async with user.client(planner) as client:
            return await modern_call(client, "plan_trip", {"destination": "Lisbon"})

    result = run(go)
    assert not result.is_error, result.content
    assert result.structured_content is not None
    assert result.structured_content["result"] == {
        "destination": "Lisbon", "days": 2, "budget": "low", "plan": PLAN_TEXT, "model": "fake-model"}
    # Each question reaches the user once, though the tool ran three times.
    assert user.kinds == ["elicit", "sample"]
    (_, form), (_, sampling) = user.asked
    assert form.message == "Planning a trip to Lisbon. A few details?"
    assert set(form.requested_schema["properties"]) == {"days", "budget", "travellers", "interests"}
    assert "tiles" in sampling.messages[0].content.text and sampling.max_tokens == 120


def test_a_declined_form_ends_the_call_without_asking_the_model(planner: str) -> None:
    user = FakeUser("decline")

    async def go() -> mcp_types.CallToolResult:
        async with user.client(planner) as client:
            return await modern_call(client, "plan_trip", {"destination": "Porto"})

    result = run(go)
    assert not result.is_error, result.content
    assert result.structured_content == {"result": "No plan: the traveller chose to decline."}
    assert user.kinds == ["elicit"]


def test_an_answer_outside_the_form_fails_the_call_clearly(planner: str) -> None:
    async def go() -> mcp_types.CallToolResult:
        async with FakeUser(content={"days": 99}).client(planner) as client:
            return await modern_call(client, "plan_trip", {"destination": "Faro"})

    result = run(go)
    assert result.is_error
    text = result.content[0].text  # type: ignore[union-attr]
    assert "does not match the schema" in text and "days" in text


def test_roots_with_and_without_the_capability(planner: str) -> None:
    async def go(user: FakeUser) -> mcp_types.CallToolResult:
        async with user.client(planner) as client:
            return await modern_call(client, "shared_folders", {})

    user = FakeUser()
    shared = run(lambda: go(user))
    assert shared.structured_content == {"result": ["trips: file:///trips"]}
    assert user.kinds == ["roots"]
    # The tool catches the refusal and says why; the call itself succeeds.
    bare = run(lambda: go(FakeUser(lists_roots=False)))
    assert not bare.is_error
    assert "did not declare the roots capability" in bare.structured_content["result"][0]


@pytest.mark.parametrize(("tool", "arguments", "missing"), [
    ("packing_list", {"destination": "Braga", "days": 2}, {"sampling": {}}),
    ("plan_trip", {"destination": "Braga"}, {"elicitation": {}}),
])
def test_a_client_without_the_capability_gets_error_32021(planner: str, tool: str, arguments: dict[str, Any],
                                                          missing: dict[str, Any]) -> None:
    refused = run(lambda: refusal(Client(planner, mode="auto"), tool, arguments))
    assert refused.code == -32021
    assert refused.data == {"requiredCapabilities": missing}


def test_a_capability_missing_only_for_the_second_question(planner: str) -> None:
    """The form is answered; the model is needed next, which the client did not declare."""
    user = FakeUser(samples=False)
    refused = run(lambda: refusal(user.client(planner), "plan_trip", {"destination": "Tavira"}))
    assert refused.code == -32021 and refused.data == {"requiredCapabilities": {"sampling": {}}}
    assert user.kinds == ["elicit"]


def test_several_calls_that_ask_at_once(planner: str) -> None:
    user = FakeUser()

    async def go() -> list[mcp_types.CallToolResult]:
        async with user.client(planner) as client:
            return list(await asyncio.gather(*(
                modern_call(client, "packing_list", {"destination": city, "days": 2})
                for city in ("Braga", "Evora", "Sintra"))))

    results = run(go)
    assert all(r.structured_content == {"result": ["Day 1: walk", "Day 2: walk"]} for r in results)
    assert len(user.asked) == 3


def test_the_handshake_still_works_on_the_same_server(planner: str, runtime: Runtime) -> None:
    user = FakeUser()

    async def go() -> tuple[Any, ...]:
        async with user.client(planner, mode="legacy") as client:
            folders = await client.call_tool("shared_folders", {})
            plan = await client.call_tool("plan_trip", {"destination": "Lagos"})
            return client.protocol_version, client.session.initialize_result, folders, plan

    version, initialized, folders, plan = run(go)
    assert version == LEGACY and initialized is not None and initialized.server_info.name == "planner"
    if runtime.waits:
        assert folders.structured_content == {"result": ["trips: file:///trips"]}
        assert plan.structured_content["result"]["plan"] == PLAN_TEXT
        assert user.kinds == ["roots", "elicit", "sample"]
        return
    # What 2026-07-28 fixes: a 2025-11-25 call cannot wait where requests spread over instances.
    assert CANNOT_WAIT in folders.structured_content["result"][0]  # the tool catches it
    assert plan.is_error and CANNOT_WAIT in plan.content[0].text
    assert user.asked == []


# -- raw HTTP: the wire rules ------------------------------------------------------------

ROUTED = {"tools/call": "name", "prompts/get": "name", "resources/read": "uri"}


def envelope(version: str = MODERN, capabilities: Mapping[str, Any] | None = None) -> dict[str, Any]:
    return {PROTOCOL_VERSION_KEY: version, CLIENT_CAPABILITIES_KEY: dict(capabilities or {}),
            CLIENT_INFO_KEY: {"name": "e2e", "version": "1"}}


def post(url: str, method: str, params: Mapping[str, Any] | None = None, *,
         meta: Mapping[str, Any] | None = None, without_meta: bool = False,
         headers: Mapping[str, str | None] | None = None, request_id: int | str = 1) -> httpx.Response:
    """A 2026-07-28 request as a client sends it: the envelope in _meta, mirrored in headers."""
    body = dict(params or {})
    if not without_meta:
        body["_meta"] = dict(meta) if meta is not None else envelope()
    sent: dict[str, str | None] = {"content-type": "application/json", "accept": "application/json, text/event-stream",
                                   "mcp-protocol-version": MODERN, "mcp-method": method}
    target = body.get(ROUTED.get(method, ""))
    if isinstance(target, str):
        sent["mcp-name"] = target
    sent.update(headers or {})
    return httpx.post(url, timeout=60, headers={k: v for k, v in sent.items() if v is not None},
                      json={"jsonrpc": "2.0", "id": request_id, "method": method, "params": body})


def reply(response: httpx.Response) -> dict[str, Any]:
    """The JSON-RPC response, from a JSON body or the last event of a stream."""
    if response.headers.get("content-type", "").startswith("text/event-stream"):
        events = [json.loads(line[len("data:"):]) for line in response.text.splitlines()
                  if line.startswith("data:") and line[len("data:"):].strip()]
        answer: dict[str, Any] = next(event for event in reversed(events) if "id" in event)
        return answer
    body: dict[str, Any] = response.json()
    return body


def call_plan_trip(url: str, destination: str = "Lisbon", *, state: str | None = None,
                   responses: dict[str, Any] | None = None) -> httpx.Response:
    params: dict[str, Any] = {"name": "plan_trip", "arguments": {"destination": destination}}
    if state is not None:
        params["requestState"] = state
    if responses is not None:
        params["inputResponses"] = responses
    return post(url, "tools/call", params, meta=envelope(capabilities=ALL_CAPABILITIES))


SAMPLED = {"role": "assistant", "model": "fake-model", "stopReason": "endTurn",
           "content": {"type": "text", "text": PLAN_TEXT}}


def test_discover_names_both_eras_and_needs_no_session(planner: str) -> None:
    response = post(planner, "server/discover")
    assert response.status_code == 200, response.text
    assert "mcp-session-id" not in response.headers
    result = reply(response)["result"]
    assert {MODERN, LEGACY} <= set(result["supportedVersions"])
    assert result["resultType"] == "complete" and "tools" in result["capabilities"]
    assert result["_meta"][SERVER_INFO_KEY]["name"] == "planner"


def test_input_required_rounds_on_the_wire(planner: str) -> None:
    """Each round is a new POST carrying the answers so far in requestState; no instance remembers it."""
    first = call_plan_trip(planner)
    assert first.status_code == 200, first.text
    asked = reply(first)["result"]
    assert asked["resultType"] == "input_required"
    assert [(key, r["method"]) for key, r in asked["inputRequests"].items()] == [("1", "elicitation/create")]
    assert asked["inputRequests"]["1"]["params"]["message"] == "Planning a trip to Lisbon. A few details?"

    form = {"1": {"action": "accept", "content": FORM_ANSWER}}
    second = reply(call_plan_trip(planner, state=asked["requestState"], responses=form))["result"]
    assert second["resultType"] == "input_required"
    assert [(key, r["method"]) for key, r in second["inputRequests"].items()] == [("2", "sampling/createMessage")]
    assert second["requestState"] != asked["requestState"]

    # Only the new answer: the form's rides in the state.
    done = reply(call_plan_trip(planner, state=second["requestState"], responses={"2": SAMPLED}))["result"]
    assert done["resultType"] == "complete" and done.get("isError") is not True, done
    assert done["structuredContent"]["result"]["plan"] == PLAN_TEXT
    assert done["structuredContent"]["result"]["days"] == 2


def test_a_tampered_or_misplaced_request_state_is_refused(planner: str) -> None:
    state = reply(call_plan_trip(planner))["result"]["requestState"]
    form = {"1": {"action": "accept", "content": FORM_ANSWER}}
    # One character changed inside the signed part (not the last one, whose spare bits would not count).
    tampered = state[:10] + ("B" if state[10] == "A" else "A") + state[11:]
    for sent, why in ((call_plan_trip(planner, state=tampered, responses=form), "tampered"),
                      (call_plan_trip(planner, "Porto", state=state, responses=form), "another request")):
        assert sent.status_code == 400, (why, sent.text)
        error = reply(sent)["error"]
        assert error["code"] == -32602 and "requestState" in error["message"], (why, error)


def test_a_missing_capability_on_the_wire(planner: str) -> None:
    response = post(planner, "tools/call", {"name": "packing_list", "arguments": {"destination": "Beja", "days": 1}},
                    request_id="no-model")
    assert response.status_code == 400, response.text
    body = reply(response)
    assert body["id"] == "no-model"
    assert body["error"]["code"] == -32021
    assert body["error"]["data"] == {"requiredCapabilities": {"sampling": {}}}


@pytest.mark.parametrize(("method", "params", "meta", "headers", "code"), [
    pytest.param("tools/list", {}, None, {}, -32602, id="no-meta"),
    pytest.param("tools/list", {}, {PROTOCOL_VERSION_KEY: MODERN}, {}, -32602, id="meta-without-capabilities"),
    pytest.param("server/discover", {}, envelope(), {"mcp-method": "tools/list"}, -32020, id="method-header"),
    pytest.param("server/discover", {}, envelope(), {"mcp-method": None}, -32020, id="no-method-header"),
    pytest.param("server/discover", {}, envelope("2099-01-01"), {}, -32020, id="version-header"),
    pytest.param("tools/call", {"name": "plan_trip", "arguments": {"destination": "Lisbon"}}, envelope(),
                 {"mcp-name": "packing_list"}, -32020, id="name-header"),
])
def test_a_bad_envelope_is_refused(planner: str, method: str, params: dict[str, Any],
                                   meta: dict[str, Any] | None, headers: dict[str, str | None], code: int) -> None:
    response = post(planner, method, params, meta=meta, without_meta=meta is None, headers=headers, request_id=41)
    assert response.status_code == 400, response.text
    body = reply(response)
    assert body["id"] == 41 and body["error"]["code"] == code, body


@pytest.mark.parametrize("with_envelope", [True, False], ids=["in-meta", "header-only"])
def test_an_unknown_version_names_the_supported_ones(planner: str, with_envelope: bool) -> None:
    response = post(planner, "server/discover", meta=envelope("2099-01-01"), without_meta=not with_envelope,
                    headers={"mcp-protocol-version": "2099-01-01"})
    assert response.status_code == 400, response.text
    error = reply(response)["error"]
    assert error["code"] == -32022
    assert error["data"]["requested"] == "2099-01-01" and MODERN in error["data"]["supported"]
    if not with_envelope:  # a client of no known era learns of the handshake too
        assert LEGACY in error["data"]["supported"]


@pytest.mark.parametrize("method", ["initialize", "ping", "logging/setLevel"])
def test_methods_2026_removed_are_not_found(planner: str, method: str) -> None:
    params = {"protocolVersion": LEGACY, "capabilities": {}, "clientInfo": {"name": "e2e", "version": "1"}} \
        if method == "initialize" else {"level": "info"} if method == "logging/setLevel" else {}
    response = post(planner, method, params)
    assert response.status_code == 404, response.text
    assert reply(response)["error"]["code"] == -32601
    assert "mcp-session-id" not in response.headers


@pytest.mark.parametrize("verb", ["GET", "DELETE"])
def test_get_and_delete_with_the_2026_header_are_not_allowed(planner: str, verb: str) -> None:
    response = httpx.request(verb, planner, timeout=30,
                             headers={"mcp-protocol-version": MODERN, "accept": "text/event-stream"})
    assert response.status_code == 405 and response.headers["allow"] == "POST"


# -- the conformance server: results as before, prompts that ask, logs and progress -----------


def test_results_are_the_same_in_both_eras(conformance: str) -> None:
    tools = ["test_simple_text", "test_image_content", "test_audio_content", "test_embedded_resource",
             "test_multiple_content_types", "test_error_handling"]

    async def go(mode: str) -> tuple[str, list[Any]]:
        async with Client(conformance, mode=mode) as client:
            seen: list[Any] = []
            for name in tools:
                result = await client.call_tool(name, {})
                seen.append((name, result.is_error, result.structured_content,
                             [content.model_dump() for content in result.content]))
            prompt = await client.get_prompt("test_prompt_with_arguments", {"arg1": "a", "arg2": "b"})
            read = await client.read_resource("test://template/a%20b/data")
            seen.append([message.model_dump() for message in prompt.messages])
            seen.append([content.model_dump() for content in read.contents])
            completed = await client.complete(
                mcp_types.PromptReference(type="ref/prompt", name="test_prompt_with_arguments"),
                {"name": "arg1", "value": "par"})
            seen.append(completed.completion.values)
            return client.protocol_version, seen

    modern_version, modern = run(lambda: go("auto"))
    legacy_version, legacy = run(lambda: go("legacy"))
    assert (modern_version, legacy_version) == (MODERN, LEGACY)
    assert modern[-1] == ["paris", "park", "party"]
    assert modern == legacy
    assert [is_error for _, is_error, _, _ in modern[:len(tools)]] == [False] * 5 + [True]


def test_a_prompt_that_asks_the_user_first(conformance: str) -> None:
    user = FakeUser(content={"context": "a rainy day"})

    async def go() -> tuple[str, mcp_types.GetPromptResult]:
        async with user.client(conformance) as client:
            return client.protocol_version, await client.get_prompt("test_input_required_result_prompt")

    version, prompt = run(go)
    assert version == MODERN
    text = prompt.messages[0].content.text  # type: ignore[union-attr]
    assert text == "Answer with this context in mind: a rainy day"
    assert [(kind, params.message) for kind, params in user.asked] == [
        ("elicit", "What context should the prompt use?")]


def test_logs_only_when_asked_for_and_progress(conformance: str) -> None:
    async def go(log_level: mcp_types.LoggingLevel | None) -> tuple[list[Any], list[float], mcp_types.CallToolResult]:
        logs: list[Any] = []
        reported: list[float] = []

        async def on_log(params: mcp_types.LoggingMessageNotificationParams) -> None:
            logs.append((params.level, params.data))

        async def on_progress(progress: float, total: float | None, message: str | None) -> None:
            reported.append(progress)

        async with Client(conformance, logging_callback=on_log, log_level=log_level) as client:
            assert client.protocol_version == MODERN
            logged = await client.call_tool("test_tool_with_logging", {})
            await client.call_tool("test_tool_with_progress", {}, progress_callback=on_progress)
            return logs, reported, logged

    logs, progress, logged = run(lambda: go("info"))
    assert logs == [("info", "Tool execution started"), ("info", "Tool processing data"),
                    ("info", "Tool execution completed")]
    assert progress == [0, 50, 100]
    assert logged.content[0].text == "Tool with logging executed successfully"  # type: ignore[union-attr]
    # A logging callback alone is no opt-in, and above the tool's level nothing comes either.
    assert run(lambda: go(None))[0] == []
    assert run(lambda: go("warning"))[0] == []


def test_an_argument_mirrored_in_a_header(conformance: str) -> None:
    async def go() -> mcp_types.CallToolResult:
        async with Client(conformance) as client:
            await client.list_tools()  # the listing tells the client which argument goes in a header
            return await modern_call(client, "test_header_param", {"region": "eu-west"})

    assert run(go).content[0].text == "Region: eu-west"  # type: ignore[union-attr]
    params = {"name": "test_header_param", "arguments": {"region": "eu-west"}}
    for headers in ({"mcp-param-region": "us-east"}, {}):
        response = post(conformance, "tools/call", params, headers=headers)
        assert response.status_code == 400 and reply(response)["error"]["code"] == -32020, response.text
    assert reply(post(conformance, "tools/call", params, headers={"mcp-param-region": "eu-west"}))["result"][
        "content"][0]["text"] == "Region: eu-west"


# -- over stdio ----------------------------------------------------------------------------




@pytest.mark.parametrize("command", stdio_commands(PLANNER))
def test_asking_over_stdio_with_2026(command: list[str]) -> None:
    # Raw lines first, which also compiles the component into the runtime's cache: a first start
    # takes longer than the client's server/discover probe waits (10 s), and the client would then
    # settle for the handshake.
    lines = [
        {"jsonrpc": "2.0", "id": 1, "method": "server/discover", "params": {"_meta": envelope()}},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {
            "name": "plan_trip", "arguments": {"destination": "Coimbra"},
            "_meta": envelope(capabilities=ALL_CAPABILITIES)}},
    ]
    done = subprocess.run(command, input="".join(json.dumps(line) + "\n" for line in lines), capture_output=True,
                          text=True, cwd=ROOT, timeout=300)
    discovered, asked = [json.loads(line) for line in done.stdout.splitlines()]
    assert MODERN in discovered["result"]["supportedVersions"], done.stderr
    assert asked["result"]["resultType"] == "input_required"
    assert asked["result"]["inputRequests"]["1"]["method"] == "elicitation/create"

    user = FakeUser()
    params = StdioServerParameters(command=command[0], args=command[1:], cwd=str(ROOT))

    async def go() -> tuple[mcp_types.CallToolResult, mcp_types.CallToolResult]:
        async with user.client(params) as client:
            return (await modern_call(client, "plan_trip", {"destination": "Coimbra"}),
                    await modern_call(client, "shared_folders", {}))

    plan, folders = run(go)
    assert not plan.is_error, plan.content
    assert plan.structured_content["result"]["plan"] == PLAN_TEXT
    assert folders.structured_content == {"result": ["trips: file:///trips"]}
    assert user.kinds == ["elicit", "sample", "roots"]
