"""Integrity-protected ``requestState`` for MCP 2026-07-28 multi-round requests.

A request that needs the client's input returns ``input_required`` with a
``requestState``; the client sends the request again with its answers and
that state echoed. The state carries the answers of earlier rounds, so any
instance can continue the request without remembering it. The client
holds the state, so it is signed (HMAC-SHA256) against tampering, bound to
the request it was issued for (method, target and arguments), and expires.

Format: ``base64url(payload) "." base64url(HMAC-SHA256(secret, payload))``,
both without padding, where payload is compact JSON
``{"v": 1, "b": sha256(binding), "a": answers, "exp": unix seconds}``.
The state is signed, not encrypted: the client can read what it answered.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import secrets
import time

# hmac imports `warnings` lazily when OpenSSL is absent (as inside a
# component); componentize-py bundles only modules imported at build time.
import warnings  # noqa: F401
from collections.abc import Callable, Mapping
from typing import Any

from . import safe_json

__all__ = ["MAX_STATE_LENGTH", "RequestStates", "StateError", "binding_of"]

# Far above what a few rounds of answers need; checked before any decoding.
MAX_STATE_LENGTH = 1024 * 1024

_VERSION = 1
_MAC_LENGTH = 32
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")

# Which param names what a routed method acts on.
_TARGET_PARAM = {"tools/call": "name", "prompts/get": "name", "resources/read": "uri"}


class StateError(Exception):
    """Why a requestState was refused; the message is safe to show the client."""


class RequestStates:
    """Seals answers into a requestState and opens them again."""

    def __init__(self, secret: bytes | None, *, max_age_seconds: int = 1800,
                 clock: Callable[[], float] = time.time) -> None:
        if max_age_seconds < 1:
            raise ValueError("max_age_seconds must be positive")
        # Without a shared secret a state verifies only on this instance.
        self._secret = secret or secrets.token_bytes(32)
        self._max_age = max_age_seconds
        self._clock = clock

    def seal(self, binding: str, answers: Mapping[str, Any]) -> str:
        """A requestState carrying ``answers`` for the request ``binding`` names."""
        payload = json.dumps(
            {"v": _VERSION, "b": _digest(binding), "a": dict(answers),
             "exp": int(self._clock()) + self._max_age},
            separators=(",", ":"), allow_nan=False,
        ).encode("utf-8")
        return f"{_b64encode(payload)}.{_b64encode(self._mac(payload))}"

    def open(self, state: str, binding: str) -> dict[str, Any]:
        """The answers ``state`` carries, once it proves genuine, current and
        issued for the request ``binding`` names; StateError otherwise."""
        if not isinstance(state, str) or len(state) > MAX_STATE_LENGTH:
            raise StateError("requestState is malformed")
        encoded_payload, dot, encoded_mac = state.partition(".")
        payload = _b64decode(encoded_payload)
        mac = _b64decode(encoded_mac)
        if not dot or payload is None or mac is None or len(mac) != _MAC_LENGTH:
            raise StateError("requestState is malformed")
        if not hmac.compare_digest(mac, self._mac(payload)):
            raise StateError("requestState failed verification: it was changed, or sealed by an instance "
                             "with another MCP_REQUEST_STATE_SECRET")
        try:
            content = safe_json.loads(payload)
        except safe_json.InvalidJson as exc:
            raise StateError("requestState is malformed") from exc
        if not _well_formed(content):
            raise StateError("requestState is malformed")
        if not hmac.compare_digest(content["b"].encode("utf-8"), _digest(binding).encode("ascii")):
            raise StateError("requestState was issued for another request")
        if self._clock() >= content["exp"]:
            raise StateError("requestState has expired")
        answers: dict[str, Any] = content["a"]
        return answers

    def _mac(self, payload: bytes) -> bytes:
        return hmac.new(self._secret, payload, hashlib.sha256).digest()


def binding_of(method: str, params: Mapping[str, Any]) -> str:
    """What a requestState is bound to: the method, the tool or prompt name
    or resource URI, and the arguments, as canonical JSON.

    Absent or null arguments count as no arguments ({}), as tools/call
    treats them.
    """
    param = _TARGET_PARAM.get(method)
    target = params.get(param) if param is not None else None
    arguments = params.get("arguments")
    return json.dumps([method, target, {} if arguments is None else arguments],
                      sort_keys=True, separators=(",", ":"))


def _well_formed(content: Any) -> bool:
    return (isinstance(content, dict) and content.get("v") == _VERSION
            and isinstance(content.get("b"), str) and isinstance(content.get("a"), dict)
            and isinstance(content.get("exp"), int) and not isinstance(content.get("exp"), bool))


def _digest(binding: str) -> str:
    return hashlib.sha256(binding.encode("utf-8")).hexdigest()


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes | None:
    """Unpadded base64url, canonical only: one state has one spelling."""
    if not _BASE64URL.fullmatch(text):
        return None
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None
    return data if _b64encode(data) == text else None
