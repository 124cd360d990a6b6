"""The ``wasi:http/outgoing-handler`` backend of :mod:`mcp_component.http`.

Imported only inside a component built for the ``http-provider`` world
(or the ``transport`` world, which fetches a JWKS through it), where componentize-py's generated bindings (``wit_world``) exist; mypy
skips it for the same reason it skips ``guest.py``.

Every wait (for the response head, for each body chunk) polls the
operation's pollable together with a monotonic-clock timer, so ``timeout``
holds even on a runtime that ignores ``request-options``. Every resource is
dropped explicitly, children before parents: dropping a parent first traps.
"""

from __future__ import annotations

from collections.abc import Callable

from componentize_py_types import Err, Ok
from wit_world.imports import monotonic_clock, outgoing_handler, poll, streams

try:
    from wit_world.imports import types as wasi
except ImportError:  # the transport world names the wasi:http types module so
    from wit_world.imports import wasi_http_types as wasi  # type: ignore[no-redef, attr-defined]

from .http import (
    ConnectError,
    HTTPError,
    InvalidRequest,
    InvalidURL,
    ProtocolError,
    ResponseTooLarge,
    Timeout,
    TransportError,
    _check_declared_length,
    _Exchange,
    _Raw,
    _too_large,
)

__all__ = ["send"]

_WRITE_CHUNK = 4096  # the most one blocking-write-and-flush accepts
_READ_CHUNK = 64 * 1024

_METHODS: dict[str, Callable[[], wasi.Method]] = {
    "GET": wasi.Method_Get, "HEAD": wasi.Method_Head, "POST": wasi.Method_Post,
    "PUT": wasi.Method_Put, "DELETE": wasi.Method_Delete, "CONNECT": wasi.Method_Connect,
    "OPTIONS": wasi.Method_Options, "TRACE": wasi.Method_Trace, "PATCH": wasi.Method_Patch,
}


def send(exchange: _Exchange) -> _Raw:
    request = _outgoing_request(exchange)
    body = request.body() if exchange.body is not None else None
    try:
        future = outgoing_handler.handle(request, _options(exchange.timeout))
    except Err as exc:
        if body is not None:
            body.__exit__(None, None, None)
        raise _error(exc.value, exchange, "sending the request") from exc
    with future:
        write_failure = None
        if body is not None and exchange.body is not None:
            write_failure = _write_body(body, exchange.body)
        incoming = _await_response(future, exchange, write_failure)
    with incoming:
        status = incoming.status()
        with incoming.headers() as fields:
            headers = [(name, value.decode("latin-1")) for name, value in fields.entries()]
        _check_declared_length(headers, exchange)
        content = _read_body(incoming, exchange)
    return _Raw(status, headers, content)


def _outgoing_request(exchange: _Exchange) -> wasi.OutgoingRequest:
    target = exchange.target
    try:
        fields = wasi.Fields.from_list([(name, value.encode("latin-1")) for name, value in exchange.headers])
    except Err as exc:
        raise InvalidRequest(f"the runtime refused a request header ({type(exc.value).__name__.split('_')[-1]})",
                             url=target.url) from exc
    request = wasi.OutgoingRequest(fields)
    method = _METHODS.get(exchange.method)
    what, value = "method", exchange.method
    try:
        request.set_method(method() if method else wasi.Method_Other(exchange.method))
        what, value = "scheme", target.scheme
        request.set_scheme(wasi.Scheme_Https() if target.scheme == "https" else wasi.Scheme_Http())
        what, value = "authority", target.authority
        request.set_authority(target.authority)
        what, value = "path", target.target
        request.set_path_with_query(target.target)
    except Err as exc:
        request.__exit__(None, None, None)
        error = InvalidRequest if what == "method" else InvalidURL
        raise error(f"the runtime refused the request's {what}: {value!r}", url=target.url) from exc
    return request


def _options(timeout: float) -> wasi.RequestOptions | None:
    """Timeouts for the runtime; None where it cannot take them (the polls still enforce them)."""
    nanoseconds = int(timeout * 1_000_000_000)
    try:
        options = wasi.RequestOptions()
    except Exception:
        return None
    for setter in (options.set_connect_timeout, options.set_first_byte_timeout, options.set_between_bytes_timeout):
        try:
            setter(nanoseconds)
        except Err:
            pass  # this runtime does not support that timeout
    return options


def _write_body(body: wasi.OutgoingBody, data: bytes) -> Exception | None:
    """Write and finish the body; a failure is returned, so the response's own error can win."""
    failure: Exception | None = None
    try:
        with body.write() as stream:
            for start in range(0, len(data), _WRITE_CHUNK):
                stream.blocking_write_and_flush(data[start:start + _WRITE_CHUNK])
    except Err as exc:
        failure = exc
    try:
        wasi.OutgoingBody.finish(body, None)
    except Err as exc:
        failure = failure or exc
    return failure


def _wait(pollable: poll.Pollable, timeout: float) -> bool:
    """Block until ``pollable`` is ready (True) or ``timeout`` seconds pass (False)."""
    with monotonic_clock.subscribe_duration(int(timeout * 1_000_000_000)) as timer:
        return 0 in poll.poll([pollable, timer])


def _await_response(future: wasi.FutureIncomingResponse, exchange: _Exchange,
                    write_failure: Exception | None) -> wasi.IncomingResponse:
    url = exchange.target.url
    with future.subscribe() as ready:
        arrived = _wait(ready, exchange.timeout)
    if not arrived:
        raise Timeout(f"no response from {exchange.target.authority} within {exchange.timeout:g}s", url=url)
    outcome = future.get()
    if isinstance(outcome, Ok) and isinstance(outcome.value, Ok):
        if write_failure is not None:
            outcome.value.value.__exit__(None, None, None)
            raise ProtocolError(f"sending the body to {exchange.target.authority} failed: "
                                f"{_describe(write_failure)}", url=url) from write_failure
        return outcome.value.value
    if isinstance(outcome, Ok) and isinstance(outcome.value, Err):
        raise _error(outcome.value.value, exchange, "waiting for the response")
    raise ProtocolError(f"the runtime gave no response for {url}", url=url)


def _read_body(incoming: wasi.IncomingResponse, exchange: _Exchange) -> bytes:
    content = bytearray()
    body = incoming.consume()
    try:
        with body.stream() as stream, stream.subscribe() as readable:
            last_progress = monotonic_clock.now()
            while True:
                try:
                    chunk = stream.read(_READ_CHUNK)
                except Err as exc:
                    if isinstance(exc.value, streams.StreamError_Closed):
                        break
                    raise _stream_error(exc.value, exchange, monotonic_clock.now() - last_progress) from exc
                if chunk:
                    last_progress = monotonic_clock.now()
                    content += chunk
                    if len(content) > exchange.max_bytes:
                        raise _too_large(exchange, f"read {len(content)} bytes so far")
                elif not _wait(readable, exchange.timeout):
                    raise Timeout(f"{exchange.target.authority} sent no body bytes for {exchange.timeout:g}s",
                                  url=exchange.target.url)
    except BaseException:
        body.__exit__(None, None, None)
        raise
    with wasi.IncomingBody.finish(body):  # the trailers, unused
        pass
    return bytes(content)


def _stream_error(error: streams.StreamError, exchange: _Exchange, idle_ns: int) -> HTTPError:
    # Only the wasi:io error's text is used: jco 1.x (Node) crashes the whole
    # process in wasi:http/types.http-error-code when the error is not an
    # HTTP one (e.g. its between-bytes timeout), so that function is never called.
    detail = "stream error"
    if isinstance(error, streams.StreamError_LastOperationFailed):
        with error.value as io_error:
            detail = io_error.to_debug_string()
    where, url = exchange.target.authority, exchange.target.url
    lowered = detail.lower()
    # wasmtime reports its between-bytes timeout as "connection read timeout";
    # jco as "aborted", as it does a server that hangs up: so the idle time decides.
    if "timeout" in lowered or "timed out" in lowered or idle_ns >= 0.9 * exchange.timeout * 1e9:
        return Timeout(f"{where} sent no body bytes for {exchange.timeout:g}s ({detail})", url=url)
    return ProtocolError(f"reading the body from {where} failed: {detail}", url=url)


def _describe(exc: Exception) -> str:
    if isinstance(exc, Err):
        value = exc.value
        if isinstance(value, streams.StreamError_LastOperationFailed):
            with value.value as io_error:
                return io_error.to_debug_string()
        return type(value).__name__.split("_", 1)[-1]
    return str(exc)


def _error(code: wasi.ErrorCode, exchange: _Exchange, during: str) -> HTTPError:
    """A wasi:http error-code as this client's exception."""
    target, url = exchange.target, exchange.target.url
    where = target.authority
    name = type(code).__name__.removeprefix("ErrorCode_")
    if isinstance(code, (wasi.ErrorCode_DnsTimeout,)):
        return Timeout(f"DNS lookup of {target.host} timed out", url=url)
    if isinstance(code, wasi.ErrorCode_DnsError):
        rcode = code.value.rcode
        return ConnectError(f"cannot resolve host {target.host}" + (f" ({rcode})" if rcode else ""), url=url)
    if isinstance(code, (wasi.ErrorCode_DestinationNotFound,)):
        return ConnectError(f"cannot resolve host {target.host}", url=url)
    if isinstance(code, wasi.ErrorCode_ConnectionRefused):
        return ConnectError(f"connection to {where} refused", url=url)
    if isinstance(code, (wasi.ErrorCode_DestinationUnavailable, wasi.ErrorCode_DestinationIpUnroutable,
                         wasi.ErrorCode_ConnectionLimitReached)):
        return ConnectError(f"cannot connect to {where} ({name})", url=url)
    if isinstance(code, wasi.ErrorCode_DestinationIpProhibited):
        return ConnectError(f"the runtime does not allow connecting to {where} (IP prohibited)", url=url)
    if isinstance(code, wasi.ErrorCode_HttpRequestDenied):
        return ConnectError(
            f"the runtime denied the request to {where}; allow the host in the runtime's outbound "
            "policy (Spin: allowed_outbound_hosts in spin.toml)", url=url)
    if isinstance(code, (wasi.ErrorCode_TlsProtocolError, wasi.ErrorCode_TlsCertificateError,
                         wasi.ErrorCode_TlsAlertReceived)):
        return ConnectError(f"TLS with {where} failed ({name})", url=url)
    if isinstance(code, wasi.ErrorCode_ConnectionTimeout):  # jco also reports a late first byte so
        return Timeout(f"no connection or response from {where} within {exchange.timeout:g}s "
                       "(connection timeout)", url=url)
    if isinstance(code, (wasi.ErrorCode_ConnectionReadTimeout, wasi.ErrorCode_HttpResponseTimeout,
                         wasi.ErrorCode_ConnectionWriteTimeout)):
        return Timeout(f"no response from {where} within {exchange.timeout:g}s ({name})", url=url)
    if isinstance(code, (wasi.ErrorCode_HttpRequestUriInvalid, wasi.ErrorCode_HttpRequestUriTooLong)):
        return InvalidURL(f"the runtime refused the URL {url} ({name})", url=url)
    if isinstance(code, (wasi.ErrorCode_HttpRequestMethodInvalid, wasi.ErrorCode_HttpRequestLengthRequired,
                         wasi.ErrorCode_HttpRequestBodySize, wasi.ErrorCode_HttpRequestHeaderSectionSize,
                         wasi.ErrorCode_HttpRequestHeaderSize, wasi.ErrorCode_HttpRequestTrailerSectionSize,
                         wasi.ErrorCode_HttpRequestTrailerSize)):
        return InvalidRequest(f"the runtime refused the request to {where} ({name})", url=url)
    if isinstance(code, wasi.ErrorCode_HttpResponseBodySize):
        return ResponseTooLarge(f"response from {url} is larger than the runtime allows", url=url)
    if isinstance(code, wasi.ErrorCode_ConnectionTerminated):
        return ProtocolError(f"{where} closed the connection while {during}", url=url)
    if isinstance(code, (wasi.ErrorCode_ConfigurationError, wasi.ErrorCode_InternalError)):
        detail = code.value if isinstance(code, wasi.ErrorCode_InternalError) and code.value else name
        return TransportError(f"the runtime failed while {during} to {where}: {detail}", url=url)
    return ProtocolError(f"HTTP exchange with {where} failed while {during} ({name})", url=url)
