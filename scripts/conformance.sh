#!/usr/bin/env bash
# Serve a composed server on a free loopback port and run the official MCP
# conformance suite (all scenarios) against it, gated by the baseline of
# expected failures. The server's whole process group is stopped at exit.
#
#   scripts/conformance.sh SERVER.wasm BASELINE.yml RESULTS_DIR
set -euo pipefail

cd "$(dirname "$0")/.."
server=$1 baseline=$2 results=$3
node=.tools/node/node_modules/.bin/node
suite=.tools/conformance/node_modules/@modelcontextprotocol/conformance/dist/index.js
[ -x "$node" ] && [ -f "$suite" ] || { echo "error: run 'make setup' first" >&2; exit 1; }

port=$(.venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url="http://localhost:$port/mcp"
mkdir -p "$results"
# Sessions on: the suite's SSE scenarios expect a session id.
MCP_SESSIONS=on setsid scripts/serve.sh "$server" "$port" > "$results/server.log" 2>&1 &
server_pid=$!
trap 'kill -TERM -- -$server_pid 2>/dev/null || true' EXIT

for _ in $(seq 1 240); do
    if curl -s -o /dev/null -X POST -H 'content-type: application/json' -H 'accept: application/json' \
        -d '{"jsonrpc":"2.0","id":0,"method":"ping"}' "$url"; then
        break
    fi
    kill -0 "$server_pid" 2>/dev/null || { cat "$results/server.log" >&2; exit 1; }
    sleep 0.5
done

echo "==> conformance suite (all scenarios) against $url"
"$node" "$suite" server --url "$url" --suite all --expected-failures "$baseline" -o "$results"
