"""The bench tools as plain functions, imported by every server under test.

The composed server registers them in app.py (this folder is its provider);
the official SDK and FastMCP servers import them from here, so all servers
run the same tool code. Plain Python only: this module is bundled into a
component.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def echo(text: str) -> str:
    """Return the text unchanged.

    Args:
        text: Any text.
    """
    return text


@dataclass
class TextStats:
    characters: int
    words: int
    lines: int
    sentences: int
    most_common_word: str | None


def text_stats(text: str) -> TextStats:
    """Count the characters, words, lines and sentences of a text.

    Args:
        text: The text to analyse.
    """
    # The logic of providers/toolbox's text_stats, copied: providers/ is not imported.
    words = re.findall(r"[\w']+", text.lower())
    counts: dict[str, int] = {}
    for word in words:
        counts[word] = counts.get(word, 0) + 1
    return TextStats(
        characters=len(text),
        words=len(words),
        lines=len(text.splitlines()) if text else 0,
        sentences=len([s for s in re.split(r"[.!?]+", text) if s.strip()]),
        most_common_word=max(counts, key=lambda w: (counts[w], w)) if counts else None,
    )
