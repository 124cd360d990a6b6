"""Turning whatever a tool returns into a CallToolResult, in one place."""

from __future__ import annotations

import json
from typing import Any

from ._content import CallToolResult, Content, EmbeddedResource, Image, Audio, ResourceLink, Text
from ._schema import to_json

__all__ = ["error_result", "to_call_result"]

_CONTENT_TYPES = (Text, Image, Audio, ResourceLink, EmbeddedResource)


def to_call_result(value: Any, *, output_schema: dict[str, Any] | None, wrapped: bool) -> CallToolResult:
    """Convert a tool's return value.

    ``str`` becomes text, content objects pass through, ``None`` is no
    content; with an output schema the value becomes ``structuredContent``
    (under ``"result"`` when ``wrapped``) and a JSON text copy for clients
    that read only ``content``.
    """
    if isinstance(value, CallToolResult):
        return value
    if output_schema is not None:
        data = to_json(value)
        if not wrapped and not isinstance(data, dict):
            raise TypeError(f"the tool must return a JSON object for its output schema, not {type(value).__name__}")
        structured: dict[str, Any] = {"result": data} if wrapped else data
        return CallToolResult(content=[Text(_dumps(data))], structured_content=structured)
    if value is None:
        return CallToolResult()
    if isinstance(value, (list, tuple)) and value and all(
        isinstance(item, (str, *_CONTENT_TYPES)) for item in value
    ):
        return CallToolResult(content=[_block(item) for item in value])
    if isinstance(value, (str, *_CONTENT_TYPES)):
        return CallToolResult(content=[_block(value)])
    return CallToolResult(content=[Text(_dumps(to_json(value)))])


def error_result(message: str) -> CallToolResult:
    """A failed call: the client sees ``isError: true`` and the message."""
    return CallToolResult(content=[Text(message)], is_error=True)


def _block(item: str | Content) -> Content:
    return Text(item) if isinstance(item, str) else item


def _dumps(data: Any) -> str:
    if isinstance(data, str):
        return data
    try:
        # Strict JSON: Python would write NaN and Infinity, which no JSON
        # parser reads, and the client would drop the whole message.
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except ValueError as exc:
        raise ValueError("the result is not JSON: it holds NaN or an infinity, which JSON cannot carry "
                         "(return None, a string, or a finite number instead)") from exc
