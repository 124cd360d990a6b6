"""JSON-RPC parsing: every malformed message gets the right error code."""

from __future__ import annotations

import pytest

from mcp_transport.jsonrpc import (
    INVALID_REQUEST,
    PARSE_ERROR,
    JsonRpcError,
    Notification,
    Request,
    Response,
    parse_message,
)


def test_parses_a_request() -> None:
    message = parse_message(b'{"jsonrpc":"2.0","id":7,"method":"ping"}')
    assert message == Request(7, "ping", {})


def test_parses_a_notification() -> None:
    message = parse_message(b'{"jsonrpc":"2.0","method":"notifications/initialized"}')
    assert message == Notification("notifications/initialized", {})


def test_parses_a_response() -> None:
    message = parse_message(b'{"jsonrpc":"2.0","id":"a","result":{}}')
    assert message == Response("a", {}, None)


@pytest.mark.parametrize("body", [b"{", b"not json", b"\xff\xfe", b""])
def test_bytes_that_are_not_json_are_a_parse_error(body: bytes) -> None:
    with pytest.raises(JsonRpcError) as info:
        parse_message(body)
    assert info.value.code == PARSE_ERROR


@pytest.mark.parametrize(
    "body",
    [
        b"[]",
        b'[{"jsonrpc":"2.0","id":1,"method":"ping"}]',
        b'"ping"',
        b"42",
        b'{"id":1,"method":"ping"}',
        b'{"jsonrpc":"1.0","id":1,"method":"ping"}',
        b'{"jsonrpc":"2.0","id":1,"method":5}',
        b'{"jsonrpc":"2.0","id":1,"method":""}',
        b'{"jsonrpc":"2.0","id":1,"method":"ping","params":[1]}',
        b'{"jsonrpc":"2.0","id":true,"method":"ping"}',
        b'{"jsonrpc":"2.0","id":1.5,"method":"ping"}',
        b'{"jsonrpc":"2.0","id":{},"method":"ping"}',
        b'{"jsonrpc":"2.0","id":1}',
    ],
)
def test_invalid_messages_are_invalid_requests(body: bytes) -> None:
    with pytest.raises(JsonRpcError) as info:
        parse_message(body)
    assert info.value.code == INVALID_REQUEST


def test_invalid_request_keeps_a_readable_id() -> None:
    with pytest.raises(JsonRpcError) as info:
        parse_message(b'{"jsonrpc":"1.0","id":9,"method":"ping"}')
    assert info.value.request_id == 9


def test_null_params_are_treated_as_empty() -> None:
    assert parse_message(b'{"jsonrpc":"2.0","id":1,"method":"ping","params":null}') == Request(1, "ping", {})
