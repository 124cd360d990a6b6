"""Test keys, a local JWKS server, and the token attack catalog (PyJWT-minted).

Shared by tests/transport/test_auth.py (host) and tests/e2e/test_auth_server.py
(the composed server).
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

ISSUER = "https://auth.example.com"
AUDIENCE = "https://mcp.example.com/mcp"
HS_SECRET = "a-test-secret-that-is-long-enough-0123456789"
SCOPES = "mcp:tools"


@dataclass
class Keys:
    rsa: rsa.RSAPrivateKey
    ec: ec.EllipticCurvePrivateKey
    other_rsa: rsa.RSAPrivateKey  # not in the JWKS
    rotated_rsa: rsa.RSAPrivateKey  # added to the JWKS later

    def jwk(self, key: Any, kid: str) -> dict[str, Any]:
        public = key.public_key()
        algorithm = RSAAlgorithm if isinstance(public, rsa.RSAPublicKey) else ECAlgorithm
        jwk: dict[str, Any] = json.loads(algorithm.to_jwk(public))
        jwk.update(kid=kid, use="sig", alg="RS256" if algorithm is RSAAlgorithm else "ES256")
        return jwk

    def jwks(self, *, rotated: bool = False) -> dict[str, Any]:
        keys = [self.jwk(self.rsa, "rsa-1"), self.jwk(self.ec, "ec-1")]
        if rotated:
            keys.append(self.jwk(self.rotated_rsa, "rsa-2"))
        return {"keys": keys}

    def rsa_public_pem(self) -> bytes:
        return self.rsa.public_key().public_bytes(serialization.Encoding.PEM,
                                                  serialization.PublicFormat.SubjectPublicKeyInfo)


def make_keys() -> Keys:
    def new_rsa() -> rsa.RSAPrivateKey:
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return Keys(new_rsa(), ec.generate_private_key(ec.SECP256R1()), new_rsa(), new_rsa())


def claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    base: dict[str, Any] = {"iss": ISSUER, "aud": AUDIENCE, "sub": "user-42", "client_id": "client-7",
                            "scope": "mcp:tools profile", "iat": now, "exp": now + 600}
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def rs256(keys: Keys, kid: str = "rsa-1", key: Any = None, **overrides: Any) -> str:
    return jwt.encode(claims(**overrides), key or keys.rsa, algorithm="RS256", headers={"kid": kid})


def es256(keys: Keys, **overrides: Any) -> str:
    return jwt.encode(claims(**overrides), keys.ec, algorithm="ES256", headers={"kid": "ec-1"})


def hs256(secret: str | bytes = HS_SECRET, **overrides: Any) -> str:
    return jwt.encode(claims(**overrides), secret, algorithm="HS256")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unsigned(**overrides: Any) -> str:
    header = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    return f"{header}.{_b64(json.dumps(claims(**overrides)).encode())}."


def tampered(keys: Keys) -> str:
    header, _, signature = rs256(keys).split(".")
    payload = _b64(json.dumps(claims(sub="admin")).encode())
    return f"{header}.{payload}.{signature}"


def hs_with_rsa_pem(keys: Keys) -> str:
    # Algorithm confusion: HS256 keyed with the RSA public key's PEM.
    # PyJWT refuses PEM as an HMAC key, so sign by hand.
    import hashlib
    import hmac
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": "rsa-1"}).encode())
    payload = _b64(json.dumps(claims()).encode())
    signature = hmac.new(keys.rsa_public_pem(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64(signature)}"


def signed_raw(keys: Keys, payload: bytes, header: bytes | None = None) -> str:
    """RS256 over payload bytes as given (PyJWT would refuse or normalise them)."""
    head = _b64(header if header is not None else json.dumps({"alg": "RS256", "typ": "JWT", "kid": "rsa-1"}).encode())
    signing_input = f"{head}.{_b64(payload)}".encode()
    signature = keys.rsa.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
    return f"{signing_input.decode()}.{_b64(signature)}"


def with_non_finite(keys: Keys, claim: str, literal: str) -> str:
    """A validly signed token whose ``claim`` is a non-finite number literal (NaN, Infinity, 1e999)."""
    text = json.dumps(claims(**{claim: 12345}))
    return signed_raw(keys, text.replace("12345", literal, 1).encode())


def signature_plus_modulus(keys: Keys) -> str:
    """A valid token whose signature s is replaced by s + n, still k bytes long."""
    n = keys.rsa.public_key().public_numbers().n
    size = (n.bit_length() + 7) // 8
    for jti in range(1000):  # s + n fits in k bytes for some tokens only
        header, payload, signature = rs256(keys, jti=str(jti)).split(".")
        s = int.from_bytes(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)), "big")
        if (s + n).bit_length() <= size * 8:
            return f"{header}.{payload}.{_b64((s + n).to_bytes(size, 'big'))}"
    raise AssertionError("no token whose s + n fits")


def deeply_nested(keys: Keys, where: str, depth: int = 2000) -> str:
    """A token whose header or claims nest ``depth`` arrays deep (unsigned: the
    server must refuse it without recursing, before any signature check)."""
    nest = "[" * depth + "]" * depth
    if where == "header":
        header = _b64(('{"alg":"RS256","kid":"rsa-1","x":' + nest + "}").encode())
        return f"{header}.{_b64(json.dumps(claims()).encode())}.{_b64(b'x' * 256)}"
    return signed_raw(keys, json.dumps(claims(nest=12345)).replace("12345", nest).encode())


def attack_catalog(keys: Keys) -> dict[str, tuple[str | None, str | None]]:
    """name -> (Authorization header or None, expected error (None: no error param))."""
    now = int(time.time())
    return {
        "missing token": (None, None),
        "wrong scheme (Basic)": ("Basic dXNlcjpwYXNz", None),
        "alg none": ("Bearer " + unsigned(), "invalid_token"),
        "wrong key": ("Bearer " + rs256(keys, key=keys.other_rsa), "invalid_token"),
        "HS/RS confusion": ("Bearer " + hs_with_rsa_pem(keys), "invalid_token"),
        "wrong issuer": ("Bearer " + rs256(keys, iss="https://evil.example.com"), "invalid_token"),
        "wrong audience": ("Bearer " + rs256(keys, aud="https://other.example.com"), "invalid_token"),
        "missing audience": ("Bearer " + rs256(keys, aud=None), "invalid_token"),
        "expired": ("Bearer " + rs256(keys, iat=now - 7200, exp=now - 3600), "invalid_token"),
        "not yet valid": ("Bearer " + rs256(keys, nbf=now + 3600), "invalid_token"),
        "issued in the future": ("Bearer " + rs256(keys, iat=now + 3600), "invalid_token"),
        "missing exp": ("Bearer " + rs256(keys, exp=None), "invalid_token"),
        "tampered payload": ("Bearer " + tampered(keys), "invalid_token"),
        "unknown kid": ("Bearer " + rs256(keys, kid="nope"), "invalid_token"),
        "malformed header": ("Bearer " + "e30x." + rs256(keys).split(".", 1)[1], "invalid_token"),
        "malformed segments": ("Bearer abc.def", "invalid_token"),
        "bad base64": ("Bearer a*b.c*d.e*f", "invalid_token"),
        "oversized token": ("Bearer " + rs256(keys, pad="x" * 9000), "invalid_token"),
        "exp NaN": ("Bearer " + with_non_finite(keys, "exp", "NaN"), "invalid_token"),
        "nbf NaN": ("Bearer " + with_non_finite(keys, "nbf", "NaN"), "invalid_token"),
        "exp Infinity": ("Bearer " + with_non_finite(keys, "exp", "Infinity"), "invalid_token"),
        "exp 1e999": ("Bearer " + with_non_finite(keys, "exp", "1e999"), "invalid_token"),
        "signature plus modulus": ("Bearer " + signature_plus_modulus(keys), "invalid_token"),
        "header nested 2000 deep": ("Bearer " + deeply_nested(keys, "header"), "invalid_token"),
        "claims nested 2000 deep": ("Bearer " + deeply_nested(keys, "claims"), "invalid_token"),
    }


class JwksServer:
    """Serves a JWKS on 127.0.0.1 and counts the fetches."""

    def __init__(self, jwks: dict[str, Any]) -> None:
        self.jwks = jwks
        self.fetches = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.fetches += 1
                body = json.dumps(server.jwks).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}/jwks.json"

    @contextmanager
    def running(self) -> Iterator[JwksServer]:
        thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._httpd.shutdown()
            self._httpd.server_close()
            thread.join()


def auth_env(jwks_uri: str, **extra: str) -> dict[str, str]:
    env = {"MCP_AUTH_ISSUER": ISSUER, "MCP_AUTH_AUDIENCE": AUDIENCE, "MCP_AUTH_JWKS_URI": jwks_uri,
           "MCP_AUTH_SCOPES": SCOPES}
    env.update(extra)
    return env


Minter = Callable[..., str]
