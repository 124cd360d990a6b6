"""The per-request Context a capability function can ask for.

Declare a parameter annotated ``Context`` and the SDK passes one in; it is
left out of the tool's input schema. Progress and log notifications are
queued on the context and delivered to the client before the result: from
an ``async def`` tool each ``await ctx.info(...)`` hands them over at once
(the call's event loop pauses until the transport has them), so they
stream while the tool runs; from a plain ``def`` tool they are delivered
when it returns.

An ``async def`` tool can also ask the client while it runs:
``await ctx.elicit(...)`` (the user), ``await ctx.sample(...)`` (the
client's model) and ``await ctx.list_roots()``. The call pauses until the
transport brings the answer back. Under protocol 2026-07-28 prompts and
resource reads can ask too, and every request is run again from the start
once the client has answered: an ask whose answer has come returns it at
once (:attr:`RequestInfo.input_responses`).
"""

from __future__ import annotations

import inspect
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine, Generator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar, Union, overload

from ._asking import (
    ELICIT,
    LIST_ROOTS,
    SAMPLE,
    WAITING,
    ClientRequest,
    ClientRequestError,
    ElicitResult,
    InputRequired,
    MissingCapabilityError,
    ModelPreferences,
    Root,
    SamplingMessage,
    SamplingResult,
    Waiting,
    declared,
    elicit_params,
    elicit_result,
    elicit_url_params,
    required_capability,
    roots_result,
    sampling_params,
    sampling_result,
    usable_answer,
)
from ._schema import to_json

T = TypeVar("T")

__all__ = [
    "ClientCapability",
    "Context",
    "Identity",
    "LogLevel",
    "ListChanged",
    "LogMessage",
    "Notification",
    "Progress",
    "RequestInfo",
    "ResourceUpdated",
]

LogLevel = Literal[
    "debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"
]
LOG_LEVELS: tuple[LogLevel, ...] = (
    "debug", "info", "notice", "warning", "error", "critical", "alert", "emergency",
)


@dataclass(frozen=True)
class Identity:
    """The authenticated caller, when the server checks authorization."""

    subject: str
    client_id: str | None = None
    scopes: tuple[str, ...] = ()
    claims: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RequestInfo:
    """What the transport knows about the request being served."""

    protocol_version: str = "2025-11-25"
    client_name: str | None = None
    client_version: str | None = None
    progress_token: str | int | None = None
    log_level: LogLevel | None = None
    session_id: str | None = None
    identity: Identity | None = None
    meta: dict[str, Any] | None = None
    # The capabilities the client declared at initialize; None when the
    # transport does not know them (the server then just tries).
    client_capabilities: dict[str, Any] | None = None
    # How the client is asked. None: over the request's own stream, while
    # it runs (2025-11-25). A mapping: the answers the client sent with
    # this attempt of the request, by request key (2026-07-28); an ask
    # with no answer ends the attempt with an input-required result.
    input_responses: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class Progress:
    """A progress notification for the current request."""

    progress: float
    total: float | None = None
    message: str | None = None


@dataclass(frozen=True)
class LogMessage:
    """A log notification for the client."""

    level: LogLevel
    data: Any
    logger: str | None = None


@dataclass(frozen=True)
class ListChanged:
    """The provider's tools, resources or prompts changed."""

    kind: Literal["tools", "resources", "prompts"]


@dataclass(frozen=True)
class ResourceUpdated:
    """The resource at ``uri`` changed (for clients subscribed to it)."""

    uri: str


Notification = Union[Progress, LogMessage, ListChanged, ResourceUpdated]

ClientCapability = Literal["elicitation", "elicitation.form", "elicitation.url", "sampling", "roots"]
"""What :meth:`Context.client_supports` can be asked about."""

# Each capability name as the ask that needs it: (method, elicitation mode).
_CAPABILITY_ASKS: dict[str, tuple[str, str]] = {
    "elicitation": (ELICIT, "form"),
    "elicitation.form": (ELICIT, "form"),
    "elicitation.url": (ELICIT, "url"),
    "sampling": (SAMPLE, "form"),
    "roots": (LIST_ROOTS, "form"),
}


class _Delivered:
    """Awaiting it lets the SDK hand queued notifications to the transport.

    In a tool call (its context has a hand-over, set by the call) it pauses
    the call's event loop so the transport can send what is queued, and
    resumes when the transport asks for more. Under the step driver of
    resources, prompts and completions it suspends the coroutine exactly
    once; under any other event loop (asyncio in a host-side test) it
    completes at once. Not awaiting it (in a plain ``def`` tool) is fine:
    the notification is already queued.
    """

    __slots__ = ("_context",)

    def __init__(self, context: Context) -> None:
        self._context = context

    def __await__(self) -> Generator[Any, None, None]:
        hand_over = self._context._hand_over
        if hand_over is not None:
            yield from hand_over().__await__()
        elif _DRIVEN.get():
            yield SUSPEND


_DRIVEN: ContextVar[bool] = ContextVar("mcp_component_driven", default=False)


def step(coroutine: Coroutine[Any, Any, Any]) -> object:
    """Run ``coroutine`` to its next Context await (what it yields)."""
    token = _DRIVEN.set(True)
    try:
        return coroutine.send(None)
    finally:
        _DRIVEN.reset(token)


SUSPEND = object()
"""What a coroutine run by :func:`step` yields to hand its notifications over."""


class Context:
    """Progress reporting, client logging and request metadata for one call."""

    def __init__(self, request: RequestInfo | None = None) -> None:
        self.request = request if request is not None else RequestInfo()
        self._outbox: deque[Notification | ClientRequest | Waiting] = deque()
        # Set by a running tool call: awaiting a Context method awaits it.
        self._hand_over: Callable[[], Awaitable[None]] | None = None
        # Set by a running async tool call: sends a request (key, method,
        # params) to the client and returns its answer.
        self._asker: Callable[[str, str, dict[str, Any]], Awaitable[Mapping[str, Any]]] | None = None
        # Set for prompts and resource reads: they run to the end in one
        # step, so under 2026-07-28 an unanswered ask stops them with
        # InputRequired instead of waiting.
        self._stops_for_input = False
        # Request keys used so far: a call asks under the same keys each
        # time it runs, so numbering follows the order of the asks.
        self._keys: set[str] = set()
        self._next_key = 0

    @property
    def identity(self) -> Identity | None:
        """The authenticated caller, or None when authorization is off."""
        return self.request.identity

    @property
    def progress_token(self) -> str | int | None:
        """The token the client sent to receive progress, if any."""
        return self.request.progress_token

    def report_progress(
        self, progress: float, total: float | None = None, message: str | None = None
    ) -> _Delivered:
        """Tell the client how far the call has got.

        Dropped when the client sent no progress token, as the protocol asks.
        """
        if self.request.progress_token is not None:
            self._outbox.append(Progress(float(progress), _float(total), message))
        return _Delivered(self)

    def log(self, level: LogLevel, data: Any, *, logger: str | None = None) -> _Delivered:
        """Send a log message, unless it is below the level the client set."""
        if level not in LOG_LEVELS:
            raise ValueError(f"unknown log level {level!r}; expected one of {LOG_LEVELS}")
        floor = self.request.log_level
        if floor is None or LOG_LEVELS.index(level) >= LOG_LEVELS.index(floor):
            # Made JSON here, so data that cannot be sent fails at this call,
            # the same in memory as inside a component.
            self._outbox.append(LogMessage(level, to_json(data), logger))
        return _Delivered(self)

    def debug(self, data: Any, *, logger: str | None = None) -> _Delivered:
        """Log at level debug."""
        return self.log("debug", data, logger=logger)

    def info(self, data: Any, *, logger: str | None = None) -> _Delivered:
        """Log at level info."""
        return self.log("info", data, logger=logger)

    def warning(self, data: Any, *, logger: str | None = None) -> _Delivered:
        """Log at level warning."""
        return self.log("warning", data, logger=logger)

    def error(self, data: Any, *, logger: str | None = None) -> _Delivered:
        """Log at level error."""
        return self.log("error", data, logger=logger)

    def send_tool_list_changed(self) -> _Delivered:
        """Tell clients the list of tools changed (``notifications/tools/list_changed``)."""
        self._outbox.append(ListChanged("tools"))
        return _Delivered(self)

    def send_resource_list_changed(self) -> _Delivered:
        """Tell clients the list of resources changed."""
        self._outbox.append(ListChanged("resources"))
        return _Delivered(self)

    def send_prompt_list_changed(self) -> _Delivered:
        """Tell clients the list of prompts changed."""
        self._outbox.append(ListChanged("prompts"))
        return _Delivered(self)

    def send_resource_updated(self, uri: str) -> _Delivered:
        """Tell the clients subscribed to ``uri`` that the resource changed."""
        self._outbox.append(ResourceUpdated(str(uri)))
        return _Delivered(self)

    def close_sse_stream(self) -> _Delivered:
        """Let the transport end the call's SSE stream now; the call goes on.

        Over Streamable HTTP the client reconnects (GET with Last-Event-ID)
        and receives the rest of the call there: a long call then holds no
        connection while it works (SSE polling). Elsewhere it does nothing.
        """
        self._outbox.append(WAITING)
        return _Delivered(self)

    # -- asking the client ----------------------------------------------------

    def client_supports(self, capability: ClientCapability) -> bool:
        """Whether the client can be asked for ``capability``.

        ``"elicitation"`` (form mode, as ``"elicitation.form"``),
        ``"elicitation.url"``, ``"sampling"`` or ``"roots"``: True when the
        client declared it, or when the transport does not know what the
        client declared (asking then just tries). Check it before asking
        for something optional: asking a 2026-07-28 client for what it did
        not declare fails the whole request (:class:`MissingCapabilityError`).
        """
        try:
            method, mode = _CAPABILITY_ASKS[capability]
        except KeyError:
            raise ValueError(
                f"unknown client capability {capability!r}; expected one of {', '.join(_CAPABILITY_ASKS)}"
            ) from None
        return declared(self.request.client_capabilities, method, mode) is not False

    @overload
    async def elicit(self, message: str, schema: type[T], *, key: str | None = None) -> ElicitResult[T]: ...

    @overload
    async def elicit(self, message: str, schema: Mapping[str, Any], *,
                     key: str | None = None) -> ElicitResult[dict[str, Any]]: ...

    async def elicit(self, message: str, schema: Any, *, key: str | None = None) -> ElicitResult[Any]:
        """Ask the user to fill in a form (elicitation, form mode).

        ``schema`` is a dataclass or TypedDict (the accepted data comes back
        as one, validated) or a JSON Schema object (it comes back as a dict).
        Forms are flat: strings, numbers, integers, booleans and enums.
        Returns the user's action and, when they accepted, the data. Raises
        :class:`ClientRequestError` when the client cannot be asked.

        ``key`` names the request (a 2026-07-28 client sees it in the
        input-required result); by default asks are numbered "1", "2", ...
        in the order the call makes them.
        """
        key = self._claim_key(key)
        params, binder = elicit_params(message, schema)
        return elicit_result(await self._ask(key, ELICIT, params, "form"), binder)

    async def elicit_url(self, message: str, url: str, *, elicitation_id: str | None = None,
                         key: str | None = None) -> ElicitResult[None]:
        """Send the user to ``url`` (elicitation, URL mode), e.g. to sign in.

        The answer says whether the user agreed to open it, not that they
        finished there.
        """
        import secrets  # only for the rare URL-mode call

        key = self._claim_key(key)
        params = elicit_url_params(message, url, elicitation_id or secrets.token_hex(16))
        answer = await self._ask(key, ELICIT, params, "url")
        result = elicit_result(answer, None)
        return ElicitResult(result.action)

    async def sample(
        self,
        messages: str | Sequence[str | SamplingMessage],
        *,
        max_tokens: int = 1000,
        system_prompt: str | None = None,
        temperature: float | None = None,
        stop_sequences: Sequence[str] | None = None,
        model_preferences: ModelPreferences | None = None,
        include_context: Literal["none", "thisServer", "allServers"] | None = None,
        metadata: dict[str, Any] | None = None,
        key: str | None = None,
    ) -> SamplingResult:
        """Ask the client's language model (sampling); a string is one user message."""
        key = self._claim_key(key)
        params = sampling_params(
            messages, max_tokens=max_tokens, system_prompt=system_prompt, temperature=temperature,
            stop_sequences=stop_sequences, model_preferences=model_preferences,
            include_context=include_context, metadata=metadata,
        )
        return sampling_result(await self._ask(key, SAMPLE, params))

    async def list_roots(self, *, key: str | None = None) -> list[Root]:
        """The roots (``file://`` folders) the client exposes."""
        key = self._claim_key(key)
        return roots_result(await self._ask(key, LIST_ROOTS, {}))

    def _claim_key(self, key: str | None) -> str:
        """The key of the next ask: ``key`` itself, or the next free number."""
        if key is None:
            while True:
                self._next_key += 1
                key = str(self._next_key)
                if key not in self._keys:
                    break
        elif not isinstance(key, str) or not key:
            raise TypeError(f"a request key must be a non-empty string, not {key!r}")
        elif key in self._keys:
            raise ValueError(
                f"request key {key!r} is used twice in one call; each ask needs a key of its own"
                " (named keys that are not numbers cannot clash with the automatic ones)"
            )
        self._keys.add(key)
        return key

    async def _ask(self, key: str, method: str, params: dict[str, Any], mode: str = "form") -> Mapping[str, Any]:
        responses = self.request.input_responses
        if responses is not None:  # 2026-07-28: answered on an earlier attempt?
            answer = usable_answer(method, responses.get(key))
            if answer is not None:
                return answer
        if declared(self.request.client_capabilities, method, mode) is False:
            need = {ELICIT: f"elicitation ({mode} mode)", SAMPLE: "sampling", LIST_ROOTS: "roots"}[method]
            message = f"{method}: the client did not declare the {need} capability, so it cannot be asked"
            if responses is None:
                raise ClientRequestError(message)
            raise MissingCapabilityError(message, data={"requiredCapabilities": required_capability(method, mode)})
        if self._asker is not None:
            return await self._asker(key, method, params)
        if responses is not None and self._stops_for_input:
            raise InputRequired([ClientRequest(key, method, params)])
        if self._stops_for_input:
            raise ClientRequestError(
                f"{method}: a prompt or resource read can ask the client only by an input-required"
                " result, which a client of protocol 2026-07-28 answers; under 2025-11-25 only an"
                " async def tool can ask, while it runs"
            )
        raise ClientRequestError(f"{method}: only an async def tool can ask the client, while it runs")

    def _pending(self) -> bool:
        """Whether notifications are queued, waiting to be sent."""
        return bool(self._outbox)

    def drain(self) -> list[Notification | ClientRequest | Waiting]:
        """Take every queued notification and client request, oldest first."""
        items = list(self._outbox)
        self._outbox.clear()
        return items


def _float(value: float | None) -> float | None:
    return None if value is None else float(value)


def is_context(annotation: object) -> bool:
    """Whether a parameter annotated so gets the Context injected."""
    return isinstance(annotation, type) and issubclass(annotation, Context)


def run_to_end(value: Any) -> Any:
    """``value`` itself, or its result when it is a coroutine.

    Resources, prompts and completions answer in one step, so an
    ``async def`` one runs to its end here; like a tool, it may only await
    Context methods (their notifications stay queued on the context).
    """
    if not inspect.iscoroutine(value):
        return value
    while True:
        try:
            yielded = step(value)
        except StopIteration as stop:
            return stop.value
        if yielded is not SUSPEND:
            value.close()
            raise RuntimeError("a function running in a component can only await Context methods")
