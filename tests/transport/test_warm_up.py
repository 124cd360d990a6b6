"""The requests the transport serves at build time (mcp_transport.warm_up)
must each take the path they are there to warm: a result, not an error."""

from __future__ import annotations

import json

from mcp_transport.warm_up import warm_up


def _messages(body: bytes) -> list[dict[str, object]]:
    if body.startswith(b"{"):
        return [json.loads(body)]
    return [json.loads(line[len(b"data: "):]) for line in body.splitlines()
            if line.startswith(b"data: {")]


def test_every_warm_up_request_gets_a_result() -> None:
    answers = warm_up(rounds=1)
    assert len(answers) == 7
    for status, body in answers:
        assert status == 200, body
        messages = _messages(body)
        assert messages and "result" in messages[-1], body


def test_warm_up_answers_tool_calls_in_both_eras_and_both_response_kinds() -> None:
    answers = warm_up(rounds=1)
    calls = [body for _, body in answers if b'"text":"warm"' in body]
    assert any(body.startswith(b"id: ") for body in calls)  # SSE (2025-11-25, the tools/call default)
    assert any(body.startswith(b"{") and b'"resultType"' not in body for body in calls)  # JSON, 2025-11-25
    assert any(b'"resultType":"complete"' in body for body in calls)  # 2026-07-28

