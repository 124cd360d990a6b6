#!/usr/bin/env bash
# Install everything the project needs, from PyPI, npm and Debian only,
# into the repository (.venv, .tools, wit/deps) and a per-user cache
# (wasm-tools). Safe to run again: finished steps are skipped.
set -euo pipefail

cd "$(dirname "$0")/.."

step() { echo "==> $*"; }

command -v python3 >/dev/null || { echo "error: python3 (3.11 or newer) is required" >&2; exit 1; }
command -v npm >/dev/null || { echo "error: npm is required (Debian: apt-get install npm)" >&2; exit 1; }

if [ ! -x .venv/bin/python ]; then
    step "creating .venv"
    python3 -m venv .venv
fi
step "installing Python packages (SDK, componentize-py, wasmtime, mcp, pytest) into .venv"
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[dev]' \
    2> >(grep -v "^WARNING: Location" >&2)

step "WASI WIT dependencies"
scripts/fetch-wit-deps.sh

if [ ! -x .tools/node/node_modules/.bin/node ] || [ ! -f .tools/node/node_modules/@bytecodealliance/jco/dist/jco.js ]; then
    step "installing Node 22 and jco from npm into .tools/node"
    mkdir -p .tools/node
    npm install --prefix .tools/node --no-audit --no-fund --loglevel=error \
        node@22 @bytecodealliance/jco@1.35.0
fi

if [ ! -f .tools/conformance/node_modules/@modelcontextprotocol/conformance/dist/index.js ]; then
    step "installing the MCP conformance suite from npm into .tools/conformance"
    mkdir -p .tools/conformance
    npm install --prefix .tools/conformance --no-audit --no-fund --loglevel=error \
        @modelcontextprotocol/conformance@0.1.16
fi

step "wasm-tools (for composing and validating)"
scripts/install-wasm-tools.sh >/dev/null

for tool in wac wasmtime spin; do
    if command -v "$tool" >/dev/null 2>&1; then
        step "found $tool on PATH: $(command -v "$tool")"
    fi
done
step "setup done; next: make build && make serve"
