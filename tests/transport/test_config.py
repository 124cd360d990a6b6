"""Transport configuration from environment variables."""

from __future__ import annotations

import pytest

from mcp_transport.config import ConfigError, TransportConfig


def test_defaults() -> None:
    config = TransportConfig.from_env({})
    assert config == TransportConfig()
    assert config.endpoint == "/mcp" and config.sessions is False and config.response_mode == "auto"


def test_every_variable_is_read() -> None:
    config = TransportConfig.from_env({
        "MCP_ENDPOINT": "/api/mcp",
        "MCP_MAX_BODY_BYTES": "1024",
        "MCP_ALLOWED_HOSTS": "mcp.example.com, api.example.com",
        "MCP_ALLOWED_ORIGINS": "https://app.example.com",
        "MCP_SESSIONS": "on",
        "MCP_SESSION_SECRET": "s3cret",
        "MCP_RESPONSE_MODE": "json",
    })
    assert config == TransportConfig(
        endpoint="/api/mcp", max_body_bytes=1024, allowed_hosts=("mcp.example.com", "api.example.com"),
        allowed_origins=("https://app.example.com",), sessions=True, session_secret=b"s3cret", response_mode="json",
    )


@pytest.mark.parametrize(
    "env",
    [
        {"MCP_ENDPOINT": "mcp"},
        {"MCP_MAX_BODY_BYTES": "lots"},
        {"MCP_MAX_BODY_BYTES": "0"},
        {"MCP_SESSIONS": "maybe"},
        {"MCP_RESPONSE_MODE": "xml"},
    ],
)
def test_bad_values_are_config_errors(env: dict[str, str]) -> None:
    with pytest.raises(ConfigError):
        TransportConfig.from_env(env)


def test_wildcards_allow_any_host_and_origin() -> None:
    config = TransportConfig.from_env({"MCP_ALLOWED_HOSTS": "*", "MCP_ALLOWED_ORIGINS": "*"})
    assert config.host_allowed("anything.example") and config.origin_allowed("https://anything.example")


def test_missing_origin_is_allowed_but_missing_host_is_not() -> None:
    config = TransportConfig()
    assert config.origin_allowed(None)
    assert not config.host_allowed(None)
