"""Start the composed server with a real Wasm runtime on 127.0.0.1, and stop it.

Every end-to-end suite runs once per *runtime mode* installed here: wasmtime
serve reusing instances, wasmtime serve with a fresh instance per request, and
jco. A mode whose runtime is missing is named in the pytest header, never
skipped silently where it is installed.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from ..paths import ROOT

STARTUP_SECONDS = 180  # a first start compiles (wasmtime) or transpiles (jco) the component
TOOLS = ROOT / ".tools"


@dataclass(frozen=True)
class Runtime:
    """One way of serving a component, as scripts/serve.sh runs it."""

    id: str                 # the test-id part: wasmtime-reuse, wasmtime-fresh, jco
    runtime: str            # MCP_RUNTIME
    reuse: str | None = None  # MCP_REUSE, wasmtime's requests per instance
    # Whether requests sent one after another reach the same instance, so that
    # state the transport keeps in memory (log level, ended sessions, cached
    # keys) carries from one request to the next...
    one_instance: bool = True
    # ...for at most this many requests (wasmtime then starts a new instance).
    requests_per_instance: int | None = None
    # Whether memory and run time per request are bounded (serve.sh's
    # MCP_MEMORY_MB and MCP_REQUEST_TIMEOUT): wasmtime's -W limits. jco has none.
    limits: bool = False
    # Whether every request reaches one instance (serve.sh's MCP_INSTANCES=one,
    # jco only), so a tool call can wait for the client's answers and GET
    # streams poll.
    waits: bool = False

    def env(self) -> dict[str, str]:
        env = {"MCP_RUNTIME": self.runtime}
        if self.reuse:
            env["MCP_REUSE"] = self.reuse
        return env

    def executable(self) -> str | None:
        """The runtime's binary, or None when it is not installed."""
        if self.runtime == "wasmtime":
            return wasmtime()
        if self.runtime == "jco":
            jco = TOOLS / "node" / "node_modules" / "@bytecodealliance" / "jco" / "dist" / "jco.js"
            return str(jco) if jco.exists() else None
        return shutil.which(self.runtime)


def wasmtime() -> str | None:
    """The wasmtime CLI serve.sh runs: the one `make setup` linked, else PATH's."""
    linked = TOOLS / "bin" / "wasmtime"
    return str(linked) if linked.exists() else shutil.which("wasmtime")


def stdio_commands(server: Path) -> list[object]:
    """The two documented ways to run ``server`` over stdio (README, "stdio"), as test params."""
    runner = pytest.param([sys.executable, "-m", "mcp_component.run", str(server)], id="mcp_component.run")
    cli = wasmtime()
    if cli is None:  # reported in the pytest header as not installed
        return [runner]
    # -Shttp: the component imports wasi:http (outbound calls, and the
    # incoming-handler export), which `wasmtime run` only links when asked.
    return [runner, pytest.param([cli, "run", "-Shttp", str(server)], id="wasmtime-run")]


RUNTIMES = (
    Runtime("wasmtime-reuse", "wasmtime", requests_per_instance=1000, limits=True),  # serve.sh's defaults
    Runtime("wasmtime-fresh", "wasmtime", reuse="1", one_instance=False, limits=True),
    Runtime("jco", "jco", waits=True),
    Runtime("spin", "spin", one_instance=False),
)


def installed() -> list[Runtime]:
    """The modes whose runtime is installed, or the one MCP_RUNTIME names."""
    chosen = os.environ.get("MCP_TEST_RUNTIMES")
    modes = [r for r in RUNTIMES if r.executable()]
    if chosen:  # e.g. MCP_TEST_RUNTIMES=jco,wasmtime-fresh: a subset, for a quick local run
        wanted = chosen.split(",")
        modes = [r for r in modes if r.id in wanted]
    return modes


def report() -> list[str]:
    """Lines for the pytest header: what runs and what is missing."""
    lines = []
    for mode in RUNTIMES:
        exe = mode.executable()
        if mode in installed():
            lines.append(f"end-to-end runtime: {mode.id} ({_version(mode, exe)})")
        elif exe:
            lines.append(f"end-to-end runtime: {mode.id} left out by MCP_TEST_RUNTIMES")
        else:
            lines.append(f"end-to-end runtime: {mode.id} NOT INSTALLED, its tests do not run")
    return lines


def _version(mode: Runtime, exe: str | None) -> str:
    if mode.runtime == "jco":
        return f"jco at {Path(exe or '').relative_to(ROOT)}"
    try:
        return subprocess.run([exe or mode.runtime, "--version"], capture_output=True, text=True,
                              timeout=10).stdout.strip()
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"version unknown: {exc}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serve(component: Path, runtime: Runtime | None = None, *, extra_env: dict[str, str] | None = None,
          endpoint: str = "/mcp", **settings: str) -> Iterator[str]:
    """Serve ``component`` through scripts/serve.sh; yield the endpoint URL.

    ``runtime`` picks the mode (default: the first installed, as `make serve`
    does). ``settings`` become the transport's MCP_* environment variables;
    ``extra_env`` holds a provider's own settings, passed on as a user
    would, through ``MCP_SERVE_ENV``.
    ``endpoint`` is the path of the yielded URL: pass the same as
    ``MCP_ENDPOINT=...`` when that is not the default /mcp.
    """
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MCP_")}
    env.update((runtime or installed()[0]).env())
    env.update(settings)
    if extra_env:
        env.update(extra_env)
        # wasmtime and Spin pass the component only the variables named (README).
        env["MCP_SERVE_ENV"] = ",".join(extra_env)
    log = open(ROOT / "build" / f"serve-{port}.log", "wb")
    # A session of its own: jco serves from a child node process, and the
    # whole group must go when the test ends or the port stays taken.
    process = subprocess.Popen(
        [str(ROOT / "scripts" / "serve.sh"), str(component), str(port)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}{endpoint}"
    try:
        _wait_until_ready(url, process, log.name)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def _wait_until_ready(url: str, process: subprocess.Popen[bytes], log_name: str) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    ping = {"jsonrpc": "2.0", "id": 0, "method": "ping"}
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}; see {log_name}")
        try:
            # Any HTTP answer means it is up (with sessions on, a bare ping is 400).
            httpx.post(url, json=ping, headers={"accept": "application/json"}, timeout=5)
            return
        except httpx.TransportError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"server not ready after {STARTUP_SECONDS}s; see {log_name}")
