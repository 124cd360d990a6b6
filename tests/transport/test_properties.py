"""Property-based tests of the HTTP rules and the JSON-RPC layer, and the
malformed corpus, against the transport in plain CPython: whatever arrives,
the answer is a 4xx or a JSON-RPC error, never an exception or a 5xx."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# Reproducible in CI (the same examples every run), and patient on a busy
# two-core machine: speed is the benchmarks' business, not these tests'.
settings.register_profile("transport", derandomize=True, deadline=None, max_examples=200,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("transport")

from mcp_transport.config import TransportConfig
from mcp_transport.dispatch import Dispatcher
from mcp_transport.http import HttpRequest, McpHttpApp
from mcp_transport.jsonrpc import JsonRpcError, Notification, Request, Response, parse_message
from mcp_transport.stdio import StdioSession

from ..malformed import HEADERS, VALID, corpus, problems
from .fake_provider import FakeProvider

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)
messages = st.fixed_dictionaries(
    {}, optional={"jsonrpc": st.sampled_from(["2.0", "1.0", 2]) | json_values,
                  "id": st.integers() | st.text(max_size=5) | json_values,
                  "method": st.sampled_from(["ping", "tools/list", "tools/call", "initialize", "nope"]) | json_values,
                  "params": st.dictionaries(st.sampled_from(["name", "arguments", "cursor", "_meta", "uri"]),
                                            json_values, max_size=4) | json_values,
                  "result": json_values, "error": json_values})


def app() -> McpHttpApp:
    return McpHttpApp(Dispatcher(FakeProvider()), TransportConfig())


def answer(application: McpHttpApp, method: str, path: str, headers: dict[str, str], body: bytes) -> list[str]:
    response = application.handle(HttpRequest(method, path, dict(headers, host="127.0.0.1:8080"), body))
    content_type = dict(response.headers).get("content-type", "")
    return problems(response.status, content_type, b"".join(response.body))


@given(st.binary(max_size=2048))
def test_any_bytes_parse_to_a_message_or_a_jsonrpc_error(body: bytes) -> None:
    try:
        parse_message(body)
    except JsonRpcError:
        pass


@given(messages)
def test_any_json_object_parses_to_a_valid_message_or_a_jsonrpc_error(message: dict[str, Any]) -> None:
    try:
        parsed = parse_message(json.dumps(message).encode())
    except JsonRpcError as exc:
        assert exc.code in (-32700, -32600)
        return
    assert message["jsonrpc"] == "2.0"
    if isinstance(parsed, (Request, Notification)):
        assert isinstance(parsed.method, str) and parsed.method and isinstance(parsed.params, dict)
    else:
        assert isinstance(parsed, Response)
    if isinstance(parsed, (Request, Response)):
        assert isinstance(parsed.id, (str, int)) and not isinstance(parsed.id, bool)


@given(st.sampled_from(["POST", "GET", "DELETE", "PUT", "HEAD"]),
       st.sampled_from(["/mcp", "/", "/mcp/", "/other"]) | st.text(max_size=20).map(lambda s: "/" + s),
       st.dictionaries(st.sampled_from(["content-type", "accept", "mcp-protocol-version", "mcp-session-id",
                                        "origin", "authorization"]), st.text(max_size=40), max_size=6),
       st.binary(max_size=512) | messages.map(lambda m: json.dumps(m).encode()))
def test_any_http_request_gets_an_answer_below_500(method: str, path: str, headers: dict[str, str],
                                                   body: bytes) -> None:
    assert answer(app(), method, path, headers, body) == []


@given(st.binary(max_size=1024) | messages.map(lambda m: json.dumps(m).encode()))
def test_any_stdio_line_gets_at_most_an_error_reply(line: bytes) -> None:
    replies = list(StdioSession(Dispatcher(FakeProvider())).handle_line(line))
    for reply in replies:
        json.dumps(reply, allow_nan=False)  # every reply is strict JSON
        assert reply["jsonrpc"] == "2.0"


def test_the_malformed_corpus_gets_no_5xx_and_changes_nothing() -> None:
    application = app()
    before = answer(application, "POST", "/mcp", HEADERS, json.dumps(VALID[3]).encode())
    found = {}
    for probe in corpus():
        wrong = answer(application, probe.method, probe.path, probe.headers, probe.body)
        if wrong:
            found[probe.name] = wrong
    assert found == {}
    assert answer(application, "POST", "/mcp", HEADERS, json.dumps(VALID[3]).encode()) == before
