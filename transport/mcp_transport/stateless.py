"""What MCP 2026-07-28 asks of a result, beside the 2025-11-25 rules.

A 2026-07-28 request carries everything about its client (``envelope``) and
leaves nothing behind: no session, no requests to the client mid-call. This
module holds the pieces the dispatcher applies to such a request:

- every result says ``resultType``; lists and reads carry cache hints;
- questions for the client become an input-required result, which the
  client answers by sending the request again (``inputResponses``) with the
  ``requestState`` we sealed: the answers of earlier rounds, so that any
  instance can run the request again from the start with all of them;
- log messages go out only at the level the request's ``_meta`` asked for,
  and change notifications only on ``subscriptions/listen`` streams.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import envelope
from .jsonrpc import INVALID_PARAMS, JsonRpcError
from .port import LOG_LEVELS, ClientAsk, ServerDescription
from .request_state import RequestStates, StateError, binding_of

__all__ = [
    "CACHEABLE",
    "INPUT_METHODS",
    "complete",
    "input_required",
    "known_answers",
    "listen_acknowledgement",
    "may_send",
    "without_cache_hints",
]

# Results a client may cache: they carry ttlMs and cacheScope.
CACHEABLE = frozenset({"tools/list", "prompts/list", "resources/list", "resources/templates/list", "resources/read"})
# The only requests that may answer with an input-required result.
INPUT_METHODS = frozenset({"tools/call", "prompts/get", "resources/read"})
# Change notifications: 2026-07-28 sends them on listen streams only.
_CHANGES = {
    "notifications/tools/list_changed": "toolsListChanged",
    "notifications/prompts/list_changed": "promptsListChanged",
    "notifications/resources/list_changed": "resourcesListChanged",
}
_UPDATED = "notifications/resources/updated"


def complete(method: str, result: dict[str, Any], description: ServerDescription) -> dict[str, Any]:
    """``result`` as a 2026-07-28 complete result of ``method``."""
    out = dict(result)
    out["resultType"] = "complete"
    if method in CACHEABLE or method == "server/discover":
        # No hint from the provider: fresh every time, and only for this caller.
        out.setdefault("ttlMs", 0)
        out.setdefault("cacheScope", "private")
    meta = out.get("_meta")
    meta = dict(meta) if isinstance(meta, dict) else {}
    meta.setdefault(envelope.SERVER_INFO_KEY, _implementation(description))
    out["_meta"] = meta
    return out


def without_cache_hints(result: dict[str, Any]) -> dict[str, Any]:
    """``result`` for an older client, whose schema has no cache hints."""
    if "ttlMs" not in result and "cacheScope" not in result:
        return result
    return {key: value for key, value in result.items() if key not in ("ttlMs", "cacheScope")}


def known_answers(method: str, params: dict[str, Any], states: RequestStates) -> dict[str, Any]:
    """The client's answers so far: those sealed in ``requestState``, then ``inputResponses``.

    Raises JsonRpcError (-32602) for a malformed ``inputResponses`` or a
    ``requestState`` that fails its integrity check, has expired or was
    issued for another request.
    """
    answers: dict[str, Any] = {}
    if "requestState" in params:
        state = params["requestState"]
        if not isinstance(state, str):
            raise JsonRpcError(INVALID_PARAMS, f'{method}: "requestState" must be a string')
        try:
            answers.update(states.open(state, binding_of(method, params)))
        except StateError as exc:
            raise JsonRpcError(INVALID_PARAMS, f"{method}: requestState refused: {exc}") from None
    if "inputResponses" in params:
        responses = params["inputResponses"]
        if not isinstance(responses, dict):
            raise JsonRpcError(INVALID_PARAMS, f'{method}: "inputResponses" must be an object of results by key')
        # An answer that is no object cannot be a result: the provider asks
        # again, rather than failing the whole request.
        answers.update(responses)
    return answers


def input_required(method: str, params: dict[str, Any], asked: tuple[ClientAsk, ...],
                   answers: Mapping[str, Any], states: RequestStates) -> dict[str, Any]:
    """The input-required result asking ``asked``, with the answers so far sealed in."""
    requests = {key: {"method": name, "params": request_params} for key, name, request_params in asked}
    return {
        "resultType": "input_required",
        "inputRequests": requests,
        "requestState": states.seal(binding_of(method, params), answers),
    }


def may_send(message: dict[str, Any], log_level: str | None) -> bool:
    """Whether a notification a request produced goes out on its 2026-07-28 stream."""
    method = message.get("method")
    if method in _CHANGES or method == _UPDATED:
        return False
    if method == "notifications/message":
        level = (message.get("params") or {}).get("level")
        if log_level is None or level not in LOG_LEVELS:
            return False
        return LOG_LEVELS.index(level) >= LOG_LEVELS.index(log_level)
    return True


def listen_acknowledgement(params: dict[str, Any], subscription_id: str | int,
                           description: ServerDescription) -> tuple[dict[str, Any], dict[str, Any]]:
    """The acknowledgement opening a ``subscriptions/listen`` stream, and the result closing it.

    The acknowledgement names what is honoured: what the client asked for,
    among what this server can announce.
    """
    wanted = params.get("notifications")
    if not isinstance(wanted, dict):
        raise JsonRpcError(INVALID_PARAMS, 'subscriptions/listen: "notifications" must be an object')
    offered = description.capabilities
    honoured: dict[str, Any] = {}
    for flag, capability in (("toolsListChanged", "tools"), ("promptsListChanged", "prompts"),
                             ("resourcesListChanged", "resources")):
        if wanted.get(flag) is True and capability in offered:
            honoured[flag] = True
    uris = wanted.get("resourceSubscriptions")
    if isinstance(uris, list) and "resource-subscriptions" in offered:
        kept = [uri for uri in uris if isinstance(uri, str)]
        if kept:
            honoured["resourceSubscriptions"] = kept
    meta = {envelope.SUBSCRIPTION_ID_KEY: subscription_id}
    acknowledgement = {
        "jsonrpc": "2.0",
        "method": "notifications/subscriptions/acknowledged",
        "params": {"notifications": honoured, "_meta": meta},
    }
    return acknowledgement, {"_meta": dict(meta)}


def _implementation(description: ServerDescription) -> dict[str, Any]:
    info = description.server_info
    return {key: info[key] for key in ("name", "title", "version") if key in info}
