#!/usr/bin/env bash
# Serve the composed server at http://127.0.0.1:PORT/mcp with the first
# runtime found: wasmtime, then spin, then jco on the Node 22 that
# `make setup` installs. MCP_RUNTIME=wasmtime|spin|jco picks one.
#
#   scripts/serve.sh build/mcp-http-server.wasm [PORT]
set -euo pipefail

cd "$(dirname "$0")/.."
server=$1
port=${2:-8080}
host=${MCP_HOST:-127.0.0.1}
node=.tools/node/node_modules/.bin/node
jco=.tools/node/node_modules/@bytecodealliance/jco/dist/jco.js

runtime=${MCP_RUNTIME:-}
if [ -z "$runtime" ]; then
    if command -v wasmtime >/dev/null 2>&1; then runtime=wasmtime
    elif command -v spin >/dev/null 2>&1; then runtime=spin
    else runtime=jco
    fi
fi

# The transport reads MCP_* settings from its environment (README), and a
# provider may read its own (list their names in MCP_SERVE_ENV, comma
# separated). jco passes its whole environment on; wasmtime and Spin get
# these explicitly.
env_flags=()
forward() { [ -n "${!1+set}" ] && env_flags+=(--env "$1=${!1}"); return 0; }
for name in $(compgen -e | grep '^MCP_' | grep -v '^MCP_RUNTIME$\|^MCP_HOST$\|^MCP_SERVE_ENV$'); do
    forward "$name"
done
IFS=',' read -r -a extra <<< "${MCP_SERVE_ENV:-}"
for name in "${extra[@]}"; do
    name=${name// /}
    [ -n "$name" ] && forward "$name"
done

echo "==> serving $server with $runtime at http://$host:$port/mcp" >&2
case $runtime in
    wasmtime)
        # -Scli: componentize-py's CPython imports wasi:cli (env, stdio).
        exec wasmtime serve -Scli --addr "$host:$port" "${env_flags[@]}" "$server" ;;
    spin)
        exec spin up --from spin.toml --listen "$host:$port" "${env_flags[@]}" ;;
    jco)
        if [ ! -x "$node" ] || [ ! -f "$jco" ]; then
            echo "error: jco on Node 22 is not installed; run 'make setup'" >&2
            exit 1
        fi
        exec "$node" "$jco" serve --host "$host" --port "$port" "$server" ;;
    *)
        echo "error: MCP_RUNTIME must be wasmtime, spin or jco (got '$runtime')" >&2
        exit 2 ;;
esac
