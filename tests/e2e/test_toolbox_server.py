"""End to end: the composed toolbox server, served by a real Wasm runtime,
driven by the official MCP Python client and by raw HTTP."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from mcp import Client

from ..paths import BUILD
from .server import Runtime, serve

pytestmark = pytest.mark.e2e

SERVER = BUILD / "mcp-http-server.wasm"
JSON_ONLY = {"content-type": "application/json", "accept": "application/json"}


@pytest.fixture(scope="module")
def url(runtime: Runtime) -> Iterator[str]:
    if not SERVER.exists():
        pytest.fail(f"{SERVER} is missing: run `make build` first (make test does)")
    print(f"\nserving {SERVER.name} ({SERVER.stat().st_size / 1e6:.1f} MB) with {runtime.id}")
    with serve(SERVER, runtime) as endpoint:
        yield endpoint


def run(coro: Any) -> Any:
    return asyncio.run(coro)


# -- the official client -------------------------------------------------------

def test_client_initializes_and_lists_tools(url: str) -> None:
    async def go() -> Any:
        async with Client(url, mode="legacy") as client:
            return client.server_info, client.server_capabilities, await client.list_tools()

    info, capabilities, listed = run(go())
    assert info.name == "toolbox"
    assert capabilities.tools is not None and capabilities.prompts is None and capabilities.resources is None
    assert [t.name for t in listed.tools] == [
        "text_stats", "convert_temperature", "days_between", "hash_text", "slugify", "primes"]
    assert all(t.description for t in listed.tools)


CALLS: list[tuple[str, dict[str, Any], str]] = [
    ("text_stats", {"text": "Hello world. Hello!"}, '"most_common_word":"hello"'),
    ("convert_temperature", {"value": 0, "from_unit": "celsius", "to_unit": "kelvin"}, "273.15"),
    ("days_between", {"start": "2026-11-20", "end": "2026-11-27", "business_days_only": True}, "5"),
    ("hash_text", {"text": "abc"}, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    ("slugify", {"title": "Wasm Components: the Guide", "max_length": 15}, "wasm-components"),
    ("primes", {"limit": 30}, "[2,3,5,7,11,13,17,19,23,29]"),
]


@pytest.mark.parametrize(("name", "arguments", "expected"), CALLS, ids=[c[0] for c in CALLS])
def test_client_calls_each_tool(url: str, name: str, arguments: dict[str, Any], expected: str) -> None:
    async def go() -> Any:
        async with Client(url, mode="legacy") as client:
            return await client.call_tool(name, arguments)

    result = run(go())
    assert result.is_error is False
    assert expected in result.content[0].text


def test_client_sees_structured_content(url: str) -> None:
    async def go() -> Any:
        async with Client(url, mode="legacy") as client:
            return await client.call_tool("convert_temperature", {"value": 212, "from_unit": "fahrenheit", "to_unit": "celsius"})

    assert run(go()).structured_content == {"result": 100.0}


def test_client_receives_progress_and_logs_before_the_result(url: str) -> None:
    progress: list[float] = []
    logs: list[Any] = []

    async def on_progress(value: float, total: float | None, message: str | None) -> None:
        progress.append(value)

    async def on_log(params: Any) -> None:
        logs.append(params.data)

    async def go() -> Any:
        async with Client(url, mode="legacy", logging_callback=on_log) as client:
            return await client.call_tool("primes", {"limit": 1000}, progress_callback=on_progress)

    result = run(go())
    assert result.is_error is False
    assert len(progress) >= 3 and progress == sorted(progress)
    assert logs == ["found 168 primes up to 1000"]


@pytest.mark.parametrize(
    ("name", "arguments", "field"),
    [
        ("slugify", {"title": "x", "max_length": 0}, "max_length"),
        ("convert_temperature", {"value": 1, "from_unit": "rankine", "to_unit": "kelvin"}, "from_unit"),
        ("days_between", {"start": "yesterday", "end": "2026-01-01"}, "start"),
        ("hash_text", {}, "text"),
        ("hash_text", {"text": "a", "extra": 1}, "extra"),
    ],
)
def test_client_gets_an_error_result_for_invalid_arguments(url: str, name: str, arguments: dict[str, Any], field: str) -> None:
    async def go() -> Any:
        async with Client(url, mode="legacy") as client:
            return await client.call_tool(name, arguments)

    result = run(go())
    assert result.is_error is True
    assert field in result.content[0].text


def test_tool_failure_is_an_error_result_and_the_server_lives_on(url: str) -> None:
    async def go() -> Any:
        async with Client(url, mode="legacy") as client:
            failed = await client.call_tool("convert_temperature", {"value": -1, "from_unit": "kelvin", "to_unit": "celsius"})
            fine = await client.call_tool("hash_text", {"text": ""})
            return failed, fine

    failed, fine = run(go())
    assert failed.is_error and "below absolute zero" in failed.content[0].text
    assert fine.is_error is False


# -- raw HTTP: every error case ------------------------------------------------

def rpc(url: str, payload: Any, headers: dict[str, str] | None = None, **kwargs: Any) -> httpx.Response:
    content = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return httpx.post(url, content=content, headers=headers or JSON_ONLY, timeout=30, **kwargs)


def test_initialize_negotiates_versions(url: str) -> None:
    for requested, answered in [("2024-11-05", "2024-11-05"), ("2025-06-18", "2025-06-18"), ("2030-01-01", "2025-11-25")]:
        response = rpc(url, {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": requested, "capabilities": {}, "clientInfo": {"name": "raw", "version": "0"}}})
        assert response.status_code == 200
        assert response.json()["result"]["protocolVersion"] == answered


def test_initialized_notification_gets_202_without_body(url: str) -> None:
    response = rpc(url, {"jsonrpc": "2.0", "method": "notifications/initialized"})
    assert response.status_code == 202 and response.content == b""


def test_ping_over_raw_http(url: str) -> None:
    assert rpc(url, {"jsonrpc": "2.0", "id": "x", "method": "ping"}).json() == {"jsonrpc": "2.0", "id": "x", "result": {}}


def test_malformed_json_is_parse_error(url: str) -> None:
    response = rpc(url, b'{"jsonrpc": "2.0", "id": 1, "method": ')
    assert response.status_code == 400
    assert response.json() == {"jsonrpc": "2.0", "id": None, "error": {"code": -32700, "message": "Parse error: not valid JSON"}}


@pytest.mark.parametrize("payload", [
    {"jsonrpc": "1.0", "id": 1, "method": "ping"},
    {"id": 1, "method": "ping"},
    {"jsonrpc": "2.0", "id": 1, "method": 7},
    [{"jsonrpc": "2.0", "id": 1, "method": "ping"}],
    "ping",
])
def test_invalid_jsonrpc_is_invalid_request(url: str, payload: Any) -> None:
    response = rpc(url, payload)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == -32600


def test_unknown_method_is_method_not_found(url: str) -> None:
    response = rpc(url, {"jsonrpc": "2.0", "id": 2, "method": "prompts/list"})
    assert response.status_code == 200
    assert response.json()["error"]["code"] == -32601


@pytest.mark.parametrize("params", [{}, {"name": 3}, {"name": "hash_text", "arguments": "text=a"}])
def test_bad_tools_call_params_are_invalid_params(url: str, params: dict[str, Any]) -> None:
    response = rpc(url, {"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": params})
    assert response.json()["error"]["code"] == -32602


def test_unknown_tool_is_invalid_params(url: str) -> None:
    response = rpc(url, {"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "nope", "arguments": {}}})
    assert response.json()["error"] == {"code": -32602, "message": "Unknown tool: nope"}


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_other_http_methods_get_405(url: str, method: str) -> None:
    response = httpx.request(method, url, headers={"accept": "application/json, text/event-stream"}, timeout=30)
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"


@pytest.mark.parametrize("path", ["/", "/mcp/extra", "/other"])
def test_other_paths_get_404(url: str, path: str) -> None:
    response = httpx.post(url.removesuffix("/mcp") + path, json={"jsonrpc": "2.0", "id": 1, "method": "ping"}, timeout=30)
    assert response.status_code == 404


def test_wrong_content_type_gets_415(url: str) -> None:
    response = rpc(url, b'{"jsonrpc":"2.0","id":1,"method":"ping"}', {"content-type": "text/plain", "accept": "application/json"})
    assert response.status_code == 415


def test_unacceptable_accept_gets_406(url: str) -> None:
    response = rpc(url, {"jsonrpc": "2.0", "id": 1, "method": "ping"}, {"content-type": "application/json", "accept": "text/html"})
    assert response.status_code == 406


def test_oversized_body_gets_413(url: str) -> None:
    big = b'{"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":"' + b"x" * (5 * 1024 * 1024) + b'"}}'
    assert rpc(url, big).status_code == 413
    # ...and the server still answers.
    assert rpc(url, {"jsonrpc": "2.0", "id": 2, "method": "ping"}).status_code == 200
