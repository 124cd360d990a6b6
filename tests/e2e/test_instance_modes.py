"""End to end: what each runtime mode keeps from one request to the next, as
the README's "Instance modes" table says. Requests here go one at a time, so
a mode that reuses instances answers them all from one instance."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from ..paths import BUILD
from .server import Runtime, serve

pytestmark = pytest.mark.e2e

SERVER = BUILD / "conformance-server.wasm"
HEADERS = {"content-type": "application/json", "accept": "application/json",
           "mcp-protocol-version": "2025-11-25"}


@pytest.fixture(scope="module")
def url(runtime: Runtime) -> Iterator[str]:
    if not SERVER.exists():
        pytest.fail(f"{SERVER} is missing: run `make build PROVIDER=conformance SERVER={SERVER}` (make test does)")
    # A shared secret: every instance accepts the session ids any other signed.
    with serve(SERVER, runtime, MCP_SESSIONS="on", MCP_SESSION_SECRET="instance-modes-test-secret") as endpoint:
        yield endpoint


def post(url: str, method: str, params: dict[str, Any] | None = None, session: str | None = None,
         request_id: int = 1) -> httpx.Response:
    message: dict[str, Any] = {"jsonrpc": "2.0", "id": request_id, "method": method}
    if params is not None:
        message["params"] = params
    headers = dict(HEADERS, **({"mcp-session-id": session} if session else {}))
    return httpx.post(url, content=json.dumps(message), headers=headers, timeout=30)


def new_session(url: str) -> str:
    response = post(url, "initialize", {"protocolVersion": "2025-11-25", "capabilities": {},
                                        "clientInfo": {"name": "modes", "version": "0"}})
    assert response.status_code == 200, response.text
    session: str = response.headers["mcp-session-id"]
    return session


def count(url: str, session: str) -> int:
    response = post(url, "tools/call", {"name": "calls_on_this_instance", "arguments": {}}, session)
    value: int = response.json()["result"]["structuredContent"]["result"]
    return value


def test_signed_session_ids_are_valid_on_every_instance(url: str) -> None:
    session = new_session(url)
    for number in range(3):
        assert post(url, "ping", session=session, request_id=number).status_code == 200


def test_module_state_lives_as_long_as_the_instance(url: str, runtime: Runtime) -> None:
    session = new_session(url)
    counts = [count(url, session) for _ in range(4)]
    if runtime.one_instance:
        assert counts == list(range(counts[0], counts[0] + 4))
    else:
        assert counts == [1, 1, 1, 1]


def test_log_level_is_kept_only_where_one_instance_answers(url: str, runtime: Runtime) -> None:
    session = new_session(url)
    assert post(url, "logging/setLevel", {"level": "error"}, session).json()["result"] == {}
    # test_tool_with_logging logs at info: below "error", so a remembered
    # level leaves the result alone; a forgotten one lets the logs through.
    response = httpx.post(url, headers=dict(HEADERS, accept="application/json, text/event-stream",
                                            **{"mcp-session-id": session}),
                          content=json.dumps({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
                                              "params": {"name": "test_tool_with_logging", "arguments": {}}}),
                          timeout=30)
    logs = [line for line in response.text.splitlines() if '"notifications/message"' in line]
    assert len(logs) == (0 if runtime.one_instance else 3)


def test_delete_is_remembered_only_where_one_instance_answers(url: str, runtime: Runtime) -> None:
    session = new_session(url)
    deleted = httpx.delete(url, headers=dict(HEADERS, **{"mcp-session-id": session}), timeout=30)
    assert deleted.status_code == 200
    after = post(url, "ping", session=session)
    assert after.status_code == (404 if runtime.one_instance else 200)
