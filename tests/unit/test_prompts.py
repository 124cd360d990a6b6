"""@prompt, Prompt and rendering: arguments, return forms and errors."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

import pytest

from mcp_component import (
    Context,
    EmbeddedResource,
    Icon,
    Image,
    InvalidParamsError,
    MCPError,
    Message,
    Prompt,
    PromptArgument,
    PromptResult,
    RequestInfo,
    ResourceLink,
    Text,
    assistant,
    prompt,
    user,
)
from mcp_component._prompts import PromptSpec, prompt_spec

from . import _future_annotated_capabilities as future


def render(fn: Any, arguments: dict[str, str] | None = None, request: RequestInfo | None = None) -> PromptResult:
    return Prompt.from_function(fn).render(arguments, request)


# -- messages ------------------------------------------------------------------


def test_user_and_assistant_turn_strings_into_text() -> None:
    picture = Image(b"PNG", "image/png")
    assert user("hi") == Message("user", Text("hi"))
    assert assistant("hello") == Message("assistant", Text("hello"))
    assert user(picture) == Message("user", picture)


def test_a_message_role_is_user_or_assistant() -> None:
    with pytest.raises(ValueError, match="role"):
        Message("system", Text("x"))  # type: ignore[arg-type]


# -- the decorator and metadata ------------------------------------------------


def test_bare_decorator_returns_the_function_unchanged() -> None:
    @prompt
    def greet(name: str) -> str:
        return f"Hello {name}"

    assert greet("Ada") == "Hello Ada"
    assert prompt_spec(greet) == PromptSpec()
    assert hasattr(greet, "__mcp_prompt__")


def test_options_and_docstring_make_the_metadata() -> None:
    icon = Icon("https://x/i.png")

    @prompt(name="review", title="Code review", icons=(icon,), meta={"k": 1})
    def review_code(code: Annotated[str, "The code to review"], language: str = "python",
                    strict: bool = False, ctx: Context | None = None) -> str:
        """Ask for a review.

        Args:
            code: ignored, Annotated wins.
            language: The code's language.
        """
        return code

    p = Prompt.from_function(review_code)
    assert (p.name, p.title, p.icons, p.meta) == ("review", "Code review", (icon,), {"k": 1})
    assert p.description == "Ask for a review."
    assert p.arguments == (
        PromptArgument("code", "The code to review", required=True),
        PromptArgument("language", "The code's language.", required=False),
        PromptArgument("strict", None, required=False),
    )
    assert Prompt.from_function(review_code, PromptSpec({"description": "Other"})).description == "Other"


def test_a_bad_signature_fails_at_decoration() -> None:
    with pytest.raises(TypeError):
        @prompt
        def bad(*topics: str) -> str:
            return ""

    with pytest.raises(TypeError):
        @prompt(name="x")
        def bad_too(**topics: str) -> str:
            return ""


# -- return forms --------------------------------------------------------------


def test_str_is_one_user_message() -> None:
    assert render(lambda: "hi") == PromptResult([Message("user", Text("hi"))])


def test_a_message_is_kept() -> None:
    assert render(lambda: assistant("ok")) == PromptResult([Message("assistant", Text("ok"))])


@pytest.mark.parametrize("block", [
    Text("t"), Image(b"PNG", "image/png"), ResourceLink("a://x", "x"), EmbeddedResource("a://x", text="t"),
])
def test_content_is_a_user_message(block: Any) -> None:
    assert render(lambda: block) == PromptResult([Message("user", block)])


def test_a_list_mixes_strings_messages_and_content() -> None:
    picture = Image(b"PNG", "image/png")
    expected = PromptResult([user("one"), assistant("two"), Message("user", picture)])
    assert render(lambda: ["one", assistant("two"), picture]) == expected
    assert render(lambda: ("one", assistant("two"), picture)) == expected
    assert render(lambda: []) == PromptResult([])


def test_a_prompt_result_is_returned_as_is() -> None:
    full = PromptResult([user("x")], description="d", meta={"m": 1})
    assert render(lambda: full) is full


@pytest.mark.parametrize("value", [42, {"a": 1}, None, ["ok", 3]])
def test_other_values_are_an_internal_error(value: Any) -> None:
    def odd() -> Any:
        return value

    with pytest.raises(MCPError, match="Error rendering prompt odd: a prompt returns") as caught:
        render(odd)
    assert caught.value.code == -32603


# -- arguments -------------------------------------------------------------------


def test_string_arguments_are_passed_as_is() -> None:
    def echo(text: str) -> str:
        return text

    assert render(echo, {"text": "42"}).messages == [user("42")]
    assert render(echo, {"text": "[1, 2]"}).messages == [user("[1, 2]")]


def test_other_arguments_are_parsed_from_json() -> None:
    def plan(days: int, budget: float, items: list[str], flags: dict[str, bool], rush: bool = False,
             note: str | None = None) -> str:
        return repr((days, budget, items, flags, rush, note))

    result = render(plan, {"days": "3", "budget": "99.5", "items": '["a", "b"]',
                           "flags": '{"x": true}', "rush": "true"})
    assert result.messages == [user("(3, 99.5, ['a', 'b'], {'x': True}, True, None)")]


def test_a_missing_required_argument_is_invalid_params() -> None:
    def greet(name: str, greeting: str = "Hello") -> str:
        return f"{greeting} {name}"

    with pytest.raises(InvalidParamsError, match="prompt 'greet'.*name: missing required argument") as caught:
        render(greet, {"greeting": "Hi"})
    assert caught.value.code == -32602
    with pytest.raises(InvalidParamsError, match="name: missing"):
        render(greet, None)


def test_an_unknown_argument_is_invalid_params() -> None:
    def greet(name: str) -> str:
        return name

    with pytest.raises(InvalidParamsError, match="nmae: unknown argument"):
        render(greet, {"nmae": "Ada"})


def test_an_invalid_argument_is_invalid_params() -> None:
    def repeat(times: int) -> str:
        return "x" * times

    with pytest.raises(InvalidParamsError, match='times: expected integer, got string "many"'):
        render(repeat, {"times": "many"})


def test_context_is_injected_and_not_an_argument() -> None:
    def hello(ctx: Context) -> str:
        return f"Hello {ctx.request.client_name}"

    p = Prompt.from_function(hello)
    assert p.arguments == ()
    assert p.render({}, RequestInfo(client_name="inspector")).messages == [user("Hello inspector")]


# -- async and errors -----------------------------------------------------------------


def test_an_async_prompt_runs_to_its_end() -> None:
    async def slow(ctx: Context, topic: str) -> str:
        await ctx.info("thinking")
        return f"About {topic}"

    assert render(slow, {"topic": "tea"}).messages == [user("About tea")]


def test_an_async_prompt_awaiting_something_else_fails_cleanly() -> None:
    async def sleepy() -> str:
        await asyncio.sleep(0)
        return "never"

    with pytest.raises(MCPError, match="only await Context"):
        render(sleepy)


def test_an_exception_becomes_an_internal_error_naming_the_prompt() -> None:
    @prompt(name="fragile")
    def boom() -> str:
        raise RuntimeError("no inspiration")

    with pytest.raises(MCPError) as caught:
        render(boom)
    assert type(caught.value) is MCPError and caught.value.code == -32603
    assert caught.value.message == "Error rendering prompt fragile: no inspiration"


def test_an_mcp_error_from_the_function_passes_through() -> None:
    def picky(topic: str) -> str:
        raise InvalidParamsError(f"no prompts about {topic}")

    with pytest.raises(InvalidParamsError, match="no prompts about cats"):
        render(picky, {"topic": "cats"})


# -- string annotations (PEP 563) ---------------------------------------------------


def test_future_annotations_are_resolved() -> None:
    p = Prompt.from_function(future.describe)
    assert [a.name for a in p.arguments] == ["colour", "tone", "words"]
    assert p.arguments[0].description == "The colour to describe"
    assert p.render({"colour": "teal", "words": "5", "tone": "poetic"}).messages == [user("poetic teal in 5 words")]
    with pytest.raises(InvalidParamsError, match="tone"):
        p.render({"colour": "teal", "tone": "loud"})


def test_future_annotations_defined_late_work_once_the_module_is_loaded() -> None:
    p = Prompt.from_function(future.late)
    assert p.render({"box": '{"width": 2, "height": 3}'}).messages == [user("2x3")]
