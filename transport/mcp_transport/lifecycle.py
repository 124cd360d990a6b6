"""Protocol versions and the initialize handshake."""

from __future__ import annotations

from typing import Any

from mcp_component.versions import LATEST_VERSION, SUPPORTED_VERSIONS

from .jsonrpc import INVALID_PARAMS, JsonRpcError
from .port import ServerDescription

__all__ = [
    "LATEST_VERSION",
    "SUPPORTED_VERSIONS",
    "check_initialize_params",
    "initialize_result",
    "negotiate_version",
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


def initialize_result(description: ServerDescription, version: str) -> dict[str, Any]:
    """The ``initialize`` result advertising exactly the provider's capabilities."""
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
    result: dict[str, Any] = {
        "protocolVersion": version,
        "capabilities": capabilities,
        "serverInfo": description.server_info,
    }
    if description.instructions:
        result["instructions"] = description.instructions
    return result
