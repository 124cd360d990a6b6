"""Provider: registration, lookup, capabilities, pagination."""

from __future__ import annotations

import enum
import types
from typing import Literal

import pytest

from mcp_component import (
    Capabilities,
    Completion,
    Context,
    InvalidParamsError,
    MCPError,
    NotFoundError,
    PromptResult,
    Provider,
    RequestInfo,
    Resource,
    ResourceContents,
    ResourceNotFoundError,
    ResourceTemplate,
    UnsupportedError,
    prompt,
    resource,
    tool,
    user,
)

from . import _future_annotated_capabilities as future


def make(page_size: int | None = None) -> Provider:
    provider = Provider("demo", page_size=page_size)
    for name in ("a", "b", "c"):
        provider.tool(name=name)(lambda: name)
    return provider


def test_decorator_registers_and_keeps_the_function() -> None:
    provider = Provider("demo")

    @provider.tool
    def ping() -> str:
        return "pong"

    assert ping() == "pong"
    assert [t.name for t in provider.tools] == ["ping"]


def test_duplicate_names_are_rejected() -> None:
    provider = make()
    with pytest.raises(ValueError, match="already registered"):
        provider.tool(name="a")(lambda: "again")


def test_unknown_tool_is_not_found() -> None:
    with pytest.raises(NotFoundError, match="Unknown tool: nope"):
        make().call_tool("nope")


def test_capabilities_follow_what_is_registered() -> None:
    assert Provider("empty").capabilities == Capabilities()
    assert make().capabilities == Capabilities(tools=True, logging=True)


def test_without_page_size_one_page_has_everything() -> None:
    page, cursor = make().list_tools()
    assert [t.name for t in page] == ["a", "b", "c"] and cursor is None


def test_pages_follow_their_cursors() -> None:
    provider = make(page_size=2)
    first, cursor = provider.list_tools()
    assert [t.name for t in first] == ["a", "b"] and cursor is not None
    second, last = provider.list_tools(cursor)
    assert [t.name for t in second] == ["c"] and last is None


@pytest.mark.parametrize("cursor", ["garbage", "eyJvZmZzZXQiOiAtMX0=", "eyJvZmZzZXQiOiA5OX0="])
def test_foreign_cursors_are_invalid_params(cursor: str) -> None:
    with pytest.raises(InvalidParamsError):
        make(page_size=1).list_tools(cursor)


def test_page_size_must_be_positive() -> None:
    with pytest.raises(ValueError):
        Provider("x", page_size=0)


def test_from_module_finds_the_provider_instance() -> None:
    module = types.ModuleType("mine")
    module.provider = make()  # type: ignore[attr-defined]
    assert Provider.from_module(module) is module.provider  # type: ignore[attr-defined]


def test_from_module_collects_decorated_functions() -> None:
    module = types.ModuleType("weather")

    @tool
    def forecast(city: str) -> str:
        return city

    module.forecast = forecast  # type: ignore[attr-defined]
    provider = Provider.from_module(module)
    assert provider.name == "weather" and [t.name for t in provider.tools] == ["forecast"]


def test_from_module_collects_resources_and_prompts_too() -> None:
    module = types.ModuleType("palettes")
    for fn in (future.palette, future.count, future.describe, future.late, future.Palette):
        setattr(module, fn.__name__, fn)
    provider = Provider.from_module(module)
    assert [r.uri for r in provider.resources] == ["palette://count"]
    assert [t.uri_template for t in provider.resource_templates] == ["palette://{name}/{shade}"]
    assert [p.name for p in provider.prompts] == ["describe"]
    assert provider.tools == []


def test_from_module_without_tools_says_so() -> None:
    with pytest.raises(ValueError, match="no Provider"):
        Provider.from_module(types.ModuleType("empty"))


def test_call_runs_the_tool() -> None:
    provider = Provider("demo")

    @provider.tool
    def add(a: int, b: int) -> int:
        return a + b

    assert provider.get_tool("add").call({"a": 1, "b": 2}).structured_content == {"result": 3}


# -- resources -----------------------------------------------------------------


def library(page_size: int | None = None, subscriptions: bool = False) -> Provider:
    provider = Provider("library", page_size=page_size, resource_subscriptions=subscriptions)

    @provider.resource("books://index", mime_type="application/json")
    def index() -> list[str]:
        return ["dune", "emma"]

    @provider.resource("books://about")
    def about() -> str:
        return "A small library."

    @provider.resource("books://{title}")
    def book(title: str) -> str:
        return f"The text of {title}"

    @provider.resource("books://{title}/pages/{page}")
    def page(title: str, page: int) -> str:
        return f"{title} p{page}"

    @provider.resource("files://{+path}")
    def file(path: str) -> bytes:
        return path.encode()

    return provider


def test_resources_and_templates_are_kept_apart_in_order() -> None:
    provider = library()
    assert all(isinstance(r, Resource) for r in provider.resources)
    assert [r.uri for r in provider.resources] == ["books://index", "books://about"]
    assert all(isinstance(t, ResourceTemplate) for t in provider.resource_templates)
    assert [t.uri_template for t in provider.resource_templates] == [
        "books://{title}", "books://{title}/pages/{page}", "files://{+path}"]


def test_read_prefers_a_fixed_resource_then_templates_in_order() -> None:
    provider = library()
    assert provider.read_resource("books://index") == [
        ResourceContents("books://index", text='["dune","emma"]', mime_type="application/json")]
    assert provider.read_resource("books://dune")[0].text == "The text of dune"
    assert provider.read_resource("books://dune/pages/3")[0].text == "dune p3"
    assert provider.read_resource("files://a/b.txt")[0].blob == b"a/b.txt"


def test_an_earlier_template_wins_when_several_match() -> None:
    provider = Provider("overlap")
    provider.resource("x://{+rest}")(lambda rest: "first")
    provider.resource("x://{a}")(lambda a: "second")
    assert provider.read_resource("x://one")[0].text == "first"


def test_an_unknown_uri_is_resource_not_found() -> None:
    with pytest.raises(ResourceNotFoundError, match="Unknown resource: music://x") as caught:
        library().read_resource("music://x")
    assert caught.value.code == -32002 and caught.value.data == {"uri": "music://x"}


def test_read_passes_the_request_to_the_context() -> None:
    provider = Provider("me")

    @provider.resource("me://name")
    def name(ctx: Context) -> str:
        return str(ctx.request.client_name)

    assert provider.read_resource("me://name", RequestInfo(client_name="inspector"))[0].text == "inspector"


def test_add_resource_and_the_constructor_take_decorated_functions() -> None:
    @resource("a://x")
    def x() -> str:
        return "x"

    @resource("a://{y}")
    def y(y: str) -> str:
        return y

    built = Provider("p").add_resource(x)
    assert isinstance(built, Resource) and built.uri == "a://x"
    provider = Provider("p", resources=[x, y])
    assert [r.uri for r in provider.resources] == ["a://x"]
    assert [t.uri_template for t in provider.resource_templates] == ["a://{y}"]
    with pytest.raises(TypeError, match="no resource URI"):
        Provider("p").add_resource(lambda: "")


def test_duplicate_uris_are_rejected() -> None:
    provider = library()
    with pytest.raises(ValueError, match="already registered"):
        provider.resource("books://about")(lambda: "again")
    with pytest.raises(ValueError, match="already registered"):
        provider.resource("books://{title}")(lambda title: "again")


def test_resource_lists_are_paginated() -> None:
    provider = library(page_size=2)
    first, cursor = provider.list_resources()
    assert [r.uri for r in first] == ["books://index", "books://about"] and cursor is None
    first_t, cursor_t = provider.list_resource_templates()
    assert len(first_t) == 2 and cursor_t is not None
    rest, end = provider.list_resource_templates(cursor_t)
    assert [t.uri_template for t in rest] == ["files://{+path}"] and end is None
    with pytest.raises(InvalidParamsError):
        provider.list_resources("garbage")


# -- subscriptions -------------------------------------------------------------


def test_subscriptions_are_unsupported_unless_turned_on() -> None:
    provider = library()
    with pytest.raises(UnsupportedError) as caught:
        provider.subscribe("books://index")
    assert caught.value.code == -32601
    with pytest.raises(UnsupportedError):
        provider.unsubscribe("books://index")


def test_subscribe_and_unsubscribe_keep_the_set() -> None:
    provider = library(subscriptions=True)
    provider.subscribe("books://index")
    provider.subscribe("books://dune/pages/2")
    assert provider.subscriptions == {"books://index", "books://dune/pages/2"}
    provider.unsubscribe("books://index")
    provider.unsubscribe("books://index")
    assert provider.subscriptions == {"books://dune/pages/2"}


def test_only_readable_uris_can_be_subscribed() -> None:
    provider = library(subscriptions=True)
    with pytest.raises(ResourceNotFoundError):
        provider.subscribe("music://x")
    with pytest.raises(ResourceNotFoundError):
        provider.unsubscribe("music://x")
    assert provider.subscriptions == set()


# -- prompts ---------------------------------------------------------------------


class Tone(enum.Enum):
    FORMAL = "formal"
    FRIENDLY = "friendly"
    FUNNY = "funny"


def writer(page_size: int | None = None) -> Provider:
    provider = Provider("writer", page_size=page_size)

    @provider.prompt
    def letter(to: str, tone: Tone = Tone.FORMAL) -> str:
        """Write a letter."""
        return f"Write a {tone.value} letter to {to}."

    @provider.prompt(name="summary", title="Summary")
    def summarise(text: str, style: Literal["bullets", "Brief", "prose"] = "prose", words: int = 50) -> str:
        return f"Summarise in {words} words as {style}: {text}"

    @provider.prompt
    def chat(topic: str) -> str:
        return topic

    return provider


def test_prompts_are_listed_in_order_and_paginated() -> None:
    provider = writer(page_size=2)
    assert [p.name for p in provider.prompts] == ["letter", "summary", "chat"]
    first, cursor = provider.list_prompts()
    assert [p.name for p in first] == ["letter", "summary"] and cursor is not None
    rest, end = provider.list_prompts(cursor)
    assert [p.name for p in rest] == ["chat"] and end is None


def test_get_prompt_renders_it() -> None:
    result = writer().get_prompt("summary", {"text": "x", "words": "5"})
    assert result == PromptResult([user("Summarise in 5 words as prose: x")])


def test_get_prompt_passes_the_request() -> None:
    provider = Provider("p")

    @provider.prompt
    def hi(ctx: Context) -> str:
        return f"hi {ctx.request.client_name}"

    assert provider.get_prompt("hi", None, RequestInfo(client_name="c")).messages == [user("hi c")]


def test_an_unknown_prompt_is_invalid_params() -> None:
    with pytest.raises(InvalidParamsError, match="Unknown prompt: nope") as caught:
        writer().get_prompt("nope")
    assert caught.value.code == -32602


def test_duplicate_prompt_names_are_rejected() -> None:
    provider = writer()
    with pytest.raises(ValueError, match="already registered"):
        provider.prompt(name="chat")(lambda: "again")


def test_add_prompt_and_the_constructor_take_functions() -> None:
    @prompt(name="greeting")
    def greet(name: str) -> str:
        return f"Hello {name}"

    def plain() -> str:
        return "plain"

    provider = Provider("p", prompts=[greet, plain])
    assert [p.name for p in provider.prompts] == ["greeting", "plain"]
    assert provider.add_prompt(future.late).name == "late"


# -- completions -------------------------------------------------------------------


def test_enum_and_literal_arguments_complete_without_a_handler() -> None:
    provider = writer()
    assert provider.complete("prompt", "letter", "tone", "f") == Completion(["formal", "friendly", "funny"])
    assert provider.complete("prompt", "letter", "tone", "FR") == Completion(["friendly"])
    assert provider.complete("prompt", "summary", "style", "b") == Completion(["bullets", "Brief"])


def test_other_arguments_complete_to_nothing() -> None:
    provider = writer()
    assert provider.complete("prompt", "letter", "to", "A") == Completion([])
    assert provider.complete("prompt", "summary", "words", "1") == Completion([])


def test_a_registered_handler_wins() -> None:
    provider = writer()

    @provider.completion(prompt="letter", argument="tone")
    def tones(value: str) -> list[str]:
        return ["custom"]

    @provider.completion(prompt="letter", argument="to")
    def people(value: str, context: dict[str, str]) -> list[str]:
        return [f"{value}{context.get('tone', '')}"]

    assert provider.complete("prompt", "letter", "tone", "f") == Completion(["custom"])
    assert provider.complete("prompt", "letter", "to", "Ada", {"tone": "!"}) == Completion(["Ada!"])
    assert tones("x") == ["custom"]  # the decorator returns the function


def test_template_variables_complete() -> None:
    provider = library()

    @provider.completion(resource_template="books://{title}", argument="title")
    def titles(value: str) -> list[str]:
        return [t for t in ("dune", "emma", "dracula") if t.startswith(value)]

    assert provider.complete("resource_template", "books://{title}", "title", "d") == Completion(["dune", "dracula"])

    provider.resource("modes://{mode}")(_mode)
    assert provider.complete("resource_template", "modes://{mode}", "mode", "") == Completion(["read", "write"])


def _mode(mode: Literal["read", "write"]) -> str:
    return mode


def test_the_handler_result_is_limited_to_one_hundred() -> None:
    provider = writer()
    provider.completion(prompt="chat", argument="topic")(lambda value: [str(i) for i in range(250)])
    result = provider.complete("prompt", "chat", "topic", "")
    assert len(result.values) == 100 and result.total == 250 and result.has_more


@pytest.mark.parametrize("kind, name, argument, message", [
    ("prompt", "nope", "x", "Unknown prompt: nope"),
    ("prompt", "letter", "nope", "Unknown argument 'nope' of prompt letter"),
    ("resource_template", "nope://{x}", "x", "Unknown resource template: nope://{x}"),
    ("resource_template", "books://{title}", "page", "Unknown argument 'page' of resource template"),
    ("tool", "x", "y", "Unknown completion reference kind"),
])
def test_unknown_references_are_invalid_params(kind: str, name: str, argument: str, message: str) -> None:
    provider = writer()
    provider.resource("books://{title}")(lambda title: title)
    with pytest.raises(InvalidParamsError, match=message):
        provider.complete(kind, name, argument, "")  # type: ignore[arg-type]


def test_completion_needs_exactly_one_reference() -> None:
    provider = writer()
    with pytest.raises(ValueError, match="exactly one"):
        provider.completion(argument="x")
    with pytest.raises(ValueError, match="exactly one"):
        provider.completion(prompt="letter", resource_template="a://{x}", argument="x")


def test_a_second_handler_for_the_same_argument_is_rejected() -> None:
    provider = writer()
    provider.completion(prompt="letter", argument="to")(lambda value: [])
    with pytest.raises(ValueError, match="already has a completion"):
        provider.completion(prompt="letter", argument="to")(lambda value: [])


def test_a_handler_with_a_bad_signature_fails_at_registration() -> None:
    with pytest.raises(TypeError):
        writer().completion(prompt="letter", argument="to")(lambda: [])


# -- capabilities -------------------------------------------------------------------


def test_capabilities_for_resources_and_subscriptions() -> None:
    # Logging goes with tools only: reads deliver no notifications.
    assert library().capabilities == Capabilities(resources=True, completions=False)
    assert library(subscriptions=True).capabilities == Capabilities(
        resources=True, resource_subscriptions=True)
    # Subscriptions mean nothing without resources.
    assert Provider("empty", resource_subscriptions=True).capabilities == Capabilities()


def test_templates_alone_offer_resources() -> None:
    provider = Provider("t")
    provider.resource("a://{x}")(lambda x: x)
    assert provider.capabilities == Capabilities(resources=True)


def test_capabilities_for_prompts_and_completions() -> None:
    plain = Provider("plain")
    plain.prompt(lambda topic: topic)
    assert plain.capabilities == Capabilities(prompts=True)

    plain.completion(prompt="<lambda>", argument="topic")(lambda value: [])
    assert plain.capabilities.completions

    # A Literal or Enum argument completes by itself.
    assert writer().capabilities == Capabilities(prompts=True, completions=True)
    moded = Provider("m")
    moded.resource("modes://{mode}")(_mode)
    assert moded.capabilities.completions


def test_masking_hides_what_resources_prompts_and_completions_raised() -> None:
    provider = Provider("masked", mask_error_details=True)

    @provider.resource("secret://x")
    def secret() -> str:
        raise RuntimeError("password=hunter2")

    @provider.prompt
    def ask(topic: str) -> str:
        raise RuntimeError("password=hunter2")

    @provider.completion(prompt="ask", argument="topic")
    def topics(value: str) -> list[str]:
        raise RuntimeError("password=hunter2")

    for call in (lambda: provider.read_resource("secret://x"),
                 lambda: provider.get_prompt("ask", {"topic": "t"}),
                 lambda: provider.complete("prompt", "ask", "topic", "")):
        with pytest.raises(MCPError) as info:
            call()
        assert "hunter2" not in info.value.message and info.value.code == -32603


def test_from_module_takes_the_name_the_build_gives() -> None:
    module = types.ModuleType("app")

    @tool
    def ping() -> str:
        return "pong"

    module.ping = ping  # type: ignore[attr-defined]
    assert Provider.from_module(module, "weather").name == "weather"
