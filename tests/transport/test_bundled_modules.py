"""Nothing on a request's path imports a module for the first time.

componentize-py bundles the modules imported when the component is built
(its entry module and what that imports); a module first imported while a
request is handled is missing in the component, and the request fails there
(as CPython's codecs once did: UTF-16 guessed from a NUL byte). This runs in
a fresh interpreter: import what transport/app.py imports, then drive the
malformed corpus, the token attack catalog, stdio lines and the toolbox
provider through the in-memory client, and list what got imported late.
"""

from __future__ import annotations

import subprocess
import sys

from ..paths import ROOT

SCRIPT = r'''
import json, sys
sys.path[:0] = ["transport", "."]
# What transport/app.py imports, and the SDK's entry (mcp_component.guest
# needs generated bindings, so its pure parts stand in).
import mcp_transport.config, mcp_transport.dispatch, mcp_transport.http, mcp_transport.stdio
import mcp_component, mcp_component.testing
from tests.unit.test_testing_client import load_provider
toolbox = load_provider("toolbox")
# The test's own tools, loaded before the snapshot.
from tests.malformed import corpus
from tests.auth_tokens import attack_catalog, make_keys, rs256, auth_env
from tests.transport.fake_provider import FakeProvider
keys = make_keys()
catalog = attack_catalog(keys)
valid = rs256(keys)
static_jwks = json.dumps(keys.jwks())
probes = corpus(500)

before = set(sys.modules)
from mcp_transport.config import TransportConfig
from mcp_transport.dispatch import Dispatcher
from mcp_transport.http import HttpRequest, McpHttpApp
from mcp_transport.stdio import StdioSession
env = dict(auth_env("http://127.0.0.1:9/unused"), MCP_AUTH_JWKS=static_jwks)
env.pop("MCP_AUTH_JWKS_URI")
apps = [McpHttpApp(Dispatcher(FakeProvider()), TransportConfig()),
        McpHttpApp(Dispatcher(FakeProvider()), TransportConfig.from_env(env))]
for app in apps:
    for probe in probes:
        b"".join(app.handle(HttpRequest(probe.method, probe.path, dict(probe.headers, host="127.0.0.1"), probe.body)).body)
    for authorization, _ in catalog.values():
        headers = {"content-type": "application/json", "accept": "application/json", "host": "127.0.0.1"}
        if authorization:
            headers["authorization"] = authorization
        app.handle(HttpRequest("POST", "/mcp", headers, b'{"jsonrpc":"2.0","id":1,"method":"ping"}'))
session = StdioSession(Dispatcher(FakeProvider()))
for probe in probes:
    list(session.handle_line(probe.body.replace(b"\n", b" ")))
client = mcp_component.testing.Client(toolbox)
for tool in client.list_tools()["tools"]:
    client.call_tool(tool["name"], {})
client.call_tool("text_stats", {"text": "Hello there. How are you?"})
client.call_tool("convert_temperature", {"value": 21.5, "from_unit": "celsius", "to_unit": "kelvin"})
client.call_tool("days_between", {"start": "2026-01-01", "end": "2026-11-29"})
client.call_tool("hash_text", {"text": "abc", "algorithm": "sha256"})
client.call_tool("slugify", {"title": "Héllo Wörld"})
client.call_tool("primes", {"limit": 50})
late = sorted(m for m in set(sys.modules) - before if not m.startswith(("tests", "_pytest", "jwt", "cryptography")))
print(json.dumps(late))
'''


def test_no_module_is_first_imported_while_handling_requests() -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    late = done.stdout.strip().splitlines()[-1]
    assert late == "[]", f"imported while handling requests (import them at module top level): {late}"
