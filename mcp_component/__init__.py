"""Write MCP servers as plain Python functions that run as Wasm components.

    from mcp_component import Provider

    provider = Provider("calculator")

    @provider.tool
    def add(a: int, b: int) -> int:
        '''Add two integers.'''
        return a + b

``make build PROVIDER=<folder>`` compiles the module into a component and
composes it with the HTTP transport into ``build/mcp-http-server.wasm``.
"""

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
from ._context import Context, Identity, LogLevel, LogMessage, Notification, Progress, RequestInfo
from ._errors import (
    ArgumentError,
    InvalidParamsError,
    MCPError,
    NotFoundError,
    ToolError,
    UnsupportedError,
)
from ._provider import Capabilities, Provider
from ._tools import Tool, ToolAnnotations, ToolOptions, ToolRun, tool

__all__ = [
    "Annotations",
    "ArgumentError",
    "Audio",
    "CallToolResult",
    "Capabilities",
    "Content",
    "Context",
    "EmbeddedResource",
    "Icon",
    "Identity",
    "Image",
    "InvalidParamsError",
    "LogLevel",
    "LogMessage",
    "MCPError",
    "NotFoundError",
    "Notification",
    "Progress",
    "Provider",
    "RequestInfo",
    "ResourceLink",
    "Text",
    "Tool",
    "ToolAnnotations",
    "ToolError",
    "ToolOptions",
    "ToolRun",
    "UnsupportedError",
    "audio",
    "image",
    "text",
    "tool",
]

__version__ = "0.1.0"
