"""Async tools on the call's own event loop: asyncio works, notifications still stream."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from mcp_component import CallToolResult, Context, LogMessage, Progress, Provider, RequestInfo, Text, Tool
from mcp_component._loop import STALLED, SleepSelector, Stalled, ToolLoop, Unavailable
from mcp_component.testing import Client

from .test_tools import run_all

TOKEN = RequestInfo(progress_token="t")


def error_text(events: list[Any]) -> str:
    result = events[-1]
    assert isinstance(result, CallToolResult) and result.is_error
    text = result.content[0]
    assert isinstance(text, Text)
    return text.text


def test_asyncio_sleep_in_a_tool_works_regression_issue_5() -> None:
    """Regression (authoring issue 5): `await asyncio.sleep(0.1)` failed with "no running event loop"."""
    provider = Provider("nap")

    @provider.tool
    async def nap(seconds: float) -> str:
        await asyncio.sleep(seconds)
        return "rested"

    result = Client(provider).call_tool("nap", {"seconds": 0.1})
    assert result == {"content": [{"type": "text", "text": "rested"}]}


def test_asyncio_sleep_waits_as_long_as_asked() -> None:
    async def nap() -> float:
        start = time.monotonic()
        await asyncio.sleep(0.05)
        return time.monotonic() - start

    start = time.monotonic()
    result = run_all(Tool.from_function(nap))[-1]
    assert time.monotonic() - start >= 0.05
    assert result.structured_content is not None and result.structured_content["result"] >= 0.05


def test_notifications_around_a_sleep_stream_in_order_before_the_result() -> None:
    trace: list[str] = []

    async def work(ctx: Context) -> str:
        await ctx.report_progress(1, 2)
        trace.append("sleeping")
        await asyncio.sleep(0.01)
        await ctx.report_progress(2, 2, "done sleeping")
        trace.append("finished")
        return "done"

    run = Tool.from_function(work).start({}, TOKEN)
    assert run.next() == Progress(1.0, 2.0)
    assert trace == []  # paused at the first Context await, before the sleep
    assert run.next() == Progress(2.0, 2.0, "done sleeping")
    assert trace == ["sleeping"]
    assert run.next() == CallToolResult(content=[Text("done")])
    assert trace == ["sleeping", "finished"]


def test_the_in_memory_client_collects_notifications_around_sleeps() -> None:
    provider = Provider("steps")

    @provider.tool
    async def steps(ctx: Context) -> int:
        for n in (1, 2, 3):
            await asyncio.sleep(0.001)
            await ctx.report_progress(n, 3)
        await ctx.info("all done")
        return 3

    client = Client(provider)
    assert client.call_tool("steps", progress_token=7)["structuredContent"] == {"result": 3}
    assert [n["method"] for n in client.notifications] == ["notifications/progress"] * 3 + ["notifications/message"]
    assert [n["params"].get("progress") for n in client.notifications[:3]] == [1.0, 2.0, 3.0]


def test_gather_of_two_sleeps_runs_them_concurrently() -> None:
    async def both(ctx: Context) -> list[str]:
        async def one(name: str, seconds: float) -> str:
            await asyncio.sleep(seconds)
            await ctx.info(name)
            return name

        return list(await asyncio.gather(one("slow", 0.2), one("fast", 0.1)))

    start = time.monotonic()
    events = run_all(Tool.from_function(both), {})
    elapsed = time.monotonic() - start
    assert events == [LogMessage("info", "fast"), LogMessage("info", "slow"),
                      CallToolResult(content=[Text('["slow","fast"]')], structured_content={"result": ["slow", "fast"]})]
    assert 0.2 <= elapsed < 0.28  # concurrent: the longer sleep, not the sum (0.3)


def test_wait_for_timing_out_is_an_error_result() -> None:
    async def slow() -> str:
        await asyncio.wait_for(asyncio.sleep(10), 0.01)
        return "never"

    start = time.monotonic()
    assert error_text(run_all(Tool.from_function(slow))) == "Error executing tool slow: TimeoutError"
    assert time.monotonic() - start < 5


def test_events_and_tasks_work() -> None:
    async def relay() -> str:
        ready = asyncio.Event()
        queue: asyncio.Queue[str] = asyncio.Queue()

        async def producer() -> None:
            await asyncio.sleep(0.005)
            await queue.put("hello")
            ready.set()

        task = asyncio.create_task(producer())
        await ready.wait()
        await task
        return await queue.get()

    assert run_all(Tool.from_function(relay))[-1] == CallToolResult(content=[Text("hello")])


def test_an_exception_after_an_await_is_an_error_result() -> None:
    async def boom(ctx: Context) -> str:
        await ctx.info("starting")
        await asyncio.sleep(0.001)
        raise ValueError("disk on fire")

    events = run_all(Tool.from_function(boom), {})
    assert events[0] == LogMessage("info", "starting")
    assert error_text(events) == "Error executing tool boom: disk on fire"


def test_notifications_queued_before_a_failure_still_arrive() -> None:
    async def boom(ctx: Context) -> str:
        ctx.warning("about to fail")  # not awaited: delivered with the result
        await asyncio.sleep(0)
        raise RuntimeError("nope")

    events = run_all(Tool.from_function(boom), {})
    assert events[0] == LogMessage("warning", "about to fail")
    assert error_text(events) == "Error executing tool boom: nope"


def test_a_masked_failure_hides_the_details() -> None:
    async def boom() -> str:
        await asyncio.sleep(0)
        raise ValueError("secret")

    assert error_text(run_all(Tool.from_function(boom), mask=True)) == "Error executing tool boom"


def test_sockets_are_refused_with_a_pointer_to_mcp_component_http() -> None:
    async def connect() -> str:
        await asyncio.open_connection("127.0.0.1", 9)
        return "never"

    async def resolve() -> str:
        await asyncio.get_running_loop().getaddrinfo("example.com", 80)
        return "never"

    for fn in (connect, resolve):
        text = error_text(run_all(Tool.from_function(fn)))
        assert "sockets are not available" in text and "mcp_component.http" in text


def test_threads_are_refused_as_in_a_component() -> None:
    async def offload() -> str:
        await asyncio.to_thread(time.sleep, 0)
        return "never"

    assert "threads are not available" in error_text(run_all(Tool.from_function(offload)))


def test_waiting_for_what_nothing_completes_fails_instead_of_hanging() -> None:
    async def stuck() -> str:
        await asyncio.Event().wait()
        return "never"

    assert error_text(run_all(Tool.from_function(stuck))) == f"Error executing tool stuck: {STALLED}"


def test_a_cancelled_tool_is_an_error_result() -> None:
    async def quits() -> str:
        raise asyncio.CancelledError

    assert "cancelled" in error_text(run_all(Tool.from_function(quits)))


def test_each_call_has_its_own_loop_closed_at_the_end() -> None:
    loops: list[asyncio.AbstractEventLoop] = []

    async def which() -> str:
        loops.append(asyncio.get_running_loop())
        await asyncio.sleep(0)
        return "ok"

    t = Tool.from_function(which)
    run_all(t)
    run_all(t)
    assert len(loops) == 2 and loops[0] is not loops[1]
    assert all(isinstance(loop, ToolLoop) and loop.is_closed() for loop in loops)


def test_tasks_left_running_are_cancelled_when_the_call_ends() -> None:
    trace: list[str] = []

    async def forgetful() -> str:
        async def background() -> None:
            try:
                await asyncio.sleep(10)
            finally:
                trace.append("cancelled")

        asyncio.get_running_loop().create_task(background())
        await asyncio.sleep(0)
        return "ok"

    assert run_all(Tool.from_function(forgetful))[-1] == CallToolResult(content=[Text("ok")])
    assert trace == ["cancelled"]


def _long_running(trace: list[str]) -> Any:
    """A tool that logs, then sleeps far longer than any test; notes its cleanup in ``trace``."""
    async def long(ctx: Context) -> str:
        try:
            await ctx.info("started")
            await asyncio.sleep(10)
            return "never"
        finally:
            trace.append("cleaned up")
    return long


def test_closing_an_abandoned_call_cancels_the_tool() -> None:
    trace: list[str] = []
    run = Tool.from_function(_long_running(trace)).start({})
    assert run.next() == LogMessage("info", "started")
    run.close()
    assert trace == ["cleaned up"]
    again = run.next()
    assert isinstance(again, CallToolResult) and again.is_error


def test_dropping_an_unfinished_call_cleans_it_up(caplog: pytest.LogCaptureFixture) -> None:
    trace: list[str] = []
    run = Tool.from_function(_long_running(trace)).start({})
    assert run.next() == LogMessage("info", "started")
    del run  # as a transport does when its client goes away
    assert trace == ["cleaned up"]
    assert [r.getMessage() for r in caplog.records if r.name == "asyncio"] == []


def test_the_client_works_from_inside_a_running_event_loop() -> None:
    """An async test may call the (synchronous) in-memory client: the call's loop runs in a fresh thread."""
    provider = Provider("nested")

    @provider.tool
    async def nap(ctx: Context) -> bool:
        await ctx.report_progress(1)
        await asyncio.sleep(0.01)
        await ctx.report_progress(2)
        return asyncio.get_running_loop() is not outer

    client = Client(provider)
    outer: asyncio.AbstractEventLoop | None = None

    async def main() -> dict[str, Any]:
        nonlocal outer
        outer = asyncio.get_running_loop()
        return client.call_tool("nap", progress_token="p")

    assert asyncio.run(main())["structuredContent"] == {"result": True}
    assert [n["params"]["progress"] for n in client.notifications] == [1.0, 2.0]


def test_context_methods_complete_at_once_outside_a_call() -> None:
    async def work(ctx: Context) -> str:
        await ctx.report_progress(1)
        await asyncio.sleep(0)
        return "done"

    ctx = Context(TOKEN)
    assert asyncio.run(work(ctx)) == "done"
    assert ctx.drain() == [Progress(1.0)]


def test_the_sleep_selector_sleeps_and_refuses_descriptors() -> None:
    selector = SleepSelector()
    start = time.monotonic()
    assert selector.select(0.02) == []
    assert time.monotonic() - start >= 0.02
    with pytest.raises(Stalled):
        selector.select(None)
    with pytest.raises(Unavailable, match="mcp_component.http"):
        selector.register(0, 1)
    assert selector.get_map() == {}
    with pytest.raises(KeyError):
        selector.get_key(0)
