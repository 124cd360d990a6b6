"""Authorization on the composed server (build/conformance-server.wasm): the
attack catalog over raw HTTP, the metadata document, and the official client
with a bearer token calling ``whoami``. The JWKS comes from a local server,
fetched by the component through wasi:http/outgoing-handler.
"""

from __future__ import annotations

import asyncio
import statistics
import time
import warnings
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from mcp.client import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

from ..auth_tokens import AUDIENCE, ISSUER, JwksServer, Keys, attack_catalog, auth_env, es256, make_keys, rs256
from ..paths import BUILD
from .server import Runtime, serve

pytestmark = pytest.mark.e2e

SERVER = BUILD / "conformance-server.wasm"
METADATA_URL = "https://mcp.example.com/.well-known/oauth-protected-resource/mcp"
CALL = {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "whoami", "arguments": {}}}
HEADERS = {"accept": "application/json"}


@pytest.fixture(scope="module")
def keys() -> Keys:
    return make_keys()


@pytest.fixture(scope="module")
def jwks(keys: Keys) -> Iterator[JwksServer]:
    with JwksServer(keys.jwks()).running() as server:
        yield server


@pytest.fixture(scope="module")
def url(jwks: JwksServer, runtime: Runtime) -> Iterator[str]:
    if not SERVER.exists():
        pytest.fail(f"{SERVER} is missing: run `make build PROVIDER=conformance SERVER={SERVER}` (make test does)")
    with serve(SERVER, runtime, **auth_env(jwks.url)) as endpoint:
        yield endpoint


def test_attack_catalog(url: str, keys: Keys) -> None:
    for case, (authorization, error) in attack_catalog(keys).items():
        headers = dict(HEADERS)
        if authorization is not None:
            headers["authorization"] = authorization
        response = httpx.post(url, json=CALL, headers=headers, timeout=30)
        assert response.status_code == 401, (case, response.text)
        challenge = response.headers["www-authenticate"]
        assert f'resource_metadata="{METADATA_URL}"' in challenge, case
        assert 'scope="mcp:tools"' in challenge, case
        assert (f'error="{error}"' in challenge) if error else ("error=" not in challenge), (case, challenge)
        assert "result" not in response.text  # the tool never ran


def test_valid_tokens_and_insufficient_scope(url: str, keys: Keys) -> None:
    for token in (rs256(keys), es256(keys)):
        response = httpx.post(url, json=CALL, headers={**HEADERS, "authorization": f"Bearer {token}"}, timeout=30)
        assert response.status_code == 200, response.text
        assert response.json()["result"]["structuredContent"] == {
            "subject": "user-42", "client_id": "client-7", "scopes": ["mcp:tools", "profile"]}
    response = httpx.post(url, json=CALL, timeout=30,
                          headers={**HEADERS, "authorization": f"Bearer {rs256(keys, scope='profile')}"})
    assert response.status_code == 403
    assert 'error="insufficient_scope"' in response.headers["www-authenticate"]


def test_jwks_fetches_follow_the_instance_mode(url: str, keys: Keys, jwks: JwksServer, runtime: Runtime) -> None:
    """No token, or a malformed one, never makes the server call the issuer;
    valid tokens fetch the keys once per instance (README, MCP_AUTH_JWKS_URI)."""
    before = jwks.fetches
    with httpx.Client(timeout=30) as client:
        for authorization in (None, "Bearer abc.def", "Bearer a*b.c*d.e*f", "Basic dXNlcjpwYXNz"):
            headers = dict(HEADERS, **({"authorization": authorization} if authorization else {}))
            assert client.post(url, json=CALL, headers=headers).status_code == 401
        assert jwks.fetches == before
        for _ in range(5):
            headers = dict(HEADERS, authorization=f"Bearer {rs256(keys)}")
            assert client.post(url, json=CALL, headers=headers).status_code == 200
    fetched = jwks.fetches - before
    assert fetched <= 1 if runtime.one_instance else fetched == 5


def test_metadata_document(url: str) -> None:
    base = url.rsplit("/mcp", 1)[0]
    response = httpx.get(base + "/.well-known/oauth-protected-resource/mcp", timeout=30)
    assert response.status_code == 200
    assert response.json() == {"resource": AUDIENCE, "authorization_servers": [ISSUER],
                               "bearer_methods_supported": ["header"], "scopes_supported": ["mcp:tools"]}


def test_official_client_with_a_bearer_token_sees_its_identity(url: str, keys: Keys) -> None:
    async def go() -> Any:
        http = create_mcp_http_client(headers={"authorization": f"Bearer {rs256(keys, sub='alice')}"})
        async with http, Client(streamable_http_client(url, http_client=http), mode="legacy") as client:
            return await client.call_tool("whoami", {})

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        result = asyncio.run(go())
    assert result.structured_content == {"subject": "alice", "client_id": "client-7",
                                         "scopes": ["mcp:tools", "profile"]}


def _p50(url: str, headers: dict[str, str], n: int = 200) -> float:
    times = []
    ping = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
    with httpx.Client(timeout=30) as client:
        for _ in range(n):
            start = time.perf_counter()
            assert client.post(url, json=ping, headers=headers).status_code == 200
            times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def test_cost_per_request(url: str, keys: Keys, runtime: Runtime, capsys: pytest.CaptureFixture[str]) -> None:
    """p50 of 200 pings with and without auth (printed)."""
    with serve(SERVER, runtime) as plain:
        base = _p50(plain, HEADERS)
    rs = _p50(url, {**HEADERS, "authorization": f"Bearer {rs256(keys)}"})
    ec = _p50(url, {**HEADERS, "authorization": f"Bearer {es256(keys)}"})
    with capsys.disabled():
        print(f"\ncomposed server on {runtime.id}, p50 of 200 pings: no auth {base:.2f} ms, RS256 {rs:.2f} ms, ES256 {ec:.2f} ms")
