"""Asking the client under 2026-07-28 (input-required results), cache hints and header parameters."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Annotated, Any

import pytest

from mcp_component import (
    CacheHint,
    ClientRequestError,
    Context,
    Header,
    MCPError,
    MissingCapabilityError,
    Provider,
    RequestInfo,
    tool,
)
from mcp_component._asking import ClientRequest, InputRequired, Waiting
from mcp_component._cache import page_hint
from mcp_component.testing import MAX_INPUT_ROUNDS, Client, ClientError

NEW = "2026-07-28"


@dataclass
class Name:
    name: str


provider = Provider("input")
runs: dict[str, int] = {}


def ran(name: str) -> None:
    runs[name] = runs.get(name, 0) + 1


@provider.tool
async def greet(ctx: Context) -> str:
    ran("greet")
    answer = await ctx.elicit("Your name?", Name, key="who")
    return f"hello {answer.data.name}" if answer.data else answer.action


@provider.tool
async def three_steps(ctx: Context) -> str:
    ran("three_steps")
    first = await ctx.elicit("First?", Name)
    roots = await ctx.list_roots()
    reply = await ctx.sample(f"Greet {first.data.name if first.data else '?'}", max_tokens=5)
    return f"{len(roots)} {reply.text}"


@provider.tool
async def together(ctx: Context) -> str:
    ran("together")
    roots, reply = await asyncio.gather(ctx.list_roots(), ctx.sample("hi", key="model"))
    return f"{len(roots)} {reply.text}"


@provider.tool
async def optional_sampling(ctx: Context) -> str:
    if not ctx.client_supports("sampling"):
        return "no sampling"
    return (await ctx.sample("hi")).text


@provider.tool
async def needs_roots(ctx: Context) -> str:
    await ctx.info("before asking")
    await ctx.list_roots()
    return "asked"


@provider.tool
async def tolerant(ctx: Context) -> str:
    try:
        await ctx.list_roots()
    except ClientRequestError:
        return "went on without roots"
    return "had roots"


@provider.tool
async def sign_in(ctx: Context) -> str:
    return (await ctx.elicit_url("Sign in", "https://example.com", elicitation_id="e")).action


@provider.tool
async def same_key_twice(ctx: Context) -> str:
    await ctx.list_roots(key="k")
    await ctx.list_roots(key="k")
    return "asked twice"


@provider.tool
async def named_then_auto(ctx: Context) -> str:
    await ctx.list_roots(key="1")
    await ctx.list_roots()
    return "asked"


@provider.tool
async def empty_key(ctx: Context) -> str:
    await ctx.list_roots(key="")
    return "asked"


moving = {"key": 0}


@provider.tool
async def moving_key(ctx: Context) -> str:
    moving["key"] += 1  # a call that never asks under the same key twice
    await ctx.list_roots(key=f"k{moving['key']}")
    return "done"


@provider.prompt
async def welcome(ctx: Context) -> str:
    answer = await ctx.elicit("Your name?", Name)
    return f"Welcome, {answer.data.name if answer.data else 'stranger'}"


@provider.prompt
async def swallowing(ctx: Context) -> str:
    try:
        answer = await ctx.elicit("Your name?", Name)
    except Exception:  # noqa: BLE001 - the stop must get through this
        return "swallowed"
    return answer.action


@provider.resource("files://{name}")
async def file(name: str, ctx: Context) -> str:
    roots = await ctx.list_roots(key="roots")
    return f"{name} in {', '.join(r.uri for r in roots)}"


def elicit_name(params: dict[str, Any]) -> dict[str, Any]:
    return {"action": "accept", "content": {"name": "Ada"}}


def some_roots(params: dict[str, Any]) -> dict[str, Any]:
    return {"roots": [{"uri": "file:///a"}, {"uri": "file:///b"}]}


def model(params: dict[str, Any]) -> dict[str, Any]:
    return {"role": "assistant", "content": {"type": "text", "text": "Hi Ada"}, "model": "m"}


def new_client(**handlers: Any) -> Client:
    return Client(provider, protocol_version=NEW, **handlers)


def text_of(result: dict[str, Any]) -> str:
    return str(result["content"][0]["text"])


@pytest.fixture(autouse=True)
def fresh_counts() -> None:
    runs.clear()


# -- tools ------------------------------------------------------------------------

def test_a_named_key_is_what_the_client_sees_and_answers() -> None:
    client = new_client(elicitation=elicit_name)
    assert text_of(client.call_tool("greet")) == "hello Ada"
    assert client.request_keys == ["who"] and client.requests[0]["method"] == "elicitation/create"
    assert runs["greet"] == 2  # once to ask, once more with the answer


def test_automatic_keys_count_up_and_stay_put_across_rounds() -> None:
    client = new_client(elicitation=elicit_name, roots=some_roots, sampling=model)
    assert text_of(client.call_tool("three_steps")) == "2 Hi Ada"
    assert list(zip(client.request_keys, [r["method"] for r in client.requests])) == [
        ("1", "elicitation/create"), ("2", "roots/list"), ("3", "sampling/createMessage")]
    assert runs["three_steps"] == 4
    assert client.requests[2]["params"]["messages"][0]["content"]["text"] == "Greet Ada"


def test_asks_made_together_go_out_in_one_round() -> None:
    client = new_client(roots=some_roots, sampling=model)
    assert text_of(client.call_tool("together")) == "2 Hi Ada"
    assert sorted(client.request_keys) == ["1", "model"]
    assert runs["together"] == 2


def test_a_run_with_answers_returns_them_at_once_and_asks_only_the_rest() -> None:
    request = RequestInfo(protocol_version=NEW, client_capabilities={"roots": {}, "sampling": {}}, input_responses={
        "1": {"roots": []}, "unrelated": {"anything": True}})
    run = provider.call_tool("together", None, request)
    event = run.next()
    assert event == ClientRequest("model", "sampling/createMessage", {
        "messages": [{"role": "user", "content": {"type": "text", "text": "hi"}}], "maxTokens": 1000})
    assert isinstance(run.next(), Waiting)  # nothing more runs until "model" has an answer
    run.close()


def test_an_unusable_answer_is_asked_again_under_the_same_key() -> None:
    answers = iter([{"action": "maybe"}, {"action": "accept", "content": {"name": "Bo"}}])
    client = new_client(elicitation=lambda params: next(answers))
    assert text_of(client.call_tool("greet")) == "hello Bo"
    assert client.request_keys == ["who", "who"]

    request = RequestInfo(protocol_version=NEW, client_capabilities={"elicitation": {}},
                          input_responses={"who": "accept"})  # not an object: no answer
    event = provider.call_tool("greet", None, request).next()
    assert isinstance(event, ClientRequest) and event.key == "who"


def test_answers_a_2025_client_never_sends_leave_the_old_way_alone() -> None:
    client = Client(provider, elicitation=elicit_name)
    assert text_of(client.call_tool("greet")) == "hello Ada"
    assert runs["greet"] == 1 and client.request_keys[0] == "who"


def test_a_capability_the_client_lacks_fails_the_request_with_32021() -> None:
    client = new_client()
    with pytest.raises(ClientError) as info:
        client.call_tool("needs_roots")
    assert info.value.code == -32021
    assert info.value.data == {"requiredCapabilities": {"roots": {}}}
    assert "did not declare the roots capability" in info.value.message
    assert [n["params"]["data"] for n in client.notifications] == ["before asking"]
    assert client.requests == []


@pytest.mark.parametrize(("tool_name", "handlers", "needed"), [
    ("optional_sampling", {"roots": some_roots}, None),
    ("three_steps", {"roots": some_roots}, {"elicitation": {}}),
    ("sign_in", {"elicitation": elicit_name}, {"elicitation": {"url": {}}}),
    ("together", {"roots": some_roots}, {"sampling": {}}),
])
def test_each_missing_capability_is_named(tool_name: str, handlers: dict[str, Any], needed: Any) -> None:
    client = new_client(**handlers)
    if needed is None:
        assert text_of(client.call_tool(tool_name)) == "no sampling"
        return
    with pytest.raises(ClientError) as info:
        client.call_tool(tool_name)
    assert (info.value.code, info.value.data) == (-32021, {"requiredCapabilities": needed})


def test_a_tool_that_catches_client_request_errors_goes_on_without_the_capability() -> None:
    assert text_of(new_client().call_tool("tolerant")) == "went on without roots"
    assert text_of(Client(provider).call_tool("tolerant")) == "went on without roots"


def test_the_missing_capability_error_carries_its_code_and_data() -> None:
    error = MissingCapabilityError("x", data={"requiredCapabilities": {"roots": {}}})
    assert isinstance(error, ClientRequestError) and isinstance(error, MCPError)
    assert error.code == -32021


def test_a_tool_run_raises_it_after_the_queued_notifications() -> None:
    request = RequestInfo(protocol_version=NEW, client_capabilities={}, input_responses={})
    run = provider.call_tool("needs_roots", None, request)
    assert run.next().__class__.__name__ == "LogMessage"
    with pytest.raises(MissingCapabilityError):
        run.next()
    assert run.next().is_error  # type: ignore[union-attr]


def test_client_supports_follows_the_declared_capabilities() -> None:
    ctx = Context(RequestInfo(client_capabilities={"elicitation": {"form": {}}, "roots": {}}))
    assert ctx.client_supports("elicitation") and ctx.client_supports("elicitation.form")
    assert ctx.client_supports("roots")
    assert not ctx.client_supports("elicitation.url") and not ctx.client_supports("sampling")
    assert Context(RequestInfo()).client_supports("sampling")  # unknown: asking just tries
    with pytest.raises(ValueError, match="unknown client capability"):
        ctx.client_supports("telepathy")  # type: ignore[arg-type]


def test_a_key_used_twice_or_empty_fails_the_call_naming_it() -> None:
    client = new_client(roots=some_roots)
    result = client.call_tool("same_key_twice")
    assert result["isError"] is True and "request key 'k' is used twice" in text_of(result)
    result = client.call_tool("empty_key")
    assert result["isError"] is True and "non-empty string" in text_of(result)


def test_automatic_keys_skip_names_already_taken() -> None:
    client = new_client(roots=some_roots)
    client.call_tool("named_then_auto")
    assert client.request_keys == ["1", "2"]


def test_the_client_gives_up_after_a_bounded_number_of_rounds() -> None:
    client = new_client(roots=some_roots)
    with pytest.raises(RuntimeError, match=f"after {MAX_INPUT_ROUNDS} rounds"):
        client.call_tool("moving_key")
    assert len(client.requests) == MAX_INPUT_ROUNDS


def test_a_handler_that_refuses_ends_the_request() -> None:
    def refuse(params: dict[str, Any]) -> dict[str, Any]:
        raise ClientError(-1, "no")

    with pytest.raises(ClientError, match="no"):
        new_client(roots=refuse).call_tool("needs_roots")


# -- prompts and resources ---------------------------------------------------------------

def test_a_prompt_asks_by_stopping_and_runs_again_with_the_answer() -> None:
    client = new_client(elicitation=elicit_name)
    assert client.get_prompt("welcome")["messages"][0]["content"]["text"] == "Welcome, Ada"
    assert client.request_keys == ["1"]


def test_the_stop_is_not_an_exception_a_prompt_can_swallow() -> None:
    request = RequestInfo(protocol_version=NEW, client_capabilities={"elicitation": {}}, input_responses={})
    with pytest.raises(InputRequired) as stop:
        provider.get_prompt("swallowing", {}, request)
    assert [(r.key, r.method) for r in stop.value.requests] == [("1", "elicitation/create")]
    assert new_client(elicitation=elicit_name).get_prompt("swallowing")["messages"][0]["content"]["text"] == "accept"


def test_a_resource_read_asks_the_same_way() -> None:
    client = new_client(roots=some_roots)
    assert client.read_resource("files://x")["contents"][0]["text"] == "x in file:///a, file:///b"
    assert client.request_keys[0] == "roots"


def test_prompts_and_resources_cannot_ask_a_2025_client() -> None:
    client = Client(provider, elicitation=elicit_name, roots=some_roots)
    with pytest.raises(ClientError) as info:
        client.get_prompt("welcome")
    assert info.value.code == -32603 and "2026-07-28" in info.value.message
    with pytest.raises(ClientError) as info:
        client.read_resource("files://x")
    assert "only by an input-required result" in info.value.message


def test_prompts_and_resources_need_the_capability_too() -> None:
    with pytest.raises(ClientError) as info:
        new_client().read_resource("files://x")
    assert (info.value.code, info.value.data) == (-32021, {"requiredCapabilities": {"roots": {}}})
    with pytest.raises(ClientError) as info:
        new_client().get_prompt("welcome")
    assert info.value.data == {"requiredCapabilities": {"elicitation": {}}}


def test_a_2026_client_reports_its_version() -> None:
    assert new_client().initialize()["protocolVersion"] == NEW
    with pytest.raises(ValueError, match="unknown protocol version"):
        Client(provider, protocol_version="1999-01-01")


# -- cache hints ------------------------------------------------------------------------

def test_a_cache_hint_checks_its_values() -> None:
    assert CacheHint() == CacheHint(0, "private")
    with pytest.raises(ValueError, match=">= 0"):
        CacheHint(-1)
    with pytest.raises(ValueError, match="public"):
        CacheHint(5, "shared")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        CacheHint(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="CacheHint"):
        Provider("x", cache=60)  # type: ignore[arg-type]


def test_a_page_takes_its_least_fresh_item() -> None:
    public_minute, private_second = CacheHint(60_000, "public"), CacheHint(1_000, "private")
    assert page_hint(None, [None, None]) is None
    assert page_hint(None, []) is None
    assert page_hint(public_minute, []) == public_minute
    assert page_hint(public_minute, [None]) == public_minute
    assert page_hint(public_minute, [private_second, None]) == private_second
    assert page_hint(None, [public_minute, CacheHint(5_000, "public")]) == CacheHint(5_000, "public")
    assert page_hint(None, [public_minute, None]) == CacheHint(0, "private")  # no hint: never reuse
    # An item's own hint stands in for the default; the default counts for items without one.
    assert page_hint(CacheHint(10, "public"), [CacheHint(99, "private")]) == CacheHint(99, "private")
    assert page_hint(CacheHint(10, "private"), [CacheHint(99, "public"), None]) == CacheHint(10, "private")


def cached_provider(default: CacheHint | None) -> Provider:
    cached = Provider("cached", cache=default, page_size=1)

    @cached.tool(cache=CacheHint(5_000, "public"))
    def first() -> str:
        return "1"

    @cached.tool
    def second() -> str:
        return "2"

    @cached.resource("data://fixed", cache=CacheHint(1_000, "public"))
    def fixed() -> str:
        return "fixed"

    @cached.resource("data://plain")
    def plain() -> str:
        return "plain"

    @cached.resource("data://items/{id}", cache=CacheHint(2_000, "private"))
    def item(id: str) -> str:
        return id

    @cached.prompt(cache=CacheHint(7, "public"))
    def ask() -> str:
        return "?"

    return cached


def test_list_and_read_results_carry_the_hints() -> None:
    client = Client(cached_provider(CacheHint(60_000, "public")), protocol_version=NEW)
    page = client.list_tools()
    assert (page["ttlMs"], page["cacheScope"]) == (5_000, "public")
    second = client.list_tools(page["nextCursor"])
    assert (second["ttlMs"], second["cacheScope"]) == (60_000, "public")  # the default
    assert client.list_prompts()["ttlMs"] == 7
    assert client.list_resource_templates()["cacheScope"] == "private"
    assert client.read_resource("data://fixed")["ttlMs"] == 1_000
    assert client.read_resource("data://plain")["ttlMs"] == 60_000
    assert client.read_resource("data://items/3")["cacheScope"] == "private"


def test_without_a_default_only_items_with_a_hint_give_one() -> None:
    client = Client(cached_provider(None), protocol_version=NEW)
    assert client.list_tools()["ttlMs"] == 5_000
    second = client.list_tools(client.list_tools()["nextCursor"])
    assert "ttlMs" not in second and "cacheScope" not in second
    plain = client.read_resource("data://plain")
    assert "ttlMs" not in plain and "cacheScope" not in plain
    assert Client(provider, protocol_version=NEW).list_tools().keys() == {"tools"}


def test_older_clients_get_no_hints() -> None:
    # As the server: cache hints exist on the wire from 2026-07-28 on.
    assert "ttlMs" not in Client(cached_provider(CacheHint(60_000, "public"))).list_tools()


def test_a_cache_option_must_be_a_cache_hint() -> None:
    def bad() -> None: ...

    with pytest.raises(TypeError, match="CacheHint"):
        tool(cache=5)(bad)  # type: ignore[call-overload]


# -- header parameters ---------------------------------------------------------------------

def test_a_header_marker_adds_x_mcp_header() -> None:
    headers = Provider("headers")

    @headers.tool
    def route(region: Annotated[str, Header("Region"), "Where to run"], count: Annotated[int, Header("Count")],
              dry: Annotated[bool, Header("Dry-Run")] = False, note: str = "") -> str:
        return region

    schema = Client(headers).list_tools()["tools"][0]["inputSchema"]
    assert schema["properties"]["region"] == {"type": "string", "description": "Where to run", "x-mcp-header": "Region"}
    assert schema["properties"]["count"]["x-mcp-header"] == "Count"
    assert schema["properties"]["dry"] == {"type": "boolean", "default": False, "x-mcp-header": "Dry-Run"}
    assert "x-mcp-header" not in schema["properties"]["note"]
    assert Client(headers).call_tool("route", {"region": "eu", "count": 1})["content"][0]["text"] == "eu"


@dataclass
class Zoned:
    zone: Annotated[str, Header("Zone")]


def bad_headers() -> list[Any]:
    def float_param(x: Annotated[float, Header("X")]) -> None: ...
    def optional_param(x: Annotated[str | None, Header("X")] = None) -> None: ...
    def nested(x: list[Annotated[str, Header("X")]]) -> None: ...
    def clash(a: Annotated[str, Header("Region")], b: Annotated[str, Header("region")]) -> None: ...
    def not_a_token(a: Annotated[str, Header("Bad Name")]) -> None: ...
    def twice(a: Annotated[str, Header("A"), Header("B")]) -> None: ...
    def in_dataclass(x: Zoned) -> None: ...

    return [
        (float_param, "'x'.*only a str, int or bool"),
        (optional_param, "'x'.*only a str, int or bool"),
        (nested, "'x'.*must mark the parameter itself"),
        (clash, "'a' and 'b' both use header 'region'"),
        (not_a_token, "'a'.*not a valid header name"),
        (twice, "'a' has more than one Header"),
        (in_dataclass, "'x'.*must mark the parameter itself"),
    ]


@pytest.mark.parametrize(("fn", "message"), bad_headers())
def test_a_header_marker_that_cannot_work_fails_at_decoration(fn: Any, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        tool(fn)


def test_a_header_needs_the_generated_schema_and_a_tool() -> None:
    def explicit(a: Annotated[str, Header("A")]) -> None: ...

    with pytest.raises(TypeError, match="explicit input_schema"):
        tool(input_schema={"type": "object", "properties": {"a": {"type": "string"}}})(explicit)
    other = Provider("other")
    with pytest.raises(TypeError, match="only to tool parameters"):
        @other.prompt
        def greeting(name: Annotated[str, Header("Name")]) -> str:
            return name


def test_tool_call_without_a_client_fails_the_ask_instead_of_waiting() -> None:
    result = provider.get_tool("tolerant").call(None, RequestInfo(client_capabilities={"roots": {}}))
    assert result.content[0].text == "went on without roots"  # type: ignore[union-attr]
