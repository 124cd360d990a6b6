"""Context.elicit, sample and list_roots, answered by the in-memory client."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, Literal, TypedDict

import pytest

from mcp_component import (
    ClientRequestError,
    Context,
    Image,
    ModelPreferences,
    Provider,
    Root,
    SamplingMessage,
    Text,
)
from mcp_component.testing import Client, ClientError


@dataclass
class Booking:
    guests: int
    date: str
    plan: Literal["basic", "full"] = "basic"
    newsletter: bool = False


class Contact(TypedDict):
    email: str


provider = Provider("asking")


@provider.tool
async def book(ctx: Context) -> str:
    answer = await ctx.elicit("How many guests, and when?", Booking)
    if answer.data is None:
        return answer.action
    return f"{answer.data.guests} on {answer.data.date} ({answer.data.plan}, {answer.data.newsletter})"


@provider.tool
async def contact(ctx: Context) -> dict[str, Any]:
    answer = await ctx.elicit("Your email?", Contact)
    return {"action": answer.action, "data": answer.data}


@provider.tool
async def raw_schema(ctx: Context) -> dict[str, Any]:
    answer = await ctx.elicit("Pick", {"type": "object", "properties": {"x": {"type": "string", "enum": ["a"]}},
                                       "additionalProperties": False})
    return {"data": answer.data}


@provider.tool
async def sign_in(ctx: Context) -> str:
    answer = await ctx.elicit_url("Sign in to continue", "https://example.com/login", elicitation_id="e1")
    return answer.action


@provider.tool
async def summarize(text: str, ctx: Context) -> dict[str, Any]:
    reply = await ctx.sample(
        [SamplingMessage("user", Text(text)), "Be brief."], system_prompt="You summarize.",
        max_tokens=50, temperature=0.2, stop_sequences=["END"], include_context="thisServer",
        model_preferences=ModelPreferences(hints=("small",), speed_priority=0.9), metadata={"k": 1},
    )
    return {"text": reply.text, "model": reply.model, "stop": reply.stop_reason, "role": reply.role}


@provider.tool
async def roots(ctx: Context) -> list[str]:
    found = await ctx.list_roots()
    return [f"{r.uri}|{r.name}" for r in found]


@provider.tool
async def both(ctx: Context) -> str:
    first, second = await asyncio.gather(ctx.list_roots(), ctx.elicit("?", Contact))
    return f"{len(first)} {second.action}"


@provider.tool
async def stream_break(ctx: Context) -> str:
    await ctx.close_sse_stream()
    return "went on"


@provider.tool
def plain(ctx: Context) -> str:
    coroutine = ctx.list_roots()
    try:
        coroutine.send(None)
    except ClientRequestError as exc:
        return str(exc)
    return "asked"


@provider.tool
async def nested(ctx: Context) -> str:
    await ctx.elicit("x", {"type": "object", "properties": {"a": {"type": "object"}}})
    return "asked"


def accept(content: dict[str, Any]) -> Any:
    return lambda params: {"action": "accept", "content": content}


def text_of(result: dict[str, Any]) -> str:
    return str(result["content"][0]["text"])


def test_elicit_with_a_dataclass_sends_a_flat_form_and_binds_the_answer() -> None:
    client = Client(provider, elicitation=accept({"guests": 2, "date": "2026-12-24", "newsletter": True}))
    assert text_of(client.call_tool("book")) == "2 on 2026-12-24 (basic, True)"
    (request,) = client.requests
    assert request["method"] == "elicitation/create"
    assert request["params"] == {"mode": "form", "message": "How many guests, and when?", "requestedSchema": {
        "type": "object",
        "properties": {
            "guests": {"type": "integer"},
            "date": {"type": "string"},
            "plan": {"enum": ["basic", "full"], "type": "string", "default": "basic"},
            "newsletter": {"type": "boolean", "default": False},
        },
        "required": ["guests", "date"],
    }}


@pytest.mark.parametrize("action", ["decline", "cancel"])
def test_a_declined_or_cancelled_elicitation_has_no_data(action: str) -> None:
    client = Client(provider, elicitation=lambda params: {"action": action})
    assert text_of(client.call_tool("book")) == action


def test_an_answer_that_does_not_match_the_schema_fails_the_call_clearly() -> None:
    client = Client(provider, elicitation=accept({"guests": "many", "date": "x"}))
    result = client.call_tool("book")
    assert result["isError"] is True
    assert "does not match the schema" in text_of(result) and "guests" in text_of(result)


def test_elicit_with_a_typeddict_and_with_a_json_schema() -> None:
    client = Client(provider, elicitation=accept({"email": "a@b.c"}))
    assert client.call_tool("contact")["structuredContent"] == {"action": "accept", "data": {"email": "a@b.c"}}
    client = Client(provider, elicitation=accept({"x": "a"}))
    assert client.call_tool("raw_schema")["structuredContent"] == {"data": {"x": "a"}}
    # Keys a form schema may not carry are left out.
    assert "additionalProperties" not in client.requests[0]["params"]["requestedSchema"]


def test_a_nested_form_is_refused_before_anything_is_sent() -> None:
    client = Client(provider, elicitation=accept({}))
    result = client.call_tool("nested")
    assert result["isError"] is True and "forms are flat" in text_of(result)
    assert client.requests == []


def test_url_mode_needs_the_url_capability() -> None:
    client = Client(provider, elicitation=lambda params: {"action": "accept"}, url_elicitation=True)
    assert text_of(client.call_tool("sign_in")) == "accept"
    assert client.requests[0]["params"] == {"mode": "url", "message": "Sign in to continue",
                                            "url": "https://example.com/login", "elicitationId": "e1"}
    form_only = Client(provider, elicitation=lambda params: {"action": "accept"})
    assert "elicitation (url mode) capability" in text_of(form_only.call_tool("sign_in"))


def test_sample_sends_every_option_and_returns_the_message() -> None:
    client = Client(provider, sampling=lambda params: {
        "role": "assistant", "content": {"type": "text", "text": "Short."}, "model": "m-1", "stopReason": "endTurn"})
    result = client.call_tool("summarize", {"text": "Long text"})
    assert result["structuredContent"] == {"text": "Short.", "model": "m-1", "stop": "endTurn", "role": "assistant"}
    assert client.requests[0]["params"] == {
        "messages": [{"role": "user", "content": {"type": "text", "text": "Long text"}},
                     {"role": "user", "content": {"type": "text", "text": "Be brief."}}],
        "maxTokens": 50, "systemPrompt": "You summarize.", "temperature": 0.2, "stopSequences": ["END"],
        "includeContext": "thisServer", "metadata": {"k": 1},
        "modelPreferences": {"hints": [{"name": "small"}], "speedPriority": 0.9},
    }


def test_a_sampled_image_comes_back_as_image_content() -> None:
    from mcp_component._asking import sampling_result

    reply = sampling_result({"role": "assistant", "model": "m",
                             "content": {"type": "image", "data": "AAE=", "mimeType": "image/png"}})
    assert reply.content == Image(b"\x00\x01", "image/png") and reply.text == ""
    with pytest.raises(ClientRequestError):
        sampling_result({"role": "robot", "model": "m", "content": {"type": "text", "text": ""}})


def test_list_roots() -> None:
    client = Client(provider, roots=lambda params: {"roots": [{"uri": "file:///a", "name": "A"}, {"uri": "file:///b"}]})
    assert client.call_tool("roots")["structuredContent"] == {"result": ["file:///a|A", "file:///b|None"]}
    assert Root("file:///a") == Root("file:///a", None)


def test_requests_made_together_are_all_answered() -> None:
    client = Client(provider, roots=lambda params: {"roots": []}, elicitation=lambda params: {"action": "cancel"})
    assert text_of(client.call_tool("both")) == "0 cancel"
    assert [r["method"] for r in client.requests] == ["roots/list", "elicitation/create"]
    # Keys are strings, numbered in the order the call asks.
    assert client.request_keys == ["1", "2"]


def test_a_capability_the_client_lacks_fails_without_a_request() -> None:
    client = Client(provider)
    result = client.call_tool("roots")
    assert result["isError"] is True
    assert "roots/list: the client did not declare the roots capability" in text_of(result)
    assert client.requests == []


def test_an_error_answer_reaches_the_tool() -> None:
    def refuse(params: dict[str, Any]) -> dict[str, Any]:
        raise ClientError(-1, "User rejected sampling request")

    client = Client(provider, sampling=refuse)
    result = client.call_tool("summarize", {"text": "x"})
    assert "sampling/createMessage: the client answered -1: User rejected sampling request" in text_of(result)


def test_only_an_async_tool_can_ask() -> None:
    client = Client(provider, roots=lambda params: {"roots": []})
    assert text_of(client.call_tool("plain")) == "roots/list: only an async def tool can ask the client, while it runs"


def test_closing_the_stream_is_a_pause_the_in_memory_client_passes_over() -> None:
    assert text_of(Client(provider).call_tool("stream_break")) == "went on"
