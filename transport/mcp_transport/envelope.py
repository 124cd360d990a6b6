"""The per-request envelope of MCP 2026-07-28.

From 2026-07-28 on there is no initialize handshake: every request names
its protocol version and the client's capabilities (and, optionally, the
client's identity and the log level it wants) in ``params._meta``. Over
HTTP the client also mirrors the method, the tool, prompt or resource
name, and annotated tool arguments into headers, so intermediaries can
route without reading the body; the server refuses a request whose headers
and body disagree, since the two would otherwise be judged differently.

Everything here is pure: the dispatcher and the HTTP layer call it.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .http_messages import HEADER_PROTOCOL_VERSION
from .jsonrpc import INVALID_PARAMS, INVALID_REQUEST, METHOD_NOT_FOUND, PARSE_ERROR, JsonRpcError
from .port import LOG_LEVELS

__all__ = [
    "CLIENT_CAPABILITIES_KEY",
    "CLIENT_INFO_KEY",
    "HEADER_METHOD",
    "HEADER_MISMATCH",
    "HEADER_NAME",
    "LOG_LEVEL_KEY",
    "MISSING_CLIENT_CAPABILITY",
    "MODERN_VERSIONS",
    "PARAM_HEADER_PREFIX",
    "PROTOCOL_VERSION_KEY",
    "SERVER_INFO_KEY",
    "SUBSCRIPTION_ID_KEY",
    "UNSUPPORTED_PROTOCOL_VERSION",
    "Envelope",
    "check_param_headers",
    "decode_header_value",
    "encode_header_value",
    "http_status",
    "invalid_header_annotation",
    "read_envelope",
    "unsupported_version_error",
]

MODERN_VERSIONS: tuple[str, ...] = ("2026-07-28",)

PROTOCOL_VERSION_KEY = "io.modelcontextprotocol/protocolVersion"
CLIENT_CAPABILITIES_KEY = "io.modelcontextprotocol/clientCapabilities"
CLIENT_INFO_KEY = "io.modelcontextprotocol/clientInfo"
LOG_LEVEL_KEY = "io.modelcontextprotocol/logLevel"
SERVER_INFO_KEY = "io.modelcontextprotocol/serverInfo"
SUBSCRIPTION_ID_KEY = "io.modelcontextprotocol/subscriptionId"

HEADER_MISMATCH = -32020
MISSING_CLIENT_CAPABILITY = -32021
UNSUPPORTED_PROTOCOL_VERSION = -32022

# Header names as the HTTP layer hands them over: lower-case.
HEADER_METHOD = "mcp-method"
HEADER_NAME = "mcp-name"
PARAM_HEADER_PREFIX = "mcp-param-"

ANNOTATION = "x-mcp-header"


# Which param each routed method mirrors into Mcp-Name.
_NAMED_PARAM = {"tools/call": "name", "prompts/get": "name", "resources/read": "uri"}

_BAD_REQUEST = frozenset((PARSE_ERROR, INVALID_REQUEST, INVALID_PARAMS, HEADER_MISMATCH,
                          MISSING_CLIENT_CAPABILITY, UNSUPPORTED_PROTOCOL_VERSION))

_SENTINEL_PREFIX = "=?base64?"
_SENTINEL_SUFFIX = "?="
_PLAIN = re.compile(r"[\x20-\x7e]*")
_BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")
# RFC 9110 token: 1*tchar.
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
# A number as a header carries it: no sign but minus, no leading zeros, no exponent.
_DECIMAL = re.compile(r"(-?)(0|[1-9][0-9]*)(?:\.([0-9]+))?")
_MAX_DECIMAL_LENGTH = 400

_ANNOTATED_TYPES = ("string", "integer", "boolean")
# Keywords whose object value maps names to subschemas.
_NAMED_SUBSCHEMAS = frozenset(("properties", "patternProperties", "$defs", "definitions",
                               "dependentSchemas", "dependencies"))
# Keywords holding instance data, never schemas: an "x-mcp-header" key in
# there is a value, not an annotation.
_DATA_KEYWORDS = frozenset(("const", "enum", "default", "examples"))
# Far beyond any real tool schema; the walk stops there instead of running on.
_MAX_SCHEMA_NODES = 100_000


@dataclass(frozen=True)
class Envelope:
    """What a 2026-07-28 request says about its client."""

    protocol_version: str
    client_capabilities: dict[str, Any]
    client_info: dict[str, Any] | None
    log_level: str | None


def read_envelope(method: str, params: dict[str, Any], headers: Mapping[str, str] | None) -> Envelope:
    """Read and check a request's envelope; headers is None off HTTP.

    Raises :class:`JsonRpcError` on the first failing rule: a missing or
    malformed ``_meta`` (-32602), headers that disagree with the body
    (-32020), a version that is not a string (-32602) or not one we speak
    (-32022).
    """
    meta = params.get("_meta")
    if not isinstance(meta, dict):
        raise JsonRpcError(INVALID_PARAMS, f'params._meta must be an object holding "{PROTOCOL_VERSION_KEY}" '
                                           f'and "{CLIENT_CAPABILITIES_KEY}"')
    missing = [key for key in (PROTOCOL_VERSION_KEY, CLIENT_CAPABILITIES_KEY) if key not in meta]
    if missing:
        raise JsonRpcError(INVALID_PARAMS, "params._meta is missing " + " and ".join(f'"{key}"' for key in missing))
    capabilities = meta[CLIENT_CAPABILITIES_KEY]
    if not isinstance(capabilities, dict):
        raise JsonRpcError(INVALID_PARAMS, f'params._meta "{CLIENT_CAPABILITIES_KEY}" must be an object')
    version = meta[PROTOCOL_VERSION_KEY]
    if headers is not None:
        _check_routing_headers(method, params, version, headers)
    if not isinstance(version, str):
        raise JsonRpcError(INVALID_PARAMS, f'params._meta "{PROTOCOL_VERSION_KEY}" must be a string')
    if version not in MODERN_VERSIONS:
        raise unsupported_version_error(version)
    client_info = meta.get(CLIENT_INFO_KEY)
    level = meta.get(LOG_LEVEL_KEY)
    return Envelope(
        protocol_version=version,
        client_capabilities=capabilities,
        # Optional and informative only: a malformed one is ignored, not fatal.
        client_info=client_info if isinstance(client_info, dict) else None,
        log_level=level if isinstance(level, str) and level in LOG_LEVELS else None,
    )


def _check_routing_headers(method: str, params: dict[str, Any], version: Any, headers: Mapping[str, str]) -> None:
    if headers.get(HEADER_PROTOCOL_VERSION) != version:
        raise JsonRpcError(HEADER_MISMATCH, f'Header mismatch: MCP-Protocol-Version must equal params._meta '
                                            f'"{PROTOCOL_VERSION_KEY}"')
    if headers.get(HEADER_METHOD) != method:
        raise JsonRpcError(HEADER_MISMATCH, "Header mismatch: Mcp-Method must equal the request's method")
    param = _NAMED_PARAM.get(method)
    # A missing or non-string param is the dispatcher's -32602 to report.
    if param is not None and isinstance(params.get(param), str):
        if decode_header_value(headers.get(HEADER_NAME)) != params[param]:
            raise JsonRpcError(HEADER_MISMATCH, f'Header mismatch: Mcp-Name must equal params.{param}')


def unsupported_version_error(requested: str) -> JsonRpcError:
    """The error for a protocol version this server does not speak."""
    return JsonRpcError(UNSUPPORTED_PROTOCOL_VERSION, "Unsupported protocol version",
                        {"supported": list(MODERN_VERSIONS), "requested": requested})


def http_status(code: int) -> int:
    """The HTTP status a 2026-07-28 error response with this code gets."""
    if code in _BAD_REQUEST:
        return 400
    if code == METHOD_NOT_FOUND:
        return 404
    return 200


def encode_header_value(value: str) -> str:
    """A value as it may ride in an HTTP header field.

    Printable ASCII without leading or trailing spaces goes as is;
    anything else, and anything that already looks like the sentinel (so
    decoding stays unambiguous), becomes ``=?base64?<base64 of UTF-8>?=``.
    """
    if _PLAIN.fullmatch(value) and value == value.strip(" ") and not _looks_encoded(value):
        return value
    # A lone surrogate (JSON can carry one) cannot be UTF-8: it is passed
    # through so encoding never fails, and decodes to None, matching nothing.
    raw = value.encode("utf-8", "surrogatepass")
    return _SENTINEL_PREFIX + base64.b64encode(raw).decode("ascii") + _SENTINEL_SUFFIX


def decode_header_value(value: str | None) -> str | None:
    """The value a header carries; None when absent or not validly encoded.

    Only the canonical encoding is accepted (padding present, unused bits
    zero), so one value has exactly one encoded form.
    """
    if value is None or not _looks_encoded(value):
        return value
    if len(value) < len(_SENTINEL_PREFIX) + len(_SENTINEL_SUFFIX):
        return None  # the markers overlap: "=?base64?="
    encoded = value[len(_SENTINEL_PREFIX):len(value) - len(_SENTINEL_SUFFIX)]
    if not _BASE64.fullmatch(encoded):
        return None
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        return None
    if base64.b64encode(raw).decode("ascii") != encoded:
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _looks_encoded(value: str) -> bool:
    return value.startswith(_SENTINEL_PREFIX) and value.endswith(_SENTINEL_SUFFIX)


def invalid_header_annotation(input_schema: Any) -> str | None:
    """Why ``input_schema`` carries an invalid ``x-mcp-header``, or None."""
    return _annotations(input_schema)[1]


def check_param_headers(input_schema: Any, arguments: Mapping[str, Any], headers: Mapping[str, str]) -> None:
    """Check the Mcp-Param-* headers of a tools/call against its arguments.

    Raises JsonRpcError(-32020) naming the first header that disagrees.
    A schema with an invalid annotation declares no headers, so nothing is
    checked against it.
    """
    annotated, problem = _annotations(input_schema)
    if problem is not None:
        return
    for path, token in annotated:
        header = f"Mcp-Param-{token}"
        raw = headers.get(PARAM_HEADER_PREFIX + token.lower())
        argument = _argument_at(arguments, path)
        if raw is None and argument is None:
            continue
        if raw is None:
            raise JsonRpcError(HEADER_MISMATCH, f"Header mismatch: {header} is missing for a given argument")
        if argument is None:
            raise JsonRpcError(HEADER_MISMATCH, f"Header mismatch: {header} is present without its argument")
        value = decode_header_value(raw)
        if value is None:
            raise JsonRpcError(HEADER_MISMATCH, f"Header mismatch: {header} is not validly encoded")
        if not _same_value(value, argument):
            raise JsonRpcError(HEADER_MISMATCH, f"Header mismatch: {header} does not equal its argument")


def _argument_at(arguments: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    """The argument a property path names; None when absent anywhere on the way."""
    value: Any = arguments
    for name in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(name)
    return value


def _same_value(header: str, argument: Any) -> bool:
    if isinstance(argument, bool):
        return header == ("true" if argument else "false")
    if isinstance(argument, str):
        return header == argument
    if isinstance(argument, (int, float)):
        return _same_number(header, argument)
    return False


def _same_number(header: str, number: int | float) -> bool:
    """Compare exactly: a decimal m / 10**k against the number's p / q."""
    if len(header) > _MAX_DECIMAL_LENGTH:
        return False
    match = _DECIMAL.fullmatch(header)
    if match is None:
        return False
    sign, whole = match.group(1), match.group(2)
    fraction = match.group(3) or ""
    digits = int(whole + fraction)
    numerator = -digits if sign else digits
    denominator: int = 10 ** len(fraction)
    if isinstance(number, float) and not math.isfinite(number):
        return False
    ratio: tuple[int, int] = number.as_integer_ratio()
    return numerator * ratio[1] == ratio[0] * denominator


def _annotations(schema: Any) -> tuple[list[tuple[tuple[str, ...], str]], str | None]:
    """The (property path, header token) pairs a schema declares, and the
    first reason it is invalid (then the pairs mean nothing).

    The walk is iterative and counts nodes, so a deep or huge schema cannot
    exhaust the stack or run unbounded; "$ref" is never followed.
    """
    found: list[tuple[tuple[str, ...], str]] = []
    seen: set[str] = set()
    # Property paths share their prefixes: entry i is (name, index of its
    # parent entry, depth), -1 being the root, so a deep chain costs no
    # copying; the paths spelled out for annotations are bounded in total.
    steps: list[tuple[str, int, int]] = []
    spelled = 0
    # (node, its path entry when reachable through "properties" alone, else None)
    stack: list[tuple[Any, int | None]] = [(schema, -1)]
    visited = 0
    while stack:
        node, at = stack.pop()
        visited += 1
        if visited > _MAX_SCHEMA_NODES:
            return found, f"inputSchema is too large to check its {ANNOTATION} annotations"
        if isinstance(node, list):
            stack.extend((item, None) for item in node)
            continue
        if not isinstance(node, dict):
            continue
        if ANNOTATION in node:
            if at is None or at < 0:
                return found, f'{ANNOTATION} may only annotate a property reached through "properties" alone'
            spelled += steps[at][2]
            if spelled > _MAX_SCHEMA_NODES:
                return found, f"inputSchema is too large to check its {ANNOTATION} annotations"
            path = _path_of(steps, at)
            problem = _check_annotation(node, path, seen)
            if problem is not None:
                return found, problem
            found.append((path, node[ANNOTATION]))
        for key, value in node.items():
            if key in _DATA_KEYWORDS or key == ANNOTATION:
                continue
            if key in _NAMED_SUBSCHEMAS and isinstance(value, dict):
                for name, subschema in value.items():
                    child: int | None = None
                    if at is not None and key == "properties":
                        child = len(steps)
                        steps.append((name, at, steps[at][2] + 1 if at >= 0 else 1))
                    stack.append((subschema, child))
            else:
                stack.append((value, None))
    return found, None


def _path_of(steps: list[tuple[str, int, int]], at: int) -> tuple[str, ...]:
    names: list[str] = []
    while at >= 0:
        name, at, _ = steps[at]
        names.append(name)
    return tuple(reversed(names))


def _check_annotation(node: dict[str, Any], path: tuple[str, ...], seen: set[str]) -> str | None:
    token = node[ANNOTATION]
    where = "/".join(path)
    if not isinstance(token, str):
        return f"property {where!r}: {ANNOTATION} must be a string"
    if not _TOKEN.fullmatch(token):
        return f"property {where!r}: {ANNOTATION} must be an HTTP token (RFC 9110)"
    kind = node.get("type")
    if not isinstance(kind, str) or kind not in _ANNOTATED_TYPES:
        return f"property {where!r}: {ANNOTATION} is allowed only on string, integer or boolean properties"
    if token.lower() in seen:
        return f"property {where!r}: {ANNOTATION} {token!r} names a header already named (case-insensitively)"
    seen.add(token.lower())
    return None
