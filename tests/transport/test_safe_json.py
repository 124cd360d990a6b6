"""safe_json: network JSON within limits, refused with a reason before
anything recursive runs."""

from __future__ import annotations

import json
import math

import pytest

from mcp_transport.jsonrpc import PARSE_ERROR, JsonRpcError, parse_message
from mcp_transport.safe_json import MAX_DEPTH, MAX_INT_DIGITS, InvalidJson, loads


def nested(depth: int, open_: str = "[", close: str = "]") -> str:
    return open_ * depth + close * depth


@pytest.mark.parametrize("depth", [1, MAX_DEPTH - 1, MAX_DEPTH])
def test_nesting_up_to_the_limit_parses(depth: int) -> None:
    assert loads(nested(depth)) == json.loads(nested(depth))
    objects = '{"a":' * depth + "1" + "}" * depth
    assert loads(objects.encode()) == json.loads(objects)


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 2_000, 20_000, 2_000_000])
def test_deeper_nesting_is_refused_without_recursion(depth: int) -> None:
    with pytest.raises(InvalidJson, match=f"nested deeper than {MAX_DEPTH} levels"):
        loads(nested(depth).encode())


def test_mixed_arrays_and_objects_count_every_level() -> None:
    text = '{"a":[' * (MAX_DEPTH // 2) + "1" + "]}" * (MAX_DEPTH // 2)
    assert loads(text)
    deeper = '{"a":[' * (MAX_DEPTH // 2 + 1) + "1" + "]}" * (MAX_DEPTH // 2 + 1)
    with pytest.raises(InvalidJson, match="nested deeper"):
        loads(deeper)


def test_brackets_inside_strings_do_not_count() -> None:
    text = json.dumps({"text": "[" * 5000, "escaped": '\\"[[[[' * 100, "more": "{" * 5000})
    assert loads(text)["text"] == "[" * 5000


def test_a_custom_depth_limit() -> None:
    assert loads(nested(3), max_depth=3) == [[[]]]
    with pytest.raises(InvalidJson):
        loads(nested(4) + " " * 0, max_depth=3)


@pytest.mark.parametrize("body", [
    b"\x00\x00\x00[", b"\x00" * 64, b"[\x00]", b"\xff\xfe[\x00]\x00", b"\xef\xbb\xbf{}",
    b'{"a": "\xc3"}', b"\xed\xa0\x80",  # truncated sequence, a lone surrogate in UTF-8
])
def test_bytes_that_are_not_utf8_json_are_refused(body: bytes) -> None:
    with pytest.raises(InvalidJson):
        loads(body)


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999", "-1e999"])
def test_non_finite_numbers_are_refused(literal: str) -> None:
    with pytest.raises(InvalidJson):
        loads(f'{{"exp": {literal}}}')


def test_long_integers_are_refused_and_short_ones_kept() -> None:
    assert loads("9" * MAX_INT_DIGITS) == int("9" * MAX_INT_DIGITS)
    with pytest.raises(InvalidJson, match="digits"):
        loads("-" + "9" * (MAX_INT_DIGITS + 1))
    assert math.isclose(loads("1.5e300"), 1.5e300)


@pytest.mark.parametrize("body", [b"", b"{", b"[1,]", b"{'a': 1}", b"tru", b'"\\x"'])
def test_malformed_json_is_refused(body: bytes) -> None:
    with pytest.raises(InvalidJson, match="not valid JSON"):
        loads(body)


@pytest.mark.parametrize("body, reason", [
    (nested(5000).encode(), "nested deeper"),
    (b"\x00\x00\x00{", "not valid JSON"),
    (b"\xff{}", "not UTF-8"),
    (b'{"jsonrpc": "2.0", "id": NaN, "method": "ping"}', "NaN"),
])
def test_jsonrpc_parse_errors_say_why(body: bytes, reason: str) -> None:
    with pytest.raises(JsonRpcError) as caught:
        parse_message(body)
    assert caught.value.code == PARSE_ERROR
    assert reason in caught.value.message
