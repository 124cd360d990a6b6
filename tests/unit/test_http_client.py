"""mcp_component.http on the host (the standard-library backend), against a
real HTTP server on 127.0.0.1 started by the test. Nothing else is contacted.

``local_server`` is also used by the component and end-to-end fetch tests.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from mcp_component import http

PAGE = (
    "<html><head><title>Local page</title><style>body { color: red }</style>"
    "<script>var hidden = 1;</script></head>"
    "<body><h1>Hello &amp; welcome</h1><p>The local test page.</p></body></html>"
)


class Handler(BaseHTTPRequestHandler):
    """Routes, by path:

    /echo                 the request as JSON (method, path, query, headers, body)
    /status/<code>        that status, with a short text body
    /page                 an HTML page
    /latin1               text/plain; charset=iso-8859-1
    /json, /notjson       a JSON body, and a body that is not JSON
    /redirect/<code>?to=  a redirect to `to`
    /chain/<n>            n redirects, then /echo
    /loop                 redirects to itself
    /sleep/<seconds>      answers after a delay
    /slow-body            sends half the body, pauses, then the rest
    /big/<n>              n bytes with Content-Length
    /stream/<n>           n bytes, no Content-Length (close-delimited)
    /truncated            hangs up before the declared Content-Length
    /binary               an image/png body
    """

    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        self.route()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_GET

    def send(self, status: int, body: bytes, content_type: str = "text/plain; charset=utf-8",
             headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def route(self) -> None:
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        segments = path.strip("/").split("/")
        if path == "/echo":
            self.send(200, json.dumps({
                "method": self.command, "path": path, "query": query,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "body": body.decode("latin-1"),
            }).encode(), "application/json")
        elif segments[0] == "status":
            code = int(segments[1])
            if code in (204, 304):  # no body allowed
                self.send_response(code)
                self.end_headers()
            else:
                self.send(code, f"status {code}".encode())
        elif path == "/page":
            self.send(200, PAGE.encode(), "text/html; charset=utf-8")
        elif path == "/latin1":
            self.send(200, "café crème".encode("latin-1"), "text/plain; charset=ISO-8859-1")
        elif path == "/json":
            self.send(200, json.dumps({"name": "wasm", "items": [1, 2, 3]}).encode(), "application/json")
        elif path == "/notjson":
            self.send(200, b"{not json", "application/json")
        elif segments[0] == "redirect":
            self.send(int(segments[1]), b"", headers={"Location": query["to"][0]})
        elif segments[0] == "chain":
            n = int(segments[1])
            self.send(302, b"", headers={"Location": f"/chain/{n - 1}" if n > 1 else "/echo"})
        elif path == "/loop":
            self.send(302, b"", headers={"Location": "/loop"})
        elif segments[0] == "sleep":
            time.sleep(float(segments[1]))
            self.send(200, b"woke up")
        elif path == "/slow-body":
            self.send_response(200)
            self.send_header("Content-Length", "10")
            self.end_headers()
            self.wfile.write(b"12345")
            self.wfile.flush()
            time.sleep(float(query.get("pause", ["2"])[0]))
            self.wfile.write(b"67890")
        elif segments[0] == "big":
            self.send(200, b"x" * int(segments[1]), "application/octet-stream")
        elif segments[0] == "stream":
            self.send_response(200)
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            remaining = int(segments[1])
            while remaining > 0:
                chunk = min(remaining, 65536)
                self.wfile.write(b"y" * chunk)
                remaining -= chunk
        elif path == "/truncated":
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            self.wfile.write(b"only part of it")
            self.close_connection = True  # hang up 85 bytes short
        elif path == "/binary":
            self.send(200, b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png")
        else:
            self.send(404, b"no such route")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that hung up early (timeouts, size limits) is expected


@contextmanager
def local_server() -> Iterator[str]:
    """Serve :class:`Handler` on 127.0.0.1; yield its base URL (no trailing slash)."""
    server = _Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with local_server() as url:
        yield url


def test_the_host_uses_the_standard_library_backend() -> None:
    assert http.BACKEND == "stdlib"


# -- requests ------------------------------------------------------------------

def test_get_with_params_and_headers(base: str) -> None:
    response = http.get(f"{base}/echo?fixed=1", params={"q": "wasm components", "n": 3, "skip": None,
                                                        "tag": ["a", "b"]},
                        headers={"X-Token": "secret", "Accept": "application/json"})
    assert response.status_code == 200 and response.ok
    echo = response.json()
    assert echo["method"] == "GET"
    assert echo["query"] == {"fixed": ["1"], "q": ["wasm components"], "n": ["3"], "tag": ["a", "b"]}
    assert echo["headers"]["x-token"] == "secret"
    assert echo["headers"]["accept"] == "application/json"
    assert echo["headers"]["accept-encoding"] == "identity"
    assert echo["headers"]["user-agent"].startswith("mcp-component-http/")
    assert response.url.startswith(f"{base}/echo?fixed=1&q=wasm+components")


def test_non_ascii_urls_are_encoded(base: str) -> None:
    echo = http.get(f"{base}/echo?city=Zürich&x=%41").json()
    assert echo["query"] == {"city": ["Zürich"], "x": ["A"]}
    target = http._parse_url("http://Bücher.Example:8080/ä/?q=ü#frag")
    assert (target.host, target.port, target.target) == ("xn--bcher-kva.example", 8080, "/%C3%A4/?q=%C3%BC")
    assert http._parse_url("http://[::1]:9/").authority == "[::1]:9"


def test_post_json(base: str) -> None:
    response = http.post(f"{base}/echo", json={"city": "Zürich", "n": [1, 2]})
    echo = response.json()
    assert echo["method"] == "POST"
    assert echo["headers"]["content-type"] == "application/json"
    assert json.loads(echo["body"].encode("latin-1").decode("utf-8")) == {"city": "Zürich", "n": [1, 2]}


def test_post_bytes_text_and_form(base: str) -> None:
    raw = http.post(f"{base}/echo", data=b"\x00\x01raw", headers={"Content-Type": "application/octet-stream"})
    assert raw.json()["body"] == "\x00\x01raw"
    assert raw.json()["headers"]["content-length"] == "5"
    form = http.post(f"{base}/echo", data={"a": "1", "b": "x y"}).json()
    assert form["body"] == "a=1&b=x+y"
    assert form["headers"]["content-type"] == "application/x-www-form-urlencoded"
    assert http.put(f"{base}/echo", data="text").json()["body"] == "text"


def test_every_method(base: str) -> None:
    for call, name in [(http.put, "PUT"), (http.patch, "PATCH"), (http.delete, "DELETE")]:
        assert call(f"{base}/echo").json()["method"] == name
    assert http.request("post", f"{base}/echo").json()["headers"]["content-length"] == "0"
    head = http.head(f"{base}/page")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == "text/html; charset=utf-8"


# -- responses -----------------------------------------------------------------

@pytest.mark.parametrize("code", [400, 404, 418, 500, 503])
def test_error_statuses_are_responses_until_raise_for_status(base: str, code: int) -> None:
    response = http.get(f"{base}/status/{code}")
    assert response.status_code == code and not response.ok
    assert response.text == f"status {code}"
    with pytest.raises(http.HTTPStatusError) as caught:
        response.raise_for_status()
    assert caught.value.response is response
    assert str(code) in str(caught.value) and base in str(caught.value)


def test_raise_for_status_returns_the_response_when_ok(base: str) -> None:
    response = http.get(f"{base}/status/204")
    assert response.raise_for_status() is response
    assert response.content == b"" and response.reason == "No Content"


def test_text_decodes_per_charset(base: str) -> None:
    latin = http.get(f"{base}/latin1")
    assert latin.encoding == "ISO-8859-1"
    assert latin.text == "café crème"
    page = http.get(f"{base}/page")
    assert "Hello &amp; welcome" in page.text


def test_unknown_charset_falls_back_to_utf8() -> None:
    response = http.Response(200, http.Headers([("Content-Type", "text/plain; charset=no-such")]),
                             "é".encode(), "http://127.0.0.1/")
    assert response.text == "é"


def test_json_and_invalid_json(base: str) -> None:
    assert http.get(f"{base}/json").json() == {"name": "wasm", "items": [1, 2, 3]}
    with pytest.raises(http.InvalidJSON) as caught:
        http.get(f"{base}/notjson").json()
    assert isinstance(caught.value, ValueError)


def test_headers_are_case_insensitive() -> None:
    headers = http.Headers([("Content-Type", "text/plain"), ("Set-Cookie", "a=1"), ("set-cookie", "b=2")])
    assert headers["content-type"] == headers["CONTENT-TYPE"] == "text/plain"
    assert "Content-type" in headers and "x" not in headers
    assert headers["set-cookie"] == "a=1, b=2"
    assert headers.get_list("SET-COOKIE") == ["a=1", "b=2"]
    assert list(headers) == ["Content-Type", "Set-Cookie"] and len(headers) == 2


# -- redirects: followed like requests, at most MAX_REDIRECTS --------------------

def test_redirects_are_followed(base: str) -> None:
    response = http.get(f"{base}/chain/3")
    assert response.status_code == 200
    assert response.url == f"{base}/echo"
    assert [r.status_code for r in response.history] == [302, 302, 302]


def test_redirects_can_be_left_alone(base: str) -> None:
    response = http.get(f"{base}/chain/1", follow_redirects=False)
    assert response.status_code == 302 and response.is_redirect
    assert response.headers["location"] == "/echo"


@pytest.mark.parametrize(("code", "method"), [(301, "GET"), (302, "GET"), (303, "GET"), (307, "POST"), (308, "POST")])
def test_post_after_redirect(base: str, code: int, method: str) -> None:
    echo = http.post(f"{base}/redirect/{code}?to=/echo", json={"k": 1}).json()
    assert echo["method"] == method
    assert echo["body"] == ('{"k":1}' if method == "POST" else "")
    assert ("content-type" in echo["headers"]) == (method == "POST")


def test_credentials_are_dropped_when_the_redirect_leaves_the_origin(base: str) -> None:
    with local_server() as other:
        same = http.get(f"{base}/redirect/302?to=/echo", headers={"Authorization": "Bearer t"}).json()
        away = http.get(f"{base}/redirect/302?to={other}/echo", headers={"Authorization": "Bearer t"}).json()
    assert same["headers"]["authorization"] == "Bearer t"
    assert "authorization" not in away["headers"]


def test_too_many_redirects(base: str) -> None:
    assert http.get(f"{base}/chain/{http.MAX_REDIRECTS}").status_code == 200
    with pytest.raises(http.TooManyRedirects):
        http.get(f"{base}/chain/{http.MAX_REDIRECTS + 1}")
    with pytest.raises(http.TooManyRedirects):
        http.get(f"{base}/loop")


def test_redirect_to_another_scheme_is_invalid_url(base: str) -> None:
    with pytest.raises(http.InvalidURL, match="redirected"):
        http.get(f"{base}/redirect/302?to=file:///etc/passwd")


# -- failures ------------------------------------------------------------------

def test_timeout_waiting_for_the_response(base: str) -> None:
    started = time.monotonic()
    with pytest.raises(http.Timeout) as caught:
        http.get(f"{base}/sleep/2", timeout=0.3)
    assert time.monotonic() - started < 1.5
    assert isinstance(caught.value, TimeoutError) and isinstance(caught.value, http.TransportError)
    assert "0.3s" in str(caught.value)


def test_timeout_between_body_bytes(base: str) -> None:
    with pytest.raises(http.Timeout):
        http.get(f"{base}/slow-body?pause=2", timeout=0.3)
    assert http.get(f"{base}/slow-body?pause=0.1", timeout=2).content == b"1234567890"


def test_server_hanging_up_mid_body_is_protocol_error(base: str) -> None:
    with pytest.raises(http.ProtocolError, match="IncompleteRead"):
        http.get(f"{base}/truncated")


def test_connection_refused_is_connect_error() -> None:
    port = closed_port()
    with pytest.raises(http.ConnectError, match="refused") as caught:
        http.get(f"http://127.0.0.1:{port}/")
    assert caught.value.url == f"http://127.0.0.1:{port}/"


@pytest.mark.parametrize("url", [
    "ftp://127.0.0.1/file", "file:///etc/passwd", "127.0.0.1/echo", "http://", "http:///path",
    "http://127.0.0.1:99999/", "http://127.0.0.1:abc/", "http://user:pw@127.0.0.1/", "http://127.0.0.1/a b", "",
])
def test_invalid_urls(url: str) -> None:
    with pytest.raises(http.InvalidURL):
        http.get(url)


def test_invalid_requests() -> None:
    with pytest.raises(http.InvalidRequest):
        http.get("http://127.0.0.1/", headers={"Host": "elsewhere"})
    with pytest.raises(http.InvalidRequest):
        http.get("http://127.0.0.1/", headers={"X-Bad": "a\r\nInjected: 1"})
    with pytest.raises(http.InvalidRequest):
        http.request("GE T", "http://127.0.0.1/")
    with pytest.raises(ValueError):
        http.post("http://127.0.0.1/", json={}, data=b"")
    with pytest.raises(ValueError):
        http.get("http://127.0.0.1/", timeout=0)


def test_declared_length_over_max_bytes(base: str) -> None:
    with pytest.raises(http.ResponseTooLarge) as caught:
        http.get(f"{base}/big/2000", max_bytes=1000)
    assert caught.value.limit == 1000
    assert len(http.get(f"{base}/big/1000", max_bytes=1000).content) == 1000


def test_streamed_body_over_max_bytes(base: str) -> None:
    with pytest.raises(http.ResponseTooLarge, match="max_bytes=100000"):
        http.get(f"{base}/stream/300000", max_bytes=100_000)
    assert len(http.get(f"{base}/stream/300000").content) == 300_000


def test_every_error_is_an_http_error() -> None:
    for error in (http.InvalidRequest, http.InvalidURL, http.TransportError, http.ConnectError,
                  http.Timeout, http.ProtocolError, http.TooManyRedirects, http.ResponseTooLarge,
                  http.HTTPStatusError, http.InvalidJSON):
        assert issubclass(error, http.HTTPError)
    for name in http.__all__:
        assert hasattr(http, name), name
