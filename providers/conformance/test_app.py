"""The conformance fixtures in plain CPython, through the in-memory client:
`make test-provider PROVIDER=conformance`. The suite itself runs against the
built server (`make conformance`); these check what the fixtures ask and
answer, under both ways of asking the client, without a build."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from app import provider

from mcp_component.testing import Client, ClientError

NAME_FORM = {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}
OK_FORM = {"type": "object", "properties": {"ok": {"type": "boolean"}}, "required": ["ok"]}

# 2025-11-25 asks while the call runs; 2026-07-28 ends the call with an
# input-required result and runs it again with the answers.
VERSIONS = ["2025-11-25", "2026-07-28"]

Handler = Callable[[dict[str, Any]], dict[str, Any]]
MakeClient = Callable[..., Client]


@pytest.fixture(params=VERSIONS)
def version(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def make(version: str) -> MakeClient:
    return lambda **handlers: Client(provider, protocol_version=version, **handlers)


def text(result: dict[str, Any]) -> str:
    assert not result.get("isError"), result
    [block] = result["content"]
    return str(block["text"])


def elicited(**content: Any) -> Handler:
    return lambda params: {"action": "accept", "content": content}


def sampled(answer: str) -> Handler:
    return lambda params: {"role": "assistant", "content": {"type": "text", "text": answer}, "model": "m"}


def rooted(*uris: str) -> Handler:
    return lambda params: {"roots": [{"uri": uri} for uri in uris]}


def test_elicitation_fixture_asks_the_name_and_greets(make: MakeClient) -> None:
    client = make(elicitation=elicited(name="Ada"))
    assert text(client.call_tool("test_input_required_result_elicitation")) == "Hello, Ada!"
    assert client.request_keys == ["user_name"]
    assert client.requests == [{"method": "elicitation/create",
                                "params": {"mode": "form", "message": "What is your name?",
                                           "requestedSchema": NAME_FORM}}]


def test_sampling_fixture(make: MakeClient) -> None:
    client = make(sampling=sampled("Paris"))
    assert text(client.call_tool("test_input_required_result_sampling")) == "LLM response: Paris"
    assert client.request_keys == ["capital_question"]
    assert client.requests[0]["params"] == {
        "messages": [{"role": "user", "content": {"type": "text", "text": "What is the capital of France?"}}],
        "maxTokens": 100}


def test_roots_fixture(make: MakeClient) -> None:
    client = make(roots=rooted("file:///a", "file:///b"))
    assert text(client.call_tool("test_input_required_result_list_roots")) == "Client roots: file:///a, file:///b"
    assert client.request_keys == ["client_roots"]


def test_multiple_inputs_asks_all_three(make: MakeClient) -> None:
    client = make(elicitation=elicited(name="Ada"), sampling=sampled("Hi!"), roots=rooted("file:///r"))
    answer = text(client.call_tool("test_input_required_result_multiple_inputs"))
    assert answer == "Name: Ada; greeting: Hi!; roots: file:///r"
    assert sorted(client.request_keys) == ["client_roots", "greeting", "user_name"]
    greeting = client.requests[client.request_keys.index("greeting")]["params"]
    assert greeting["maxTokens"] == 50
    assert greeting["messages"][0]["content"]["text"] == "Generate a greeting"


def test_multi_round_asks_in_order(make: MakeClient) -> None:
    answers = {"Step 1: What is your name?": {"name": "Ada"}, "Step 2: What is your favorite color?": {"color": "blue"}}
    client = make(elicitation=lambda params: {"action": "accept", "content": answers[params["message"]]})
    answer = text(client.call_tool("test_input_required_result_multi_round"))
    assert answer == "Hello, Ada! Your favorite color is blue."
    assert client.request_keys == ["step1", "step2"]


@pytest.mark.parametrize("tool", ["test_input_required_result_request_state",
                                  "test_input_required_result_tampered_state"])
def test_confirmation_fixtures(make: MakeClient, tool: str) -> None:
    client = make(elicitation=elicited(ok=True))
    assert "True" in text(client.call_tool(tool))
    assert client.request_keys == ["confirm"]
    assert client.requests[0]["params"]["message"] == "Please confirm"
    assert client.requests[0]["params"]["requestedSchema"] == OK_FORM


def test_request_state_fixture_says_state_ok(make: MakeClient) -> None:
    client = make(elicitation=elicited(ok=True))
    assert "state-ok" in text(client.call_tool("test_input_required_result_request_state"))


def test_a_declined_form_is_said_so(make: MakeClient) -> None:
    client = make(elicitation=lambda params: {"action": "decline"})
    assert text(client.call_tool("test_input_required_result_elicitation")) == "Hello, <decline>!"


def test_capabilities_fixture_asks_only_what_was_declared(make: MakeClient) -> None:
    sampling_only = make(sampling=sampled("Paris"))
    assert text(sampling_only.call_tool("test_input_required_result_capabilities")) == "LLM response: Paris"
    assert [r["method"] for r in sampling_only.requests] == ["sampling/createMessage"]
    both = make(sampling=sampled("Paris"), elicitation=elicited(name="Ada"))
    assert text(both.call_tool("test_input_required_result_capabilities")) == "LLM response: Paris; Hello, Ada!"
    neither = make()
    assert "neither" in text(neither.call_tool("test_input_required_result_capabilities"))
    assert neither.requests == []


def test_prompt_asks_for_its_context(make: MakeClient, version: str) -> None:
    client = make(elicitation=elicited(context="tests"))
    if version < "2026-07-28":  # only a tool call can wait for the client here
        with pytest.raises(ClientError):
            client.get_prompt("test_input_required_result_prompt")
        return
    result = client.get_prompt("test_input_required_result_prompt")
    assert result["messages"] == [{"role": "user", "content": {
        "type": "text", "text": "Answer with this context in mind: tests"}}]
    assert client.request_keys == ["user_context"]
    assert client.requests[0]["params"]["message"] == "What context should the prompt use?"


def test_streaming_elicitation_and_missing_capability(make: MakeClient) -> None:
    client = make(elicitation=elicited(value="v"), sampling=sampled("hello"))
    assert text(client.call_tool("test_streaming_elicitation")) == "Elicited: v"
    assert text(client.call_tool("test_missing_capability")) == "Sampled: hello"


def test_missing_capability_without_sampling(make: MakeClient, version: str) -> None:
    client = make()
    if version < "2026-07-28":  # the tool fails
        assert client.call_tool("test_missing_capability")["isError"] is True
        return
    with pytest.raises(ClientError) as error:  # the request fails
        client.call_tool("test_missing_capability")
    assert error.value.code == -32021
    assert error.value.data == {"requiredCapabilities": {"sampling": {}}}


def test_logging_and_list_changed_fixtures(make: MakeClient) -> None:
    client = make()
    client.set_logging_level("debug")
    assert text(client.call_tool("test_logging_tool")) == "Logging tool executed successfully"
    assert [n["method"] for n in client.notifications] == ["notifications/message"] * 3
    client.notifications.clear()
    client.call_tool("test_trigger_tool_change")
    client.call_tool("test_trigger_prompt_change")
    assert [n["method"] for n in client.notifications] == ["notifications/tools/list_changed",
                                                           "notifications/prompts/list_changed"]


def test_one_tool_mirrors_a_parameter_into_a_header(make: MakeClient) -> None:
    client = make()
    marked = [tool for tool in client.list_tools()["tools"]
              if any("x-mcp-header" in prop for prop in tool["inputSchema"].get("properties", {}).values())]
    assert [tool["name"] for tool in marked] == ["test_header_param"]
    schema = marked[0]["inputSchema"]
    assert schema["properties"]["region"]["x-mcp-header"] == "Region"
    assert schema["required"] == ["region"]
    assert text(client.call_tool("test_header_param", {"region": "eu-west"})) == "Region: eu-west"


def test_static_text_carries_a_cache_hint() -> None:
    client = Client(provider, protocol_version="2026-07-28")
    read = client.read_resource("test://static-text")
    assert (read["ttlMs"], read["cacheScope"]) == (60000, "public")


def test_json_schema_2020_12_keywords_reach_the_client(make: MakeClient) -> None:
    [tool] = [t for t in make().list_tools()["tools"] if t["name"] == "json_schema_2020_12_tool"]
    schema = tool["inputSchema"]
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$defs"]["address"]["$anchor"] == "addressDef"
    assert schema["allOf"][0]["anyOf"] and {"if", "then", "else"} <= schema.keys()
    assert schema["additionalProperties"] is False
