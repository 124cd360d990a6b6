"""The JSON-RPC requests the load generator sends, and the checks of
their answers: every answer must be HTTP 200, carry the request's id and
the expected result, or it counts as an error.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from .provider.bench_tools import echo, text_stats

PROTOCOL_VERSION = "2025-11-25"
# Checks a JSON-RPC result object; returns what is wrong, or None.
ResultCheck = Callable[[Any], str | None]

# Varied English prose, so text_stats does real regex and counting work.
_PROSE = (
    "The quick brown fox jumps over the lazy dog. It was not the first time!",
    "Servers answer requests; clients wait. Why do some answers take longer than others?",
    "WebAssembly components compose.\nEach one imports and exports typed interfaces.",
)


@dataclass(frozen=True)
class Call:
    """One request: its encoded body, its id, and how to check the result."""

    body: bytes
    request_id: int
    check: ResultCheck


def _request(request_id: int, method: str, params: dict[str, Any] | None = None) -> bytes:
    message: dict[str, Any] = {"jsonrpc": "2.0", "id": request_id, "method": method}
    if params is not None:
        message["params"] = params
    return json.dumps(message, separators=(",", ":")).encode()


def initialize(request_id: int = 0) -> Call:
    params = {"protocolVersion": PROTOCOL_VERSION, "capabilities": {},
              "clientInfo": {"name": "bench", "version": "0.1.0"}}
    return Call(_request(request_id, "initialize", params), request_id,
                lambda r: None if isinstance(r, dict) and "protocolVersion" in r else f"bad initialize result {r!r}")


def ping(request_id: int) -> Call:
    return Call(_request(request_id, "ping"), request_id,
                lambda r: None if r == {} else f"bad ping result {r!r}")


def tools_list(request_id: int) -> Call:
    def check(result: Any) -> str | None:
        names = {tool.get("name") for tool in result.get("tools", [])} if isinstance(result, dict) else set()
        return None if {"echo", "text_stats"} <= names else f"tools/list lacks the bench tools: {sorted(map(str, names))}"
    return Call(_request(request_id, "tools/list"), request_id, check)


def call_echo(request_id: int) -> Call:
    text = echo(f"bench echo {request_id} \u2713")

    def check(result: Any) -> str | None:
        if not isinstance(result, dict) or result.get("isError"):
            return f"echo failed: {result!r}"
        content = result.get("content") or [{}]
        got = content[0].get("text")
        return None if got == text else f"echo answered {got!r}, expected {text!r}"
    return Call(_request(request_id, "tools/call", {"name": "echo", "arguments": {"text": text}}), request_id, check)


def call_text_stats(request_id: int) -> Call:
    text = f"{_PROSE[request_id % len(_PROSE)]} Request {request_id} ends here."
    expected = asdict(text_stats(text))

    def check(result: Any) -> str | None:
        if not isinstance(result, dict) or result.get("isError"):
            return f"text_stats failed: {result!r}"
        got = result.get("structuredContent")
        return None if got == expected else f"text_stats answered {got!r}, expected {expected!r}"
    return Call(_request(request_id, "tools/call", {"name": "text_stats", "arguments": {"text": text}}),
                request_id, check)


# The workloads of the throughput tables: name -> request maker.
WORKLOADS: dict[str, Callable[[int], Call]] = {
    "tools/call echo": call_echo,
    "tools/call text_stats": call_text_stats,
    "tools/list": tools_list,
}


def check_answer(call: Call, status: int, content_type: str, body: bytes) -> str | None:
    """What is wrong with one HTTP answer to ``call``, or None."""
    if status != 200:
        return f"HTTP {status}: {body[:200]!r}"
    if content_type.startswith("text/event-stream"):
        body = _last_sse_data(body)
    try:
        message = json.loads(body)
    except ValueError:
        return f"not JSON: {body[:200]!r}"
    if not isinstance(message, dict) or message.get("id") != call.request_id:
        return f"id mismatch: sent {call.request_id}, got {body[:200]!r}"
    if "result" not in message:
        return f"JSON-RPC error: {message.get('error')!r}"
    return call.check(message["result"])


def _last_sse_data(body: bytes) -> bytes:
    # The result is the last event; progress and log events come before it.
    data = [line[5:].strip() for line in body.split(b"\n") if line.startswith(b"data:")]
    data = [d for d in data if d]
    return data[-1] if data else b""
