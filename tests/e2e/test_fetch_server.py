"""End to end: the composed fetch server, served by a real Wasm runtime on
127.0.0.1, fetches from a local HTTP server through wasi:http's outgoing
handler; driven by the official MCP client. Only 127.0.0.1 is contacted.

Needs `make build PROVIDER=fetch SERVER=build/fetch-server.wasm`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from mcp import Client

from ..paths import BUILD
from ..unit.test_http_client import closed_port, local_server
from .server import Runtime, serve

pytestmark = pytest.mark.e2e

SERVER = BUILD / "fetch-server.wasm"


@pytest.fixture(scope="module")
def pages() -> Iterator[str]:
    """The local site the server may fetch from."""
    with local_server() as url:
        yield url


@pytest.fixture(scope="module")
def refused_port() -> int:
    return closed_port()


@pytest.fixture(scope="module")
def url(pages: str, refused_port: int, runtime: Runtime) -> Iterator[str]:
    if not SERVER.exists():
        pytest.fail(f"{SERVER} is missing: run `make build PROVIDER=fetch SERVER=build/fetch-server.wasm` first")
    print(f"\nserving {SERVER.name} ({SERVER.stat().st_size / 1e6:.1f} MB) with {runtime.id}")
    allowed = f"127.0.0.1:{pages.rsplit(':', 1)[1]},127.0.0.1:{refused_port}"
    with serve(SERVER, runtime, extra_env={"FETCH_ALLOWED_HOSTS": allowed, "FETCH_TIMEOUT_SECONDS": "1"}) as endpoint:
        yield endpoint


def call(url: str, name: str, arguments: dict[str, Any]) -> Any:
    async def go() -> Any:
        async with Client(url, mode="legacy") as client:
            return await client.call_tool(name, arguments)

    return asyncio.run(go())


def test_lists_the_fetch_tools(url: str) -> None:
    async def go() -> Any:
        async with Client(url, mode="legacy") as client:
            return client.server_info, await client.list_tools()

    info, listed = asyncio.run(go())
    assert info.name == "fetch"
    assert [t.name for t in listed.tools] == ["fetch", "http_status"]


def test_fetch_returns_the_page_text(url: str, pages: str) -> None:
    result = call(url, "fetch", {"url": f"{pages}/page"})
    assert result.is_error is False, result.content[0].text
    assert result.content[0].text == "Local page\nHello & welcome\nThe local test page."


def test_http_status_follows_redirects(url: str, pages: str) -> None:
    result = call(url, "http_status", {"url": f"{pages}/chain/2"})
    assert result.is_error is False, result.content[0].text
    status = result.structured_content
    assert (status["url"], status["status"], status["content_type"], status["redirects"]) == (
        f"{pages}/echo", 200, "application/json", 2)


def test_disallowed_host_is_an_error_result(url: str) -> None:
    result = call(url, "fetch", {"url": "http://localhost:1/"})
    assert result.is_error is True
    text = result.content[0].text
    assert "localhost:1 is not an allowed host" in text and "FETCH_ALLOWED_HOSTS" in text


def test_closed_port_is_an_error_result(url: str, refused_port: int) -> None:
    target = f"http://127.0.0.1:{refused_port}/"
    result = call(url, "fetch", {"url": target})
    assert result.is_error is True
    assert result.content[0].text.startswith(f"could not connect to {target}: ")


def test_timeout_and_size_limit_are_error_results(url: str, pages: str) -> None:
    slow = call(url, "fetch", {"url": f"{pages}/sleep/4"})
    assert slow.is_error is True and "did not answer in time" in slow.content[0].text
    big = call(url, "fetch", {"url": f"{pages}/stream/3000000"})
    assert big.is_error is True and big.content[0].text == f"{pages}/stream/3000000 is larger than 2 MiB"


def test_a_server_hanging_up_mid_body_is_an_error_result(url: str, pages: str) -> None:
    result = call(url, "fetch", {"url": f"{pages}/truncated"})
    assert result.is_error is True and result.content[0].text.startswith(f"fetching {pages}/truncated failed: ")


def test_the_server_lives_on(url: str, pages: str) -> None:
    assert call(url, "fetch", {"url": f"{pages}/latin1"}).content[0].text == "café crème"
