"""OAuth 2.1 resource server: bearer JWT validation and RFC 9728 metadata.

:class:`Authenticator` turns the ``Authorization`` header of a request into
an :class:`~mcp_transport.port.Identity`, or raises :class:`AuthFailure`
carrying the 401/403 answer with its ``WWW-Authenticate`` challenge. The
token itself goes nowhere: only the identity built from its claims does.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Callable
from typing import Any, TypeGuard
from urllib.parse import urlsplit

from mcp_component import http as outbound

from . import safe_json
from .config import AuthConfig
from .jwks import KeySet
from .jwt import MAX_TOKEN_BYTES, TokenError, parse, verify_signature
from .port import Identity

__all__ = ["METADATA_PATH", "AuthFailure", "Authenticator"]

METADATA_PATH = "/.well-known/oauth-protected-resource"
JWKS_TIMEOUT_SECONDS = 10.0
JWKS_MAX_BYTES = 512 * 1024
_UNSAFE = re.compile(r'[^\x20-\x7e]|["\\]')


class AuthFailure(Exception):
    """The request is not authorized: ``status`` (401/403) and challenge."""

    def __init__(self, status: int, challenge: str, error: str | None, description: str | None) -> None:
        super().__init__(description or error or "unauthorized")
        self.status = status
        self.challenge = challenge
        self.error = error
        self.description = description


def _fetch_jwks(uri: str) -> Callable[[], Any]:
    def fetch() -> Any:
        response = outbound.get(uri, headers={"accept": "application/json"}, timeout=JWKS_TIMEOUT_SECONDS,
                                max_bytes=JWKS_MAX_BYTES)
        response.raise_for_status()
        return safe_json.loads(response.content)
    return fetch


class Authenticator:
    """Checks bearer tokens against one :class:`AuthConfig`."""

    def __init__(self, config: AuthConfig, endpoint: str = "/mcp", *,
                 fetch: Callable[[], Any] | None = None, clock: Callable[[], float] = time.time,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.config = config
        self.endpoint = endpoint
        if fetch is None and config.jwks_uri is not None:
            fetch = _fetch_jwks(config.jwks_uri)
        self.keys = KeySet(config.jwks, fetch, monotonic)
        self._clock = clock
        origin = urlsplit(config.resource)
        self.metadata_url = f"{origin.scheme}://{origin.netloc}{METADATA_PATH}{endpoint}"

    # -- RFC 9728 ----------------------------------------------------------

    def is_metadata_path(self, path: str) -> bool:
        return path in (METADATA_PATH, METADATA_PATH + self.endpoint)

    def metadata(self) -> dict[str, Any]:
        return {
            "resource": self.config.resource,
            "authorization_servers": list(self.config.authorization_servers),
            "bearer_methods_supported": ["header"],
            "scopes_supported": list(self.config.scopes),
        }

    # -- requests ------------------------------------------------------------

    def authenticate(self, authorization: str | None) -> Identity:
        """The identity the request's bearer token names, or AuthFailure."""
        if not authorization:
            raise self._failure(401, None, None)
        scheme, _, token = authorization.strip().partition(" ")
        if scheme.lower() != "bearer":
            raise self._failure(401, None, None)
        token = token.strip()
        if not token:
            raise self._failure(401, "invalid_request", "empty bearer token")
        if len(token) > MAX_TOKEN_BYTES:
            raise self._failure(401, "invalid_token", "token too large")
        try:
            claims = self.validate(token)
        except TokenError as exc:
            raise self._failure(401, "invalid_token", str(exc)) from None
        identity = _identity(claims)
        missing = [s for s in self.config.scopes if s not in identity.scopes]
        if missing:
            raise self._failure(403, "insufficient_scope", f"missing scope: {' '.join(missing)}")
        return identity

    def validate(self, token: str) -> dict[str, Any]:
        """The claims of a valid token; TokenError otherwise."""
        parsed = parse(token)
        alg = parsed.alg
        if alg == "HS256":
            if self.config.hs256_secret is None:
                raise TokenError("algorithm not allowed: 'HS256'")
            key: Any = self.config.hs256_secret
        else:
            key = self.keys.find(alg, parsed.kid)
        verify_signature(parsed, key)
        claims = parsed.verified_claims()
        self._check_claims(claims)
        return claims

    def _check_claims(self, claims: dict[str, Any]) -> None:
        config, now, leeway = self.config, self._clock(), self.config.leeway_seconds
        if claims.get("iss") != config.issuer:
            raise TokenError("wrong issuer")
        audience = claims.get("aud")
        audiences = [audience] if isinstance(audience, str) else audience if isinstance(audience, list) else []
        if config.audience not in audiences:
            raise TokenError("wrong or missing audience")
        exp = claims.get("exp")
        if not _number(exp):
            raise TokenError("missing or bad exp")
        if now >= exp + leeway:
            raise TokenError("token expired")
        for name in ("nbf", "iat"):
            value = claims.get(name)
            if value is None:
                continue
            if not _number(value):
                raise TokenError(f"bad {name}")
            if value > now + leeway:
                raise TokenError("token not yet valid")
        if not isinstance(claims.get("sub"), str) or not claims["sub"]:
            raise TokenError("missing sub")

    def _failure(self, status: int, error: str | None, description: str | None) -> AuthFailure:
        params = [f'resource_metadata="{self.metadata_url}"']
        if self.config.scopes:
            params.append(f'scope="{_quote(" ".join(self.config.scopes))}"')
        if error:
            params.append(f'error="{error}"')
        if description:
            params.append(f'error_description="{_quote(description)}"')
        return AuthFailure(status, "Bearer " + ", ".join(params), error, description)

    def failure_body(self, failure: AuthFailure) -> bytes:
        body: dict[str, str] = {"error": failure.error or "unauthorized"}
        if failure.description:
            body["error_description"] = failure.description
        return json.dumps(body).encode()


def _number(value: Any) -> TypeGuard[int | float]:
    # Finite only: every comparison with NaN is false, so "exp": NaN would
    # never expire (safe_json already refuses it; this keeps the rule local).
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _quote(text: str) -> str:
    return _UNSAFE.sub("", text)[:200]


def _identity(claims: dict[str, Any]) -> Identity:
    scope = claims.get("scope")
    scp = claims.get("scp")
    scopes: tuple[str, ...] = ()
    if isinstance(scope, str):
        scopes = tuple(scope.split())
    elif isinstance(scp, list):
        scopes = tuple(s for s in scp if isinstance(s, str))
    elif isinstance(scp, str):
        scopes = tuple(scp.split())
    client = claims.get("client_id", claims.get("azp"))
    return Identity(subject=claims["sub"], client_id=client if isinstance(client, str) else None,
                    scopes=scopes, claims=claims)
