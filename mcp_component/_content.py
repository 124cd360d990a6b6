"""Content a tool returns or a prompt message carries, as plain dataclasses.

These are protocol-neutral: ``guest.py`` turns them into WIT records and
``testing.py`` into MCP JSON, so provider code never touches bindings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Union

__all__ = [
    "Annotations",
    "Audio",
    "CallToolResult",
    "Content",
    "EmbeddedResource",
    "Icon",
    "Image",
    "ResourceLink",
    "Text",
    "audio",
    "image",
    "text",
]

Role = Literal["user", "assistant"]


@dataclass(frozen=True)
class Annotations:
    """Hints for the client about who content is for and how important."""

    audience: tuple[Role, ...] = ()
    priority: float | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class Icon:
    """An icon for a server, tool, resource or prompt."""

    src: str
    mime_type: str | None = None
    sizes: tuple[str, ...] = ()
    theme: Literal["light", "dark"] | None = None


@dataclass(frozen=True)
class Text:
    """Plain text content."""

    text: str
    annotations: Annotations | None = None
    meta: dict[str, Any] | None = None


@dataclass(frozen=True)
class _Media:
    data: bytes
    mime_type: str
    annotations: Annotations | None = None
    meta: dict[str, Any] | None = None


class Image(_Media):
    """Image bytes with their MIME type (base64-encoded on the wire)."""


class Audio(_Media):
    """Audio bytes with their MIME type (base64-encoded on the wire)."""


@dataclass(frozen=True)
class ResourceLink:
    """A link to a resource the client may read later."""

    uri: str
    name: str
    title: str | None = None
    description: str | None = None
    mime_type: str | None = None
    size: int | None = None
    annotations: Annotations | None = None
    icons: tuple[Icon, ...] = ()
    meta: dict[str, Any] | None = None


@dataclass(frozen=True)
class EmbeddedResource:
    """A resource's contents carried inline: ``text`` or ``blob``, not both."""

    uri: str
    text: str | None = None
    blob: bytes | None = None
    mime_type: str | None = None
    annotations: Annotations | None = None
    meta: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        if (self.text is None) == (self.blob is None):
            raise ValueError("EmbeddedResource needs exactly one of text or blob")


Content = Union[Text, Image, Audio, ResourceLink, EmbeddedResource]
"""Any block of content."""


@dataclass(frozen=True)
class CallToolResult:
    """A tool's full answer, for when a plain return value is not enough."""

    content: list[Content] = field(default_factory=list)
    structured_content: dict[str, Any] | None = None
    is_error: bool = False
    meta: dict[str, Any] | None = None


def text(value: str, *, annotations: Annotations | None = None) -> Text:
    """Text content."""
    return Text(value, annotations=annotations)


def image(data: bytes, mime_type: str = "image/png") -> Image:
    """Image content from raw bytes."""
    return Image(data, mime_type)


def audio(data: bytes, mime_type: str = "audio/wav") -> Audio:
    """Audio content from raw bytes."""
    return Audio(data, mime_type)
