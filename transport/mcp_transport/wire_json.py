"""MCP JSON pieces both binding ports build the same way.

``wit_port`` (our WIT package) and ``wasmcp_port`` (wasmcp's) read records
of different generated types whose fields share names; what they turn into
the same JSON is written here once, against those field names.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterable
from typing import Any, Protocol, TypeVar

__all__ = ["b64", "call_result", "loads", "put", "tool_annotations"]

B = TypeVar("B")
B_co = TypeVar("B_co", covariant=True)


class _ToolHints(Protocol):
    title: str | None
    read_only_hint: bool | None
    destructive_hint: bool | None
    idempotent_hint: bool | None
    open_world_hint: bool | None


class _CallResult(Protocol[B_co]):
    @property
    def content(self) -> Iterable[B_co]: ...
    @property
    def structured_content(self) -> str | None: ...
    @property
    def is_error(self) -> bool | None: ...
    @property
    def meta(self) -> str | None: ...


def put(target: dict[str, Any], key: str, value: Any) -> None:
    """Set ``key`` only when there is a value: MCP leaves absent fields out."""
    if value is not None:
        target[key] = value


def loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def tool_annotations(a: _ToolHints) -> dict[str, Any]:
    annotations: dict[str, Any] = {}
    put(annotations, "title", a.title)
    put(annotations, "readOnlyHint", a.read_only_hint)
    put(annotations, "destructiveHint", a.destructive_hint)
    put(annotations, "idempotentHint", a.idempotent_hint)
    put(annotations, "openWorldHint", a.open_world_hint)
    return annotations


def call_result(result: _CallResult[B], content: Callable[[B], dict[str, Any]]) -> dict[str, Any]:
    """A tools/call result; ``content`` turns one block of the binding's own type into JSON."""
    out: dict[str, Any] = {"content": [content(block) for block in result.content]}
    put(out, "structuredContent", loads(result.structured_content))
    if result.is_error:
        out["isError"] = True
    put(out, "_meta", loads(result.meta))
    return out
