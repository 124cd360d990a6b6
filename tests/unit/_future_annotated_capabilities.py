"""Resources and prompts whose annotations are strings (PEP 563), for the unit tests."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Annotated, Literal

from mcp_component import Context, resource, prompt


class Shade(enum.Enum):
    LIGHT = "light"
    DARK = "dark"


@dataclass
class Palette:
    name: str
    shade: Shade


@resource("palette://{name}/{shade}", mime_type="application/json")
def palette(name: str, shade: Shade, ctx: Context) -> Palette:
    """A palette by name and shade."""
    return Palette(name, shade)


@resource("palette://count")
def count(ctx: Context | None = None) -> int:
    return 2


@prompt
def describe(
    colour: Annotated[str, "The colour to describe"],
    tone: Literal["plain", "poetic"] = "plain",
    words: int = 10,
    ctx: Context | None = None,
) -> str:
    """Describe a colour."""
    return f"{tone} {colour} in {words} words"


def late(box: Box) -> str:
    """Uses a type defined below; register it after import, not with a decorator."""
    return f"{box.width}x{box.height}"


@dataclass
class Box:
    width: int
    height: int
