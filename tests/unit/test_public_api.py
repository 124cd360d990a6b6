"""The SDK's public surface is exactly what was meant."""

from __future__ import annotations

import mcp_component

EXPECTED = {
    "Annotations", "ArgumentError", "Audio", "CallToolResult", "Capabilities", "Completer",
    "Completion", "Content", "Context", "EmbeddedResource", "Icon", "Identity", "Image",
    "InvalidParamsError", "LogLevel", "LogMessage", "MCPError", "Message", "NotFoundError",
    "Notification", "Progress", "Prompt", "PromptArgument", "PromptOptions", "PromptResult",
    "Provider", "RequestInfo", "Resource", "ResourceContents", "ResourceLink",
    "ResourceNotFoundError", "ResourceOptions", "ResourceTemplate", "Text", "Tool",
    "ToolAnnotations", "ToolError", "ToolOptions", "ToolRun", "UnsupportedError", "assistant",
    "audio", "image", "prompt", "resource", "text", "tool", "user",
    # Asking the client during a call (Context.elicit, sample, list_roots).
    "ClientRequestError", "ElicitResult", "ModelPreferences", "Root", "SamplingMessage", "SamplingResult",
    # Protocol 2026-07-28: asking by input-required results, cache hints, header parameters.
    "MissingCapabilityError", "CacheHint", "Header",
}


def test_all_is_the_expected_surface() -> None:
    assert set(mcp_component.__all__) == EXPECTED


def test_every_exported_name_exists() -> None:
    for name in mcp_component.__all__:
        assert hasattr(mcp_component, name), name


def test_importing_the_sdk_does_not_need_the_bindings() -> None:
    # guest.py imports componentize-py's generated bindings; only a
    # component build may import it.
    import sys

    assert "mcp_component.guest" not in sys.modules
