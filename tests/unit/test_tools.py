"""@tool, Tool and ToolRun: metadata, results, errors and notifications."""

from __future__ import annotations

import asyncio
import json
import math
from dataclasses import dataclass
from typing import Any, TypedDict

import pytest

from mcp_component import (
    Audio,
    CallToolResult,
    Context,
    EmbeddedResource,
    Image,
    LogMessage,
    Progress,
    Provider,
    RequestInfo,
    Text,
    Tool,
    ToolAnnotations,
    ToolError,
    tool,
)
from mcp_component.testing import Client


def run_all(t: Tool, arguments: dict[str, Any] | None = None, request: RequestInfo | None = None,
            mask: bool = False) -> list[Any]:
    run = t.start(arguments, request, mask_error_details=mask)
    events = []
    while True:
        event = run.next()
        events.append(event)
        if isinstance(event, CallToolResult):
            return events


def test_tool_decorator_returns_the_function_unchanged() -> None:
    @tool
    def add(a: int, b: int) -> int:
        return a + b

    assert add(2, 3) == 5
    assert hasattr(add, "__mcp_tool__")


def test_name_title_description_from_function_and_options() -> None:
    @tool(name="sum", title="Sum", annotations=ToolAnnotations(read_only_hint=True), meta={"k": 1})
    def add(a: int, b: int) -> int:
        """Add two integers.

        Longer explanation.

        Args:
            a: First.
            b: Second.
        """
        return a + b

    t = Tool.from_function(add)
    assert t.name == "sum"
    assert t.title == "Sum"
    assert t.description == "Add two integers.\n\nLonger explanation."
    assert t.annotations == ToolAnnotations(read_only_hint=True)
    assert t.meta == {"k": 1}
    assert t.input_schema["properties"]["a"] == {"type": "integer", "description": "First."}


def test_bad_signature_fails_at_decoration() -> None:
    with pytest.raises(TypeError):
        @tool
        def bad(*args: int) -> None:
            pass


def test_explicit_input_schema_is_kept_exactly() -> None:
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
              "$defs": {"x": {"type": "string"}}, "additionalProperties": False}

    @tool(input_schema=schema)
    def f(x: str = "") -> str:
        return x

    t = Tool.from_function(f)
    assert t.input_schema == schema
    # Arguments are still validated against the signature.
    assert run_all(t, {"x": 5})[-1].is_error


def test_str_result_is_text() -> None:
    t = Tool.from_function(lambda: "hello")
    assert run_all(t)[-1] == CallToolResult(content=[Text("hello")])


def test_content_results_pass_through() -> None:
    blocks = [Text("a"), Image(b"\x89PNG", "image/png"), Audio(b"RIFF", "audio/wav"),
              EmbeddedResource("test://x", text="t", mime_type="text/plain")]
    t = Tool.from_function(lambda: blocks)
    assert run_all(t)[-1].content == blocks


def test_none_result_is_empty_content() -> None:
    def nothing() -> None:
        return None

    assert run_all(Tool.from_function(nothing))[-1] == CallToolResult()


@dataclass
class Point:
    x: int
    y: int


class Summary(TypedDict):
    total: int


def test_dataclass_result_is_structured_with_output_schema() -> None:
    def where() -> Point:
        return Point(1, 2)

    t = Tool.from_function(where)
    assert t.output_schema is not None and t.output_schema["properties"]["x"] == {"type": "integer"}
    result = run_all(t)[-1]
    assert result.structured_content == {"x": 1, "y": 2}
    assert result.content == [Text('{"x":1,"y":2}')]


def test_typeddict_result_is_structured() -> None:
    def total() -> Summary:
        return {"total": 3}

    assert run_all(Tool.from_function(total))[-1].structured_content == {"total": 3}


def test_primitive_result_is_wrapped() -> None:
    def add(a: int, b: int) -> int:
        return a + b

    t = Tool.from_function(add)
    assert t.output_schema == {"type": "object", "properties": {"result": {"type": "integer"}}, "required": ["result"]}
    result = run_all(t, {"a": 2, "b": 3})[-1]
    assert result.structured_content == {"result": 5}
    assert result.content == [Text("5")]


def test_explicit_result_object_is_returned_as_is() -> None:
    answer = CallToolResult(content=[Text("x")], structured_content={"a": 1}, meta={"m": True})

    def full() -> CallToolResult:
        return answer

    assert run_all(Tool.from_function(full))[-1] is answer


def test_invalid_arguments_become_an_error_result_naming_the_field() -> None:
    def add(a: int, b: int) -> int:
        return a + b

    result = run_all(Tool.from_function(add), {"a": 1, "b": "two"})[-1]
    assert result.is_error
    assert "Invalid arguments for tool 'add'" in result.content[0].text
    assert "b" in result.content[0].text


def test_missing_argument_is_an_error_result() -> None:
    def add(a: int, b: int) -> int:
        return a + b

    result = run_all(Tool.from_function(add), {"a": 1})[-1]
    assert result.is_error and "b" in result.content[0].text


def test_exception_becomes_an_error_result() -> None:
    def boom() -> str:
        raise ValueError("disk on fire")

    result = run_all(Tool.from_function(boom))[-1]
    assert result == CallToolResult(content=[Text("Error executing tool boom: disk on fire")], is_error=True)


def test_masked_exception_hides_details_but_tool_error_does_not() -> None:
    def boom() -> str:
        raise ValueError("secret path /etc/x")

    def refuse() -> str:
        raise ToolError("no such city")

    masked = run_all(Tool.from_function(boom), mask=True)[-1]
    assert masked.content == [Text("Error executing tool boom")]
    assert run_all(Tool.from_function(refuse), mask=True)[-1].content == [Text("no such city")]


def test_context_is_injected_and_left_out_of_the_schema() -> None:
    def whoami(ctx: Context, x: int = 1) -> str:
        return str(ctx.request.client_name)

    t = Tool.from_function(whoami)
    assert "ctx" not in t.input_schema["properties"]
    assert run_all(t, {}, RequestInfo(client_name="inspector"))[-1].content == [Text("inspector")]


def test_sync_tool_notifications_come_before_the_result() -> None:
    def work(ctx: Context) -> str:
        ctx.report_progress(1, 2)
        ctx.info("half way")
        ctx.report_progress(2, 2)
        return "done"

    events = run_all(Tool.from_function(work), {}, RequestInfo(progress_token="t"))
    assert events == [Progress(1.0, 2.0), LogMessage("info", "half way"), Progress(2.0, 2.0),
                      CallToolResult(content=[Text("done")])]


def test_async_tool_streams_notifications_step_by_step() -> None:
    trace: list[str] = []

    async def work(ctx: Context) -> str:
        trace.append("start")
        await ctx.info("one")
        trace.append("after one")
        await ctx.info("two")
        return "done"

    run = Tool.from_function(work).start({})
    assert run.next() == LogMessage("info", "one")
    assert trace == ["start"]  # suspended at the first await
    assert run.next() == LogMessage("info", "two")
    assert trace == ["start", "after one"]
    assert run.next() == CallToolResult(content=[Text("done")])


def test_async_tool_may_await_asyncio() -> None:
    """Once refused ("only await Context methods"); tests/unit/test_async_tools.py covers the rest."""
    async def sleepy() -> str:
        await asyncio.sleep(0)
        return "awake"

    assert run_all(Tool.from_function(sleepy))[-1] == CallToolResult(content=[Text("awake")])


def test_progress_is_dropped_without_a_token() -> None:
    def work(ctx: Context) -> str:
        ctx.report_progress(1)
        return "ok"

    assert run_all(Tool.from_function(work)) == [CallToolResult(content=[Text("ok")])]


def test_logs_below_the_client_level_are_dropped() -> None:
    def work(ctx: Context) -> str:
        ctx.debug("noise")
        ctx.warning("careful")
        return "ok"

    events = run_all(Tool.from_function(work), {}, RequestInfo(log_level="info"))
    assert events[:-1] == [LogMessage("warning", "careful")]


def test_next_after_the_end_keeps_answering_with_an_error() -> None:
    run = Tool.from_function(lambda: "x").start({})
    run.next()
    again = run.next()
    assert isinstance(again, CallToolResult) and again.is_error


def test_explicit_output_schema_must_describe_an_object() -> None:
    with pytest.raises(TypeError, match="object"):
        @tool(output_schema={"type": "integer"})
        def count() -> int:
            return 1


def test_explicit_output_schema_needs_an_object_value() -> None:
    @tool(output_schema={"type": "object", "properties": {"n": {"type": "integer"}}})
    def count() -> Any:
        return 3

    result = run_all(Tool.from_function(count))[-1]
    assert result.is_error and "JSON object" in result.content[0].text


def test_log_data_is_made_json_where_it_is_logged() -> None:
    def work(ctx: Context) -> str:
        ctx.info({"point": Point(1, 2), "tags": ("a", "b")})
        return "ok"

    events = run_all(Tool.from_function(work), {})
    assert events[0] == LogMessage("info", {"point": {"x": 1, "y": 2}, "tags": ["a", "b"]})


def test_log_data_that_cannot_be_json_fails_the_call() -> None:
    def work(ctx: Context) -> str:
        ctx.info(object())
        return "ok"

    assert run_all(Tool.from_function(work), {})[-1].is_error


def test_async_tool_runs_under_asyncio_too() -> None:
    import asyncio

    async def work(ctx: Context) -> str:
        await ctx.info("hello")
        return "done"

    ctx = Context()
    assert asyncio.run(work(ctx)) == "done"
    assert ctx.drain() == [LogMessage("info", "hello")]


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, [1.0, math.nan], {"x": math.inf}])
def test_a_result_with_nan_or_infinity_is_an_error_not_invalid_json(value: object) -> None:
    """Regression (authoring issue 4): NaN went out as `"result":NaN`, which is not JSON."""
    provider = Provider("nan")

    @provider.tool
    def measure() -> float | list[float] | dict[str, float]:
        return value  # type: ignore[return-value]

    result = Client(provider).call_tool("measure", {})
    assert result["isError"] is True
    assert "NaN or an infinity" in result["content"][0]["text"]
    json.dumps(result, allow_nan=False)  # the message itself is strict JSON


def test_a_bytes_result_names_the_content_types_to_use() -> None:
    """Regression (authoring issue 10): `-> bytes` failed every call with no hint."""
    provider = Provider("b")

    @provider.tool
    def data() -> bytes:
        return b"abc"

    result = Client(provider).call_tool("data", {})
    assert result["isError"] is True
    assert "Image(data, mime_type)" in result["content"][0]["text"]
