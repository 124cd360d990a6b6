"""What the transport needs from a provider, in MCP's JSON terms.

The dispatcher talks only to a :class:`ProviderPort`. Inside the component
``wit_port.WitProvider`` implements it over the imported WIT interfaces;
tests can implement it in plain Python.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol, Union

__all__ = [
    "CAPABILITY_NAMES",
    "Answer",
    "AnswerError",
    "CallContext",
    "Finished",
    "Identity",
    "InputRequired",
    "LOG_LEVELS",
    "Notify",
    "ProviderPort",
    "ServerDescription",
    "Suspend",
    "ToolEvent",
]

# RFC 5424 severities as MCP names them, least severe first.
LOG_LEVELS = ("debug", "info", "notice", "warning", "error", "critical", "alert", "emergency")

CAPABILITY_NAMES = ("tools", "resources", "resource-subscriptions", "prompts", "completions", "logging")


@dataclass(frozen=True)
class ServerDescription:
    """The provider's answer to "who are you": serverInfo and capabilities."""

    server_info: dict[str, Any]
    capabilities: frozenset[str]
    instructions: str | None = None


@dataclass(frozen=True)
class Identity:
    """The caller a validated bearer token names (authorization on)."""

    subject: str
    client_id: str | None = None
    scopes: tuple[str, ...] = ()
    claims: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CallContext:
    """Transport facts about one request, handed to the provider."""

    protocol_version: str
    client_info: dict[str, Any] | None = None
    progress_token: str | int | None = None
    log_level: str | None = None
    session_id: str | None = None
    meta: dict[str, Any] | None = field(default=None)
    identity: Identity | None = None
    # What the client declared at initialize (2025-11-25) or in the
    # request's _meta (2026-07-28), when known.
    client_capabilities: dict[str, Any] | None = None
    # 2026-07-28: the client is asked by input-required results, and these
    # are its answers so far by request key. None: it is asked over the
    # request's stream (2025-11-25).
    input_responses: dict[str, Any] | None = None


@dataclass(frozen=True)
class Notify:
    """A notification to send before the result: method and params."""

    method: str
    params: dict[str, Any]


@dataclass(frozen=True)
class Finished:
    """The final result of a tool call, as MCP JSON."""

    result: dict[str, Any]


@dataclass(frozen=True)
class AnswerError:
    """Why a request to the client has no result: its error, a timeout, no way to ask."""

    message: str
    code: int = -32603


Answer = Union[dict[str, Any], AnswerError]


ClientAsk = tuple[str, str, dict[str, Any]]
"""A request for the client: its key, method and params."""


@dataclass(frozen=True)
class Suspend:
    """The call waits: for the client's answers to ``requests``, if any.

    ``requests`` holds (key, method, params) of every request the call sent
    since it last went on; each answer goes to ``respond(key, answer)``.
    Iterating the call's events again resumes it, once all are answered.
    With no requests, the call only offers the transport a moment to end
    the current stream and let the client reconnect (SSE polling).
    """

    requests: tuple[ClientAsk, ...]
    respond: Callable[[str, Answer], None]


class InputRequired(Exception):
    """A prompt or resource read cannot finish before the client answers these.

    Only where ``CallContext.input_responses`` is set (2026-07-28); the
    dispatcher returns them as an input-required result.
    """

    def __init__(self, requests: tuple[ClientAsk, ...]) -> None:
        super().__init__(", ".join(key for key, _, _ in requests))
        self.requests = requests


ToolEvent = Union[Notify, Suspend, Finished]


class ProviderPort(Protocol):
    """A provider as the dispatcher sees it. Failures raise JsonRpcError."""

    def describe(self) -> ServerDescription: ...

    def list_tools(self, ctx: CallContext, cursor: str | None) -> dict[str, Any]: ...

    def call_tool(self, ctx: CallContext, name: str, arguments: dict[str, Any] | None) -> Iterator[ToolEvent]: ...

    def list_resources(self, ctx: CallContext, cursor: str | None) -> dict[str, Any]: ...

    def list_resource_templates(self, ctx: CallContext, cursor: str | None) -> dict[str, Any]: ...

    def read_resource(self, ctx: CallContext, uri: str) -> dict[str, Any]: ...

    def subscribe(self, ctx: CallContext, uri: str) -> None: ...

    def unsubscribe(self, ctx: CallContext, uri: str) -> None: ...

    def list_prompts(self, ctx: CallContext, cursor: str | None) -> dict[str, Any]: ...

    def get_prompt(self, ctx: CallContext, name: str, arguments: dict[str, str]) -> dict[str, Any]: ...

    def complete(self, ctx: CallContext, ref: dict[str, Any], argument: dict[str, Any],
                 context: dict[str, str]) -> dict[str, Any]: ...
