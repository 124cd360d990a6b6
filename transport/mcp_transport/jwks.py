"""Signing keys (JWKS): parsed from JSON, cached, refreshed on an unknown kid.

Only public RSA keys (for RS256, at least 2048 bits) and EC P-256 keys (for
ES256) are used; symmetric (``oct``) and other keys in a JWKS are ignored,
so a JWKS can never supply an HMAC secret. A key whose ``alg`` or ``use``
says otherwise is not used for a signature.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ecdsa  # type: ignore[import-untyped]
import rsa

from .jwt import TokenError, b64url_decode

__all__ = ["REFRESH_INTERVAL_SECONDS", "JsonWebKey", "KeySet", "parse_jwks"]

REFRESH_INTERVAL_SECONDS = 30.0
MIN_RSA_BITS = 2048
_KTY_FOR_ALG = {"RS256": "RSA", "ES256": "EC"}


@dataclass(frozen=True)
class JsonWebKey:
    kid: str | None
    kty: str  # "RSA" or "EC"
    alg: str | None
    use: str | None
    key: Any  # rsa.PublicKey or ecdsa.VerifyingKey

    def fits(self, alg: str) -> bool:
        return (_KTY_FOR_ALG.get(alg) == self.kty and self.alg in (None, alg)
                and self.use in (None, "sig"))


def _int(value: Any) -> int:
    if not isinstance(value, str):
        raise TokenError("bad key")
    return int.from_bytes(b64url_decode(value), "big")


def _parse_key(jwk: Any) -> JsonWebKey | None:
    if not isinstance(jwk, dict):
        return None
    kid = jwk.get("kid") if isinstance(jwk.get("kid"), str) else None
    alg = jwk.get("alg") if isinstance(jwk.get("alg"), str) else None
    use = jwk.get("use") if isinstance(jwk.get("use"), str) else None
    kty = jwk.get("kty")
    try:
        if kty == "RSA":
            n, e = _int(jwk.get("n")), _int(jwk.get("e"))
            if n.bit_length() < MIN_RSA_BITS or e < 3 or e % 2 == 0:
                return None
            return JsonWebKey(kid, "RSA", alg, use, rsa.PublicKey(n, e))
        if kty == "EC" and jwk.get("crv") == "P-256":
            x, y = b64url_decode(str(jwk.get("x"))), b64url_decode(str(jwk.get("y")))
            if len(x) != 32 or len(y) != 32:
                return None
            # from_string checks that the point is on the curve.
            return JsonWebKey(kid, "EC", alg, use, ecdsa.VerifyingKey.from_string(x + y, curve=ecdsa.NIST256p))
    except (TokenError, ValueError, ecdsa.MalformedPointError):
        return None
    return None  # oct, OKP, other curves: never used


def parse_jwks(document: Any) -> list[JsonWebKey]:
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise ValueError('a JWKS is a JSON object with a "keys" list')
    return [key for key in map(_parse_key, document["keys"]) if key is not None]


class KeySet:
    """The keys tokens are checked against: static, or fetched and cached.

    ``fetch`` returns the JWKS document; it runs on first use and again on
    an unknown kid, at most once per :data:`REFRESH_INTERVAL_SECONDS`
    (failed fetches count too, so a bad token cannot make this server
    hammer the key endpoint).
    """

    def __init__(self, static: Any = None, fetch: Callable[[], Any] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._static = parse_jwks(static) if static is not None else []
        self._fetch = fetch
        self._clock = clock
        self._fetched: list[JsonWebKey] = []
        self._last_fetch: float | None = None
        self.fetches = 0

    def _refresh(self) -> bool:
        if self._fetch is None:
            return False
        now = self._clock()
        if self._last_fetch is not None and now - self._last_fetch < REFRESH_INTERVAL_SECONDS:
            return False
        self._last_fetch = now
        self.fetches += 1
        try:
            self._fetched = parse_jwks(self._fetch())
        except Exception as exc:  # keep the old keys; the token is refused below
            print(f"mcp: auth: fetching the JWKS failed: {exc}", file=sys.stderr)
            return False
        return True

    def _candidates(self, alg: str, kid: str | None) -> list[JsonWebKey]:
        keys = self._static + self._fetched
        if kid is not None:
            return [k for k in keys if k.kid == kid]
        return [k for k in keys if k.fits(alg)]

    def find(self, alg: str, kid: str | None) -> Any:
        """The key for a token with this ``alg`` and ``kid``, or TokenError."""
        if self._fetch is not None and self._last_fetch is None:
            self._refresh()
        found = self._candidates(alg, kid)
        if not found and self._refresh():
            found = self._candidates(alg, kid)
        if not found:
            raise TokenError("unknown key id" if kid is not None else "no key for this algorithm")
        if kid is None and len(found) > 1:
            raise TokenError("token has no kid and several keys could match")
        fitting = [k for k in found if k.fits(alg)]
        if not fitting:
            raise TokenError("algorithm does not match the key")
        return fitting[0].key
