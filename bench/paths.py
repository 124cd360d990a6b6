"""Where the repository, its tools and the bench outputs are."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
BENCH_BUILD = BUILD / "bench"
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
NODE = ROOT / ".tools" / "node" / "node_modules" / ".bin" / "node"
JCO = ROOT / ".tools" / "node" / "node_modules" / "@bytecodealliance" / "jco" / "dist" / "jco.js"

COMPOSED = BUILD / "mcp-http-server.wasm"
TRANSPORT = BUILD / "transport.wasm"
TOOLBOX = BUILD / "providers" / "toolbox.wasm"
BENCH_SERVER = BENCH_BUILD / "bench-server.wasm"
BENCH_SINGLE = BUILD / "single" / "bench-server.wasm"  # one interpreter: make build-single
BENCH_PROVIDER = BENCH_BUILD / "bench-provider.wasm"
FASTMCP_VENV = BENCH_BUILD / "fastmcp-venv"
