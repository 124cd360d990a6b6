"""Parity: for every example provider, the in-memory client
(mcp_component.testing) answers exactly what the composed server answers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from mcp_component.testing import Client, ClientError

from ..paths import BUILD
from ..unit.test_testing_client import load_provider
from .server import Runtime, serve

pytestmark = pytest.mark.e2e


@dataclass
class Case:
    """One request, as a JSON-RPC method and params."""

    method: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Example:
    provider: str
    server: str
    cases: list[Case]


TOOLBOX = [
    Case("tools/call", {"name": "text_stats", "arguments": {"text": "To be, or not to be.\nThat is it."}}),
    Case("tools/call", {"name": "convert_temperature", "arguments": {"value": 98.6, "from_unit": "fahrenheit", "to_unit": "celsius"}}),
    Case("tools/call", {"name": "convert_temperature", "arguments": {"value": -300, "from_unit": "celsius", "to_unit": "kelvin"}}),
    Case("tools/call", {"name": "days_between", "arguments": {"start": "2026-12-25", "end": "2026-12-01"}}),
    Case("tools/call", {"name": "hash_text", "arguments": {"text": "wasm", "algorithm": "sha1"}}),
    Case("tools/call", {"name": "slugify", "arguments": {"title": "Ünïcode & Friends", "max_length": 8}}),
    Case("tools/call", {"name": "slugify", "arguments": {"title": 3}}),
    Case("tools/call", {"name": "primes", "arguments": {"limit": 50}, "_meta": {"progressToken": 11}}),
    Case("tools/call", {"name": "nope", "arguments": {}}),
    Case("prompts/list"),
]

CONFORMANCE = [
    *[Case("tools/call", {"name": name, "arguments": {}}) for name in (
        "test_simple_text", "test_image_content", "test_audio_content", "test_embedded_resource",
        "test_multiple_content_types", "test_error_handling", "json_schema_2020_12_tool", "test_reconnection")],
    Case("tools/call", {"name": "test_tool_with_logging", "arguments": {}}),
    Case("tools/call", {"name": "test_tool_with_progress", "arguments": {}, "_meta": {"progressToken": "t"}}),
    Case("resources/list"),
    Case("resources/templates/list"),
    *[Case("resources/read", {"uri": uri}) for uri in (
        "test://static-text", "test://static-binary", "test://watched-resource", "test://template/x%2Fy/data",
        "test://nothing-here")],
    Case("resources/subscribe", {"uri": "test://watched-resource"}),
    Case("resources/unsubscribe", {"uri": "test://watched-resource"}),
    Case("prompts/list"),
    Case("prompts/get", {"name": "test_simple_prompt"}),
    Case("prompts/get", {"name": "test_prompt_with_arguments", "arguments": {"arg1": "1", "arg2": "2"}}),
    Case("prompts/get", {"name": "test_prompt_with_arguments", "arguments": {"arg1": "1"}}),
    Case("prompts/get", {"name": "test_prompt_with_embedded_resource", "arguments": {"resourceUri": "test://e"}}),
    Case("prompts/get", {"name": "test_prompt_with_image"}),
    Case("prompts/get", {"name": "missing"}),
    Case("completion/complete", {"ref": {"type": "ref/prompt", "name": "test_prompt_with_arguments"},
                                 "argument": {"name": "arg1", "value": "te"}}),
]

# No host is allowed for fetch here: its answers (errors included) need no network.
FETCH = [
    Case("tools/call", {"name": "fetch", "arguments": {"url": "http://127.0.0.1:9/"}}),
    Case("tools/call", {"name": "http_status", "arguments": {"url": "ftp://example.com/"}}),
    Case("tools/call", {"name": "fetch", "arguments": {}}),
]

EXAMPLES = [
    Example("toolbox", "mcp-http-server.wasm", TOOLBOX),
    Example("conformance", "conformance-server.wasm", CONFORMANCE),
    Example("fetch", "fetch-server.wasm", FETCH),
]


def in_memory(client: Client, case: Case) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The notifications and the result (or error) the in-memory client gives."""
    p = case.params
    client.notifications.clear()
    calls: dict[str, Any] = {
        "tools/list": lambda: client.list_tools(),
        "tools/call": lambda: client.call_tool(p["name"], p.get("arguments"),
                                               progress_token=p.get("_meta", {}).get("progressToken")),
        "resources/list": lambda: client.list_resources(),
        "resources/templates/list": lambda: client.list_resource_templates(),
        "resources/read": lambda: client.read_resource(p["uri"]),
        "resources/subscribe": lambda: client.subscribe(p["uri"]),
        "resources/unsubscribe": lambda: client.unsubscribe(p["uri"]),
        "prompts/list": lambda: client.list_prompts(),
        "prompts/get": lambda: client.get_prompt(p["name"], p.get("arguments")),
        "completion/complete": lambda: client.complete(p["ref"], p["argument"]),
    }
    try:
        outcome = {"result": calls[case.method]()}
    except ClientError as exc:
        error: dict[str, Any] = {"code": exc.code, "message": exc.message}
        if exc.data is not None:
            error["data"] = exc.data
        outcome = {"error": error}
    return list(client.notifications), outcome


def over_http(url: str, case: Case, request_id: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    response = httpx.post(url, json={"jsonrpc": "2.0", "id": request_id, "method": case.method, "params": case.params},
                          headers={"accept": "application/json, text/event-stream",
                                   "mcp-protocol-version": "2025-06-18"}, timeout=60)
    assert response.status_code == 200, response.text
    if response.headers["content-type"].startswith("text/event-stream"):
        messages = [json.loads(line[6:]) for line in response.text.splitlines() if line.startswith("data: ") and line[6:]]
    else:
        messages = [response.json()]
    *notifications, final = messages
    return notifications, {k: v for k, v in final.items() if k in ("result", "error")}


# Each example in both builds: composed (transport and provider, two
# interpreters joined by WIT) and one-interpreter (`make build-single`).
BUILDS = [(ex, flavour) for ex in EXAMPLES for flavour in ("composed", "single")]


@pytest.fixture(scope="module", params=BUILDS, ids=[f"{ex.provider}-{flavour}" for ex, flavour in BUILDS])
def example(request: pytest.FixtureRequest, runtime: Runtime) -> Iterator[tuple[Example, str]]:
    ex, flavour = request.param
    server = BUILD / ex.server if flavour == "composed" else BUILD / "single" / f"{ex.provider}-server.wasm"
    if not server.exists():
        pytest.fail(f"{server} is missing: `make test` builds it")
    with serve(server, runtime) as url:
        yield ex, url


def test_initialize_and_listings_match(example: tuple[Example, str]) -> None:
    ex, url = example
    client = Client(load_provider(ex.provider))
    init = Case("initialize", {"protocolVersion": "2025-11-25", "capabilities": {},
                                 "clientInfo": {"name": "parity", "version": "1"}})
    _, served = over_http(url, init, 1)
    assert served == {"result": client.initialize()}
    for method in ("tools/list", "resources/list", "resources/templates/list", "prompts/list"):
        assert over_http(url, Case(method), 2) == in_memory(client, Case(method)), method


def test_every_case_matches(example: tuple[Example, str]) -> None:
    ex, url = example
    client = Client(load_provider(ex.provider))
    for number, case in enumerate(ex.cases, start=10):
        assert over_http(url, case, number) == in_memory(client, case), case
