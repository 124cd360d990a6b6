"""Cache hints: how long a client may reuse a list page or a read resource.

Protocol 2026-07-28 lets a server say so with ``ttlMs`` and ``cacheScope``.
A :class:`~mcp_component.Provider` takes a default hint for everything it
lists and reads; a tool, prompt, resource or template may carry its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["CacheHint", "CacheScope", "page_hint", "read_hint", "wire_fields"]

CacheScope = Literal["public", "private"]


@dataclass(frozen=True)
class CacheHint:
    """How long (``ttl_ms``) and by whom (``scope``) a result may be reused.

    ``ttl_ms=0`` means "ask again each time". ``"private"`` (the default)
    keeps the result to the client that asked, for answers that depend on
    who is calling; ``"public"`` lets any cache share it.
    """

    ttl_ms: int = 0
    scope: CacheScope = "private"

    def __post_init__(self) -> None:
        if isinstance(self.ttl_ms, bool) or not isinstance(self.ttl_ms, int):
            raise TypeError(f"CacheHint.ttl_ms must be an int (milliseconds), not {self.ttl_ms!r}")
        if self.ttl_ms < 0:
            raise ValueError(f"CacheHint.ttl_ms must be >= 0, not {self.ttl_ms}")
        if self.scope not in ("public", "private"):
            raise ValueError(f"CacheHint.scope must be 'public' or 'private', not {self.scope!r}")


_NEVER = CacheHint(0, "private")
"""What an item without a hint counts as, once some hint applies to its page."""


def page_hint(default: CacheHint | None, own: Iterable[CacheHint | None]) -> CacheHint | None:
    """The hint for one list page, from the server default and each item's own.

    A page is as fresh as its least fresh item: the smallest ttl, and
    private if any item is. An item without a hint of its own takes the
    default; with no default it counts as "never reuse", unless no item of
    the page has a hint either, and then the page has none.
    """
    hints = [hint if hint is not None else default for hint in own]
    if default is None and all(hint is None for hint in hints):
        return None
    counted = [hint if hint is not None else _NEVER for hint in hints] or [default or _NEVER]
    ttl = min(hint.ttl_ms for hint in counted)
    scope: CacheScope = "private" if any(hint.scope == "private" for hint in counted) else "public"
    return CacheHint(ttl, scope)


def read_hint(default: CacheHint | None, own: CacheHint | None) -> CacheHint | None:
    """The hint for reading a resource: its own, else the server default."""
    return own if own is not None else default


def wire_fields(hint: CacheHint | None) -> dict[str, Any]:
    """The result fields a hint becomes in MCP JSON (none without a hint)."""
    if hint is None:
        return {}
    return {"ttlMs": hint.ttl_ms, "cacheScope": hint.scope}
