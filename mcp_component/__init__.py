"""Write MCP servers as plain Python functions that run as Wasm components.

    from mcp_component import Provider

    provider = Provider("calculator")

    @provider.tool
    def add(a: int, b: int) -> int:
        '''Add two integers.'''
        return a + b

    @provider.resource("calc://constants/{name}")
    def constant(name: str) -> float:
        '''A named mathematical constant.'''
        return {"pi": 3.141592653589793, "e": 2.718281828459045}[name]

    @provider.prompt
    def explain(expression: str) -> str:
        '''Ask for a step-by-step evaluation.'''
        return f"Evaluate {expression} step by step."

``make build PROVIDER=<folder>`` compiles the module into a component and
composes it with the HTTP transport into ``build/mcp-http-server.wasm``.
"""

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING or sys.platform == "wasi":
    # In a component everything is imported when it is built: componentize-py
    # bundles what is imported then, and a request never imports anew.
    from ._content import (
        Annotations,
        Audio,
        CallToolResult,
        Content,
        EmbeddedResource,
        Icon,
        Image,
        ResourceLink,
        Text,
        audio,
        image,
        text,
    )
    from ._asking import (
        ClientRequestError,
        ElicitResult,
        MissingCapabilityError,
        ModelPreferences,
        Root,
        SamplingMessage,
        SamplingResult,
    )
    from ._cache import CacheHint
    from ._completions import Completer, Completion
    from ._context import Context, Identity, LogLevel, LogMessage, Notification, Progress, RequestInfo
    from ._headers import Header
    from ._errors import (
        ArgumentError,
        InvalidParamsError,
        MCPError,
        NotFoundError,
        ResourceNotFoundError,
        ToolError,
        UnsupportedError,
    )
    from ._prompts import Message, Prompt, PromptArgument, PromptOptions, PromptResult, assistant, prompt, user
    from ._provider import Capabilities, Provider
    from ._resources import Resource, ResourceContents, ResourceOptions, ResourceTemplate, resource
    from ._tools import Tool, ToolAnnotations, ToolOptions, ToolRun, tool
else:
    # On the host the names load on first use. `python -m mcp_component.run`,
    # the stdio runner a client launches for each session, needs none of them,
    # and importing them all would add about 0.1 s to every launch.
    _MODULES = ("_content", "_asking", "_cache", "_completions", "_context", "_headers", "_errors", "_prompts",
                "_provider", "_resources", "_tools")

    def __getattr__(name: str) -> object:
        if name in __all__:
            from importlib import import_module

            for module_name in _MODULES:
                module = import_module(f"{__name__}.{module_name}")
                if hasattr(module, name):
                    value = getattr(module, name)
                    globals()[name] = value
                    return value
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

    def __dir__() -> list[str]:
        return sorted({*globals(), *__all__})

__all__ = [
    "Annotations",
    "ArgumentError",
    "Audio",
    "CacheHint",
    "CallToolResult",
    "Capabilities",
    "ClientRequestError",
    "Completer",
    "Completion",
    "Content",
    "Context",
    "ElicitResult",
    "EmbeddedResource",
    "Header",
    "Icon",
    "Identity",
    "Image",
    "InvalidParamsError",
    "LogLevel",
    "LogMessage",
    "MCPError",
    "Message",
    "MissingCapabilityError",
    "ModelPreferences",
    "NotFoundError",
    "Notification",
    "Progress",
    "Prompt",
    "PromptArgument",
    "PromptOptions",
    "PromptResult",
    "Provider",
    "RequestInfo",
    "Resource",
    "ResourceContents",
    "ResourceLink",
    "ResourceNotFoundError",
    "ResourceOptions",
    "ResourceTemplate",
    "Root",
    "SamplingMessage",
    "SamplingResult",
    "Text",
    "Tool",
    "ToolAnnotations",
    "ToolError",
    "ToolOptions",
    "ToolRun",
    "UnsupportedError",
    "assistant",
    "audio",
    "image",
    "prompt",
    "resource",
    "text",
    "tool",
    "user",
]

__version__ = "0.1.0"
