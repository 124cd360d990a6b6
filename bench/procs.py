"""Server processes: start in a process group of their own on a free
loopback port, wait for the first answer, sample the group's memory, stop.
"""

from __future__ import annotations

import http.client
import itertools
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .wire import Call, check_answer, initialize

POLL_SECONDS = 0.005


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Launch:
    """How to start one server; ``{port}`` in argv is replaced by the port."""

    argv: Sequence[str]
    env: dict[str, str]
    cwd: Path


class ServerProcess:
    """A started server: its group leader, port and log."""

    def __init__(self, launch: Launch, port: int, log: Path) -> None:
        self.port = port
        self.log = log
        argv = [arg.replace("{port}", str(port)) for arg in launch.argv]
        log.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(log, "wb")
        self.started = time.perf_counter()
        # A session of its own: jco runs node under node, and the whole
        # group must go at the end or the port stays taken.
        self.process = subprocess.Popen(argv, cwd=launch.cwd, env=launch.env, stdout=self._log,
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)

    def group_pids(self) -> list[int]:
        """Every live process in the server's process group."""
        pids = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            # Fields after the parenthesised command: state, ppid, pgrp, ...
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[2]) == self.process.pid:
                pids.append(int(entry))
        return pids

    def memory(self, field: str = "VmRSS", pids: Sequence[int] | None = None) -> int:
        """Sum of ``field`` (VmRSS now, VmHWM peak) over the group, in bytes."""
        total = 0
        for pid in self.group_pids() if pids is None else pids:
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith(field + ":"):
                        total += int(line.split()[1]) * 1024
            except OSError:
                pass
        return total

    def process_memory(self) -> list[tuple[str, int, int]]:
        """(program, VmRSS, VmHWM) in bytes for each process of the group."""
        found = []
        for pid in self.group_pids():
            try:
                argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
                program = " ".join(os.path.basename(a.decode(errors="replace")) for a in argv[:2] if a)
                found.append((program, self.memory("VmRSS", [pid]), self.memory("VmHWM", [pid])))
            except OSError:
                continue
        return found

    def wait_first_answer(self, timeout: float) -> float:
        """Seconds from process start until an ``initialize`` got a correct answer."""
        deadline = self.started + timeout
        call = initialize()
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}; see {self.log}")
            if post_once(self.port, call, timeout=5) is None:
                return time.perf_counter() - self.started
            time.sleep(POLL_SECONDS)
        raise RuntimeError(f"server gave no answer within {timeout:.0f}s; see {self.log}")

    def stop(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        # Children that outlived the leader (node under node) go too.
        for pid in self.group_pids():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self._log.close()


def post_once(port: int, call: Call, timeout: float, headers: dict[str, str] | None = None) -> str | None:
    """POST one call on a fresh connection; what is wrong with the answer, or None."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("POST", "/mcp", call.body, {
            "Content-Type": "application/json", "Accept": "application/json, text/event-stream", **(headers or {})})
        response = connection.getresponse()
        return check_answer(call, response.status, response.getheader("content-type", ""), response.read())
    except (OSError, http.client.HTTPException) as exc:
        return f"{type(exc).__name__}: {exc}"
    finally:
        connection.close()


@contextmanager
def running(launch: Launch, log: Path, timeout: float) -> Iterator[tuple[ServerProcess, float]]:
    """Start a server, yield it and its seconds to first answer; always stop it."""
    server = ServerProcess(launch, free_port(), log)
    try:
        startup = server.wait_first_answer(timeout)
        yield server, startup
    finally:
        server.stop()


class PeakMemory:
    """Samples a server group's total RSS in the background; keeps the peak."""

    def __init__(self, server: ServerProcess, interval: float = 0.1) -> None:
        self.server = server
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        # Listing /proc is the costly part: refresh the group only now and then,
        # so sampling takes little CPU from the load generator.
        pids: list[int] = []
        for round_number in itertools.count():
            if round_number % 20 == 0:
                pids = self.server.group_pids()
            self.peak = max(self.peak, self.server.memory(pids=pids))
            if self._stop.wait(self.interval):
                return
