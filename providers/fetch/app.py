"""Fetch web pages for the model, from hosts the operator allows.

Outgoing HTTP goes through ``mcp_component.http``: inside the component it
uses ``wasi:http/outgoing-handler``, on the host the standard library. Only
hosts listed in the ``FETCH_ALLOWED_HOSTS`` environment variable may be
reached, on every redirect hop too; see README.md.
"""

from __future__ import annotations

import html
import os
import re
from dataclasses import replace
from typing import Annotated, TypedDict
from urllib.parse import urljoin, urlsplit

from annotated_types import Ge, Le

from mcp_component import Provider, ToolAnnotations, ToolError, http

provider = Provider(
    "fetch",
    version="0.1.0",
    title="Fetch",
    instructions="Fetch web pages as text. Only the hosts in FETCH_ALLOWED_HOSTS can be reached.",
)

FETCH = ToolAnnotations(read_only_hint=True, open_world_hint=True)
DEFAULT_TIMEOUT = 15.0
MAX_BYTES = 2 * 1024 * 1024
MAX_REDIRECTS = 5
ALLOW_HINT = (
    "set FETCH_ALLOWED_HOSTS in the server's environment to a comma-separated list of "
    "host or host:port entries, e.g. FETCH_ALLOWED_HOSTS=example.com,127.0.0.1:8000 "
    "(a host without a port allows only ports 80 and 443)"
)


class PageStatus(TypedDict):
    url: str
    status: int
    reason: str
    content_type: str | None
    bytes: int
    redirects: int


@provider.tool(annotations=FETCH)
def fetch(url: str, max_chars: Annotated[int, Ge(1), Le(100_000)] = 5000) -> str:
    """Fetch a web page and return its text (HTML tags removed).

    Args:
        url: The http:// or https:// address of the page.
        max_chars: The most characters of text to return.
    """
    response = _get(url)
    if not response.ok:
        raise ToolError(f"{response.url} answered {response.status_code} {response.reason}".rstrip())
    content_type = response.headers.get("content-type", "")
    media_type = content_type.split(";")[0].strip().lower()
    if media_type in ("text/html", "application/xhtml+xml") or (not media_type and b"<html" in response.content[:1024].lower()):
        text = html_to_text(response.text)
    elif not media_type or media_type.startswith("text/") or media_type.endswith(("json", "xml", "javascript")):
        text = response.text
    else:
        raise ToolError(f"{response.url} is not text (Content-Type: {content_type}, {len(response.content)} bytes)")
    if len(text) > max_chars:
        return f"{text[:max_chars]}\n\n[truncated: {max_chars} of {len(text)} characters]"
    return text


@provider.tool(annotations=FETCH)
def http_status(url: str) -> PageStatus:
    """Check a URL: its final address after redirects, status code, content type and size.

    Args:
        url: The http:// or https:// address to check.
    """
    response = _get(url)
    return PageStatus(
        url=response.url,
        status=response.status_code,
        reason=response.reason,
        content_type=response.headers.get("content-type"),
        bytes=len(response.content),
        redirects=len(response.history),
    )


def html_to_text(page: str) -> str:
    """A crude rendering of HTML as text: no scripts, styles or tags; one line per block."""
    page = re.sub(r"(?is)<(script|style|noscript|template|svg)\b.*?</\1\s*>", " ", page)
    page = re.sub(r"(?s)<!--.*?-->", " ", page)
    page = re.sub(r"(?i)<\s*(br|/p|/div|/li|/tr|/h[1-6]|/title|/section|/article|hr)\b[^>]*>", "\n", page)
    page = re.sub(r"(?s)<[^>]*>", " ", page)
    page = html.unescape(page)
    lines = (re.sub(r"[ \t\r\f\v\u00a0]+", " ", line).strip() for line in page.split("\n"))
    return "\n".join(line for line in lines if line)


# -- the allow-list, checked on every hop -------------------------------------------

def allowed_hosts() -> set[tuple[str, int | None]]:
    """FETCH_ALLOWED_HOSTS as (host, port) pairs; port None means 80 and 443.

    Read at call time: a component's imports run at build time, before the
    runtime's environment exists.
    """
    entries = set()
    for entry in os.environ.get("FETCH_ALLOWED_HOSTS", "").split(","):
        entry = entry.strip().lower()
        if not entry:
            continue
        parts = urlsplit(f"//{entry}")
        try:
            port = parts.port
        except ValueError:
            continue  # not host[:port]; ignored
        if parts.hostname:
            entries.add((parts.hostname, port))
    return entries


def check_allowed(url: str) -> None:
    """Raise ToolError unless ``url`` is http(s) on an allowed host and port."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise ToolError(f"invalid URL {url!r}: {exc}") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise ToolError(f"invalid URL {url!r}: an absolute http:// or https:// URL is needed")
    host = parts.hostname.lower()
    port = port or (443 if scheme == "https" else 80)
    allowed = allowed_hosts()
    if not allowed:
        raise ToolError(f"fetching is disabled: no host is allowed. To allow one, {ALLOW_HINT}")
    if (host, port) not in allowed and not (port in (80, 443) and (host, None) in allowed):
        shown = f"[{host}]" if ":" in host else host
        raise ToolError(f"{shown}:{port} is not an allowed host. To allow it, {ALLOW_HINT}")


def timeout() -> float:
    """Seconds to wait for each answer: FETCH_TIMEOUT_SECONDS, default 15."""
    try:
        seconds = float(os.environ.get("FETCH_TIMEOUT_SECONDS", DEFAULT_TIMEOUT))
    except ValueError:
        return DEFAULT_TIMEOUT
    return seconds if 0 < seconds <= 300 else DEFAULT_TIMEOUT


def _get(url: str) -> http.Response:
    """GET ``url``, following redirects only to allowed hosts."""
    history: list[http.Response] = []
    while True:
        check_allowed(url)
        try:
            response = http.get(url, timeout=timeout(), max_bytes=MAX_BYTES, follow_redirects=False)
        except http.ConnectError as exc:
            raise ToolError(f"could not connect to {url}: {exc}") from exc
        except http.Timeout as exc:
            raise ToolError(f"{url} did not answer in time: {exc}") from exc
        except http.ResponseTooLarge as exc:
            raise ToolError(f"{url} is larger than {MAX_BYTES // (1024 * 1024)} MiB") from exc
        except http.HTTPError as exc:
            raise ToolError(f"fetching {url} failed: {exc}") from exc
        if not response.is_redirect:
            return replace(response, history=tuple(history))
        if len(history) >= MAX_REDIRECTS:
            raise ToolError(f"{url} redirected more than {MAX_REDIRECTS} times")
        history.append(response)
        url = urljoin(response.url, response.headers["location"])
