"""Moves bytes between ``wasi:http`` and :class:`~mcp_transport.http.HttpRequest`.

The only transport module that touches the wasi-http bindings.
"""

from __future__ import annotations

import sys

from componentize_py_types import Err, Ok
from wit_world.imports import streams
try:
    from wit_world.imports import wasi_http_types as http  # type: ignore[attr-defined, unused-ignore]
except ImportError:  # the one-interpreter http-server world, where no other interface is called "types"
    from wit_world.imports import types as http  # type: ignore[no-redef, attr-defined, unused-ignore]

from .http import HttpRequest, HttpResponse

__all__ = ["IncomingRequest", "ResponseOutparam", "read_request", "response_stream", "write_response"]

IncomingRequest = http.IncomingRequest
ResponseOutparam = http.ResponseOutparam

# wasi:io output streams accept at most 4096 bytes per blocking write.
_WRITE_CHUNK = 4096
_READ_CHUNK = 65536

# The body stream of the response being written, while write_response runs.
_response_stream: streams.OutputStream | None = None


def response_stream() -> streams.OutputStream | None:
    """The body stream of the response being written, if one is.

    A streamed (SSE) body is produced while it is written, so a provider
    that writes its own messages to the client's stream (wasmcp's
    capabilities do) can be handed this one; a JSON body is produced
    before, when there is none.
    """
    return _response_stream


def read_request(request: http.IncomingRequest, max_body_bytes: int) -> HttpRequest:
    """Read method, path, headers and up to ``max_body_bytes`` of body."""
    headers: dict[str, str] = {}
    for name, value in request.headers().entries():
        key = name.lower()
        text = value.decode("latin-1")
        headers[key] = f"{headers[key]}, {text}" if key in headers else text
    # Some hosts carry Host only as the request's authority.
    authority = request.authority()
    if "host" not in headers and authority:
        headers["host"] = authority
    body = bytearray()
    # With a Content-Length the body is complete once that many bytes are
    # in: no further host call just to see the stream close, and a declared
    # size over the limit is refused before reading any of it.
    expected = _content_length(headers)
    too_large = expected is not None and expected > max_body_bytes
    incoming = request.consume()
    with incoming.stream() as stream:
        while not too_large and (expected is None or len(body) < expected):
            try:
                chunk = stream.blocking_read(_READ_CHUNK)
            except Err as exc:
                if isinstance(exc.value, streams.StreamError_Closed):
                    break
                raise
            body.extend(chunk)
            if len(body) > max_body_bytes:
                too_large = True
                break
    http.IncomingBody.finish(incoming)
    return HttpRequest(
        method=_method(request.method()),
        path=request.path_with_query() or "/",
        headers=headers,
        body=bytes(body) if not too_large else b"",
        body_too_large=too_large,
    )


def _content_length(headers: dict[str, str]) -> int | None:
    """The declared body size, or None when absent or not one plain number
    (repeated headers were joined with commas above)."""
    value = headers.get("content-length", "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None


def write_response(response: HttpResponse, out: http.ResponseOutparam) -> None:
    """Send status and headers, then stream the body chunk by chunk."""
    headers = response.headers
    if isinstance(response.body, (list, tuple)) and not any(name.lower() == "content-length" for name, _ in headers):
        # A body known in full goes with its length: the host then sends it
        # as is, without chunked framing and its closing chunk.
        headers = [*headers, ("content-length", str(sum(len(chunk) for chunk in response.body)))]
    fields = http.Fields.from_list([(name, value.encode("latin-1")) for name, value in headers])
    outgoing = http.OutgoingResponse(fields)
    outgoing.set_status_code(response.status)
    body = outgoing.body()
    http.ResponseOutparam.set(out, Ok(outgoing))
    global _response_stream
    with body.write() as stream:
        _response_stream = stream
        try:
            for chunk in response.body:
                for start in range(0, len(chunk), _WRITE_CHUNK):
                    stream.blocking_write_and_flush(chunk[start:start + _WRITE_CHUNK])
        except Exception as exc:  # headers are sent: end the body rather than trap
            print(f"mcp: response body failed: {exc!r}", file=sys.stderr)
        finally:
            _response_stream = None
    try:
        http.OutgoingBody.finish(body, None)
    except Err as exc:  # a body cut short (the client went away): this response only
        print(f"mcp: response body not finished: {exc.value!r}", file=sys.stderr)


def _method(method: http.Method) -> str:
    if isinstance(method, http.Method_Other):
        return str(method.value).upper()
    return type(method).__name__.removeprefix("Method_").upper()
