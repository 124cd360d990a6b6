"""A closed-loop HTTP/1.1 load generator for loopback MCP servers.

``concurrency`` keep-alive connections each send one request, wait for the
whole answer, check it, and send the next, until ``len(calls)`` requests
are done or the deadline passes. Two engines with the same contract:
asyncio over raw sockets (one thread, no HTTP library in the loop), and
threads with ``http.client``; ``python -m bench`` measures both against a
trivial server and uses the faster.
"""

from __future__ import annotations

import asyncio
import http.client
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from .stats import percentile
from .wire import Call, check_answer

Engine = Literal["asyncio", "threads"]
ENGINES: tuple[Engine, ...] = ("asyncio", "threads")


@dataclass
class LoadResult:
    """What one load run measured; latencies in seconds, in completion order."""

    requests: int
    errors: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    first_error: str | None = None
    timed_out: bool = False

    @property
    def rps(self) -> float:
        return (self.requests - self.errors) / self.seconds if self.seconds > 0 else 0.0

    def percentile(self, q: float) -> float:
        """Percentile of the latencies, in seconds."""
        return percentile(self.latencies, q)


class _Tally:
    """Latencies and errors shared by the workers of one run."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.errors = 0
        self.first_error: str | None = None
        self.lock = threading.Lock()

    def record(self, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies.append(seconds)
            if error is not None:
                self.errors += 1
                self.first_error = self.first_error or error


def run_load(engine: Engine, port: int, calls: Sequence[Call], concurrency: int,
             timeout: float, path: str = "/mcp", headers: dict[str, str] | None = None) -> LoadResult:
    """Send every call to 127.0.0.1:port at ``concurrency``; stop at ``timeout`` seconds."""
    runner = _run_asyncio if engine == "asyncio" else _run_threads
    return runner(port, calls, concurrency, timeout, path, headers or {})


def _request_bytes(port: int, path: str, headers: dict[str, str], body: bytes) -> bytes:
    lines = [f"POST {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Content-Type: application/json",
             "Accept: application/json, text/event-stream", f"Content-Length: {len(body)}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


# -- asyncio over raw sockets ---------------------------------------------------

def _run_asyncio(port: int, calls: Sequence[Call], concurrency: int, timeout: float,
                 path: str, headers: dict[str, str]) -> LoadResult:
    # Requests are encoded before the clock starts: the loop only sends and reads.
    wire = [_request_bytes(port, path, headers, call.body) for call in calls]
    tally = _Tally()
    next_index = iter(range(len(calls)))
    deadline = time.perf_counter() + timeout
    timed_out = False

    async def worker() -> None:
        nonlocal timed_out
        reader: asyncio.StreamReader | None = None
        writer: asyncio.StreamWriter | None = None
        try:
            for index in next_index:
                if time.perf_counter() > deadline:
                    timed_out = True
                    return
                start = time.perf_counter()
                try:
                    if writer is None:
                        reader, writer = await asyncio.open_connection("127.0.0.1", port)
                    assert reader is not None
                    writer.write(wire[index])
                    status, content_type, body, close = await _read_response(reader)
                    error = check_answer(calls[index], status, content_type, body)
                    if close:
                        writer.close()
                        reader = writer = None
                except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                    error = f"{type(exc).__name__}: {exc}"
                    if writer is not None:
                        writer.close()
                    reader = writer = None
                tally.record(time.perf_counter() - start, error)
        finally:
            if writer is not None:
                writer.close()

    async def main() -> None:
        await asyncio.wait_for(asyncio.gather(*(worker() for _ in range(concurrency))), timeout + 30)

    start = time.perf_counter()
    asyncio.run(main())
    seconds = time.perf_counter() - start
    return LoadResult(len(tally.latencies), tally.errors, seconds, tally.latencies, tally.first_error, timed_out)


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, str, bytes, bool]:
    """Status, Content-Type, body (de-chunked) and whether the server closes."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    fields: dict[str, str] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name:
            fields[name.strip().lower()] = value.strip()
    if "content-length" in fields:
        body = await reader.readexactly(int(fields["content-length"]))
    elif fields.get("transfer-encoding", "").lower() == "chunked":
        parts = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";", 1)[0], 16)
            if size == 0:
                await reader.readuntil(b"\r\n")  # no trailers are expected
                break
            parts.append((await reader.readexactly(size + 2))[:-2])
        body = b"".join(parts)
    else:
        body = await reader.read()  # delimited by close
        return status, fields.get("content-type", ""), body, True
    return status, fields.get("content-type", ""), body, fields.get("connection", "").lower() == "close"


# -- threads with http.client -------------------------------------------------------

def _run_threads(port: int, calls: Sequence[Call], concurrency: int, timeout: float,
                 path: str, headers: dict[str, str]) -> LoadResult:
    tally = _Tally()
    next_index = iter(range(len(calls)))
    take = threading.Lock()
    deadline = time.perf_counter() + timeout
    stopped = threading.Event()
    send_headers = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream", **headers}

    def take_next() -> int | None:
        with take:
            return next(next_index, None)

    def worker() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        try:
            while (index := take_next()) is not None:
                if time.perf_counter() > deadline:
                    stopped.set()
                    return
                start = time.perf_counter()
                try:
                    connection.request("POST", path, calls[index].body, send_headers)
                    response = connection.getresponse()
                    body = response.read()
                    error = check_answer(calls[index], response.status, response.getheader("content-type", ""), body)
                except (OSError, http.client.HTTPException, ValueError) as exc:
                    error = f"{type(exc).__name__}: {exc}"
                    connection.close()
                tally.record(time.perf_counter() - start, error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout + 30)
    seconds = time.perf_counter() - start
    return LoadResult(len(tally.latencies), tally.errors, seconds, tally.latencies, tally.first_error,
                      stopped.is_set())

