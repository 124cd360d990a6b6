"""Calls that wait for the client: parked between HTTP requests.

A tool that asks the client something (elicitation, sampling, roots)
cannot hold its HTTP request open while the client answers: a runtime
runs one request at a time per instance (jco, wasmtime serve), so the
answer, a separate POST, could never reach the instance holding the call.
Instead the call's SSE stream sends the requests and ends (with a
``retry`` hint); the call waits here, in the instance's memory, keyed by
its stream. The answer's POST is matched to it by the request id; the
client's reconnection (GET with ``Last-Event-ID``, SEP-1699) resumes the
call and streams the rest. So this works wherever an instance outlives a
request: jco, stdio, wasmtime serve reusing instances.

Everything is bounded: how many calls wait, how long an answer may take
(then the tool gets a timeout error and the client a
``notifications/cancelled``), and how long a call waits for its client to
come back at all.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .jsonrpc import RequestId, Response
from .port import Answer, AnswerError, Suspend

__all__ = ["Parked", "Parking", "answer_from"]

Message = dict[str, Any]

# Waiting calls one instance keeps; the oldest is dropped beyond this.
MAX_PARKED = 64
# How long the client may take to answer (a person may be filling a form).
ANSWER_TIMEOUT_SECONDS = 300.0
# How long a call whose answers are in waits for its client to reconnect.
RECONNECT_GRACE_SECONDS = 120.0
# The reconnection delay asked of the client while a call waits: short at
# first (a program answers in milliseconds), longer while a person types.
POLL_RETRY_MILLISECONDS = 100
MAX_POLL_RETRY_MILLISECONDS = 2000


@dataclass
class Parked:
    """One call's stream: its events so far and what it waits for."""

    request_id: RequestId
    session_id: str | None
    messages: Iterator[Message | Suspend]
    stream: str = field(default_factory=lambda: secrets.token_hex(8))
    number: int = 0
    # Events sent since the call last resumed, replayed to a client that
    # reconnects having missed some (its Last-Event-ID is older).
    sent: list[tuple[int, bytes]] = field(default_factory=list)
    # Our request id -> (the call's key for it, method), until answered.
    waiting: dict[str, tuple[str, str]] = field(default_factory=dict)
    respond: Callable[[str, Answer], None] | None = None
    # Notifications owed to the client when it reconnects (cancellations).
    owed: list[Message] = field(default_factory=list)
    answer_deadline: float = 0.0
    expires: float = 0.0
    polls: int = 0

    def event(self, data: bytes) -> bytes:
        """One SSE event with the next id; kept for replay."""
        self.number += 1
        encoded = f"event: message\nid: {self.stream}-{self.number}\ndata: ".encode() + data + b"\n\n"
        self.sent.append((self.number, encoded))
        return encoded

    def replay(self, seen: int) -> list[bytes]:
        """The events sent after event number ``seen`` since the call last went on."""
        return [encoded for number, encoded in self.sent if number > seen]

    def poll_hint(self) -> bytes:
        """An empty event that ends a stream and says when to reconnect.

        It has an id of its own, so a client that reconnects names the
        point it reached; the delay grows while the call keeps waiting.
        """
        self.number += 1
        retry = min(int(POLL_RETRY_MILLISECONDS * 1.5 ** self.polls), MAX_POLL_RETRY_MILLISECONDS)
        self.polls += 1
        return f"id: {self.stream}-{self.number}\nretry: {retry}\ndata: \n\n".encode()

    def ask(self, suspend: Suspend, now: float) -> list[Message]:
        """Record what the call asks; the JSON-RPC requests to send the client."""
        self.respond = suspend.respond
        self.polls = 0
        requests = []
        for key, method, params in suspend.requests:
            request_id = f"{self.stream}.{key}"
            self.waiting[request_id] = (key, method)
            requests.append({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})
        self.answer_deadline = now + ANSWER_TIMEOUT_SECONDS
        self.expires = self.answer_deadline + RECONNECT_GRACE_SECONDS
        return requests

    @property
    def ready(self) -> bool:
        """Every answer is in: the call can go on."""
        return not self.waiting

    def deliver(self, request_id: str, answer: Answer, now: float) -> bool:
        entry = self.waiting.pop(request_id, None)
        if entry is None or self.respond is None:
            return False
        self.respond(entry[0], answer)
        if self.ready:
            self.expires = now + RECONNECT_GRACE_SECONDS
        return True

    def time_out(self, now: float) -> None:
        """Give up on every missing answer: the tool sees an error, the client a cancellation."""
        for request_id, (_, method) in list(self.waiting.items()):
            self.deliver(request_id, AnswerError(
                f"{method}: no answer from the client within {ANSWER_TIMEOUT_SECONDS:.0f} s"), now)
            self.owed.append({"jsonrpc": "2.0", "method": "notifications/cancelled",
                              "params": {"requestId": request_id, "reason": "no answer in time"}})


class Parking:
    """The calls of one instance that wait for their client."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._by_stream: dict[str, Parked] = {}

    def __len__(self) -> int:
        return len(self._by_stream)

    def now(self) -> float:
        return self._clock()

    def park(self, call: Parked) -> None:
        self._by_stream[call.stream] = call
        while len(self._by_stream) > MAX_PARKED:
            oldest = next(iter(self._by_stream))
            self._drop(oldest)

    def find(self, last_event_id: str, session_id: str | None) -> tuple[Parked, int] | None:
        """The call a ``Last-Event-ID`` names, and the event number it gives."""
        stream, _, number = last_event_id.rpartition("-")
        call = self._by_stream.get(stream)
        if call is None or call.session_id != session_id or not number.isdigit():
            return None
        return call, int(number)

    def take(self, call: Parked) -> None:
        """Remove ``call`` to run it; running it parks it again if it waits."""
        self._by_stream.pop(call.stream, None)

    def answer(self, response: Response, session_id: str | None) -> Parked | None:
        """Hand a client's answer to the call that asked it; that call, or None."""
        if not isinstance(response.id, str):
            return None
        call = self._by_stream.get(response.id.partition(".")[0])  # a key may hold dots; a stream never
        if call is None or call.session_id != session_id or response.id not in call.waiting:
            return None
        call.deliver(response.id, answer_from(response, call.waiting[response.id][1]), self._clock())
        return call

    def ready(self) -> list[Parked]:
        """The calls whose answers are all in (or timed out)."""
        return [call for call in self._by_stream.values() if call.ready]

    def cancel(self, request_id: Any, session_id: str | None) -> bool:
        """The client cancelled its request: drop its call, if it waits here."""
        for stream, call in list(self._by_stream.items()):
            if call.request_id == request_id and call.session_id == session_id:
                self._drop(stream)
                return True
        return False

    def end_session(self, session_id: str) -> None:
        for stream, call in list(self._by_stream.items()):
            if call.session_id == session_id:
                self._drop(stream)

    def sweep(self) -> None:
        """Time out overdue answers, and drop calls whose client never came back."""
        now = self._clock()
        for stream, call in list(self._by_stream.items()):
            if call.waiting and now >= call.answer_deadline:
                call.time_out(now)
            if now >= call.expires:
                self._drop(stream)

    def _drop(self, stream: str) -> None:
        call = self._by_stream.pop(stream)
        close = getattr(call.messages, "close", None)
        if close is not None:
            try:
                close()  # unwinds the call: the provider cancels what still runs
            except Exception:  # a failing provider must not fail this request
                pass


def answer_from(response: Response, method: str) -> Answer:
    """A client's JSON-RPC response as the answer a call receives."""
    if response.error is not None:
        code = response.error.get("code")
        message = response.error.get("message")
        return AnswerError(f"{method}: the client answered {code}: {message}",
                           code if isinstance(code, int) else -32603)
    if not isinstance(response.result, dict):
        return AnswerError(f"{method}: the client's answer is not an object")
    result: dict[str, Any] = response.result
    return result
