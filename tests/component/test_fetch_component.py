"""The built fetch provider, loaded in wasmtime-py with wasmtime's outgoing
wasi:http, fetches from a local HTTP server through mcp_component.http's wasi
backend. Only 127.0.0.1 is contacted.

Needs `make build PROVIDER=fetch SERVER=build/fetch-server.wasm`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
import wasmtime
from wasmtime import component as cm

from ..paths import BUILD
from ..unit.test_http_client import closed_port, local_server
from .loader import ProviderInstance, load

pytestmark = pytest.mark.component

PROVIDER = BUILD / "providers" / "fetch.wasm"


@pytest.fixture(scope="module")
def compiled() -> tuple[wasmtime.Engine, cm.Component]:
    if not PROVIDER.exists():
        pytest.fail(f"{PROVIDER} is missing: run `make build PROVIDER=fetch SERVER=build/fetch-server.wasm` first")
    return load(PROVIDER)


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with local_server() as url:
        yield url


def instance(compiled: tuple[wasmtime.Engine, cm.Component], **env: str) -> ProviderInstance:
    return ProviderInstance(*compiled, env=env)


@pytest.fixture
def provider(compiled: tuple[wasmtime.Engine, cm.Component], base: str) -> ProviderInstance:
    return instance(compiled, FETCH_ALLOWED_HOSTS=f"127.0.0.1:{base.rsplit(':', 1)[1]}",
                    FETCH_TIMEOUT_SECONDS="0.5")


def call(provider: ProviderInstance, name: str, arguments: dict[str, Any]) -> tuple[bool, str, Any]:
    """is_error, the first text block, structured content."""
    result = provider.call_tool(name, arguments)[-1].payload
    structured = getattr(result, "structured-content")
    return (getattr(result, "is-error"), result.content[0].payload.text,
            None if structured is None else json.loads(structured))


def test_imports_outgoing_http(compiled: tuple[wasmtime.Engine, cm.Component]) -> None:
    engine, component = compiled
    assert any(name.startswith("wasi:http/outgoing-handler@") for name in component.type.imports(engine))


def test_lists_both_tools(provider: ProviderInstance) -> None:
    assert [t.name for t in provider.list_tools().tools] == ["fetch", "http_status"]


def test_fetch_returns_the_page_text(provider: ProviderInstance, base: str) -> None:
    is_error, text, _ = call(provider, "fetch", {"url": f"{base}/page"})
    assert not is_error, text
    assert text == "Local page\nHello & welcome\nThe local test page."


def test_fetch_truncates_and_decodes_the_charset(provider: ProviderInstance, base: str) -> None:
    _, text, _ = call(provider, "fetch", {"url": f"{base}/page", "max_chars": 10})
    assert text.startswith("Local page\n\n[truncated: 10 of ")
    assert call(provider, "fetch", {"url": f"{base}/latin1"})[1] == "café crème"


def test_http_status_follows_redirects(provider: ProviderInstance, base: str) -> None:
    is_error, _, status = call(provider, "http_status", {"url": f"{base}/chain/2"})
    assert not is_error
    assert status == {"url": f"{base}/echo", "status": 200, "reason": "OK",
                      "content_type": "application/json", "bytes": status["bytes"], "redirects": 2}
    assert status["bytes"] > 100


def test_error_status_and_non_text(provider: ProviderInstance, base: str) -> None:
    assert call(provider, "http_status", {"url": f"{base}/status/404"})[2]["status"] == 404
    is_error, text, _ = call(provider, "fetch", {"url": f"{base}/status/500"})
    assert is_error and text == f"{base}/status/500 answered 500 Internal Server Error"
    is_error, text, _ = call(provider, "fetch", {"url": f"{base}/binary"})
    assert is_error and "is not text (Content-Type: image/png" in text


def test_disallowed_host_and_redirect(provider: ProviderInstance, base: str) -> None:
    is_error, text, _ = call(provider, "fetch", {"url": "http://example.com/"})
    assert is_error and "example.com:80 is not an allowed host" in text and "FETCH_ALLOWED_HOSTS" in text
    # A redirect may not lead off the allow-list either (nothing is contacted).
    is_error, text, _ = call(provider, "fetch", {"url": f"{base}/redirect/302?to=http://localhost:1/"})
    assert is_error and "localhost:1 is not an allowed host" in text


def test_nothing_allowed_by_default(compiled: tuple[wasmtime.Engine, cm.Component], base: str) -> None:
    is_error, text, _ = call(instance(compiled), "fetch", {"url": f"{base}/page"})
    assert is_error and text.startswith("fetching is disabled: no host is allowed. To allow one, set FETCH_ALLOWED_HOSTS")


def test_connection_refused(compiled: tuple[wasmtime.Engine, cm.Component]) -> None:
    port = closed_port()
    provider = instance(compiled, FETCH_ALLOWED_HOSTS=f"127.0.0.1:{port}")
    is_error, text, _ = call(provider, "fetch", {"url": f"http://127.0.0.1:{port}/"})
    assert is_error and text == f"could not connect to http://127.0.0.1:{port}/: connection to 127.0.0.1:{port} refused"


def test_timeouts(provider: ProviderInstance, base: str) -> None:
    started = time.monotonic()
    is_error, text, _ = call(provider, "fetch", {"url": f"{base}/sleep/3"})
    assert is_error and "did not answer in time" in text, text
    is_error, text, _ = call(provider, "fetch", {"url": f"{base}/slow-body?pause=3"})
    assert is_error and "did not answer in time" in text, text
    assert time.monotonic() - started < 4


def test_a_server_hanging_up_mid_body(provider: ProviderInstance, base: str) -> None:
    is_error, text, _ = call(provider, "fetch", {"url": f"{base}/truncated"})
    assert is_error and text.startswith(f"fetching {base}/truncated failed: reading the body from "), text


def test_response_too_large(provider: ProviderInstance, base: str) -> None:
    for path in ("/big/3000000", "/stream/3000000"):  # declared, and found while reading
        is_error, text, _ = call(provider, "fetch", {"url": f"{base}{path}"})
        assert is_error and text == f"{base}{path} is larger than 2 MiB"


def test_the_instance_lives_on_after_failures(provider: ProviderInstance, base: str) -> None:
    for url in ("ftp://127.0.0.1/", f"{base}/sleep/2", f"{base}/stream/3000000", f"{base}/loop"):
        assert call(provider, "fetch", {"url": url})[0] is True
    assert call(provider, "fetch", {"url": f"{base}/page"})[0] is False
