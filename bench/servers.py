"""The servers under test and how each is started.

The composed bench server runs under every runtime mode installed
(wasmtime serve reusing instances and with a fresh instance per request, jco,
Spin where its CLI is on PATH), each through scripts/serve.sh as `make serve`
starts it; the official SDK and FastMCP serve the same tools from plain
CPython.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass

from .paths import BENCH_BUILD, BENCH_SERVER, BENCH_SINGLE, FASTMCP_VENV, NODE, JCO, ROOT, VENV_PYTHON
from .procs import Launch

# Our transport answers every method as JSON, like the baselines' json_response.
COMPOSED_SETTINGS = {"MCP_RESPONSE_MODE": "json"}
SDK = "official SDK"


@dataclass(frozen=True)
class ServerSpec:
    """A server under test; ``missing`` says why it cannot run, if it cannot."""

    name: str
    composed: bool
    launch: Launch | None
    missing: str | None = None
    caches_compile: bool = False  # later starts load compiled code from a cache


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MCP_")}
    env.update(extra)
    return env


# Each runtime mode of the bench server: the runtime, wasmtime's requests
# per instance (scripts/serve.sh's MCP_REUSE), and the build: composed (two
# interpreters) or single (one, make build-single).
MODES = {
    "wasmtime-reuse": ("wasmtime", None, False),  # serve.sh's default, as `make serve`
    "wasmtime-fresh": ("wasmtime", "1", False),
    "jco": ("jco", None, False),
    "spin": ("spin", None, False),
    "single-wasmtime-reuse": ("wasmtime", None, True),
    "single-wasmtime-fresh": ("wasmtime", "1", True),
    "single-jco": ("jco", None, True),
}


def _installed(runtime: str) -> bool:
    if runtime == "jco":
        return NODE.exists() and JCO.exists()
    if runtime == "wasmtime":
        return (ROOT / ".tools" / "bin" / "wasmtime").exists() or shutil.which("wasmtime") is not None
    return shutil.which(runtime) is not None


def composed_specs(modes: tuple[str, ...]) -> list[ServerSpec]:
    """The composed bench server under each runtime mode asked for."""
    specs = []
    for mode in modes:
        if mode not in MODES:
            raise SystemExit(f"unknown runtime mode {mode!r}; one of {', '.join(MODES)}")
        runtime, reuse, single = MODES[mode]
        name = f"single ({mode.removeprefix('single-')})" if single else f"composed ({mode})"
        if not _installed(runtime):
            specs.append(ServerSpec(name, True, None, "not installed (run make setup)"))
            continue
        env = _env(**COMPOSED_SETTINGS)
        if runtime == "spin":
            # spin.toml serves build/mcp-http-server.wasm; the bench serves its own build.
            argv = ["spin", "up", "--from", str(_spin_manifest()), "--listen", "127.0.0.1:{port}",
                    *[f"--env={k}={v}" for k, v in COMPOSED_SETTINGS.items()]]
        else:
            env["MCP_RUNTIME"] = runtime
            if reuse:
                env["MCP_REUSE"] = reuse
            argv = [str(ROOT / "scripts" / "serve.sh"), str(BENCH_SINGLE if single else BENCH_SERVER), "{port}"]
        # Every runtime keeps a compile cache: wasmtime's and Spin's own, and
        # scripts/jco-host.mjs its transpiled output.
        specs.append(ServerSpec(name, True, Launch(argv, env, ROOT), caches_compile=True))
    return specs


def sdk_spec() -> ServerSpec:
    return ServerSpec(SDK, False, Launch([str(VENV_PYTHON), "-m", "bench.sdk_server", "--port", "{port}"], _env(), ROOT))


def fastmcp_spec(install: bool) -> ServerSpec:
    """FastMCP from its own venv, made here when ``install`` and missing."""
    python = FASTMCP_VENV / "bin" / "python"
    missing = _ensure_fastmcp() if install else (None if _has_fastmcp() else "not installed (skipped)")
    if missing:
        return ServerSpec("FastMCP", False, None, missing)
    return ServerSpec("FastMCP", False, Launch([str(python), "-m", "bench.fastmcp_server", "--port", "{port}"],
                                              _env(FASTMCP_SHOW_SERVER_BANNER="false"), ROOT))


def _has_fastmcp() -> bool:
    python = FASTMCP_VENV / "bin" / "python"
    return python.exists() and subprocess.run([str(python), "-c", "import fastmcp"],
                                              capture_output=True).returncode == 0


def _ensure_fastmcp() -> str | None:
    if _has_fastmcp():
        return None
    print("==> pip install fastmcp into build/bench/fastmcp-venv", flush=True)
    steps = [[str(VENV_PYTHON), "-m", "venv", str(FASTMCP_VENV)],
             [str(FASTMCP_VENV / "bin" / "pip"), "install", "-q", "--disable-pip-version-check", "fastmcp"]]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            tail = (done.stderr.strip().splitlines() or ["?"])[-1]
            print(f"    fastmcp: {tail}", flush=True)
            return "not installable"
    return None if _has_fastmcp() else "not installable"


def _spin_manifest() -> str:
    manifest = BENCH_BUILD / "spin.toml"
    text = (ROOT / "spin.toml").read_text().replace("build/mcp-http-server.wasm", str(BENCH_SERVER))
    manifest.write_text(text)
    return str(manifest)
