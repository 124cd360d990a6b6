#!/usr/bin/env bash
# Serve a composed server on a free loopback port and run the official MCP
# conformance suite (all scenarios) against it, gated by the baseline of
# expected failures, once per runtime mode installed: wasmtime serve reusing
# instances, wasmtime serve with a fresh instance per request, and jco.
# Each server's whole process group is stopped when its run ends.
#
#   scripts/conformance.sh SERVER.wasm BASELINE.yml RESULTS_DIR
#
# CONFORMANCE_RUNTIMES=jco (a comma-separated subset) narrows the runs.
set -euo pipefail

cd "$(dirname "$0")/.."
server=$1 baseline=$2 results=$3
node=.tools/node/node_modules/.bin/node
suite=.tools/conformance/node_modules/@modelcontextprotocol/conformance/dist/index.js
[ -x "$node" ] && [ -f "$suite" ] || { echo "error: run 'make setup' first" >&2; exit 1; }

# Each mode: its name, then the settings scripts/serve.sh takes for it.
modes=()
if [ -x .tools/bin/wasmtime ] || command -v wasmtime >/dev/null 2>&1; then
    modes+=("wasmtime-reuse MCP_RUNTIME=wasmtime" "wasmtime-fresh MCP_RUNTIME=wasmtime MCP_REUSE=1")
else
    echo "==> wasmtime is not installed: the suite runs on jco only" >&2
fi
modes+=("jco MCP_RUNTIME=jco")

run_one() {  # run_one NAME SETTING...
    local name=$1 out=$results/$1
    shift
    local port url server_pid
    port=$(.venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    url="http://localhost:$port/mcp"
    mkdir -p "$out"
    # Sessions on: the suite's SSE scenarios expect a session id.
    env "$@" MCP_SESSIONS=on setsid scripts/serve.sh "$server" "$port" > "$out/server.log" 2>&1 &
    server_pid=$!
    # shellcheck disable=SC2064
    trap "kill -TERM -- -$server_pid 2>/dev/null || true" RETURN
    for _ in $(seq 1 360); do
        if curl -s -o /dev/null -X POST -H 'content-type: application/json' -H 'accept: application/json' \
            -d '{"jsonrpc":"2.0","id":0,"method":"ping"}' "$url"; then
            break
        fi
        kill -0 "$server_pid" 2>/dev/null || { cat "$out/server.log" >&2; return 1; }
        sleep 0.5
    done
    echo "==> conformance suite (all scenarios) on $name against $url"
    "$node" "$suite" server --url "$url" --suite all --expected-failures "$baseline" -o "$out"
}

failed=()
for mode in "${modes[@]}"; do
    read -r -a words <<< "$mode"
    if [ -n "${CONFORMANCE_RUNTIMES:-}" ] && [[ ",$CONFORMANCE_RUNTIMES," != *",${words[0]},"* ]]; then
        continue
    fi
    run_one "${words[@]}" || failed+=("${words[0]}")
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "==> conformance failed on: ${failed[*]}" >&2
    exit 1
fi
echo "==> conformance passed on every runtime mode run"
