"""Signed session ids: valid on any instance with the same secret, carrying
the negotiated protocol version and the client capabilities a tool may
need, refused when forged or tampered with."""

from __future__ import annotations

from mcp_transport.sessions import Sessions

SECRET = b"s" * 32


def test_another_instance_recognises_an_id_and_its_protocol_version() -> None:
    session_id = Sessions(SECRET).create("2025-11-25", {"name": "c"})
    elsewhere = Sessions(SECRET).get(session_id)
    assert elsewhere is not None
    assert elsewhere.protocol_version == "2025-11-25"
    assert elsewhere.log_level is None  # kept only by the instance that set it


def test_an_id_from_another_secret_is_unknown() -> None:
    session_id = Sessions(SECRET).create("2025-11-25")
    assert Sessions(b"t" * 32).get(session_id) is None


def test_another_instance_knows_what_the_client_may_be_asked() -> None:
    declared = {"sampling": {}, "elicitation": {}, "experimental": {"x": {}}}
    state = Sessions(SECRET).get(Sessions(SECRET).create("2025-11-25", None, declared))
    assert state is not None
    assert state.client_capabilities == {"sampling": {}, "elicitation": {"form": {}}}
    state = Sessions(SECRET).get(Sessions(SECRET).create("2025-11-25", None, {
        "roots": {"listChanged": True}, "elicitation": {"url": {}}}))
    assert state is not None and state.client_capabilities == {"roots": {}, "elicitation": {"url": {}}}
    state = Sessions(SECRET).get(Sessions(SECRET).create("2025-11-25"))
    assert state is not None and state.client_capabilities == {}


def test_a_tampered_version_flags_or_signature_is_unknown() -> None:
    session_id = Sessions(SECRET).create("2025-06-18", None, {"roots": {}})
    nonce, version, flags, signature = session_id.split(".")
    assert Sessions(SECRET).get(f"{nonce}.2025-11-25.{flags}.{signature}") is None
    assert Sessions(SECRET).get(f"{nonce}.{version}.sr.{signature}") is None
    assert Sessions(SECRET).get(f"{nonce}.{version}.{flags}.{'0' * len(signature)}") is None
    for garbage in ("", ".", "..", "abc", "a.b.c.d", "\x00" * 40):
        assert Sessions(SECRET).get(garbage) is None


def test_an_unknown_version_in_a_signed_id_is_not_trusted() -> None:
    session_id = Sessions(SECRET).create("1999-01-01")
    state = Sessions(SECRET).get(session_id)
    assert state is not None and state.protocol_version is None


def test_terminated_ids_stay_terminated_in_that_instance() -> None:
    sessions = Sessions(SECRET)
    session_id = sessions.create("2025-11-25")
    assert sessions.terminate(session_id)
    assert sessions.get(session_id) is None
    assert not sessions.terminate(session_id)
