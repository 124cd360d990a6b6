"""A small requests-like HTTP client for tools, inside a component and out.

    from mcp_component import http

    response = http.get("https://api.example.com/items", params={"q": "wasm"}, timeout=10)
    response.raise_for_status()
    items = response.json()

The same calls work in two places, through a backend chosen once, at import:

* **in a component** built for the ``http-provider`` world: through
  ``wasi:http/outgoing-handler`` (module ``mcp_component._wasi_http``). The
  runtime decides which hosts may be reached (Spin: ``allowed_outbound_hosts``);
  a refused host is a :class:`ConnectError`. A component built for the plain
  ``provider`` world cannot make requests: every call raises
  :class:`ConnectError` saying so.
* **on the host** (plain CPython: unit tests, in-memory use): through the
  standard library's ``http.client``.

Behaviour, the same in both backends:

* **Status codes never raise.** A 404 or 500 is a :class:`Response`; call
  :meth:`Response.raise_for_status` to turn 4xx/5xx into
  :class:`HTTPStatusError`.
* **Redirects are followed** like ``requests`` does, at most
  :data:`MAX_REDIRECTS` (10) hops, unless ``follow_redirects=False``: 301/302
  turn POST into GET, 303 turns anything but HEAD into GET (the body is
  dropped), 307/308 repeat the method and body. ``Authorization``,
  ``Proxy-Authorization`` and ``Cookie`` are dropped when a redirect leaves
  the origin (scheme, host, port). Only ``http`` and ``https`` targets are
  followed. :attr:`Response.history` holds the redirect responses.
* **Timeouts** (``timeout``, seconds, default 30) bound each wait: for the
  connection and the response headers, and for each read of the body. They
  do not bound the total time of a slowly trickling body.
* **Size limit**: a body over ``max_bytes`` (default 10 MiB) raises
  :class:`ResponseTooLarge`, checked against ``Content-Length`` before reading
  and while reading.
* Bodies are passed through as sent: ``Accept-Encoding: identity`` is sent
  unless you set that header, and nothing is decompressed.
* ``Host``, ``Content-Length``, ``Connection``, ``Transfer-Encoding`` and
  other hop-by-hop headers are managed by the client; setting one raises
  :class:`InvalidRequest`.

Errors — every failure is one of these (plus ``ValueError`` for misuse of
the arguments: both ``json`` and ``data``, a non-positive ``timeout``, a
negative ``max_bytes``); a tool that lets one escape fails with an error
result carrying its message::

    HTTPError                   base of every error below; .url when known
    ├── InvalidRequest          the request cannot be sent as given (bad
    │   │                       method or header, or the runtime refused it)
    │   └── InvalidURL          not an absolute http:// or https:// URL with
    │                           a host (also for redirects to such URLs)
    ├── TransportError          no complete response arrived
    │   ├── ConnectError        DNS failure, connection refused, TLS failure,
    │   │                       host denied by the runtime
    │   ├── Timeout             no connection, headers or body bytes within
    │   │                       ``timeout`` (also a builtin TimeoutError)
    │   └── ProtocolError       the connection broke or the server answered
    │                           something that is not HTTP
    ├── TooManyRedirects        more than MAX_REDIRECTS redirects
    ├── ResponseTooLarge        the body exceeds ``max_bytes``; .limit
    ├── HTTPStatusError         raise_for_status() on 4xx/5xx; .response
    └── InvalidJSON             Response.json() on a body that is not JSON
                                (also a ValueError)
"""

from __future__ import annotations

# Imports are all at the top: componentize-py bundles only the modules that
# are imported at build time, so nothing here may be imported lazily.
# Codecs load lazily by name, so those .text may need are imported here (an
# unbundled charset falls back to UTF-8); str.encode("idna") needs idna.
import encodings.ascii  # noqa: F401
import encodings.cp1252  # noqa: F401
import encodings.idna  # noqa: F401
import encodings.iso8859_15  # noqa: F401
import encodings.latin_1  # noqa: F401
import encodings.utf_8  # noqa: F401
import encodings.utf_8_sig  # noqa: F401
import encodings.utf_16  # noqa: F401
import importlib
import json as _json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from http import HTTPStatus
from typing import Any, Final, TypedDict, Unpack
from urllib.parse import quote, urlencode, urljoin, urlsplit

__all__ = [
    "BACKEND",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_TIMEOUT",
    "MAX_REDIRECTS",
    "ConnectError",
    "Options",
    "HTTPError",
    "HTTPStatusError",
    "Headers",
    "InvalidJSON",
    "InvalidRequest",
    "InvalidURL",
    "ProtocolError",
    "Response",
    "ResponseTooLarge",
    "Timeout",
    "TooManyRedirects",
    "TransportError",
    "delete",
    "get",
    "head",
    "patch",
    "post",
    "put",
    "request",
]

DEFAULT_TIMEOUT: Final = 30.0
DEFAULT_MAX_BYTES: Final = 10 * 1024 * 1024
MAX_REDIRECTS: Final = 10
USER_AGENT: Final = "mcp-component-http/0.1"

ParamValue = str | int | float | None
Params = Mapping[str, ParamValue | Sequence[str | int | float]] | Sequence[tuple[str, str | int | float]]
Data = bytes | str | Mapping[str, str]


class Options(TypedDict, total=False):
    """The keyword arguments of :func:`request`, for the shortcuts (``get`` ...)."""

    params: Params | None
    headers: Mapping[str, str] | None
    json: Any
    data: Data | None
    timeout: float
    max_bytes: int
    follow_redirects: bool


# -- errors --------------------------------------------------------------------

class HTTPError(Exception):
    """Base of every error this module raises."""

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.url = url


class InvalidRequest(HTTPError):
    """The request cannot be sent as given."""


class InvalidURL(InvalidRequest):
    """Not an absolute ``http://`` or ``https://`` URL with a host."""


class TransportError(HTTPError):
    """No complete response arrived."""


class ConnectError(TransportError):
    """No connection: DNS failure, refused, TLS failure, or denied by the runtime."""


class Timeout(TransportError, TimeoutError):
    """Nothing arrived within ``timeout`` seconds."""


class ProtocolError(TransportError):
    """The connection broke mid-exchange, or the answer was not valid HTTP."""


class TooManyRedirects(HTTPError):
    """More than :data:`MAX_REDIRECTS` redirects."""


class ResponseTooLarge(HTTPError):
    """The response body exceeds the limit (``limit`` bytes; None if the runtime's)."""

    def __init__(self, message: str, *, url: str | None = None, limit: int | None = None) -> None:
        super().__init__(message, url=url)
        self.limit = limit


class HTTPStatusError(HTTPError):
    """:meth:`Response.raise_for_status` on a 4xx or 5xx response."""

    def __init__(self, message: str, *, response: Response) -> None:
        super().__init__(message, url=response.url)
        self.response = response


class InvalidJSON(HTTPError, ValueError):
    """:meth:`Response.json` on a body that is not JSON."""


# -- the response ----------------------------------------------------------------

class Headers(Mapping[str, str]):
    """Response headers: case-insensitive, repeated fields joined with ``", "``.

    ``get_list(name)`` gives each value of a repeated field (``Set-Cookie``);
    ``raw`` the fields as received.
    """

    def __init__(self, fields: Iterable[tuple[str, str]] = ()) -> None:
        self.raw: tuple[tuple[str, str], ...] = tuple(fields)
        joined: dict[str, tuple[str, str]] = {}
        for name, value in self.raw:
            key = name.lower()
            if key in joined:
                first, previous = joined[key]
                joined[key] = (first, f"{previous}, {value}")
            else:
                joined[key] = (name, value)
        self._joined = joined

    def __getitem__(self, name: str) -> str:
        return self._joined[name.lower()][1]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._joined

    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in self._joined.values())

    def __len__(self) -> int:
        return len(self._joined)

    def get_list(self, name: str) -> list[str]:
        key = name.lower()
        return [value for field_name, value in self.raw if field_name.lower() == key]

    def __repr__(self) -> str:
        return f"Headers({list(self.raw)!r})"


@dataclass(frozen=True)
class Response:
    """One HTTP response, body read in full."""

    status_code: int
    headers: Headers
    content: bytes
    url: str
    reason: str = ""
    history: tuple[Response, ...] = field(default=(), repr=False)

    @property
    def ok(self) -> bool:
        """True for status codes below 400."""
        return self.status_code < 400

    @property
    def is_redirect(self) -> bool:
        return self.status_code in _REDIRECT_CODES and "location" in self.headers

    @property
    def encoding(self) -> str:
        """The ``charset`` of ``Content-Type``, else ``utf-8``."""
        return _charset(self.headers.get("content-type")) or "utf-8"

    @property
    def text(self) -> str:
        """The body decoded per its charset (default UTF-8); bad bytes become U+FFFD."""
        try:
            return self.content.decode(self.encoding, errors="replace")
        except LookupError:  # an unknown charset, or a codec not bundled in the component
            return self.content.decode("utf-8", errors="replace")

    def json(self) -> Any:
        """The body parsed as JSON; :class:`InvalidJSON` if it is not."""
        try:
            return _json.loads(self.content)
        except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError
            raise InvalidJSON(f"response from {self.url} is not JSON: {exc}", url=self.url) from exc

    def raise_for_status(self) -> Response:
        """Raise :class:`HTTPStatusError` for 4xx and 5xx; else return the response."""
        if 400 <= self.status_code < 600:
            kind = "client" if self.status_code < 500 else "server"
            reason = f" {self.reason}" if self.reason else ""
            raise HTTPStatusError(f"{kind} error {self.status_code}{reason} from {self.url}", response=self)
        return self

    def __repr__(self) -> str:
        return f"<Response [{self.status_code}] {self.url}>"


# -- what a backend sends and gets ------------------------------------------------

@dataclass(frozen=True)
class _Target:
    """A parsed, normalised http(s) URL."""

    scheme: str  # "http" or "https"
    host: str  # ASCII, lower case, IPv6 without brackets
    port: int | None  # None: the scheme's default
    target: str  # path and query, percent-encoded, never empty
    url: str

    @property
    def authority(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port is None else f"{host}:{self.port}"

    @property
    def origin(self) -> tuple[str, str, int]:
        return self.scheme, self.host, self.port or (443 if self.scheme == "https" else 80)


@dataclass(frozen=True)
class _Exchange:
    """One request as a backend sends it (no redirects at this level)."""

    method: str
    target: _Target
    headers: list[tuple[str, str]]  # including Content-Length when there is a body
    body: bytes | None
    timeout: float
    max_bytes: int


@dataclass(frozen=True)
class _Raw:
    status: int
    headers: list[tuple[str, str]]
    content: bytes


_REDIRECT_CODES: Final = frozenset({301, 302, 303, 307, 308})
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_BAD_VALUE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
# Set by the client itself, or forbidden by wasi:http.
_MANAGED_HEADERS: Final = frozenset({
    "host", "content-length", "connection", "keep-alive", "proxy-connection",
    "transfer-encoding", "te", "trailer", "upgrade", "http2-settings",
})
_CREDENTIAL_HEADERS: Final = ("authorization", "proxy-authorization", "cookie")
# Characters left alone when re-quoting a URL's path and query (RFC 3986
# reserved and unreserved, and '%' so that existing escapes survive).
_SAFE_PATH: Final = "/%:@!$&'()*+,;=-._~"
_SAFE_QUERY: Final = _SAFE_PATH + "?"


def _parse_url(url: str, params: Params | None = None) -> _Target:
    if not isinstance(url, str):
        raise InvalidURL(f"URL must be a string, not {type(url).__name__}")
    stripped = url.strip()
    if not stripped or re.search(r"[\x00-\x20\x7f]", stripped):
        raise InvalidURL(f"invalid URL {url!r}: empty or contains spaces or control characters", url=url)
    try:
        parts = urlsplit(stripped)
        port = parts.port
    except ValueError as exc:
        raise InvalidURL(f"invalid URL {url!r}: {exc}", url=url) from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        shown = f"'{scheme}'" if scheme else "none"
        raise InvalidURL(f"invalid URL {url!r}: the scheme must be http or https (got {shown})", url=url)
    if parts.username is not None or parts.password is not None:
        raise InvalidURL(f"invalid URL {url!r}: credentials in URLs are not supported; "
                         "send an Authorization header instead", url=url)
    host = parts.hostname or ""
    if not host:
        raise InvalidURL(f"invalid URL {url!r}: no host", url=url)
    try:
        host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError as exc:
        raise InvalidURL(f"invalid URL {url!r}: bad host name: {exc}", url=url) from exc
    if not re.fullmatch(r"[a-z0-9._~!$&'()*+,;=:%-]+", host):
        raise InvalidURL(f"invalid URL {url!r}: bad host name {host!r}", url=url)
    if port == 0:
        raise InvalidURL(f"invalid URL {url!r}: port 0", url=url)
    path = quote(parts.path or "/", safe=_SAFE_PATH)
    query = quote(parts.query, safe=_SAFE_QUERY)
    extra = _encode_params(params) if params else ""
    if extra:
        query = f"{query}&{extra}" if query else extra
    target = f"{path}?{query}" if query else path
    authority = f"[{host}]" if ":" in host else host
    if port is not None:
        authority = f"{authority}:{port}"
    return _Target(scheme, host, port, target, f"{scheme}://{authority}{target}")


def _encode_params(params: Params) -> str:
    pairs: list[tuple[str, str]] = []
    items = params.items() if isinstance(params, Mapping) else params
    for key, value in items:
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            pairs.extend((str(key), _param(v)) for v in value)
        else:
            pairs.append((str(key), _param(value)))
    return urlencode(pairs)


def _param(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _prepare_headers(headers: Mapping[str, str] | None) -> list[tuple[str, str]]:
    chosen: dict[str, tuple[str, str]] = {
        "user-agent": ("User-Agent", USER_AGENT),
        "accept": ("Accept", "*/*"),
        "accept-encoding": ("Accept-Encoding", "identity"),
    }
    for name, value in (headers or {}).items():
        if not isinstance(name, str) or not _TOKEN.fullmatch(name):
            raise InvalidRequest(f"invalid header name {name!r}")
        if not isinstance(value, str):
            raise InvalidRequest(f"header {name} must be a string, not {type(value).__name__}")
        if _BAD_VALUE.search(value) or not value.isascii() and not _latin1(value):
            raise InvalidRequest(f"invalid value for header {name}: control characters or "
                                 "characters outside Latin-1")
        if name.lower() in _MANAGED_HEADERS:
            raise InvalidRequest(f"header {name} is set by the HTTP client and cannot be given")
        chosen[name.lower()] = (name, value)
    return list(chosen.values())


def _latin1(value: str) -> bool:
    try:
        value.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def _encode_body(json: Any, data: Data | None) -> tuple[bytes | None, str | None]:
    """The body and the Content-Type it implies."""
    if json is not None and data is not None:
        raise ValueError("pass json= or data=, not both")
    if json is not None:
        try:
            text = _json.dumps(json, ensure_ascii=False, separators=(",", ":"))
        except (TypeError, ValueError) as exc:
            raise InvalidRequest(f"json= is not JSON-serialisable: {exc}") from exc
        return text.encode("utf-8"), "application/json"
    if data is None:
        return None, None
    if isinstance(data, bytes | bytearray | memoryview):
        return bytes(data), None
    if isinstance(data, str):
        return data.encode("utf-8"), None
    if isinstance(data, Mapping):
        return urlencode([(str(k), str(v)) for k, v in data.items()]).encode("ascii"), \
            "application/x-www-form-urlencoded"
    raise InvalidRequest(f"data= must be bytes, str or a mapping, not {type(data).__name__}")


def _charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            value = value.strip().strip("\"'").strip()
            return value or None
    return None


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


# -- the public API --------------------------------------------------------------

def request(
    method: str,
    url: str,
    *,
    params: Params | None = None,
    headers: Mapping[str, str] | None = None,
    json: Any = None,
    data: Data | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    follow_redirects: bool = True,
) -> Response:
    """Send one HTTP request and read the whole response.

    Args:
        method: GET, POST, ... (any HTTP token; case-insensitive).
        url: An absolute ``http://`` or ``https://`` URL.
        params: Query parameters appended to the URL's own; None values are
            skipped, lists repeat the key, booleans become true/false.
        headers: Request headers (``Host``, ``Content-Length`` and hop-by-hop
            headers are the client's own and cannot be given).
        json: A value to send as a JSON body (``Content-Type:
            application/json`` unless given).
        data: A body: bytes, text (sent as UTF-8) or a mapping (sent
            form-encoded).
        timeout: Seconds to wait for the connection and the response headers,
            and for each read of the body.
        max_bytes: The largest response body accepted.
        follow_redirects: Follow up to MAX_REDIRECTS redirects.

    Returns the final response, whatever its status code. Raises only
    :class:`HTTPError` subclasses (and ``ValueError`` for bad arguments).
    """
    if not isinstance(method, str) or not _TOKEN.fullmatch(method):
        raise InvalidRequest(f"invalid HTTP method {method!r}")
    method = method.upper()
    if not timeout > 0:
        raise ValueError(f"timeout must be positive, got {timeout!r}")
    if max_bytes < 0:
        raise ValueError(f"max_bytes must not be negative, got {max_bytes!r}")
    target = _parse_url(url, params)
    fields = _prepare_headers(headers)
    body, content_type = _encode_body(json, data)
    if content_type and not any(name.lower() == "content-type" for name, _ in fields):
        fields.append(("Content-Type", content_type))
    if body is None and method in ("POST", "PUT", "PATCH"):
        body = b""
    history: list[Response] = []
    while True:
        response = _send_once(method, target, fields, body, timeout, max_bytes)
        if not follow_redirects or not response.is_redirect:
            return replace(response, history=tuple(history)) if history else response
        if len(history) >= MAX_REDIRECTS:
            raise TooManyRedirects(f"more than {MAX_REDIRECTS} redirects, the last to "
                                   f"{response.headers['location']!r}", url=response.url)
        history.append(response)
        location = urljoin(response.url, response.headers["location"])
        try:
            next_target = _parse_url(location)
        except InvalidURL as exc:
            raise InvalidURL(f"{response.url} redirected to an invalid URL: {exc.message}",
                             url=location) from exc
        status = response.status_code
        if (status == 303 and method != "HEAD") or (status in (301, 302) and method == "POST"):
            method, body = "GET", None
            fields = [(n, v) for n, v in fields if n.lower() not in ("content-type", "content-encoding")]
        if next_target.origin != target.origin:
            fields = [(n, v) for n, v in fields if n.lower() not in _CREDENTIAL_HEADERS]
        target = next_target


def get(url: str, **options: Unpack[Options]) -> Response:
    """``request("GET", url, ...)``."""
    return request("GET", url, **options)


def head(url: str, **options: Unpack[Options]) -> Response:
    """``request("HEAD", url, ...)``."""
    return request("HEAD", url, **options)


def post(url: str, **options: Unpack[Options]) -> Response:
    """``request("POST", url, ...)``."""
    return request("POST", url, **options)


def put(url: str, **options: Unpack[Options]) -> Response:
    """``request("PUT", url, ...)``."""
    return request("PUT", url, **options)


def patch(url: str, **options: Unpack[Options]) -> Response:
    """``request("PATCH", url, ...)``."""
    return request("PATCH", url, **options)


def delete(url: str, **options: Unpack[Options]) -> Response:
    """``request("DELETE", url, ...)``."""
    return request("DELETE", url, **options)


def _send_once(method: str, target: _Target, fields: list[tuple[str, str]], body: bytes | None,
               timeout: float, max_bytes: int) -> Response:
    headers = list(fields)
    if body is not None:
        headers.append(("Content-Length", str(len(body))))
    raw = _send(_Exchange(method, target, headers, body, timeout, max_bytes))
    return Response(raw.status, Headers(raw.headers), raw.content, target.url, _reason(raw.status))


def _check_declared_length(headers: Iterable[tuple[str, str]], exchange: _Exchange) -> None:
    """Refuse before reading when ``Content-Length`` exceeds the limit."""
    for name, value in headers:
        if name.lower() == "content-length" and value.strip().isdigit():
            if int(value) > exchange.max_bytes:
                raise _too_large(exchange, f"declares {int(value)} bytes")


def _too_large(exchange: _Exchange, detail: str) -> ResponseTooLarge:
    return ResponseTooLarge(
        f"response from {exchange.target.url} is larger than max_bytes={exchange.max_bytes} ({detail})",
        url=exchange.target.url, limit=exchange.max_bytes,
    )


# -- backend: the standard library (plain CPython) ----------------------------------

def _module_available(name: str) -> bool:
    try:
        importlib.import_module(name)
    except ImportError:
        return False
    return True


_READ_CHUNK: Final = 64 * 1024


def _choose_backend() -> str:
    # In a component, wit_world (componentize-py's bindings) is importable.
    if _module_available("wit_world.imports.outgoing_handler"):
        return "wasi"
    if _module_available("wit_world"):
        return "unavailable"  # a component built for the plain `provider` world
    return "stdlib"


BACKEND: Final = _choose_backend()
"""Which backend sends requests: "wasi", "stdlib" or "unavailable"."""

if BACKEND == "stdlib":
    import http.client as _client
    import socket
    import ssl

_ssl_context: Any = None


def _stdlib_send(exchange: _Exchange) -> _Raw:
    global _ssl_context
    target, url = exchange.target, exchange.target.url
    connection: _client.HTTPConnection
    if target.scheme == "https":
        if _ssl_context is None:
            _ssl_context = ssl.create_default_context()
        connection = _client.HTTPSConnection(target.host, target.port, timeout=exchange.timeout,
                                             context=_ssl_context)
    else:
        connection = _client.HTTPConnection(target.host, target.port, timeout=exchange.timeout)
    try:
        try:
            connection.connect()
        except TimeoutError as exc:
            raise Timeout(f"connecting to {target.authority} timed out after {exchange.timeout:g}s", url=url) from exc
        except socket.gaierror as exc:
            raise ConnectError(f"cannot resolve host {target.host}: {exc.strerror or exc}", url=url) from exc
        except ConnectionRefusedError as exc:
            raise ConnectError(f"connection to {target.authority} refused", url=url) from exc
        except ssl.SSLError as exc:
            raise ConnectError(f"TLS with {target.authority} failed: {exc}", url=url) from exc
        except (OSError, _client.HTTPException) as exc:
            raise ConnectError(f"cannot connect to {target.authority}: {exc}", url=url) from exc
        try:
            connection.putrequest(exchange.method, target.target, skip_accept_encoding=True)
            for name, value in exchange.headers:
                connection.putheader(name, value.encode("latin-1"))
            connection.endheaders(exchange.body)
            response = connection.getresponse()
            headers = [(name, value) for name, value in response.getheaders()]
            _check_declared_length(headers, exchange)
            content = bytearray()
            while chunk := response.read(_READ_CHUNK):
                content += chunk
                if len(content) > exchange.max_bytes:
                    raise _too_large(exchange, f"read {len(content)} bytes so far")
            if response.length:  # read(amt) ends quietly where read() would raise
                raise _client.IncompleteRead(bytes(content), response.length)
        except TimeoutError as exc:
            raise Timeout(f"no response from {target.authority} within {exchange.timeout:g}s", url=url) from exc
        except (OSError, _client.HTTPException) as exc:
            raise ProtocolError(f"exchange with {target.authority} failed: {type(exc).__name__}: {exc}",
                                url=url) from exc
        except ValueError as exc:  # http.client's own checks on what we send
            raise InvalidRequest(f"cannot send this request: {exc}", url=url) from exc
        return _Raw(response.status, headers, bytes(content))
    finally:
        connection.close()


def _unavailable_send(exchange: _Exchange) -> _Raw:
    raise ConnectError(
        "outgoing HTTP is not available in this component: build the provider for the "
        "`http-provider` WIT world, which imports wasi:http/outgoing-handler",
        url=exchange.target.url,
    )


# Chosen once, at import (build time inside a component). _wasi_http is
# imported by name so that mypy, which cannot see the bindings, skips it; it
# imports the error classes above, so this must stay at the end of the module.
_send: Callable[[_Exchange], _Raw]
if BACKEND == "wasi":
    _send = importlib.import_module("mcp_component._wasi_http").send
elif BACKEND == "unavailable":
    _send = _unavailable_send
else:
    _send = _stdlib_send
