"""A seeded corpus of malformed HTTP and JSON-RPC requests to the MCP endpoint.

Hand-written cases for every rule (encodings, nesting, numbers, shapes,
headers, methods, paths) plus seeded mutations of valid requests, byte-level
and structural. The same corpus runs against the transport in CPython
(tests/transport/test_properties.py) and against the composed server on every
runtime (tests/e2e/test_malformed.py). What every answer must be: no 5xx, an
answer at all (no hang), and a JSON-RPC error body wherever the answer is a
JSON 4xx.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from typing import Any

HEADERS = {"content-type": "application/json", "accept": "application/json, text/event-stream",
           "mcp-protocol-version": "2025-11-25"}
SEED = 20261129


@dataclass(frozen=True)
class Probe:
    name: str
    body: bytes
    method: str = "POST"
    path: str = "/mcp"
    headers: dict[str, str] = field(default_factory=lambda: dict(HEADERS))


# Valid requests the mutations start from. No logging/setLevel: a mutation
# that stays valid would change the level, which the e2e test checks is kept.
VALID: list[dict[str, Any]] = [
    {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-11-25", "capabilities": {"roots": {}}, "clientInfo": {"name": "fuzz", "version": "1"}}},
    {"jsonrpc": "2.0", "id": 2, "method": "ping"},
    {"jsonrpc": "2.0", "method": "notifications/initialized"},
    {"jsonrpc": "2.0", "id": "three", "method": "tools/list", "params": {"cursor": None}},
    {"jsonrpc": "2.0", "id": 4, "method": "tools/call", "params": {
        "name": "text_stats", "arguments": {"text": "fuzz the server"}, "_meta": {"progressToken": 7}}},
    {"jsonrpc": "2.0", "id": 5, "method": "tools/call", "params": {
        "name": "convert_temperature", "arguments": {"value": 21.5, "from_unit": "celsius", "to_unit": "kelvin"}}},
    {"jsonrpc": "2.0", "id": 6, "method": "resources/list"},
    {"jsonrpc": "2.0", "id": 7, "method": "prompts/get", "params": {"name": "p", "arguments": {"a": "b"}}},
    {"jsonrpc": "2.0", "id": 8, "method": "completion/complete", "params": {
        "ref": {"type": "ref/prompt", "name": "p"}, "argument": {"name": "a", "value": "x"}}},
    {"jsonrpc": "2.0", "id": 9, "result": {}},
]


def _nest(depth: int, open_: str = "[", close: str = "]") -> bytes:
    return (open_ * depth + close * depth).encode()


def hand_written() -> list[Probe]:
    ping = json.dumps(VALID[1]).encode()
    probes = [
        Probe("empty body", b""),
        Probe("whitespace body", b" \n\t "),
        *[Probe(f"{n} NUL bytes", b"\x00" * n) for n in (1, 2, 3, 4, 8, 64, 4096)],
        Probe("NUL then JSON", b"\x00\x00\x00" + ping),
        Probe("UTF-16 LE JSON", json.dumps(VALID[1]).encode("utf-16-le")),
        Probe("UTF-16 with BOM", json.dumps(VALID[1]).encode("utf-16")),
        Probe("UTF-32 JSON", json.dumps(VALID[1]).encode("utf-32")),
        Probe("UTF-8 BOM", b"\xef\xbb\xbf" + ping),
        Probe("invalid UTF-8", b'{"jsonrpc":"2.0","id":1,"method":"\xff\xfe"}'),
        Probe("lone surrogate escaped", b'{"jsonrpc":"2.0","id":1,"method":"ping","params":{"x":"\\ud800"}}'),
        Probe("lone surrogate raw", b'{"jsonrpc":"2.0","id":1,"method":"\xed\xa0\x80"}'),
        *[Probe(f"arrays nested {d}", _nest(d)) for d in (129, 1000, 2000, 20_000, 100_000)],
        *[Probe(f"objects nested {d}", ('{"a":' * d + "1" + "}" * d).encode()) for d in (129, 2000, 20_000)],
        Probe("params nested 20000", b'{"jsonrpc":"2.0","id":1,"method":"ping","params":{"a":' + _nest(20_000) + b"}}"),
        Probe("arguments nested 5000", b'{"jsonrpc":"2.0","id":1,"method":"tools/call","params":'
              b'{"name":"text_stats","arguments":{"text":' + _nest(5000) + b"}}}"),
        Probe("unclosed nesting", b"[" * 50_000),
        Probe("closers only", b"]" * 50_000),
        Probe("NaN id", b'{"jsonrpc":"2.0","id":NaN,"method":"ping"}'),
        Probe("Infinity id", b'{"jsonrpc":"2.0","id":Infinity,"method":"ping"}'),
        Probe("1e999 argument", b'{"jsonrpc":"2.0","id":1,"method":"tools/call","params":'
              b'{"name":"convert_temperature","arguments":{"value":1e999,"from_unit":"celsius","to_unit":"kelvin"}}}'),
        Probe("NaN argument", b'{"jsonrpc":"2.0","id":1,"method":"tools/call","params":'
              b'{"name":"convert_temperature","arguments":{"value":NaN,"from_unit":"celsius","to_unit":"kelvin"}}}'),
        Probe("5000-digit id", b'{"jsonrpc":"2.0","id":' + b"9" * 5000 + b',"method":"ping"}'),
        Probe("huge float id", b'{"jsonrpc":"2.0","id":1.5e308,"method":"ping"}'),
        Probe("1 MB method name", json.dumps({"jsonrpc": "2.0", "id": 1, "method": "x" * 1_000_000}).encode()),
        Probe("1 MB tool argument", json.dumps({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {
            "name": "text_stats", "arguments": {"text": "word " * 200_000}}}).encode()),
        Probe("100k keys", json.dumps({f"k{i}": i for i in range(100_000)}).encode()),
        Probe("JSON null", b"null"),
        Probe("JSON number", b"42"),
        Probe("JSON string", b'"ping"'),
        Probe("empty batch", b"[]"),
        Probe("batch", b"[" + ping + b"," + ping + b"]"),
        Probe("jsonrpc 1.0", b'{"jsonrpc":"1.0","id":1,"method":"ping"}'),
        Probe("no jsonrpc", b'{"id":1,"method":"ping"}'),
        Probe("method number", b'{"jsonrpc":"2.0","id":1,"method":5}'),
        Probe("method empty", b'{"jsonrpc":"2.0","id":1,"method":""}'),
        Probe("params array", b'{"jsonrpc":"2.0","id":1,"method":"ping","params":[1,2]}'),
        Probe("params string", b'{"jsonrpc":"2.0","id":1,"method":"ping","params":"x"}'),
        Probe("id true", b'{"jsonrpc":"2.0","id":true,"method":"ping"}'),
        Probe("id object", b'{"jsonrpc":"2.0","id":{},"method":"ping"}'),
        Probe("id float", b'{"jsonrpc":"2.0","id":1.5,"method":"ping"}'),
        Probe("result and error", b'{"jsonrpc":"2.0","id":1,"result":{},"error":{"code":1}}'),
        Probe("error not object", b'{"jsonrpc":"2.0","id":1,"error":"bad"}'),
        Probe("duplicate keys", b'{"jsonrpc":"2.0","id":1,"method":"ping","method":"nope"}'),
        Probe("trailing garbage", ping + b"garbage"),
        Probe("two objects", ping + ping),
        Probe("unknown method", b'{"jsonrpc":"2.0","id":1,"method":"nope/nope"}'),
        Probe("tools/call name number", b'{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":5}}'),
        Probe("tools/call arguments list", b'{"jsonrpc":"2.0","id":1,"method":"tools/call",'
              b'"params":{"name":"text_stats","arguments":[1]}}'),
        Probe("tools/call unknown tool", b'{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"nope"}}'),
        Probe("resources/read no uri", b'{"jsonrpc":"2.0","id":1,"method":"resources/read","params":{}}'),
        Probe("resources/read uri number", b'{"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"uri":1}}'),
        Probe("cursor number", b'{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"cursor":5}}'),
        Probe("cursor garbage", b'{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"cursor":"!!!"}}'),
        Probe("setLevel bogus level", b'{"jsonrpc":"2.0","id":1,"method":"logging/setLevel","params":{"level":"loud"}}'),
        Probe("progress token object", b'{"jsonrpc":"2.0","id":1,"method":"tools/call","params":'
              b'{"name":"text_stats","arguments":{"text":"a"},"_meta":{"progressToken":{"a":1}}}}'),
        # Headers.
        Probe("content-type text/plain", ping, headers=dict(HEADERS, **{"content-type": "text/plain"})),
        Probe("content-type utf-16", ping, headers=dict(HEADERS, **{"content-type": "application/json; charset=utf-16"})),
        Probe("no content-type", ping, headers={k: v for k, v in HEADERS.items() if k != "content-type"}),
        Probe("accept image/png", ping, headers=dict(HEADERS, accept="image/png")),
        Probe("accept garbage", ping, headers=dict(HEADERS, accept=";;;,,,q=abc")),
        Probe("no accept", ping, headers={k: v for k, v in HEADERS.items() if k != "accept"}),
        Probe("protocol version garbage", ping, headers=dict(HEADERS, **{"mcp-protocol-version": "x" * 300})),
        Probe("session id garbage", ping, headers=dict(HEADERS, **{"mcp-session-id": "\x7f" * 10})),
        Probe("8 KB header", ping, headers=dict(HEADERS, **{"x-filler": "a" * 8192})),
        Probe("origin foreign", ping, headers=dict(HEADERS, origin="https://evil.example.com")),
        Probe("origin garbage", ping, headers=dict(HEADERS, origin="::::")),
        Probe("authorization garbage", ping, headers=dict(HEADERS, authorization="Bearer " + "a." * 3000)),
        # Resuming streams that do not exist, and answers to requests never sent.
        *[Probe(f"last-event-id {name}", b"", method="GET",
                headers=dict(HEADERS, accept="text/event-stream", **{"last-event-id": value}))
          for name, value in (("empty", ""), ("dash", "-"), ("negative", "abc-1"), ("huge number", "a-" + "9" * 500),
                              ("unknown stream", "0123456789abcdef-1"), ("long", "z" * 6000))],
        *[Probe(f"answer {name}", json.dumps(answer).encode()) for name, answer in (
            ("unknown id", {"jsonrpc": "2.0", "id": "0123456789abcdef.1", "result": {"action": "accept"}}),
            ("error for nobody", {"jsonrpc": "2.0", "id": "x.y", "error": {"code": 1, "message": "no"}}),
            ("number id", {"jsonrpc": "2.0", "id": 99, "result": []}),
        )],
        Probe("cancel with an object id", json.dumps({"jsonrpc": "2.0", "method": "notifications/cancelled",
                                                       "params": {"requestId": {"a": [1]}}}).encode()),
        # Methods and paths.
        *[Probe(f"{m} endpoint", ping if m != "GET" else b"", method=m) for m in ("GET", "PUT", "PATCH", "DELETE", "OPTIONS")],
        *[Probe(f"path {p}", ping, path=p) for p in ("/", "/MCP", "/mcp/", "/mcp/../mcp", "/mcp?x=%00",
                                                    "/%2e%2e/etc/passwd", "/" + "a" * 4000)],
    ]
    return probes


def _mutate_bytes(rng: random.Random, data: bytes) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        kind = rng.randrange(6)
        at = rng.randrange(len(data) + 1)
        if kind == 0 and data:  # flip a byte
            data[min(at, len(data) - 1)] = rng.randrange(256)
        elif kind == 1:  # delete a run
            del data[at:at + rng.randint(1, 8)]
        elif kind == 2:  # insert random bytes
            data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif kind == 3:  # insert JSON punctuation
            data[at:at] = rng.choice([b"[", b"]", b"{", b"}", b",", b":", b'"', b"\\", b"\x00", b"[" * 3000])
        elif kind == 4:  # truncate
            del data[at:]
        else:  # duplicate a run
            data[at:at] = data[at:at + rng.randint(1, 16)]
    return bytes(data)


_ODD_VALUES: list[Any] = [None, True, False, 0, -1, 2**63, 1.5, "", "x" * 300, [], {}, [[[]]], {"a": None},
                          "\u0000", "\ud7ff\ue000", -0.0, 1e308]


def _mutate_structure(rng: random.Random, message: Any) -> Any:
    """Replace, delete or add one value somewhere in the message."""
    message = json.loads(json.dumps(message))
    path: list[Any] = []
    node = message
    while isinstance(node, (dict, list)) and node and rng.random() < 0.6:
        key = rng.choice(list(node)) if isinstance(node, dict) else rng.randrange(len(node))
        path.append(key)
        node = node[key]
    if not path:
        return rng.choice(_ODD_VALUES + [message, [message]])
    parent = message
    for key in path[:-1]:
        parent = parent[key]
    action = rng.randrange(3)
    if action == 0:
        parent[path[-1]] = rng.choice(_ODD_VALUES)
    elif action == 1:
        del parent[path[-1]]
    elif isinstance(parent, dict):
        parent[rng.choice(["id", "method", "params", "jsonrpc", "result", "error", "_meta", "x"])] = rng.choice(_ODD_VALUES)
    else:
        parent.append(rng.choice(_ODD_VALUES))
    return message


def mutations(count: int, seed: int = SEED) -> list[Probe]:
    rng = random.Random(seed)
    probes = []
    for number in range(count):
        base = rng.choice(VALID)
        if number % 2:
            body = _mutate_bytes(rng, json.dumps(base).encode())
            probes.append(Probe(f"bytes #{number}", body))
        else:
            probes.append(Probe(f"structure #{number}", json.dumps(_mutate_structure(rng, base)).encode()))
    return probes


def corpus(mutation_count: int = 2000) -> list[Probe]:
    """The whole corpus: every hand-written case, then the seeded mutations."""
    return hand_written() + mutations(mutation_count)


def problems(status: int, content_type: str, body: bytes) -> list[str]:
    """What is wrong with one answer (empty: nothing)."""
    found = []
    if status >= 500:
        found.append(f"status {status}")
    if 400 <= status < 500 and content_type.startswith("application/json"):
        try:
            message = json.loads(body)
        except ValueError:
            return found + ["JSON 4xx whose body is not JSON"]
        error = message.get("error") if isinstance(message, dict) else None
        if not (isinstance(error, dict) and isinstance(error.get("code"), int) and isinstance(error.get("message"), str)):
            found.append(f"JSON 4xx without a JSON-RPC error: {body[:200]!r}")
    return found
