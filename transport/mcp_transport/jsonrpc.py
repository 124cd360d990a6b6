"""JSON-RPC 2.0 messages: parsing, validation, and building replies.

Parsing turns bytes into one of three message types, or raises
:class:`JsonRpcError` carrying the code the reply must have.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeGuard, Union

from . import safe_json

__all__ = [
    "INTERNAL_ERROR",
    "INVALID_PARAMS",
    "INVALID_REQUEST",
    "METHOD_NOT_FOUND",
    "PARSE_ERROR",
    "RESOURCE_NOT_FOUND",
    "JsonRpcError",
    "Message",
    "Notification",
    "Request",
    "Response",
    "error_response",
    "parse_message",
    "result_response",
]

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603
RESOURCE_NOT_FOUND = -32002  # MCP: resources/read of an unknown URI

RequestId = Union[str, int]


class JsonRpcError(Exception):
    """A failure that becomes a JSON-RPC error response."""

    def __init__(self, code: int, message: str, data: Any = None,
                 request_id: RequestId | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data
        # The id of the request that failed, when it could be read.
        self.request_id = request_id

    def to_json(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.data is not None:
            error["data"] = self.data
        return error


@dataclass(frozen=True)
class Request:
    """A call that expects a response."""

    id: RequestId
    method: str
    params: dict[str, Any]


@dataclass(frozen=True)
class Notification:
    """A one-way message; it gets no response."""

    method: str
    params: dict[str, Any]


@dataclass(frozen=True)
class Response:
    """A client's reply to a request the server sent (result or error)."""

    id: RequestId
    result: Any
    error: dict[str, Any] | None


Message = Union[Request, Notification, Response]


def parse_message(body: bytes) -> Message:
    """Parse exactly one JSON-RPC message.

    Raises JsonRpcError: -32700 for bytes that are not JSON within the
    limits of :mod:`safe_json` (UTF-8, depth, finite numbers), -32600 for JSON
    that is not one valid message (batches included: MCP removed them).
    When the message's id could be read, the error carries it as
    ``request_id`` so the error reply can echo it.
    """
    try:
        data = safe_json.loads(body)
    except safe_json.InvalidJson as exc:
        raise JsonRpcError(PARSE_ERROR, f"Parse error: {exc}") from exc
    if isinstance(data, list):
        raise JsonRpcError(INVALID_REQUEST, "Invalid Request: batches are not supported")
    if not isinstance(data, dict):
        raise JsonRpcError(INVALID_REQUEST, "Invalid Request: expected a JSON object")
    message_id = data.get("id")
    if data.get("jsonrpc") != "2.0":
        raise _invalid('"jsonrpc" must be "2.0"', message_id)
    if "method" in data:
        method = data["method"]
        if not isinstance(method, str) or not method:
            raise _invalid('"method" must be a non-empty string', message_id)
        params = data.get("params", {})
        if params is None:
            params = {}
        if not isinstance(params, dict):
            raise _invalid('"params" must be an object', message_id)
        if "id" not in data:
            return Notification(method, params)
        if not _valid_id(message_id):
            raise _invalid('"id" must be a string or an integer', None)
        return Request(message_id, method, params)
    if "result" in data or "error" in data:
        if not _valid_id(message_id):
            raise _invalid('"id" must be a string or an integer', None)
        error = data.get("error")
        if error is not None and not isinstance(error, dict):
            raise _invalid('"error" must be an object', message_id)
        return Response(message_id, data.get("result"), error)
    raise _invalid('expected "method", "result" or "error"', message_id)


def result_response(request_id: RequestId, result: dict[str, Any]) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": request_id, "result": result}


def error_response(request_id: RequestId | None, error: JsonRpcError) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": request_id, "error": error.to_json()}


def _valid_id(value: Any) -> TypeGuard[RequestId]:
    return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


def _invalid(reason: str, message_id: Any) -> JsonRpcError:
    request_id = message_id if _valid_id(message_id) else None
    return JsonRpcError(INVALID_REQUEST, f"Invalid Request: {reason}", request_id=request_id)
