"""@resource, Resource and ResourceTemplate: metadata, matching, reading, errors."""

from __future__ import annotations

import asyncio
import enum
from dataclasses import dataclass
from typing import Any, Literal

import pytest

from mcp_component import (
    Annotations,
    Context,
    Icon,
    InvalidParamsError,
    MCPError,
    RequestInfo,
    Resource,
    ResourceContents,
    ResourceNotFoundError,
    ResourceTemplate,
    resource,
)
from mcp_component._resources import ResourceSpec, build_resource, resource_spec

from . import _future_annotated_capabilities as future


def template(uri: str, fn: Any) -> ResourceTemplate:
    built = build_resource(fn, ResourceSpec(uri))
    assert isinstance(built, ResourceTemplate)
    return built


def fixed(uri: str, fn: Any, **options: Any) -> Resource:
    built = build_resource(fn, ResourceSpec(uri, options))  # type: ignore[arg-type]
    assert isinstance(built, Resource)
    return built


# -- ResourceContents ---------------------------------------------------------


def test_contents_need_exactly_one_of_text_or_blob() -> None:
    assert ResourceContents("a://x", text="t").text == "t"
    assert ResourceContents("a://x", blob=b"b").blob == b"b"
    with pytest.raises(ValueError, match="exactly one"):
        ResourceContents("a://x")
    with pytest.raises(ValueError, match="exactly one"):
        ResourceContents("a://x", text="t", blob=b"b")


# -- the decorator and metadata ---------------------------------------------


def test_decorator_returns_the_function_unchanged_with_its_spec() -> None:
    @resource("config://app", title="App config")
    def config() -> str:
        return "debug=true"

    assert config() == "debug=true"
    assert resource_spec(config) == ResourceSpec("config://app", {"title": "App config"})
    assert getattr(config, "__mcp_resource__") == resource_spec(config)


def test_bare_decorator_use_is_explained() -> None:
    def config() -> str:
        return ""

    with pytest.raises(TypeError, match="needs a URI"):
        resource(config)  # type: ignore[arg-type]


def test_metadata_defaults_come_from_the_function() -> None:
    def readme() -> str:
        """The project's README.

        Kept short.

        Returns:
            Markdown.
        """
        return "# hi"

    r = fixed("docs://readme", readme)
    assert (r.uri, r.name, r.fn) == ("docs://readme", "readme", readme)
    assert r.description == "The project's README.\n\nKept short."
    assert (r.title, r.mime_type, r.size, r.annotations, r.icons, r.meta) == (None, None, None, None, (), None)


def test_every_option_is_kept() -> None:
    icon = Icon("https://x/icon.png", "image/png")
    notes = Annotations(audience=("user",), priority=0.5)
    r = fixed("docs://readme", lambda: "# hi", name="readme", title="README", description="Read me",
              mime_type="text/markdown", size=4, annotations=notes, icons=(icon,), meta={"k": 1})
    assert (r.name, r.title, r.description, r.mime_type, r.size) == ("readme", "README", "Read me", "text/markdown", 4)
    assert (r.annotations, r.icons, r.meta) == (notes, (icon,), {"k": 1})


def test_template_options_are_kept_and_size_is_refused() -> None:
    @resource("users://{id}", name="user", title="User", mime_type="application/json", meta={"m": True})
    def get_user(id: int) -> dict[str, int]:
        """One user."""
        return {"id": id}

    t = template("users://{id}", get_user)
    assert t.variables == ("id",)
    t2 = ResourceTemplate.from_function(get_user)
    assert (t2.uri_template, t2.name, t2.title, t2.description, t2.mime_type, t2.meta) == (
        "users://{id}", "user", "User", "One user.", "application/json", {"m": True})
    with pytest.raises(ValueError, match="size"):
        resource("users://{id}", size=3)(get_user)


def test_a_uri_with_braces_builds_a_template_and_one_without_a_resource() -> None:
    assert isinstance(build_resource(lambda: "", ResourceSpec("a://x")), Resource)
    assert isinstance(build_resource(lambda x: x, ResourceSpec("a://{x}")), ResourceTemplate)
    with pytest.raises(ValueError, match="template"):
        Resource("a://{x}", "x", lambda: "")
    with pytest.raises(ValueError, match="non-empty"):
        Resource("", "x", lambda: "")


def test_a_function_without_a_uri_cannot_be_built() -> None:
    with pytest.raises(TypeError, match="no resource URI"):
        build_resource(lambda: "")


# -- signatures checked at decoration ----------------------------------------


def test_a_resource_function_takes_no_parameters() -> None:
    with pytest.raises(TypeError, match="takes no parameters.*city"):
        @resource("weather://today")
        def today(city: str) -> str:
            return city


def test_a_bad_signature_fails_at_decoration() -> None:
    with pytest.raises(TypeError):
        @resource("logs://{day}")
        def logs(*days: str) -> str:
            return ""


def test_template_parameters_must_be_its_variables() -> None:
    with pytest.raises(TypeError, match="no parameter for variable.*b.*parameter.*c.*not in the template"):
        @resource("x://{a}/{b}")
        def f(a: str, c: str) -> str:
            return a + c


def test_a_context_parameter_is_not_a_variable() -> None:
    @resource("x://{a}")
    def f(a: str, ctx: Context) -> str:
        return a

    assert template("x://{a}", f).variables == ("a",)


@pytest.mark.parametrize("uri, message", [
    ("x://{?q}", "unsupported expression"),
    ("x://{a,b}", "unsupported expression"),
    ("x://{a}/{a}", "twice"),
    ("x://{a", "unbalanced"),
    ("x://a}/{b}", "unbalanced"),
    ("x://{}", "unsupported expression"),
])
def test_bad_templates_fail_at_decoration(uri: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        resource(uri)(lambda a, b: "")


# -- template matching ---------------------------------------------------------


def test_a_simple_variable_is_one_path_segment() -> None:
    t = template("files://{name}", lambda name: name)
    assert t.match("files://notes.txt") == {"name": "notes.txt"}
    assert t.match("files://dir/notes.txt") is None
    assert t.match("files://") is None
    assert t.match("files://a?b") is None


def test_a_reserved_variable_spans_segments() -> None:
    t = template("repo://{owner}/{repo}/blob/{+path}", lambda owner, repo, path: path)
    assert t.match("repo://me/sdk/blob/src/a/b.py") == {"owner": "me", "repo": "sdk", "path": "src/a/b.py"}
    assert t.match("repo://me/sdk/tree/src") is None


def test_matching_is_anchored_at_both_ends() -> None:
    t = template("x://items/{id}", lambda id: id)
    assert t.match("x://items/1") == {"id": "1"}
    assert t.match("prefix-x://items/1") is None
    assert t.match("x://items/1/more") is None


def test_regex_specials_in_the_literal_part_are_literal() -> None:
    t = template("calc://a.b+c(1)[x]*$^|/{n}?v=1", lambda n: n)
    assert t.match("calc://a.b+c(1)[x]*$^|/7?v=1") == {"n": "7"}
    assert t.match("calc://aXb+c(1)[x]*$^|/7?v=1") is None
    assert t.match("calc://a.bbc(1)[x]*$^|/7?v=1") is None


def test_matched_values_are_percent_decoded() -> None:
    t = template("search://{q}", lambda q: q)
    assert t.match("search://hello%20world%2Fx") == {"q": "hello world/x"}


# -- reading: return values --------------------------------------------------


def test_str_is_text_plain() -> None:
    assert fixed("a://x", lambda: "hi").read() == [ResourceContents("a://x", text="hi", mime_type="text/plain")]


@pytest.mark.parametrize("data", [b"\x00\x01", bytearray(b"\x00\x01")])
def test_bytes_are_a_blob(data: bytes) -> None:
    assert fixed("a://x", lambda: data).read() == [
        ResourceContents("a://x", blob=b"\x00\x01", mime_type="application/octet-stream")]


@dataclass
class Point:
    x: int
    y: int


@pytest.mark.parametrize("value, text", [
    ({"a": 1, "b": [1, 2]}, '{"a":1,"b":[1,2]}'),
    ([1, "two"], '[1,"two"]'),
    (Point(1, 2), '{"x":1,"y":2}'),
    (3.5, "3.5"),
    (None, "null"),
    ({"é": "ü"}, '{"é":"ü"}'),
])
def test_other_values_are_json(value: Any, text: str) -> None:
    assert fixed("a://x", lambda: value).read() == [
        ResourceContents("a://x", text=text, mime_type="application/json")]


def test_contents_pass_through() -> None:
    one = ResourceContents("a://other", text="t", mime_type="text/csv", meta={"k": 1})
    two = ResourceContents("a://x#2", blob=b"b")
    assert fixed("a://x", lambda: one).read() == [one]
    assert fixed("a://x", lambda: [one, two]).read() == [one, two]
    assert fixed("a://x", lambda: (one,)).read() == [one]


def test_the_mime_type_option_overrides_the_defaults() -> None:
    assert fixed("a://x", lambda: "# hi", mime_type="text/markdown").read()[0].mime_type == "text/markdown"
    assert fixed("a://x", lambda: b"PNG", mime_type="image/png").read()[0].mime_type == "image/png"
    assert fixed("a://x", lambda: {"a": 1}, mime_type="application/vnd.x+json").read()[0].mime_type == (
        "application/vnd.x+json")


def test_template_contents_carry_the_requested_uri() -> None:
    t = template("users://{id}/name", lambda id: f"user {id}")
    assert t.read("users://7/name") == [ResourceContents("users://7/name", text="user 7", mime_type="text/plain")]


# -- reading: variables --------------------------------------------------------


class Colour(enum.Enum):
    RED = "red"
    GREEN = "green"


def test_variables_are_coerced_through_the_signature() -> None:
    seen: dict[str, Any] = {}

    def fn(n: int, ratio: float, flag: bool, colour: Colour, mode: Literal["a", "b"], name: str) -> str:
        seen.update(n=n, ratio=ratio, flag=flag, colour=colour, mode=mode, name=name)
        return "ok"

    t = template("x://{n}/{ratio}/{flag}/{colour}/{mode}/{name}", fn)
    t.read("x://42/0.5/true/green/b/007")
    assert seen == {"n": 42, "ratio": 0.5, "flag": True, "colour": Colour.GREEN, "mode": "b", "name": "007"}
    t.read("x://007/1/True/red/a/x")
    assert (seen["n"], seen["ratio"], seen["flag"]) == (7, 1.0, True)


@pytest.mark.parametrize("uri, variable", [("x://abc/1", "n"), ("x://1/nope", "flag")])
def test_a_variable_that_does_not_convert_is_invalid_params(uri: str, variable: str) -> None:
    t = template("x://{n}/{flag}", lambda n, flag: "")
    typed = template("x://{n}/{flag}", _typed)
    with pytest.raises(InvalidParamsError, match=f"variable '{variable}'") as caught:
        typed.read(uri)
    assert caught.value.code == -32602
    assert t.read(uri)  # untyped variables stay strings


def _typed(n: int, flag: bool) -> str:
    return ""


def test_reading_a_uri_the_template_does_not_match_is_not_found() -> None:
    t = template("x://{n}", lambda n: n)
    with pytest.raises(ResourceNotFoundError) as caught:
        t.read("y://1")
    assert caught.value.code == -32002 and caught.value.data == {"uri": "y://1"}


# -- reading: context, async and errors -----------------------------------------


def test_context_is_injected() -> None:
    def whoami(ctx: Context) -> str:
        return str(ctx.request.client_name)

    assert fixed("a://me", whoami).read(RequestInfo(client_name="inspector"))[0].text == "inspector"

    def user(id: str, ctx: Context) -> str:
        return f"{id} for {ctx.request.client_name}"

    assert template("u://{id}", user).read("u://1", RequestInfo(client_name="c"))[0].text == "1 for c"


def test_an_async_function_runs_to_its_end() -> None:
    async def slow(ctx: Context) -> str:
        await ctx.info("reading")
        return "done"

    assert fixed("a://slow", slow).read()[0].text == "done"


def test_an_async_function_awaiting_something_else_fails_cleanly() -> None:
    async def sleepy() -> str:
        await asyncio.sleep(0)
        return "never"

    with pytest.raises(MCPError, match="only await Context"):
        fixed("a://sleepy", sleepy).read()


def test_an_exception_becomes_an_internal_error_naming_the_uri() -> None:
    def boom() -> str:
        raise ValueError("disk on fire")

    with pytest.raises(MCPError) as caught:
        fixed("a://boom", boom).read()
    assert type(caught.value) is MCPError
    assert caught.value.code == -32603
    assert caught.value.message == "Error reading resource a://boom: disk on fire"

    def missing(key: str) -> str:
        raise KeyError(key)

    with pytest.raises(MCPError, match="Error reading resource k://zz: 'zz'"):
        template("k://{key}", missing).read("k://zz")


def test_an_mcp_error_from_the_function_passes_through() -> None:
    def gone(id: str) -> str:
        raise ResourceNotFoundError(f"no user {id}")

    with pytest.raises(ResourceNotFoundError, match="no user 9"):
        template("u://{id}", gone).read("u://9")


def test_a_value_json_cannot_carry_is_an_internal_error() -> None:
    with pytest.raises(MCPError, match="Error reading resource a://x: .*cannot be converted") as caught:
        fixed("a://x", lambda: object()).read()
    assert caught.value.code == -32603


# -- string annotations (PEP 563) ----------------------------------------------


def test_future_annotations_are_resolved() -> None:
    t = ResourceTemplate.from_function(future.palette)
    assert t.variables == ("name", "shade") and t.mime_type == "application/json"
    assert t.read("palette://sea/dark") == [
        ResourceContents("palette://sea/dark", text='{"name":"sea","shade":"dark"}', mime_type="application/json")]
    assert Resource.from_function(future.count).read()[0].text == "2"
