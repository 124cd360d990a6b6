#!/usr/bin/env bash
# Install everything the project needs, from PyPI, npm, Debian and the Rust
# crate registry, into the repository (.venv, .tools, wit/deps) and a
# per-user cache (the Rust tools). Safe to run again: finished steps are
# skipped, and tools already on PATH are used as they are.
set -euo pipefail

cd "$(dirname "$0")/.."
. scripts/versions.sh

started=$SECONDS
step() { echo "==> $*"; }
timed() {  # timed LABEL COMMAND...: run it, then say how long it took
    local label=$1 t=$SECONDS
    shift
    "$@"
    echo "    $label: $((SECONDS - t))s"
}

command -v python3 >/dev/null || { echo "error: python3 (3.11 or newer) is required" >&2; exit 1; }
command -v npm >/dev/null || { echo "error: npm is required (Debian: apt-get install npm)" >&2; exit 1; }

if [ ! -x .venv/bin/python ]; then
    step "creating .venv"
    python3 -m venv .venv
fi
step "Python packages (SDK, componentize-py, wasmtime-py, mcp, pytest) into .venv"
timed "Python packages" .venv/bin/python -m pip install -q --disable-pip-version-check -e '.[dev]' \
    2> >(grep -v "^WARNING: Location" >&2)

step "WASI WIT dependencies"
scripts/fetch-wit-deps.sh

node_ok() {
    [ -x .tools/node/node_modules/.bin/node ] &&
        [ "$(.tools/node/node_modules/.bin/node -p 'process.versions.node.split(".")[0]')" = "$NODE_VERSION" ] &&
        [ "$(.tools/node/node_modules/.bin/node -p 'require("./.tools/node/node_modules/@bytecodealliance/jco/package.json").version' 2>/dev/null)" = "$JCO_VERSION" ] &&
        [ "$(.tools/node/node_modules/.bin/node -p 'require("./.tools/node/node_modules/@bytecodealliance/componentize-js/package.json").version' 2>/dev/null)" = "$COMPONENTIZE_JS_VERSION" ] &&
        [ "$(.tools/node/node_modules/.bin/node -p 'require("./.tools/node/node_modules/typescript/package.json").version' 2>/dev/null)" = "$TYPESCRIPT_VERSION" ]
}
if ! node_ok; then
    step "Node $NODE_VERSION, jco $JCO_VERSION, componentize-js $COMPONENTIZE_JS_VERSION and TypeScript $TYPESCRIPT_VERSION from npm into .tools/node"
    mkdir -p .tools/node
    timed "Node and jco" npm install --prefix .tools/node --no-audit --no-fund --loglevel=error \
        "node@$NODE_VERSION" "@bytecodealliance/jco@$JCO_VERSION" \
        "@bytecodealliance/componentize-js@$COMPONENTIZE_JS_VERSION" "typescript@$TYPESCRIPT_VERSION"
fi

# Each release of the conformance suite into its own prefix, so the two
# never share (or fight over) a dependency tree.
install_suite() {  # install_suite PREFIX VERSION
    local prefix=$1 version=$2
    if [ "$(node -p "require('./$prefix/node_modules/@modelcontextprotocol/conformance/package.json').version" 2>/dev/null)" != "$version" ]; then
        step "MCP conformance suite $version from npm into $prefix"
        mkdir -p "$prefix"
        timed "conformance suite $version" npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error \
            "@modelcontextprotocol/conformance@$version"
    fi
}
install_suite .tools/conformance "$CONFORMANCE_VERSION"
install_suite .tools/conformance-alpha "$CONFORMANCE_ALPHA_VERSION"

# The Rust tools: from PATH when new enough, else built once per user from
# crates.io (a first build takes minutes; see the README).
for tool in wasm-tools wac wasmtime; do
    step "$tool"
    timed "$tool" scripts/install-crate.sh "$tool"
done

if command -v spin >/dev/null 2>&1; then
    step "found spin on PATH: $(command -v spin)"
fi
step "setup done in $((SECONDS - started))s; next: make build && make serve"
