"""The servers under test and how each is started.

The composed bench server runs under every runtime found (jco through
scripts/serve.sh; the wasmtime and Spin CLIs when on PATH); the official
SDK and FastMCP serve the same tools from plain CPython.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .paths import BENCH_BUILD, BENCH_SERVER, FASTMCP_VENV, NODE, JCO, ROOT, VENV_PYTHON
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


def composed_specs(runtimes: tuple[str, ...]) -> list[ServerSpec]:
    """The composed bench server under each runtime asked for."""
    specs = []
    for runtime in runtimes:
        name = f"composed ({runtime})"
        if runtime == "jco":
            missing = None if NODE.exists() and JCO.exists() else "not installed (run make setup)"
        else:
            missing = None if shutil.which(runtime) else "not installed"
        if missing:
            specs.append(ServerSpec(name, True, None, missing))
            continue
        env = _env(**COMPOSED_SETTINGS)
        if runtime == "spin":
            # spin.toml serves build/mcp-http-server.wasm; the bench serves its own build.
            argv = ["spin", "up", "--from", str(_spin_manifest()), "--listen", "127.0.0.1:{port}",
                    *[f"--env={k}={v}" for k, v in COMPOSED_SETTINGS.items()]]
        else:
            env["MCP_RUNTIME"] = runtime
            argv = [str(ROOT / "scripts" / "serve.sh"), str(BENCH_SERVER), "{port}"]
        # jco transpiles on every start; the wasmtime and Spin CLIs keep a compile cache.
        specs.append(ServerSpec(name, True, Launch(argv, env, ROOT), caches_compile=runtime != "jco"))
    return specs


def jco_pretranspiled_spec(directory: Path) -> ServerSpec:
    """jco's HTTP server on output transpiled once (the cached start)."""
    argv = [str(NODE), str(directory / "_bench_serve.mjs"), "{port}", BENCH_SERVER.stem + ".js"]
    return ServerSpec("composed (jco, pre-transpiled)", True, Launch(argv, _env(**COMPOSED_SETTINGS), ROOT))


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
