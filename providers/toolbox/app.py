"""A small everyday toolbox: text statistics, units, dates, hashes, primes.

Each tool is a plain Python function; its type hints become the input
schema, its docstring the description, and dataclass returns become
structured content.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from enum import Enum
from typing import Annotated, Literal

from annotated_types import Ge, Le

from mcp_component import Context, Provider, ToolAnnotations, ToolError

provider = Provider(
    "toolbox",
    version="0.1.0",
    title="Toolbox",
    instructions="Deterministic helpers for text, units, dates and hashes.",
)

READ_ONLY = ToolAnnotations(read_only_hint=True, idempotent_hint=True, open_world_hint=False)


@dataclass
class TextStats:
    characters: int
    words: int
    lines: int
    sentences: int
    most_common_word: str | None


@provider.tool(annotations=READ_ONLY)
def text_stats(text: str) -> TextStats:
    """Count the characters, words, lines and sentences of a text.

    Args:
        text: The text to analyse.
    """
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


class TemperatureUnit(Enum):
    CELSIUS = "celsius"
    FAHRENHEIT = "fahrenheit"
    KELVIN = "kelvin"


@provider.tool(title="Convert temperature", annotations=READ_ONLY)
def convert_temperature(value: float, from_unit: TemperatureUnit, to_unit: TemperatureUnit) -> float:
    """Convert a temperature between Celsius, Fahrenheit and Kelvin.

    Args:
        value: The temperature to convert.
        from_unit: The unit of `value`.
        to_unit: The unit to convert to.
    """
    kelvin = {
        TemperatureUnit.CELSIUS: value + 273.15,
        TemperatureUnit.FAHRENHEIT: (value - 32) * 5 / 9 + 273.15,
        TemperatureUnit.KELVIN: value,
    }[from_unit]
    if kelvin < 0:
        raise ToolError(f"{value} {from_unit.value} is below absolute zero")
    converted = {
        TemperatureUnit.CELSIUS: kelvin - 273.15,
        TemperatureUnit.FAHRENHEIT: (kelvin - 273.15) * 9 / 5 + 32,
        TemperatureUnit.KELVIN: kelvin,
    }[to_unit]
    return round(converted, 4)


@provider.tool(annotations=READ_ONLY)
def days_between(start: datetime.date, end: datetime.date, business_days_only: bool = False) -> int:
    """Count the days from one date to another (negative if `end` is earlier).

    Args:
        start: First date, as YYYY-MM-DD.
        end: Last date, as YYYY-MM-DD.
        business_days_only: Count Monday to Friday only.
    """
    if not business_days_only:
        return (end - start).days
    step = 1 if end >= start else -1
    count, day = 0, start
    while day != end:
        day += datetime.timedelta(days=step)
        if day.weekday() < 5:
            count += step
    return count


@provider.tool(annotations=READ_ONLY)
def hash_text(text: str, algorithm: Literal["md5", "sha1", "sha256", "sha512"] = "sha256") -> str:
    """Hash a text (UTF-8) and return the hex digest.

    Args:
        text: The text to hash.
        algorithm: The hash function.
    """
    return hashlib.new(algorithm, text.encode("utf-8")).hexdigest()


@provider.tool(annotations=READ_ONLY)
def slugify(title: str, max_length: Annotated[int, Ge(1), Le(200)] = 60) -> str:
    """Turn a title into a lowercase, URL-safe slug.

    Args:
        title: The title, in any script; accents are dropped.
        max_length: The longest slug to return.
    """
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-")


@provider.tool(annotations=READ_ONLY)
async def primes(limit: Annotated[int, Ge(2), Le(1_000_000)], ctx: Context) -> list[int]:
    """List the prime numbers up to `limit`, reporting progress as it sieves.

    Args:
        limit: The largest number to consider.
    """
    sieve = bytearray([1]) * (limit + 1)
    sieve[0:2] = b"\x00\x00"
    steps = max(1, int(limit**0.5) // 4)
    for n in range(2, int(limit**0.5) + 1):
        if sieve[n]:
            sieve[n * n :: n] = bytes(len(range(n * n, limit + 1, n)))
        if n % steps == 0:
            await ctx.report_progress(n, int(limit**0.5), f"sieved up to {n}")
    found = [n for n in range(limit + 1) if sieve[n]]
    await ctx.info(f"found {len(found)} primes up to {limit}")
    return found
