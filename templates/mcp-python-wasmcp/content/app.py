"""MCP tools of {{project-name}}.

{{project-description}}

Each tool is a plain Python function: its type hints become the input
schema, its docstring the description, a dataclass result becomes
structured content. `make build` turns this file into a wasmcp capability
component (it exports wasmcp:mcp-v20251125/tools@0.1.1) and serves it with
the mcp-component transport; `make test` runs test_app.py on it in plain
CPython.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Literal

from annotated_types import Ge, Le

from mcp_component import Context, Provider, ToolAnnotations, ToolError

provider = Provider(
    "{{project-name | kebab_case}}",
    version="0.1.0",
    instructions="Small example tools: greet someone, count words, add numbers.",
)

READ_ONLY = ToolAnnotations(read_only_hint=True, idempotent_hint=True, open_world_hint=False)


@provider.tool(annotations=READ_ONLY)
def greet(name: str, style: Literal["plain", "excited"] = "plain") -> str:
    """Greet someone by name.

    Args:
        name: Who to greet.
        style: Plain, or excited.
    """
    if not name.strip():
        raise ToolError("name must not be empty")  # the client sees this message
    return f"Hello, {name.strip()}" + ("!" if style == "excited" else ".")


@dataclass
class WordCount:
    words: int
    characters: int
    longest_word: str | None


@provider.tool(annotations=READ_ONLY)
def count_words(text: str) -> WordCount:
    """Count the words and characters of a text.

    Args:
        text: The text to count.
    """
    words = re.findall(r"[\w']+", text)
    return WordCount(len(words), len(text), max(words, key=len) if words else None)


@provider.tool(annotations=READ_ONLY)
async def add_numbers(numbers: Annotated[list[float], "The numbers to add."], ctx: Context,
                      round_to: Annotated[int, Ge(0), Le(10)] = 2) -> float:
    """Add numbers, and log how many were added.

    Args:
        round_to: Decimal places of the result.
    """
    # wasmcp's contract carries no progress token, so log instead of progress.
    await ctx.info(f"adding {len(numbers)} numbers")
    return round(sum(numbers), round_to)
