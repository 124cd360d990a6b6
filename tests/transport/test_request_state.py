"""requestState: answers sealed by one instance open on any instance with
the same secret, and only for the request they were issued for, until
they expire; any change to the text is refused."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

import pytest

from mcp_transport import request_state
from mcp_transport.request_state import MAX_STATE_LENGTH, RequestStates, StateError, binding_of

SECRET = b"r" * 32
ANSWERS = {"confirm": {"action": "accept", "content": {"ok": True}}, "name": {"action": "decline"}}
CALL = binding_of("tools/call", {"name": "deploy", "arguments": {"env": "prod", "replicas": 3}})


class Clock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def refused(states: RequestStates, state: Any, binding: str = CALL) -> str:
    with pytest.raises(StateError) as info:
        states.open(state, binding)
    return str(info.value)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def signed(payload: dict[str, Any], secret: bytes = SECRET) -> str:
    raw = json.dumps(payload).encode()
    return f"{b64(raw)}.{b64(hmac.new(secret, raw, hashlib.sha256).digest())}"


def test_answers_round_trip_on_another_instance() -> None:
    state = RequestStates(SECRET).seal(CALL, ANSWERS)
    assert RequestStates(SECRET).open(state, CALL) == ANSWERS
    assert RequestStates(SECRET).open(RequestStates(SECRET).seal(CALL, {}), CALL) == {}


def test_the_state_is_compact_text_with_a_readable_signed_payload() -> None:
    clock = Clock()
    state = RequestStates(SECRET, max_age_seconds=60, clock=clock).seal(CALL, ANSWERS)
    payload_part, mac_part = state.split(".")
    assert "=" not in state and set(state) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")
    payload = base64.urlsafe_b64decode(payload_part + "=" * (-len(payload_part) % 4))
    mac = base64.urlsafe_b64decode(mac_part + "=" * (-len(mac_part) % 4))
    assert mac == hmac.new(SECRET, payload, hashlib.sha256).digest()
    content = json.loads(payload)
    assert content == {"v": 1, "b": hashlib.sha256(CALL.encode()).hexdigest(), "a": ANSWERS, "exp": 1_000_060}


def test_non_ascii_answers_round_trip() -> None:
    answers = {"q": {"action": "accept", "content": {"city": "Zürich 日本"}}}
    states = RequestStates(SECRET)
    assert states.open(states.seal(CALL, answers), CALL) == answers


def test_another_secret_refuses_the_state() -> None:
    state = RequestStates(SECRET).seal(CALL, ANSWERS)
    assert "verification" in refused(RequestStates(b"t" * 32), state)


def test_without_a_secret_a_state_opens_only_on_its_instance() -> None:
    states = RequestStates(None)
    state = states.seal(CALL, ANSWERS)
    assert states.open(state, CALL) == ANSWERS
    assert "verification" in refused(RequestStates(None), state)


def test_flipping_any_payload_character_is_refused() -> None:
    states = RequestStates(SECRET)
    state = states.seal(CALL, ANSWERS)
    payload_part = state.split(".")[0]
    for index in range(len(payload_part)):
        flipped = "A" if state[index] != "A" else "B"
        tampered = state[:index] + flipped + state[index + 1:]
        refused(states, tampered)


def test_flipping_any_mac_character_is_refused() -> None:
    states = RequestStates(SECRET)
    state = states.seal(CALL, ANSWERS)
    start = state.index(".") + 1
    for index in range(start, len(state)):
        flipped = "A" if state[index] != "A" else "B"
        refused(states, state[:index] + flipped + state[index + 1:])


def test_appended_text_is_refused() -> None:
    states = RequestStates(SECRET)
    state = states.seal(CALL, ANSWERS)
    for tampered in (state + "-TAMPERED", state + "A", state + "=", state + ".", "x" + state, state + " "):
        refused(states, tampered)


def test_a_payload_forged_with_another_key_is_refused() -> None:
    forged = signed({"v": 1, "b": hashlib.sha256(CALL.encode()).hexdigest(), "a": {"x": 1}, "exp": 2**40},
                    secret=b"guess" * 8)
    assert "verification" in refused(RequestStates(SECRET), forged)


def test_swapping_the_payload_of_two_states_is_refused() -> None:
    states = RequestStates(SECRET)
    first = states.seal(CALL, {"a": 1})
    second = states.seal(CALL, {"a": 2})
    refused(states, first.split(".")[0] + "." + second.split(".")[1])


@pytest.mark.parametrize("state", [
    None, 7, b"abc.def", ["a.b"], "", ".", "abc", "abc.", ".abc", "a.b.c", "YQ.YQ", "YQ==.YQ==", "Y Q.YQ",
    "YR.AAAA", "abc+def.ghi/jkl", "\x00.\x00", "é.é",
])
def test_malformed_states_are_refused(state: Any) -> None:
    assert "malformed" in refused(RequestStates(SECRET), state)


def test_a_signed_payload_of_the_wrong_shape_is_refused() -> None:
    digest = hashlib.sha256(CALL.encode()).hexdigest()
    states = RequestStates(SECRET)
    for payload in ({"v": 2, "b": digest, "a": {}, "exp": 2**40}, {"v": 1, "b": digest, "a": [], "exp": 2**40},
                    {"v": 1, "b": digest, "a": {}, "exp": "never"}, {"v": 1, "b": digest, "a": {}, "exp": True},
                    {"v": 1, "b": 5, "a": {}, "exp": 2**40}, {"v": 1, "a": {}, "exp": 2**40}):
        assert "malformed" in refused(states, signed(payload))
    raw = b"not json"
    assert "malformed" in refused(states, f"{b64(raw)}.{b64(hmac.new(SECRET, raw, hashlib.sha256).digest())}")
    raw = b"[]"
    assert "malformed" in refused(states, f"{b64(raw)}.{b64(hmac.new(SECRET, raw, hashlib.sha256).digest())}")
    assert states.open(signed({"v": 1, "b": digest, "a": {"k": 1}, "exp": 2**40}), CALL) == {"k": 1}


def test_an_oversized_state_is_refused_before_any_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_decoding(text: str) -> bytes | None:
        raise AssertionError("decoded an oversized state")

    states = RequestStates(SECRET)
    monkeypatch.setattr(request_state, "_b64decode", no_decoding)
    assert "malformed" in refused(states, "A" * (MAX_STATE_LENGTH - 10) + "." + "A" * 11)
    assert MAX_STATE_LENGTH == 1024 * 1024


def test_a_large_state_within_the_bound_opens() -> None:
    states = RequestStates(SECRET)
    answers = {"text": {"action": "accept", "content": {"body": "x" * 500_000}}}
    state = states.seal(CALL, answers)
    assert len(state) <= MAX_STATE_LENGTH
    assert states.open(state, CALL) == answers


def test_a_state_expires() -> None:
    clock = Clock()
    states = RequestStates(SECRET, max_age_seconds=30, clock=clock)
    state = states.seal(CALL, ANSWERS)
    clock.now += 29
    assert states.open(state, CALL) == ANSWERS
    clock.now += 1
    assert "expired" in refused(states, state)
    # Also on another instance whose clock has moved on.
    assert "expired" in refused(RequestStates(SECRET, clock=Clock(clock.now)), state)


def test_the_default_lifetime_is_half_an_hour() -> None:
    clock = Clock()
    states = RequestStates(SECRET, clock=clock)
    state = states.seal(CALL, ANSWERS)
    clock.now += 1799
    states.open(state, CALL)
    clock.now += 1
    refused(states, state)


@pytest.mark.parametrize("age", [0, -5])
def test_the_lifetime_must_be_positive(age: int) -> None:
    with pytest.raises(ValueError):
        RequestStates(SECRET, max_age_seconds=age)


@pytest.mark.parametrize(("method", "params"), [
    ("tools/call", {"name": "rollback", "arguments": {"env": "prod", "replicas": 3}}),
    ("tools/call", {"name": "deploy", "arguments": {"env": "staging", "replicas": 3}}),
    ("tools/call", {"name": "deploy", "arguments": {"env": "prod", "replicas": 4}}),
    ("tools/call", {"name": "deploy", "arguments": {"env": "prod", "replicas": 3, "force": True}}),
    ("tools/call", {"name": "deploy", "arguments": {"env": "prod", "replicas": "3"}}),
    ("tools/call", {"name": "deploy"}),
    ("prompts/get", {"name": "deploy", "arguments": {"env": "prod", "replicas": 3}}),
    ("resources/read", {"uri": "deploy"}),
])
def test_a_state_opens_only_for_its_own_request(method: str, params: dict[str, Any]) -> None:
    states = RequestStates(SECRET)
    state = states.seal(CALL, ANSWERS)
    assert "another request" in refused(states, state, binding_of(method, params))


def test_the_binding_ignores_key_order_meta_and_the_answers_themselves() -> None:
    again = binding_of("tools/call", {"arguments": {"replicas": 3, "env": "prod"}, "name": "deploy",
                                      "_meta": {"x": 1}, "inputResponses": {"confirm": {}},
                                      "requestState": "..."})
    assert again == CALL


def test_the_binding_names_the_target_of_each_method() -> None:
    assert binding_of("resources/read", {"uri": "file:///a"}) != binding_of("resources/read", {"uri": "file:///b"})
    assert binding_of("prompts/get", {"name": "a"}) != binding_of("prompts/get", {"name": "b"})
    assert binding_of("prompts/get", {"name": "a"}) != binding_of("tools/call", {"name": "a"})
    # Absent and null arguments are no arguments.
    assert binding_of("tools/call", {"name": "a"}) == binding_of("tools/call", {"name": "a", "arguments": {}})
    assert binding_of("tools/call", {"name": "a", "arguments": None}) == binding_of("tools/call", {"name": "a"})
    # Delimiters inside names cannot shift into the arguments.
    assert binding_of("tools/call", {"name": 'a",{"x', "arguments": {}}) != binding_of("tools/call", {"name": "a"})
