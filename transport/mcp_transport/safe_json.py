"""JSON from the network, parsed within limits (RFC 8259).

Everything attacker-controlled that is JSON (request bodies, stdio lines,
bearer tokens, JWKS documents) goes through :func:`loads`, which checks
before anything recursive runs:

* the bytes are UTF-8, decoded explicitly: the standard library would
  otherwise guess UTF-16 or UTF-32 from leading NUL bytes, codecs a
  component does not even bundle;
* nesting is at most ``max_depth`` arrays and objects deep: CPython's
  parser recurses once per level, and in WebAssembly a few thousand levels
  exhaust the stack, which traps the whole instance instead of raising;
* numbers are finite (no ``NaN``, ``Infinity``, nor ``1e999``, which
  Python reads as infinity), and integers have at most ``MAX_INT_DIGITS``
  digits.

Any failure is a :class:`InvalidJson` (a ``ValueError``) whose message is
safe to show the client.
"""

from __future__ import annotations

import json
import math
import re
from itertools import accumulate
from typing import Any

__all__ = ["MAX_DEPTH", "MAX_INT_DIGITS", "InvalidJson", "loads"]

# Far above what MCP messages need (a tool's arguments nest as deep as its
# schema) and far below the depth that exhausts a component's stack: about
# 1,000 levels on wasmtime and jco (tests/transport/test_safe_json.py).
MAX_DEPTH = 128
MAX_INT_DIGITS = 1000

# A JSON string literal, unrolled so it never backtracks.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


class InvalidJson(ValueError):
    """The input is not JSON this server accepts; the message says why."""


def loads(data: bytes | str, *, max_depth: int = MAX_DEPTH) -> Any:
    """Parse one JSON text within the limits above."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidJson("not UTF-8") from exc
    else:
        text = data
    _check_depth(text, max_depth)
    try:
        return json.loads(text, parse_constant=_no_constant, parse_float=_finite_float, parse_int=_bounded_int)
    except InvalidJson:
        raise
    except (ValueError, RecursionError) as exc:  # JSONDecodeError is a ValueError
        raise InvalidJson("not valid JSON") from exc


def _check_depth(text: str, max_depth: int) -> None:
    """Refuse nesting deeper than ``max_depth`` without recursing.

    Strings are blanked out first (brackets inside them do not count); the
    depth is then the highest running sum of +1 per opening and -1 per
    closing bracket, computed by C-level iterators. A text with few
    brackets skips it all.
    """
    if text.count("[") + text.count("{") <= max_depth:
        return
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text) if '"' in text else text)
    if brackets.count("[") + brackets.count("{") <= max_depth:
        return
    if max(accumulate(map(_STEP.__getitem__, brackets))) > max_depth:
        raise InvalidJson(f"nested deeper than {max_depth} levels")


def _no_constant(name: str) -> Any:
    raise InvalidJson(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise InvalidJson(f"number out of range: {text[:20]}")
    return value


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise InvalidJson(f"integer longer than {MAX_INT_DIGITS} digits")
    return int(text)
