"""Opaque cursors for paginated lists."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from typing import TypeVar

from ._errors import InvalidParamsError

__all__ = ["paginate"]

T = TypeVar("T")


def paginate(items: Sequence[T], cursor: str | None, page_size: int | None) -> tuple[list[T], str | None]:
    """One page of ``items`` from ``cursor``, and the cursor of the next page.

    Cursors are opaque to clients; a cursor this function did not make
    raises :class:`InvalidParamsError`.
    """
    start = 0 if cursor is None else _decode(cursor)
    if start > len(items):
        raise InvalidParamsError(f"invalid cursor: {cursor!r}")
    if page_size is None:
        return list(items[start:]), None
    end = start + page_size
    next_cursor = _encode(end) if end < len(items) else None
    return list(items[start:end]), next_cursor


def _encode(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"offset": offset}).encode()).decode()


def _decode(cursor: str) -> int:
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        offset = data["offset"]
    except (ValueError, TypeError, KeyError, binascii.Error) as exc:
        raise InvalidParamsError(f"invalid cursor: {cursor!r}") from exc
    if not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
        raise InvalidParamsError(f"invalid cursor: {cursor!r}")
    return offset
