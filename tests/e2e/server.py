"""Start the composed server with a real Wasm runtime on 127.0.0.1, and stop it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from ..paths import ROOT

STARTUP_SECONDS = 180  # jco transpiles the component on first start


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serve(component: Path, runtime: str | None = None, *, extra_env: dict[str, str] | None = None,
          endpoint: str = "/mcp", **settings: str) -> Iterator[str]:
    """Serve ``component`` through scripts/serve.sh; yield the endpoint URL.

    ``settings`` become the transport's MCP_* environment variables;
    ``extra_env`` is added to the runtime's environment as is (a provider's
    own settings; jco passes its whole environment to the component).
    ``endpoint`` is the path of the yielded URL: pass the same as
    ``MCP_ENDPOINT=...`` when that is not the default /mcp.
    """
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MCP_") or k == "MCP_RUNTIME"}
    env.update(settings)
    env.update(extra_env or {})
    if runtime:
        env["MCP_RUNTIME"] = runtime
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


def runtime_name() -> str:
    """The runtime serve.sh picks, for the test report."""
    chosen = os.environ.get("MCP_RUNTIME")
    if chosen:
        return chosen
    for candidate in ("wasmtime", "spin"):
        if any((Path(p) / candidate).exists() for p in os.environ.get("PATH", "").split(os.pathsep)):
            return candidate
    return "jco"
