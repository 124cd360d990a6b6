"""Compact JWS (JWT) parsing and signature checks: RS256, ES256, HS256.

Pure Python: RSA through the ``rsa`` package, ECDSA P-256 through
``ecdsa``, HMAC through the standard library. Everything is imported at
module top level, so componentize-py bundles it (it bundles only what is
imported at build time). Every failure is a :class:`TokenError`.
"""

from __future__ import annotations

# rsa and ecdsa import these lazily in places; import them here so the
# component bundles them.
import base64
import binascii
import hashlib
import hmac
import re
from dataclasses import dataclass
from typing import Any

import ecdsa  # type: ignore[import-untyped]
import ecdsa.ellipticcurve  # type: ignore[import-untyped]
import ecdsa.keys  # type: ignore[import-untyped]
import rsa
import rsa.common
import rsa.pkcs1

from . import safe_json

__all__ = ["MAX_TOKEN_BYTES", "TokenError", "UnverifiedToken", "b64url_decode", "parse", "verify_signature"]

MAX_TOKEN_BYTES = 8 * 1024
ALGORITHMS = ("RS256", "ES256", "HS256")
_B64URL = re.compile(r"^[A-Za-z0-9_-]*$")
# A token's header and claims are flat objects; custom claims may nest a little.
MAX_JSON_DEPTH = 16


class TokenError(Exception):
    """The token is not acceptable; the message says why (safe to show the client)."""


@dataclass(frozen=True)
class UnverifiedToken:
    """A token split and its header decoded, its signature not yet checked.

    The claims stay undecoded until :meth:`verified_claims`: nothing the
    signature does not vouch for is parsed beyond the header.
    """

    header: dict[str, Any]
    payload: bytes
    signing_input: bytes
    signature: bytes

    def verified_claims(self) -> dict[str, Any]:
        """The claims; call only after :func:`verify_signature` passed."""
        return _json_object(self.payload, "payload")

    @property
    def alg(self) -> str:
        alg = self.header.get("alg")
        return alg if isinstance(alg, str) else ""

    @property
    def kid(self) -> str | None:
        kid = self.header.get("kid")
        return kid if isinstance(kid, str) else None


def b64url_decode(text: str) -> bytes:
    """Strict base64url without padding (RFC 7515 section 2)."""
    if not _B64URL.match(text) or len(text) % 4 == 1:
        raise TokenError("malformed token: bad base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise TokenError("malformed token: bad base64url") from exc


def _json_object(data: bytes, what: str) -> dict[str, Any]:
    try:
        value = safe_json.loads(data, max_depth=MAX_JSON_DEPTH)
    except safe_json.InvalidJson as exc:
        raise TokenError(f"malformed token: {what} is not JSON ({exc})") from exc
    if not isinstance(value, dict):
        raise TokenError(f"malformed token: {what} is not a JSON object")
    return value


def parse(token: str) -> UnverifiedToken:
    """Split and decode a compact JWS; checks size and shape, not the signature."""
    if len(token) > MAX_TOKEN_BYTES:
        raise TokenError("token too large")
    parts = token.split(".")
    if len(parts) != 3:
        raise TokenError("malformed token: expected three segments")
    header = _json_object(b64url_decode(parts[0]), "header")
    payload = b64url_decode(parts[1])
    signature = b64url_decode(parts[2])
    alg = header.get("alg")
    if not isinstance(alg, str) or alg not in ALGORITHMS:
        raise TokenError(f"algorithm not allowed: {str(alg)[:20]!r}")
    if "crit" in header:
        raise TokenError("unsupported critical header parameters")
    typ = header.get("typ")
    if typ is not None and (not isinstance(typ, str)
                            or typ.lower().removeprefix("application/") not in ("jwt", "at+jwt")):
        raise TokenError("not an access token (typ)")
    return UnverifiedToken(header, payload, f"{parts[0]}.{parts[1]}".encode("ascii"), signature)


def verify_signature(token: UnverifiedToken, key: Any) -> None:
    """Check the signature with ``key``: bytes (HS256), rsa.PublicKey (RS256), ecdsa key (ES256)."""
    alg = token.alg
    if alg == "HS256":
        if not isinstance(key, bytes):
            raise TokenError("algorithm does not match the key")
        expected = hmac.new(key, token.signing_input, hashlib.sha256).digest()
        if not hmac.compare_digest(expected, token.signature):
            raise TokenError("invalid signature")
    elif alg == "RS256":
        if not isinstance(key, rsa.PublicKey):
            raise TokenError("algorithm does not match the key")
        # RFC 8017 (RSASSA-PKCS1-v1_5 verification, step 1 and RSAVP1): the
        # signature is exactly k octets and its value below the modulus. rsa
        # checks neither, so s + n would verify like s: one token, many spellings.
        if len(token.signature) != rsa.common.byte_size(key.n) \
                or int.from_bytes(token.signature, "big") >= key.n:
            raise TokenError("invalid signature")
        try:
            # rsa.verify accepts any hash it recognises: insist on SHA-256.
            method = rsa.verify(token.signing_input, token.signature, key)
        except rsa.VerificationError as exc:
            raise TokenError("invalid signature") from exc
        if method != "SHA-256":
            raise TokenError("invalid signature")
    elif alg == "ES256":
        if not isinstance(key, ecdsa.VerifyingKey):
            raise TokenError("algorithm does not match the key")
        if len(token.signature) != 64:
            raise TokenError("invalid signature")
        try:
            ok = key.verify(token.signature, token.signing_input, hashfunc=hashlib.sha256)
        except ecdsa.BadSignatureError as exc:
            raise TokenError("invalid signature") from exc
        if not ok:
            raise TokenError("invalid signature")
    else:  # parse() already refused it
        raise TokenError("algorithm not allowed")
