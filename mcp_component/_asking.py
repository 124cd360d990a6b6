"""Questions a running tool asks the client: elicitation, sampling, roots.

A tool awaits :meth:`Context.elicit`, :meth:`Context.sample` or
:meth:`Context.list_roots`; the call pauses, the transport sends the
request to the client, and the call resumes with the answer (2025-11-25).
Under 2026-07-28 the client cannot be asked mid-call: the request ends
with an input-required result naming what it needs, and the client sends
it again with the answers, which the asks then return at once. This module
builds each request's params from Python values and turns the client's
answer back into Python values; :mod:`._context` and :mod:`._tools` do the
pausing.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar, Union, cast

from ._content import Audio, Content, Image, Text
from ._errors import MCPError
from ._schema import ArgumentError, type_binder

__all__ = [
    "ClientRequest",
    "ClientRequestError",
    "ElicitResult",
    "InputRequired",
    "MissingCapabilityError",
    "ModelPreferences",
    "Root",
    "SamplingMessage",
    "SamplingResult",
    "WAITING",
    "Waiting",
    "elicit_params",
    "elicit_result",
    "elicit_url_params",
    "required_capability",
    "roots_result",
    "sampling_params",
    "sampling_result",
    "usable_answer",
]

T = TypeVar("T")

ELICIT = "elicitation/create"
SAMPLE = "sampling/createMessage"
LIST_ROOTS = "roots/list"
METHODS = (ELICIT, SAMPLE, LIST_ROOTS)

Answer = Union[Mapping[str, Any], "ClientRequestError"]
"""The client's answer to a request: its result object, or why there is none."""

Action = Literal["accept", "decline", "cancel"]
# The primitive types a form-mode elicitation schema may use (the spec keeps
# forms flat, so any client can render them).
_FORM_TYPES = frozenset({"string", "number", "integer", "boolean", "array"})


class ClientRequestError(MCPError):
    """The client could not answer: no such capability, an error, no way to ask.

    Raised by the awaited Context method; a tool may catch it and go on.
    """

    code = -32603


class MissingCapabilityError(ClientRequestError):
    """The client did not declare the capability a request to it needs.

    Under protocol 2026-07-28 this fails the whole request with JSON-RPC
    error -32021, whose ``data`` names the capability
    (``{"requiredCapabilities": {"sampling": {}}}``), even when it escapes
    a tool. It is a :class:`ClientRequestError`, so a tool that catches
    those to go on without an answer keeps working.
    """

    code = -32021


class InputRequired(BaseException):
    """A prompt or resource read stops here: the client must answer first.

    Raised (2026-07-28 only) by an ask that has no answer yet; the SDK turns
    it into an input-required result and the client sends the request
    again with the answers. A BaseException, like asyncio's cancellation,
    so that a function's ``except Exception`` cannot swallow it.
    """

    def __init__(self, requests: Sequence[ClientRequest]) -> None:
        super().__init__(", ".join(f"{r.key}: {r.method}" for r in requests))
        self.requests = list(requests)


class Waiting:
    """A call's pause: it waits for answers to the requests it sent, if any.

    With none outstanding (after ``ctx.close_sse_stream()``) it only lets
    the transport end the current stream; the call goes on when asked.
    """

    def __repr__(self) -> str:
        return "WAITING"


WAITING = Waiting()


@dataclass
class ClientRequest:
    """A request for the client, as a running call hands it to the transport.

    ``key`` tells the answers apart when a call asks several at once; a
    call that runs again asks under the same keys (answers to 2026-07-28
    input-required results come back by key).
    """

    key: str
    method: str
    params: dict[str, Any]


@dataclass(frozen=True)
class ElicitResult(Generic[T]):
    """What the user did with an elicitation: the action and, if accepted, the data.

    ``data`` is an instance of the schema's type (a dataclass or TypedDict)
    or, for a JSON Schema given as a dict, the content object as sent.
    """

    action: Action
    data: T | None = None

    @property
    def accepted(self) -> bool:
        return self.action == "accept"


@dataclass(frozen=True)
class SamplingMessage:
    """One message of the conversation sent for sampling."""

    role: Literal["user", "assistant"]
    content: Text | Image | Audio


@dataclass(frozen=True)
class ModelPreferences:
    """Hints for the client's model choice; priorities run from 0 to 1."""

    hints: tuple[str, ...] = ()
    cost_priority: float | None = None
    speed_priority: float | None = None
    intelligence_priority: float | None = None


@dataclass(frozen=True)
class SamplingResult:
    """The client's model's answer."""

    role: Literal["user", "assistant"]
    content: Text | Image | Audio
    model: str
    stop_reason: str | None = None

    @property
    def text(self) -> str:
        """The answer's text ("" when it is an image or audio)."""
        return self.content.text if isinstance(self.content, Text) else ""


@dataclass(frozen=True)
class Root:
    """A root the client exposes: a ``file://`` URI and an optional name."""

    uri: str
    name: str | None = None


# -- elicitation ------------------------------------------------------------------

def elicit_params(message: str, schema: Any) -> tuple[dict[str, Any], Any]:
    """The form-mode params, and the binder for the accepted content (or None).

    ``schema`` is a dataclass, a TypedDict or a JSON Schema object.
    """
    if isinstance(schema, Mapping):
        requested = dict(schema)
        binder = None
    else:
        try:
            requested, binder = type_binder(schema)
        except TypeError as exc:
            raise TypeError(f"elicit: schema must be a dataclass, a TypedDict or a JSON Schema dict ({exc})") from exc
    _check_form(requested)
    # Only the keys a form schema may have: a client checks the shape.
    requested = {key: requested[key] for key in ("$schema", "type", "properties", "required") if key in requested}
    return {"mode": "form", "message": message, "requestedSchema": requested}, binder


def elicit_url_params(message: str, url: str, elicitation_id: str) -> dict[str, Any]:
    return {"mode": "url", "message": message, "url": url, "elicitationId": elicitation_id}


def elicit_result(answer: Mapping[str, Any], binder: Any) -> ElicitResult[Any]:
    action = answer.get("action")
    if action not in ("accept", "decline", "cancel"):
        raise ClientRequestError(f"the client's elicitation answer has no valid action: {action!r}")
    if action != "accept":
        return ElicitResult(cast(Action, action))
    content = answer.get("content")
    if content is None:
        content = {}
    if not isinstance(content, dict):
        raise ClientRequestError("the client's elicitation answer has content that is not an object")
    if binder is None:
        return ElicitResult("accept", content)
    try:
        return ElicitResult("accept", binder(content))
    except ArgumentError as exc:
        raise ClientRequestError(f"the client's elicitation answer does not match the schema: {exc}") from exc


def _check_form(schema: Mapping[str, Any]) -> None:
    # Forms are flat objects of primitives; catching a nested type here
    # names the field, where a client would only refuse the request.
    if schema.get("type") != "object" or not isinstance(schema.get("properties"), Mapping):
        raise TypeError("elicit: the schema must be an object with properties")
    for name, prop in schema["properties"].items():
        kind = prop.get("type") if isinstance(prop, Mapping) else None
        if kind not in _FORM_TYPES and not (isinstance(prop, Mapping) and ("enum" in prop or "oneOf" in prop)):
            raise TypeError(
                f"elicit: field {name!r} must be a string, number, integer, boolean or enum "
                f"(forms are flat), not {prop!r}"
            )


# -- sampling ------------------------------------------------------------------------

def sampling_params(
    messages: str | Sequence[str | SamplingMessage],
    *,
    max_tokens: int,
    system_prompt: str | None = None,
    temperature: float | None = None,
    stop_sequences: Sequence[str] | None = None,
    model_preferences: ModelPreferences | None = None,
    include_context: Literal["none", "thisServer", "allServers"] | None = None,
    metadata: dict[str, Any] | None = None,
) -> dict[str, Any]:
    if isinstance(messages, str):
        messages = [messages]
    wire: list[dict[str, Any]] = []
    for item in messages:
        message = SamplingMessage("user", Text(item)) if isinstance(item, str) else item
        wire.append({"role": message.role, "content": _content_json(message.content)})
    params: dict[str, Any] = {"messages": wire, "maxTokens": int(max_tokens)}
    _put(params, "systemPrompt", system_prompt)
    _put(params, "temperature", None if temperature is None else float(temperature))
    _put(params, "stopSequences", None if stop_sequences is None else list(stop_sequences))
    _put(params, "includeContext", include_context)
    _put(params, "metadata", metadata)
    if model_preferences is not None:
        prefs: dict[str, Any] = {}
        if model_preferences.hints:
            prefs["hints"] = [{"name": hint} for hint in model_preferences.hints]
        _put(prefs, "costPriority", model_preferences.cost_priority)
        _put(prefs, "speedPriority", model_preferences.speed_priority)
        _put(prefs, "intelligencePriority", model_preferences.intelligence_priority)
        params["modelPreferences"] = prefs
    return params


def sampling_result(answer: Mapping[str, Any]) -> SamplingResult:
    role = answer.get("role")
    model = answer.get("model")
    if role not in ("user", "assistant") or not isinstance(model, str):
        raise ClientRequestError("the client's sampling answer lacks a valid role or model")
    content = answer.get("content")
    if isinstance(content, list) and len(content) == 1:  # 2025-11-25 allows a list
        content = content[0]
    stop = answer.get("stopReason")
    return SamplingResult(cast(Any, role), _content_value(content), model, stop if isinstance(stop, str) else None)


def _content_json(block: Content) -> dict[str, Any]:
    if isinstance(block, Text):
        return {"type": "text", "text": block.text}
    if isinstance(block, (Image, Audio)):
        kind = "image" if isinstance(block, Image) else "audio"
        return {"type": kind, "data": base64.b64encode(block.data).decode("ascii"), "mimeType": block.mime_type}
    raise TypeError(f"sampling messages carry text, images or audio, not {type(block).__name__}")


def _content_value(content: Any) -> Text | Image | Audio:
    if not isinstance(content, Mapping):
        raise ClientRequestError("the client's sampling answer has no content object")
    kind = content.get("type")
    if kind == "text" and isinstance(content.get("text"), str):
        return Text(content["text"])
    if kind in ("image", "audio") and isinstance(content.get("data"), str):
        try:
            data = base64.b64decode(content["data"], validate=True)
        except ValueError as exc:
            raise ClientRequestError("the client's sampling answer has invalid base64 data") from exc
        mime = str(content.get("mimeType") or "")
        return Image(data, mime) if kind == "image" else Audio(data, mime)
    raise ClientRequestError(f"the client's sampling answer has content of an unknown type: {kind!r}")


# -- roots ----------------------------------------------------------------------------

def roots_result(answer: Mapping[str, Any]) -> list[Root]:
    roots = answer.get("roots")
    if not isinstance(roots, list):
        raise ClientRequestError("the client's roots answer has no roots list")
    found: list[Root] = []
    for root in roots:
        if isinstance(root, Mapping) and isinstance(root.get("uri"), str):
            name = root.get("name")
            found.append(Root(root["uri"], name if isinstance(name, str) else None))
    return found


# -- client capabilities ----------------------------------------------------------------

def declared(capabilities: Mapping[str, Any] | None, method: str, mode: str = "form") -> bool | None:
    """Whether the client declared what ``method`` needs; None when unknown."""
    if capabilities is None:
        return None
    if method == SAMPLE:
        return isinstance(capabilities.get("sampling"), Mapping)
    if method == LIST_ROOTS:
        return isinstance(capabilities.get("roots"), Mapping)
    elicitation = capabilities.get("elicitation")
    if not isinstance(elicitation, Mapping):
        return False
    if mode == "url":
        return isinstance(elicitation.get("url"), Mapping)
    # An empty elicitation object declares form mode (the older shape).
    return not elicitation or isinstance(elicitation.get("form"), Mapping)


def required_capability(method: str, mode: str = "form") -> dict[str, Any]:
    """The client capability ``method`` needs, as -32021's ``requiredCapabilities``."""
    if method == SAMPLE:
        return {"sampling": {}}
    if method == LIST_ROOTS:
        return {"roots": {}}
    return {"elicitation": {"url": {}} if mode == "url" else {}}


def usable_answer(method: str, answer: object) -> Mapping[str, Any] | None:
    """``answer`` when it can stand for the client's result, else None.

    Input responses come from the client with a retried request; one that
    is not an object, or an elicitation answer without a valid action, is
    treated as missing, so the request is asked again.
    """
    if not isinstance(answer, Mapping):
        return None
    if method == ELICIT and answer.get("action") not in ("accept", "decline", "cancel"):
        return None
    return answer


def _put(target: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        target[key] = value

