"""Tool-like functions whose annotations are strings (PEP 563), for test_schema."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Annotated, Literal, NotRequired, Optional, Required, TypedDict


def search(
    query: Annotated[str, "What to look for"],
    limit: int = 10,
    since: Optional[datetime.date] = None,
    order: Literal["asc", "desc"] = "asc",
    point: Point | None = None,
) -> list[Point]:
    """Search for points.

    Args:
        query: ignored, Annotated wins.
        limit: At most this many results.
    """
    return []


def make_point(x: float, y: float) -> Point:
    return Point(x, y)


def describe(filters: Filters) -> Filters:
    return filters


@dataclass
class Point:
    """A point defined after the functions that use it."""

    x: float
    y: float
    label: str | None = None


class Filters(TypedDict, total=False):
    name: Required[str]
    tags: list[str]
    limit: NotRequired[Annotated[int, "max results"]]
