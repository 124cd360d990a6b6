"""Transport settings, read from environment variables.

| variable | default | meaning |
|---|---|---|
| MCP_ENDPOINT | /mcp | the path the endpoint answers on |
| MCP_MAX_BODY_BYTES | 4194304 | larger request bodies get 413 |
| MCP_ALLOWED_HOSTS | localhost,127.0.0.1,[::1] | Host header names accepted (any port); `*` accepts any |
| MCP_ALLOWED_ORIGINS | http(s)://localhost, 127.0.0.1, [::1] (any port) | Origin values accepted; `*` accepts any; a request without Origin is accepted |
| MCP_SESSIONS | off | `on`: issue Mcp-Session-Id at initialize and require it afterwards |
| MCP_SESSION_SECRET | random per instance | key that signs session ids; set it when the runtime starts a fresh instance per request (wasmtime serve, Spin) so ids stay valid across instances |
| MCP_REQUEST_STATE_SECRET | random per instance | key that signs the `requestState` of 2026-07-28 input-required results (the client's earlier answers); set it when the runtime may answer a request's retry from another instance (wasmtime serve, Spin): `scripts/serve.sh` sets one per server start |
| MCP_INSTANCES | many | `one`: every request reaches this one instance (jco; `wasmtime serve --max-concurrent-requests 1` with reuse), so a tool call can wait in it for the client's answer (elicitation, sampling, roots) and a GET stream can carry what other requests queued; `many`: requests may reach other or fresh instances, so such a request fails at once with a clear error and GET without Last-Event-ID gets 405 |
| MCP_RESPONSE_MODE | auto | `json`: never SSE; `sse`: SSE whenever the client accepts it; `auto`: SSE for tools/call only |
| MCP_AUTH_ISSUER | unset (auth off) | turns on bearer-token authorization; the required `iss` |
| MCP_AUTH_AUDIENCE | required with auth | the `aud` a token must contain |
| MCP_AUTH_RESOURCE | the audience | this server's resource URL (RFC 9728/8707), an absolute http(s) URL |
| MCP_AUTH_JWKS_URI | unset | where the signing keys (JWKS) are fetched from |
| MCP_AUTH_JWKS | unset | the signing keys as static JWKS JSON |
| MCP_AUTH_HS256_SECRET | unset | accept HS256 tokens signed with this secret (and only those use it) |
| MCP_AUTH_SCOPES | none | scopes every token must carry (space or comma separated) |
| MCP_AUTH_LEEWAY_SECONDS | 60 | clock skew allowed for exp/nbf/iat, at most 300 |
| MCP_AUTH_AUTHORIZATION_SERVERS | the issuer | authorization servers named in the metadata document |
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

__all__ = ["AuthConfig", "ConfigError", "TransportConfig"]

MAX_LEEWAY_SECONDS = 300

LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")
RESPONSE_MODES = ("auto", "json", "sse")


class ConfigError(ValueError):
    """An environment variable has a value the transport cannot use."""


@dataclass(frozen=True)
class AuthConfig:
    """OAuth 2.1 resource-server settings; present only when auth is on."""

    issuer: str
    audience: str
    resource: str
    jwks_uri: str | None = None
    jwks: dict[str, Any] | None = None
    hs256_secret: bytes | None = None
    scopes: tuple[str, ...] = ()
    leeway_seconds: int = 60
    authorization_servers: tuple[str, ...] = ()

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> AuthConfig | None:
        issuer = env.get("MCP_AUTH_ISSUER", "").strip()
        if not issuer:
            stray = sorted(k for k, v in env.items() if k.startswith("MCP_AUTH_") and v.strip())
            if stray:  # never silently serve without auth that was meant to be on
                raise ConfigError(f"{', '.join(stray)} set without MCP_AUTH_ISSUER")
            return None
        audience = env.get("MCP_AUTH_AUDIENCE", "").strip()
        if not audience:
            raise ConfigError("MCP_AUTH_AUDIENCE is required when MCP_AUTH_ISSUER is set")
        resource = env.get("MCP_AUTH_RESOURCE", "").strip() or audience
        parts = urlsplit(resource)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ConfigError(f"MCP_AUTH_RESOURCE (default: the audience) must be an absolute http(s) URL: {resource!r}")
        jwks_uri = env.get("MCP_AUTH_JWKS_URI", "").strip() or None
        if jwks_uri is not None and urlsplit(jwks_uri).scheme not in ("http", "https"):
            raise ConfigError(f"MCP_AUTH_JWKS_URI must be an http(s) URL: {jwks_uri!r}")
        jwks: dict[str, Any] | None = None
        static = env.get("MCP_AUTH_JWKS", "").strip()
        if static:
            try:
                jwks = json.loads(static)
            except ValueError as exc:
                raise ConfigError("MCP_AUTH_JWKS must be JWKS JSON") from exc
            if not isinstance(jwks, dict) or not isinstance(jwks.get("keys"), list):
                raise ConfigError('MCP_AUTH_JWKS must be a JSON object with a "keys" list')
        secret = env.get("MCP_AUTH_HS256_SECRET", "")
        if secret and len(secret.encode()) < 32:
            raise ConfigError("MCP_AUTH_HS256_SECRET must be at least 32 bytes")
        if jwks_uri is None and jwks is None and not secret:
            raise ConfigError("auth needs keys: set MCP_AUTH_JWKS_URI, MCP_AUTH_JWKS or MCP_AUTH_HS256_SECRET")
        try:
            leeway = int(env.get("MCP_AUTH_LEEWAY_SECONDS", "60"))
        except ValueError as exc:
            raise ConfigError("MCP_AUTH_LEEWAY_SECONDS must be an integer") from exc
        if leeway < 0:
            raise ConfigError("MCP_AUTH_LEEWAY_SECONDS must not be negative")
        scopes = tuple(env.get("MCP_AUTH_SCOPES", "").replace(",", " ").split())
        servers = _list(env.get("MCP_AUTH_AUTHORIZATION_SERVERS")) or (issuer,)
        return cls(issuer=issuer, audience=audience, resource=resource, jwks_uri=jwks_uri, jwks=jwks,
                   hs256_secret=secret.encode() if secret else None, scopes=scopes,
                   leeway_seconds=min(leeway, MAX_LEEWAY_SECONDS), authorization_servers=servers)


@dataclass(frozen=True)
class TransportConfig:
    endpoint: str = "/mcp"
    max_body_bytes: int = 4 * 1024 * 1024
    allowed_hosts: tuple[str, ...] = LOCAL_HOSTS
    allowed_origins: tuple[str, ...] | None = None  # None: local origins on any port
    sessions: bool = False
    session_secret: bytes | None = None
    request_state_secret: bytes | None = None
    response_mode: str = "auto"
    auth: AuthConfig | None = None
    # Whether every request reaches this instance, so calls can wait in it.
    one_instance: bool = False

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> TransportConfig:
        env = os.environ if env is None else env
        endpoint = env.get("MCP_ENDPOINT", "/mcp")
        if not endpoint.startswith("/"):
            raise ConfigError(f"MCP_ENDPOINT must start with '/': {endpoint!r}")
        try:
            max_body = int(env.get("MCP_MAX_BODY_BYTES", str(cls.max_body_bytes)))
        except ValueError as exc:
            raise ConfigError("MCP_MAX_BODY_BYTES must be an integer") from exc
        if max_body < 1:
            raise ConfigError("MCP_MAX_BODY_BYTES must be positive")
        sessions = env.get("MCP_SESSIONS", "off").strip().lower()
        if sessions not in ("on", "off", "true", "false", "1", "0"):
            raise ConfigError(f"MCP_SESSIONS must be on or off: {sessions!r}")
        mode = env.get("MCP_RESPONSE_MODE", "auto").strip().lower()
        if mode not in RESPONSE_MODES:
            raise ConfigError(f"MCP_RESPONSE_MODE must be one of {', '.join(RESPONSE_MODES)}: {mode!r}")
        secret = env.get("MCP_SESSION_SECRET")
        state_secret = env.get("MCP_REQUEST_STATE_SECRET")
        if state_secret and len(state_secret.encode()) < 32:
            raise ConfigError("MCP_REQUEST_STATE_SECRET must be at least 32 bytes")
        instances = env.get("MCP_INSTANCES", "many").strip().lower()
        if instances not in ("one", "many"):
            raise ConfigError(f"MCP_INSTANCES must be one or many: {instances!r}")
        return cls(
            endpoint=endpoint,
            max_body_bytes=max_body,
            allowed_hosts=_list(env.get("MCP_ALLOWED_HOSTS")) or LOCAL_HOSTS,
            allowed_origins=_list(env.get("MCP_ALLOWED_ORIGINS")),
            sessions=sessions in ("on", "true", "1"),
            session_secret=secret.encode() if secret else None,
            request_state_secret=state_secret.encode() if state_secret else None,
            response_mode=mode,
            auth=AuthConfig.from_env(env),
            one_instance=instances == "one",
        )

    def host_allowed(self, host: str | None) -> bool:
        """Is this Host header one of ours? Guards against DNS rebinding."""
        if "*" in self.allowed_hosts:
            return True
        if not host:
            return False
        return _strip_port(host.strip().lower()) in {h.lower() for h in self.allowed_hosts}

    def origin_allowed(self, origin: str | None) -> bool:
        """Is this Origin allowed? Requests without one (non-browser) are."""
        if origin is None:
            return True
        origin = origin.strip().lower().rstrip("/")
        if self.allowed_origins is not None:
            return "*" in self.allowed_origins or origin in {o.lower().rstrip("/") for o in self.allowed_origins}
        scheme, sep, rest = origin.partition("://")
        return bool(sep) and scheme in ("http", "https") and _strip_port(rest) in LOCAL_HOSTS


def _list(value: str | None) -> tuple[str, ...] | None:
    if value is None or not value.strip():
        return None
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _strip_port(authority: str) -> str:
    if authority.startswith("["):  # [::1]:8080
        end = authority.find("]")
        return authority[: end + 1] if end != -1 else authority
    host, _, port = authority.rpartition(":")
    return host if host and port.isdigit() else authority
