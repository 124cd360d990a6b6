"""Optional MCP sessions: ids issued at initialize, checked on every request.

Ids are signed (HMAC-SHA256), so an instance recognises ids issued by
another instance that shares MCP_SESSION_SECRET: runtimes that start a
fresh instance per request still validate them. An id carries the protocol
version negotiated at initialize and the client's capabilities that decide
what a tool may ask it (``nonce.version.flags.signature``), so every
instance knows them. Other per-session state (the log level, termination)
lives in the instance's memory.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

# hmac imports `warnings` lazily when OpenSSL is absent (as inside a
# component); componentize-py bundles only modules imported at build time.
import warnings  # noqa: F401
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from .lifecycle import SUPPORTED_VERSIONS

__all__ = ["SessionState", "Sessions"]


@dataclass
class SessionState:
    """What the transport remembers about one session."""

    log_level: str | None = None
    # Known from initialize; None when the session came from another instance.
    protocol_version: str | None = None
    client_info: dict[str, Any] | None = None
    # The client capabilities that matter to the server; None when unknown.
    client_capabilities: dict[str, Any] | None = None
    # Resource URIs the client subscribed to (resources/subscribe).
    subscriptions: set[str] = field(default_factory=set)
    # Change notifications waiting for the client's GET stream; the oldest
    # are dropped beyond the bound (a client that never listens).
    outbox: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=MAX_QUEUED))


MAX_QUEUED = 64
RESOURCE_UPDATED = "notifications/resources/updated"
LIST_CHANGED = frozenset(f"notifications/{kind}/list_changed" for kind in ("tools", "resources", "prompts"))


def concerns(state: SessionState, message: dict[str, Any]) -> bool:
    """Whether a notification is for this session: resource updates only if subscribed."""
    if message.get("method") != RESOURCE_UPDATED:
        return True
    params = message.get("params")
    return isinstance(params, dict) and params.get("uri") in state.subscriptions


# Capability flags an id carries, one letter each: (letter, capability, mode).
_FLAGS: tuple[tuple[str, str, str | None], ...] = (
    ("s", "sampling", None),
    ("r", "roots", None),
    ("f", "elicitation", "form"),
    ("u", "elicitation", "url"),
)


def capability_flags(capabilities: dict[str, Any] | None) -> str:
    """The letters for what ``capabilities`` declares (elicitation {} means form)."""
    if not isinstance(capabilities, dict):
        return ""
    flags = ""
    for letter, name, mode in _FLAGS:
        declared = capabilities.get(name)
        if not isinstance(declared, dict):
            continue
        if mode is None or declared.get(mode) is not None or (mode == "form" and not declared):
            flags += letter
    return flags


def capabilities_from_flags(flags: str) -> dict[str, Any]:
    capabilities: dict[str, Any] = {}
    for letter, name, mode in _FLAGS:
        if letter in flags:
            entry = capabilities.setdefault(name, {})
            if mode is not None:
                entry[mode] = {}
    return capabilities


class Sessions:
    """Issues, validates and terminates session ids."""

    def __init__(self, secret: bytes | None = None) -> None:
        self._secret = secret or secrets.token_bytes(32)
        self._states: dict[str, SessionState] = {}
        self._terminated: set[str] = set()

    def create(self, protocol_version: str | None = None, client_info: dict[str, Any] | None = None,
               client_capabilities: dict[str, Any] | None = None) -> str:
        """A new session id: visible ASCII only, as the spec requires."""
        flags = capability_flags(client_capabilities)
        payload = f"{secrets.token_hex(16)}.{protocol_version or ''}.{flags}"
        session_id = f"{payload}.{self._sign(payload)}"
        self._states[session_id] = SessionState(protocol_version=protocol_version, client_info=client_info,
                                                client_capabilities=capabilities_from_flags(flags))
        return session_id

    def get(self, session_id: str) -> SessionState | None:
        """The session's state, or None when the id is unknown or terminated."""
        if session_id in self._terminated:
            return None
        state = self._states.get(session_id)
        if state is not None:
            return state
        payload, dot, signature = session_id.rpartition(".")
        if not dot or not hmac.compare_digest(signature, self._sign(payload)):
            return None
        # Issued by another instance with the same secret.
        _, _, rest = payload.partition(".")
        version, _, flags = rest.partition(".")
        state = self._states[session_id] = SessionState(
            protocol_version=version if version in SUPPORTED_VERSIONS else None,
            client_capabilities=capabilities_from_flags(flags),
        )
        return state

    def fan_out(self, message: dict[str, Any], origin: SessionState) -> bool:
        """Queue a change notification for the other sessions that it concerns.

        Returns whether the session it came from gets it too (on the
        request's own stream). Other notifications concern the origin only.
        """
        method = message.get("method")
        if method in LIST_CHANGED or method == RESOURCE_UPDATED:
            for state in self._states.values():
                if state is not origin and concerns(state, message):
                    state.outbox.append(message)
        return concerns(origin, message)

    def terminate(self, session_id: str) -> bool:
        """End a session; False when it was not a live session."""
        if self.get(session_id) is None:
            return False
        self._states.pop(session_id, None)
        self._terminated.add(session_id)
        return True

    def _sign(self, payload: str) -> str:
        return hmac.new(self._secret, payload.encode(), hashlib.sha256).hexdigest()[:32]
