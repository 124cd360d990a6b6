"""Exceptions a provider raises, and what each becomes on the wire.

    MCPError                    a protocol error (JSON-RPC error response;
    │                           -32603 when raised as is)
    ├── NotFoundError           unknown tool (-32602)
    ├── ResourceNotFoundError   unknown resource URI (-32002)
    ├── InvalidParamsError      bad request parameters, unknown prompt
    │                           (-32602)
    └── UnsupportedError        capability not offered (-32601)
    ToolError                   a tool failed; its message reaches the client
                                as a result with ``isError: true``
    ArgumentError               an argument failed validation (from _schema);
                                a tool call answers it with an error result
                                naming the field

Errors become protocol values in exactly one place: ``guest.py`` (inside a
component) and ``testing.py`` (in memory).
"""

from __future__ import annotations

from typing import Any

from ._schema import ArgumentError

__all__ = [
    "ArgumentError",
    "InvalidParamsError",
    "MCPError",
    "NotFoundError",
    "ResourceNotFoundError",
    "ToolError",
    "UnsupportedError",
]


class MCPError(Exception):
    """A failure reported to the client as a JSON-RPC error."""

    code: int = -32603

    def __init__(self, message: str, *, data: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.data = data


class NotFoundError(MCPError):
    """No tool, prompt, resource or template by that name or URI."""

    code = -32602


class ResourceNotFoundError(MCPError):
    """No resource, and no resource template, answers to that URI."""

    code = -32002


class InvalidParamsError(MCPError):
    """The request's parameters are invalid."""

    code = -32602


class UnsupportedError(MCPError):
    """The provider does not offer this capability."""

    code = -32601


class ToolError(Exception):
    """Raise from a tool to fail the call with this message.

    Unlike other exceptions, its message is shown to the client even when
    the provider masks error details.
    """
