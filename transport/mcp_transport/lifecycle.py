"""Protocol versions and the initialize handshake."""

from __future__ import annotations

from typing import Any

from mcp_component.versions import LATEST_VERSION, SUPPORTED_VERSIONS

from .envelope import MODERN_VERSIONS
from .jsonrpc import INVALID_PARAMS, JsonRpcError
from .port import ServerDescription

__all__ = [
    "LATEST_VERSION",
    "SUPPORTED_VERSIONS",
    "check_initialize_params",
    "discover_result",
    "initialize_result",
    "negotiate_version",
    "server_capabilities",
]


def negotiate_version(requested: str) -> str:
    """The client's version when we speak it, else our latest."""
    return requested if requested in SUPPORTED_VERSIONS else LATEST_VERSION


def check_initialize_params(params: dict[str, Any]) -> str:
    """Validate ``initialize`` params; return the requested version."""
    version = params.get("protocolVersion")
    if not isinstance(version, str):
        raise JsonRpcError(INVALID_PARAMS, 'initialize: "protocolVersion" must be a string')
    if not isinstance(params.get("capabilities", {}), dict):
        raise JsonRpcError(INVALID_PARAMS, 'initialize: "capabilities" must be an object')
    client = params.get("clientInfo")
    if not isinstance(client, dict) or not isinstance(client.get("name"), str):
        raise JsonRpcError(INVALID_PARAMS, 'initialize: "clientInfo" must be an object with a "name"')
    return version


def server_capabilities(description: ServerDescription) -> dict[str, Any]:
    """The ``capabilities`` object advertising exactly the provider's capabilities."""
    offered = description.capabilities
    # listChanged: a provider may announce changes (ctx.send_tool_list_changed
    # and friends), which the transport passes on to every client.
    capabilities: dict[str, Any] = {}
    if "tools" in offered:
        capabilities["tools"] = {"listChanged": True}
    if "resources" in offered:
        capabilities["resources"] = {
            "subscribe": "resource-subscriptions" in offered,
            "listChanged": True,
        }
    if "prompts" in offered:
        capabilities["prompts"] = {"listChanged": True}
    if "completions" in offered:
        capabilities["completions"] = {}
    if "logging" in offered:
        capabilities["logging"] = {}
    return capabilities


def initialize_result(description: ServerDescription, version: str) -> dict[str, Any]:
    """The ``initialize`` result (2025-11-25 and before)."""
    result: dict[str, Any] = {
        "protocolVersion": version,
        "capabilities": server_capabilities(description),
        "serverInfo": description.server_info,
    }
    if description.instructions:
        result["instructions"] = description.instructions
    return result


def discover_result(description: ServerDescription) -> dict[str, Any]:
    """The ``server/discover`` result (2026-07-28): every version served, newest first.

    The dispatcher adds ``resultType`` and the server's identity in ``_meta``,
    as it does for every 2026-07-28 result.
    """
    result: dict[str, Any] = {
        "supportedVersions": [*MODERN_VERSIONS, *sorted(SUPPORTED_VERSIONS, reverse=True)],
        "capabilities": server_capabilities(description),
    }
    if description.instructions:
        result["instructions"] = description.instructions
    return result
