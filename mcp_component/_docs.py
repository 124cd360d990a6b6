"""Descriptions read from docstrings, shared by tools, resources and prompts."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

__all__ = ["docstring"]

# Sections that describe parameters or results, not the function itself.
_SECTIONS = frozenset({
    "Args:", "Arguments:", "Parameters:", "Params:", "Keyword Args:", "Keyword Arguments:",
    "Returns:", "Raises:",
})


def docstring(fn: Callable[..., Any]) -> str | None:
    """The docstring's summary and body, without its Args/Returns sections."""
    doc = inspect.getdoc(fn)
    if not doc:
        return None
    lines: list[str] = []
    for line in doc.splitlines():
        if line.strip() in _SECTIONS:
            break
        lines.append(line)
    return "\n".join(lines).strip() or None
