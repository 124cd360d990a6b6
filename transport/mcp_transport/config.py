"""Transport settings, read from environment variables.

| variable | default | meaning |
|---|---|---|
| MCP_ENDPOINT | /mcp | the path the endpoint answers on |
| MCP_MAX_BODY_BYTES | 4194304 | larger request bodies get 413 |
| MCP_ALLOWED_HOSTS | localhost,127.0.0.1,[::1] | Host header names accepted (any port); `*` accepts any |
| MCP_ALLOWED_ORIGINS | http(s)://localhost, 127.0.0.1, [::1] (any port) | Origin values accepted; `*` accepts any; a request without Origin is accepted |
| MCP_SESSIONS | off | `on`: issue Mcp-Session-Id at initialize and require it afterwards |
| MCP_SESSION_SECRET | random per instance | key that signs session ids; set it when the runtime starts a fresh instance per request (wasmtime serve, Spin) so ids stay valid across instances |
| MCP_RESPONSE_MODE | auto | `json`: never SSE; `sse`: SSE whenever the client accepts it; `auto`: SSE for tools/call only |
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["ConfigError", "TransportConfig"]

LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")
RESPONSE_MODES = ("auto", "json", "sse")


class ConfigError(ValueError):
    """An environment variable has a value the transport cannot use."""


@dataclass(frozen=True)
class TransportConfig:
    endpoint: str = "/mcp"
    max_body_bytes: int = 4 * 1024 * 1024
    allowed_hosts: tuple[str, ...] = LOCAL_HOSTS
    allowed_origins: tuple[str, ...] | None = None  # None: local origins on any port
    sessions: bool = False
    session_secret: bytes | None = None
    response_mode: str = "auto"

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
        return cls(
            endpoint=endpoint,
            max_body_bytes=max_body,
            allowed_hosts=_list(env.get("MCP_ALLOWED_HOSTS")) or LOCAL_HOSTS,
            allowed_origins=_list(env.get("MCP_ALLOWED_ORIGINS")),
            sessions=sessions in ("on", "true", "1"),
            session_secret=secret.encode() if secret else None,
            response_mode=mode,
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
