"""End to end: a tool that fails in any way fails its own call only.

Served on every runtime mode: the faults fixture (tests/fixtures/faults),
whose tools raise, recurse in Python and in C (a trap: the Wasm stack runs
out), allocate without end and loop without end. Each gets an error result
or a 5xx for that request alone; the server then answers 1,000 requests in a
row. Allocation and endless loops are only called where the runtime bounds
memory and time (wasmtime's -W limits, set by scripts/serve.sh); jco has no
such limits (README, "Limits").
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from ..paths import BUILD
from .server import Runtime, serve

pytestmark = pytest.mark.e2e

SERVER = BUILD / "faults-server.wasm"
HEADERS = {"content-type": "application/json", "accept": "application/json", "mcp-protocol-version": "2025-11-25"}
TIMEOUT = "3s"


@pytest.fixture(scope="module")
def url(runtime: Runtime) -> Iterator[str]:
    if not SERVER.exists():
        pytest.fail(f"{SERVER} is missing: `make test` builds it (make build PROVIDER=faults "
                    f"PROVIDER_DIR=tests/fixtures/faults SERVER={SERVER.relative_to(BUILD.parent)})")
    with serve(SERVER, runtime, MCP_REQUEST_TIMEOUT=TIMEOUT, MCP_MEMORY_MB="256") as endpoint:
        yield endpoint


def call(client: httpx.Client, url: str, name: str) -> httpx.Response:
    message: dict[str, Any] = {"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                               "params": {"name": name, "arguments": {}}}
    return client.post(url, json=message, headers=HEADERS)


def assert_ok(response: httpx.Response) -> None:
    assert response.status_code == 200, response.text
    assert response.json()["result"]["content"] == [{"type": "text", "text": "ok"}]


@pytest.mark.parametrize(("name", "message"), [
    ("raise_error", "raised on purpose"),
    ("recurse_forever", "maximum recursion depth exceeded"),
])
def test_python_exceptions_are_error_results(url: str, name: str, message: str) -> None:
    with httpx.Client(timeout=30) as client:
        response = call(client, url, name)
        assert response.status_code == 200, response.text
        result = response.json()["result"]
        assert result["isError"] is True and message in result["content"][0]["text"]
        assert_ok(call(client, url, "ok"))


def test_a_tool_sees_only_the_variables_passed_to_it(url: str) -> None:
    """Regression (authoring issue 8): under jco a tool read the whole host
    environment, HOME included; every runtime now passes only MCP_* settings
    and the names in MCP_SERVE_ENV."""
    with httpx.Client(timeout=30) as client:
        response = call(client, url, "environment_names")
    names = response.json()["result"]["structuredContent"]["result"]
    assert "HOME" not in names and "PATH" not in names
    # INSTANCE_ID is wasmtime serve's own: which instance answers.
    assert all(name.startswith("MCP_") or name == "INSTANCE_ID" for name in names), names
    assert {"MCP_REQUEST_TIMEOUT", "MCP_MEMORY_MB"}.isdisjoint(names)  # serve.sh's own, not the component's


def faults(runtime: Runtime) -> list[str]:
    names = ["deep_c_recursion"]
    if runtime.limits:
        names += ["allocate_forever", "loop_forever"]
    return names


def test_every_fault_costs_only_its_own_call(url: str, runtime: Runtime) -> None:
    with httpx.Client(timeout=60) as client:
        for name in faults(runtime):
            response = call(client, url, name)
            # A trap (stack, memory, time) is a 5xx for this request; memory
            # that runs out inside Python may instead be an error result.
            if response.status_code == 200:
                assert response.json()["result"]["isError"] is True, (name, response.text)
            else:
                assert 500 <= response.status_code < 600, (name, response.status_code, response.text)
            assert_ok(call(client, url, "ok"))
        for _ in range(1000):
            assert_ok(call(client, url, "ok"))
