"""Bearer-token authorization of the endpoint, on the host: attacks, valid tokens, metadata."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from mcp_transport.auth import Authenticator
from mcp_transport.config import AuthConfig, ConfigError, TransportConfig
from mcp_transport.dispatch import Dispatcher
from mcp_transport.http import HttpRequest, HttpResponse, McpHttpApp
from mcp_transport.jwks import REFRESH_INTERVAL_SECONDS

from ..auth_tokens import (
    AUDIENCE,
    HS_SECRET,
    ISSUER,
    JwksServer,
    Keys,
    attack_catalog,
    auth_env,
    es256,
    hs256,
    make_keys,
    rs256,
)
from .fake_provider import FakeProvider

METADATA_URL = "https://mcp.example.com/.well-known/oauth-protected-resource/mcp"
CALL = {"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "echo", "arguments": {"text": "hi"}}}
HEADERS = {"content-type": "application/json", "accept": "application/json", "host": "127.0.0.1:8080"}


@pytest.fixture(scope="module")
def keys() -> Keys:
    return make_keys()


@pytest.fixture(scope="module")
def jwks_server(keys: Keys) -> Iterator[JwksServer]:
    with JwksServer(keys.jwks()).running() as server:
        yield server


def make_app(jwks_uri: str, **extra: str) -> tuple[McpHttpApp, FakeProvider]:
    provider = FakeProvider()
    config = TransportConfig.from_env(auth_env(jwks_uri, **extra))
    return McpHttpApp(Dispatcher(provider), config), provider


def call(app: McpHttpApp, authorization: str | None, method: str = "POST", path: str = "/mcp") -> HttpResponse:
    headers = dict(HEADERS)
    if authorization is not None:
        headers["authorization"] = authorization
    return app.handle(HttpRequest(method, path, headers, json.dumps(CALL).encode()))


def header(response: HttpResponse, name: str) -> str | None:
    return next((v for k, v in response.headers if k == name), None)


def body(response: HttpResponse) -> Any:
    return json.loads(b"".join(response.body))


@pytest.mark.parametrize("case", list(attack_catalog(make_keys())))
def test_attacks_get_401_and_never_reach_the_provider(case: str, keys: Keys, jwks_server: JwksServer) -> None:
    authorization, error = attack_catalog(keys)[case]
    app, provider = make_app(jwks_server.url)
    response = call(app, authorization)
    assert response.status == 401, case
    challenge = header(response, "www-authenticate")
    assert challenge is not None and challenge.startswith("Bearer ")
    assert f'resource_metadata="{METADATA_URL}"' in challenge
    assert 'scope="mcp:tools"' in challenge
    if error is None:
        assert "error=" not in challenge
    else:
        assert f'error="{error}"' in challenge and "error_description=" in challenge
    assert provider.calls == []


@pytest.mark.parametrize("mint", ["rs256", "es256"])
def test_valid_tokens_pass_and_the_identity_reaches_the_provider(mint: str, keys: Keys,
                                                                  jwks_server: JwksServer) -> None:
    app, provider = make_app(jwks_server.url)
    token = rs256(keys) if mint == "rs256" else es256(keys, scope=None, scp=["mcp:tools"], client_id=None,
                                                          azp="client-9")
    response = call(app, f"Bearer {token}")
    assert response.status == 200, b"".join(response.body)
    assert body(response)["result"]["content"][0]["text"] == "hi"
    [(_, _, ctx)] = provider.calls
    assert ctx.identity is not None
    assert ctx.identity.subject == "user-42"
    if mint == "rs256":
        assert ctx.identity.client_id == "client-7"
        assert ctx.identity.scopes == ("mcp:tools", "profile")
    else:
        assert ctx.identity.client_id == "client-9"
        assert ctx.identity.scopes == ("mcp:tools",)
    assert ctx.identity.claims["iss"] == ISSUER


def test_hs256_only_when_a_secret_is_configured(keys: Keys, jwks_server: JwksServer) -> None:
    app, provider = make_app(jwks_server.url)
    assert call(app, f"Bearer {hs256()}").status == 401
    app, provider = make_app(jwks_server.url, MCP_AUTH_HS256_SECRET=HS_SECRET)
    assert call(app, f"Bearer {hs256()}").status == 200
    assert provider.calls[0][2].identity is not None
    assert call(app, f"Bearer {hs256('a-different-secret-that-is-long-enough-00')}").status == 401
    assert call(app, f"Bearer {rs256(keys)}").status == 200  # RS256 still uses the JWKS


def test_a_valid_token_without_the_required_scope_gets_403(keys: Keys, jwks_server: JwksServer) -> None:
    app, provider = make_app(jwks_server.url)
    response = call(app, f"Bearer {rs256(keys, scope='profile')}")
    assert response.status == 403
    challenge = header(response, "www-authenticate") or ""
    assert 'error="insufficient_scope"' in challenge and 'scope="mcp:tools"' in challenge
    assert provider.calls == []


def test_leeway_accepts_small_clock_skew(keys: Keys, jwks_server: JwksServer) -> None:
    app, _ = make_app(jwks_server.url)
    now = int(time.time())
    assert call(app, f"Bearer {rs256(keys, exp=now - 30, iat=now - 600)}").status == 200
    assert call(app, f"Bearer {rs256(keys, nbf=now + 30)}").status == 200
    assert call(app, f"Bearer {rs256(keys, exp=now - 90, iat=now - 600)}").status == 401


def test_aud_may_be_a_list(keys: Keys, jwks_server: JwksServer) -> None:
    app, _ = make_app(jwks_server.url)
    assert call(app, f"Bearer {rs256(keys, aud=['x', AUDIENCE])}").status == 200
    assert call(app, f"Bearer {rs256(keys, aud=['x', 'y'])}").status == 401


def test_unknown_kid_refreshes_once_then_rate_limits(keys: Keys) -> None:
    with JwksServer(keys.jwks()).running() as server:
        clock = [1000.0]
        fetch_calls: list[int] = []
        app, provider = make_app(server.url)
        assert app.auth is not None
        auth = app.auth
        auth.keys._clock = lambda: clock[0]
        original = auth.keys._fetch
        assert original is not None

        def counting() -> Any:
            fetch_calls.append(1)
            return original()
        auth.keys._fetch = counting
        assert call(app, f"Bearer {rs256(keys)}").status == 200
        assert len(fetch_calls) == 1  # first use
        rotated = rs256(keys, kid="rsa-2", key=keys.rotated_rsa)
        assert call(app, f"Bearer {rotated}").status == 401  # within 30 s of the first fetch: no refresh
        assert len(fetch_calls) == 1
        server.jwks = keys.jwks(rotated=True)
        clock[0] += REFRESH_INTERVAL_SECONDS + 1
        assert call(app, f"Bearer {rotated}").status == 200  # refreshed, key found
        assert len(fetch_calls) == 2
        for _ in range(5):  # unknown kids cannot make it fetch again within the interval
            assert call(app, f"Bearer {rs256(keys, kid='nope')}").status == 401
        assert len(fetch_calls) == 2
        assert server.fetches == 2


def test_metadata_document(jwks_server: JwksServer) -> None:
    app, provider = make_app(jwks_server.url)
    for path in ("/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/mcp"):
        response = app.handle(HttpRequest("GET", path, {"host": "127.0.0.1"}))
        assert response.status == 200
        assert body(response) == {
            "resource": AUDIENCE, "authorization_servers": [ISSUER],
            "bearer_methods_supported": ["header"], "scopes_supported": ["mcp:tools"],
        }
        assert app.handle(HttpRequest("POST", path, {"host": "127.0.0.1"})).status == 405
    assert provider.calls == []


def test_metadata_is_404_when_auth_is_off() -> None:
    app = McpHttpApp(Dispatcher(FakeProvider()), TransportConfig())
    assert app.handle(HttpRequest("GET", "/.well-known/oauth-protected-resource", {})).status == 404


def test_config() -> None:
    assert TransportConfig.from_env({}).auth is None
    with pytest.raises(ConfigError, match="AUDIENCE"):
        TransportConfig.from_env({"MCP_AUTH_ISSUER": ISSUER, "MCP_AUTH_JWKS_URI": "http://x/j"})
    with pytest.raises(ConfigError, match="without MCP_AUTH_ISSUER"):
        TransportConfig.from_env({"MCP_AUTH_AUDIENCE": AUDIENCE})
    with pytest.raises(ConfigError, match="keys"):
        TransportConfig.from_env({"MCP_AUTH_ISSUER": ISSUER, "MCP_AUTH_AUDIENCE": AUDIENCE})
    with pytest.raises(ConfigError, match="at least 32"):
        TransportConfig.from_env({"MCP_AUTH_ISSUER": ISSUER, "MCP_AUTH_AUDIENCE": AUDIENCE,
                                  "MCP_AUTH_HS256_SECRET": "short"})
    with pytest.raises(ConfigError, match="RESOURCE"):
        TransportConfig.from_env({"MCP_AUTH_ISSUER": ISSUER, "MCP_AUTH_AUDIENCE": "api://x",
                                  "MCP_AUTH_HS256_SECRET": HS_SECRET})
    auth = TransportConfig.from_env(auth_env("http://x/j", MCP_AUTH_LEEWAY_SECONDS="9999",
                                             MCP_AUTH_SCOPES="a, b c")).auth
    assert isinstance(auth, AuthConfig)
    assert auth.leeway_seconds == 300 and auth.scopes == ("a", "b", "c")
    assert auth.resource == AUDIENCE and auth.authorization_servers == (ISSUER,)


def test_validation_cost(keys: Keys, capsys: pytest.CaptureFixture[str]) -> None:
    """Microseconds per validation on the host (printed with -s)."""
    config = TransportConfig.from_env(auth_env("http://unused/", MCP_AUTH_HS256_SECRET=HS_SECRET,
                                               MCP_AUTH_JWKS=json.dumps(keys.jwks()))).auth
    assert config is not None
    from dataclasses import replace
    auth = Authenticator(replace(config, jwks_uri=None))
    auth.keys._fetch = None
    results = {}
    for name, token in (("RS256", rs256(keys)), ("ES256", es256(keys)), ("HS256", hs256())):
        auth.validate(token)
        n = 200
        start = time.perf_counter()
        for _ in range(n):
            auth.validate(token)
        results[name] = (time.perf_counter() - start) / n * 1e6
    with capsys.disabled():
        print("\nhost validation cost: " + ", ".join(f"{k} {v:.0f} us" for k, v in results.items()))
