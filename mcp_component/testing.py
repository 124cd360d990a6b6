"""An in-memory MCP client for unit-testing a provider in plain CPython.

No Wasm build and no server: the client calls the Provider directly and
answers with the same MCP JSON the composed server sends (``result``
objects), raising :class:`ClientError` where the server answers with a
JSON-RPC error::

    from mcp_component.testing import Client
    from app import provider

    client = Client(provider)
    result = client.call_tool("add", {"a": 1, "b": 2})
    assert result["structuredContent"] == {"result": 3}

Notifications a call emits (progress, logs) are collected in
``client.notifications`` in the order the server would stream them.

A tool that asks the client (``ctx.elicit``, ``ctx.sample``,
``ctx.list_roots``) gets its answer from the handler the test gives, as
the JSON result a real client would send; the client declares exactly the
capabilities it has handlers for. Each request is kept in
``client.requests``, and the key it was asked under in
``client.request_keys``::

    client = Client(provider, elicitation=lambda params: {"action": "accept", "content": {"name": "Ada"}})

With ``protocol_version="2026-07-28"`` the client asks the 2026 way: a
tool call, prompt or resource read that needs answers ends with an
input-required result; the client answers every request with its handler
and sends the request again with the answers (``inputResponses``), until
it completes (at most :data:`MAX_INPUT_ROUNDS` rounds). A handler raising
:class:`ClientError` then ends the whole call with that error, as a client
that refuses to answer gives up on the request.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal, TypeVar

from . import _wire as wire
from ._asking import ELICIT, LIST_ROOTS, SAMPLE, Answer, ClientRequest, ClientRequestError, InputRequired, Waiting
from ._cache import CacheHint
from ._content import CallToolResult
from ._context import LOG_LEVELS, LogLevel, RequestInfo
from ._errors import MCPError
from ._provider import Provider
from ._tools import CallEvent
from .versions import INPUT_REQUIRED_VERSION, LATEST_VERSION, SUPPORTED_VERSIONS

__all__ = ["MAX_INPUT_ROUNDS", "PROTOCOL_VERSION", "Client", "ClientError", "Handler"]

PROTOCOL_VERSION = LATEST_VERSION
MAX_INPUT_ROUNDS = 10
"""How many input-required results one call may answer before the client gives up."""
T = TypeVar("T")

Handler = Callable[[dict[str, Any]], dict[str, Any]]
"""Answers one request from the server: its params in, its result out.

Raise :class:`ClientError` to answer with a JSON-RPC error instead."""


class ClientError(Exception):
    """A JSON-RPC error the server would answer with."""

    def __init__(self, code: int, message: str, data: Any = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.data = data


class Client:
    """Talks to a :class:`Provider` the way an MCP client talks to the server."""

    def __init__(self, provider: Provider, *, client_name: str = "test-client",
                 client_version: str = "0.0.0", elicitation: Handler | None = None,
                 sampling: Handler | None = None, roots: Handler | None = None,
                 url_elicitation: bool = False, protocol_version: str = PROTOCOL_VERSION) -> None:
        if protocol_version not in (*SUPPORTED_VERSIONS, INPUT_REQUIRED_VERSION):
            raise ValueError(
                f"unknown protocol version {protocol_version!r}; expected one of"
                f" {', '.join((*SUPPORTED_VERSIONS, INPUT_REQUIRED_VERSION))}"
            )
        self.provider = provider
        self.protocol_version = protocol_version
        self.client_name = client_name
        self.client_version = client_version
        self.log_level: LogLevel | None = None
        self.notifications: list[dict[str, Any]] = []
        # Requests the server asked this client: {"method": ..., "params": ...},
        # and beside them the key each was asked under.
        self.requests: list[dict[str, Any]] = []
        self.request_keys: list[str] = []
        self._handlers = {ELICIT: elicitation, SAMPLE: sampling, LIST_ROOTS: roots}
        self.capabilities: dict[str, Any] = {}
        if elicitation is not None:
            self.capabilities["elicitation"] = {"form": {}, **({"url": {}} if url_elicitation else {})}
        if sampling is not None:
            self.capabilities["sampling"] = {}
        if roots is not None:
            self.capabilities["roots"] = {"listChanged": False}

    # -- lifecycle ------------------------------------------------------------

    def initialize(self, protocol_version: str | None = None) -> dict[str, Any]:
        """The ``initialize`` result: capabilities, serverInfo, instructions.

        ``protocol_version`` defaults to the client's own.
        """
        if protocol_version is None:
            protocol_version = self.protocol_version
        if protocol_version not in (*SUPPORTED_VERSIONS, INPUT_REQUIRED_VERSION):
            protocol_version = SUPPORTED_VERSIONS[-1]
        result: dict[str, Any] = {
            "protocolVersion": protocol_version,
            "capabilities": wire.capabilities(self.provider.capabilities),
            "serverInfo": wire.server_info(self.provider),
        }
        if self.provider.instructions:
            result["instructions"] = self.provider.instructions
        return result

    def set_logging_level(self, level: LogLevel) -> dict[str, Any]:
        self._require("logging", "logging/setLevel")
        if level not in LOG_LEVELS:
            raise ClientError(-32602, f'logging/setLevel: "level" must be one of {", ".join(LOG_LEVELS)}')
        self.log_level = level
        return {}

    # -- tools ------------------------------------------------------------------

    def list_tools(self, cursor: str | None = None) -> dict[str, Any]:
        self._require("tools", "tools/list")
        page, next_cursor = _call(self.provider.list_tools, cursor)
        return wire.page("tools", [wire.tool(t) for t in page], next_cursor, self._hint(self.provider.page_cache(page)))

    def call_tool(self, name: str, arguments: Mapping[str, Any] | None = None, *,
                  progress_token: str | int | None = None, meta: dict[str, Any] | None = None) -> dict[str, Any]:
        """Call a tool; its notifications are appended to ``notifications``."""
        self._require("tools", "tools/call")
        if progress_token is not None:
            meta = {**(meta or {}), "progressToken": progress_token}
        elif meta is not None:
            token = meta.get("progressToken")
            progress_token = token if isinstance(token, (str, int)) and not isinstance(token, bool) else None
        args = None if arguments is None else dict(arguments)

        def attempt(responses: dict[str, Any] | None) -> dict[str, Any]:
            run = _call(self.provider.call_tool, name, args, self._request(progress_token, meta, responses))
            asked: list[ClientRequest] = []
            try:
                while True:
                    event: CallEvent = _call(run.next)
                    if isinstance(event, CallToolResult):
                        return wire.call_result(event)
                    if isinstance(event, ClientRequest):
                        if responses is None:  # 2025-11-25: answered over the stream, at once
                            run.respond(event.key, self._answer(event))
                        else:
                            asked.append(event)
                        continue
                    if isinstance(event, Waiting):
                        if asked:  # 2026-07-28: the call ends here, input-required
                            raise InputRequired(asked)
                        continue  # a stream break, or answers already given above
                    message = wire.notification(event, progress_token)
                    if message is not None:
                        self.notifications.append(message)
            finally:
                run.close()

        return self._until_complete(f"tools/call {name!r}", attempt)

    # -- resources ----------------------------------------------------------------

    def list_resources(self, cursor: str | None = None) -> dict[str, Any]:
        self._require("resources", "resources/list")
        page, next_cursor = _call(self.provider.list_resources, cursor)
        return wire.page("resources", [wire.resource(r) for r in page], next_cursor,
                         self._hint(self.provider.page_cache(page)))

    def list_resource_templates(self, cursor: str | None = None) -> dict[str, Any]:
        self._require("resources", "resources/templates/list")
        page, next_cursor = _call(self.provider.list_resource_templates, cursor)
        return wire.page("resourceTemplates", [wire.resource_template(t) for t in page], next_cursor,
                         self._hint(self.provider.page_cache(page)))

    def read_resource(self, uri: str) -> dict[str, Any]:
        self._require("resources", "resources/read")
        contents = self._until_complete(
            f"resources/read {uri!r}",
            lambda responses: _call(self.provider.read_resource, uri, self._request(None, None, responses)),
        )
        return wire.read_result(contents, self._hint(self.provider.read_cache(uri)))

    def subscribe(self, uri: str) -> dict[str, Any]:
        self._require("resource_subscriptions", "resources/subscribe")
        _call(self.provider.subscribe, uri)
        return {}

    def unsubscribe(self, uri: str) -> dict[str, Any]:
        self._require("resource_subscriptions", "resources/unsubscribe")
        _call(self.provider.unsubscribe, uri)
        return {}

    # -- prompts and completion ----------------------------------------------------

    def list_prompts(self, cursor: str | None = None) -> dict[str, Any]:
        self._require("prompts", "prompts/list")
        page, next_cursor = _call(self.provider.list_prompts, cursor)
        return wire.page("prompts", [wire.prompt(p) for p in page], next_cursor, self._hint(self.provider.page_cache(page)))

    def get_prompt(self, name: str, arguments: Mapping[str, str] | None = None) -> dict[str, Any]:
        self._require("prompts", "prompts/get")
        if arguments is not None and not all(isinstance(v, str) for v in arguments.values()):
            raise ClientError(-32602, 'prompts/get: "arguments" must be an object of strings')
        given = dict(arguments or {})
        rendered = self._until_complete(
            f"prompts/get {name!r}",
            lambda responses: _call(self.provider.get_prompt, name, given, self._request(None, None, responses)),
        )
        return wire.prompt_result(rendered)

    def complete(self, ref: Mapping[str, str], argument: Mapping[str, str],
                 context: Mapping[str, str] | None = None) -> dict[str, Any]:
        """``ref`` is ``{"type": "ref/prompt", "name": ...}`` or ``{"type": "ref/resource", "uri": ...}``."""
        self._require("completions", "completion/complete")
        kind: Literal["prompt", "resource_template"]
        if ref.get("type") == "ref/prompt":
            kind, target = "prompt", ref.get("name", "")
        elif ref.get("type") == "ref/resource":
            kind, target = "resource_template", ref.get("uri", "")
        else:
            raise ClientError(-32602, 'completion/complete: "ref" must be a ref/prompt or ref/resource object')
        done = _call(self.provider.complete, kind, target, argument["name"], argument["value"], dict(context or {}))
        return wire.completion(done)

    # -- helpers ---------------------------------------------------------------------

    @property
    def asks_by_retry(self) -> bool:
        """Whether requests ask this client by input-required results (2026-07-28)."""
        return self.protocol_version >= INPUT_REQUIRED_VERSION

    def _hint(self, hint: CacheHint | None) -> CacheHint | None:
        # Cache hints exist on the wire from 2026-07-28 on, as the server sends them.
        return hint if self.asks_by_retry else None

    def _until_complete(self, what: str, attempt: Callable[[dict[str, Any] | None], T]) -> T:
        """Run ``attempt``; under 2026-07-28, answer what it asks and run it again."""
        if not self.asks_by_retry:
            return attempt(None)
        responses: dict[str, Any] = {}
        rounds = 0
        while True:
            try:
                return attempt(dict(responses))
            except InputRequired as needed:
                asked = needed.requests
            if rounds == MAX_INPUT_ROUNDS:
                break
            rounds += 1
            for request in asked:
                responses[request.key] = self._answer_by_retry(request)
        keys = ", ".join(repr(r.key) for r in asked)
        raise RuntimeError(
            f"{what}: the server still asks for input ({keys}) after {MAX_INPUT_ROUNDS} rounds of"
            " answers; does each attempt ask under the same keys, and accept the answers given?"
        )

    def _answer_by_retry(self, request: ClientRequest) -> dict[str, Any]:
        self._record(request)
        handler = self._handlers.get(request.method)
        if handler is None:  # the server asked for a capability this client did not declare
            raise RuntimeError(f"{request.method}: the server asked, but the test client has no handler for it")
        return handler(request.params)

    def _answer(self, request: ClientRequest) -> Answer:
        self._record(request)
        handler = self._handlers.get(request.method)
        if handler is None:  # what a real client answers for a capability it lacks
            return ClientRequestError(f"{request.method}: the client answered -32601: Method not found")
        try:
            return handler(request.params)
        except ClientError as exc:
            return ClientRequestError(f"{request.method}: the client answered {exc.code}: {exc.message}")

    def _record(self, request: ClientRequest) -> None:
        self.requests.append({"method": request.method, "params": request.params})
        self.request_keys.append(request.key)

    def _require(self, capability: str, method: str) -> None:
        if not getattr(self.provider.capabilities, capability):
            offered = capability.replace("_", "-")
            raise ClientError(-32601, f"Method not found: {method} (this server offers no {offered})")

    def _request(self, progress_token: str | int | None = None, meta: dict[str, Any] | None = None,
                 input_responses: dict[str, Any] | None = None) -> RequestInfo:
        return RequestInfo(
            protocol_version=self.protocol_version,
            client_name=self.client_name,
            client_version=self.client_version,
            progress_token=progress_token,
            log_level=self.log_level,
            meta=meta,
            client_capabilities=self.capabilities,
            input_responses=input_responses,
        )


def _call(func: Callable[..., T], *args: Any) -> T:
    try:
        return func(*args)
    except MCPError as exc:
        raise ClientError(exc.code, exc.message, exc.data) from exc
