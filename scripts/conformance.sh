#!/usr/bin/env bash
# Serve a composed server on a free loopback port and run the official MCP
# conformance suite against it, once per runtime mode installed (wasmtime
# serve reusing instances, wasmtime serve with a fresh instance per request,
# and jco) and per suite:
#   * 0.1.16 (CONFORMANCE_VERSION), --suite all;
#   * 0.2.0-alpha.12 (CONFORMANCE_ALPHA_VERSION), --suite all --spec-version
#     2025-11-25, then --spec-version 2026-07-28: its scenarios for each
#     protocol version the server speaks, every message checked against that
#     version's JSON schema;
#   * the alpha with --requirements 2026-07-28: exactly the server scenarios
#     that revision requires, as frozen at its release. The suite also runs
#     the ones it reports but never scores (extensions, pending); the gate
#     judges only the required ones.
# Each run gets a fresh server, whose whole process group is stopped when the
# run ends, and is gated by scripts/conformance_gate.py against its suite's
# section of the baseline: a scenario that ran no check counts as failing.
#
#   scripts/conformance.sh SERVER.wasm BASELINE.yml RESULTS_DIR
#
# Results: RESULTS_DIR/<mode>/<suite>/ (one folder per scenario, as the suite
# writes them), with the suite's output in <suite>.log and the server's in
# <suite>.server.log beside it.
# CONFORMANCE_RUNTIMES=jco (a comma-separated subset) narrows the modes.
set -euo pipefail

cd "$(dirname "$0")/.."
. scripts/versions.sh
server=$1 baseline=$2 results=$3
node=.tools/node/node_modules/.bin/node
python=.venv/bin/python
package=node_modules/@modelcontextprotocol/conformance/dist/index.js

# Each suite: its folder name under RESULTS_DIR/<mode>, its baseline section,
# its entry point, how its scenarios are chosen (all: every one of the
# release; spec: those of one protocol version; requirements: those a
# revision requires), then that version.
alpha=.tools/conformance-alpha/$package
suites=(
    "$CONFORMANCE_VERSION|$CONFORMANCE_VERSION|.tools/conformance/$package|all|"
    "$CONFORMANCE_ALPHA_VERSION-2025-11-25|$CONFORMANCE_ALPHA_VERSION/2025-11-25|$alpha|spec|2025-11-25"
    "$CONFORMANCE_ALPHA_VERSION-2026-07-28|$CONFORMANCE_ALPHA_VERSION/2026-07-28|$alpha|spec|2026-07-28"
    "$CONFORMANCE_ALPHA_VERSION-requirements-2026-07-28|$CONFORMANCE_ALPHA_VERSION/requirements-2026-07-28|$alpha|requirements|2026-07-28"
)
for suite in "${suites[@]}"; do
    IFS='|' read -r _ _ entry _ _ <<< "$suite"
    [ -x "$node" ] && [ -f "$entry" ] || { echo "error: no $entry: run 'make setup' first" >&2; exit 1; }
done

# Each mode: its name, then the settings scripts/serve.sh takes for it.
known_modes=wasmtime-reuse,wasmtime-fresh,jco
modes=()
if [ -x .tools/bin/wasmtime ] || command -v wasmtime >/dev/null 2>&1; then
    modes+=("wasmtime-reuse MCP_RUNTIME=wasmtime" "wasmtime-fresh MCP_RUNTIME=wasmtime MCP_REUSE=1")
else
    echo "==> wasmtime is not installed: the suites run on jco only" >&2
fi
modes+=("jco MCP_RUNTIME=jco")

# The scenario names in the suite's `list` output ("  - name [versions]"):
# with --requirements, only its server part (client scenarios and the ones
# never scored follow it).
list_scenarios() {  # list_scenarios ENTRY HOW VERSION
    case $2 in
        all) "$node" "$1" list --server ;;
        spec) "$node" "$1" list --server --spec-version "$3" ;;
        requirements) "$node" "$1" list --requirements "$3" | sed -n '/^Server scenarios/,/^$/p' ;;
    esac | sed -n 's/^  - \([^ ]*\).*/\1/p'
}

run_one() {  # run_one SUITE MODE SETTING...: 0 when the run matches the baseline
    local dir section entry how version
    IFS='|' read -r dir section entry how version <<< "$1"
    local mode=$2
    shift 2
    local out=$results/$mode/$dir port url server_pid started=$SECONDS
    rm -rf "$out" "$out.log" "$out.server.log" "$out.scenarios"
    mkdir -p "$out"
    port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    url="http://localhost:$port/mcp"
    # Sessions on: the suite's SSE scenarios expect a session id.
    env "$@" MCP_SESSIONS=on setsid scripts/serve.sh "$server" "$port" > "$out.server.log" 2>&1 &
    server_pid=$!
    # shellcheck disable=SC2064
    trap "kill -TERM -- -$server_pid 2>/dev/null || true" RETURN
    for _ in $(seq 1 360); do
        if curl -s -o /dev/null -X POST -H 'content-type: application/json' -H 'accept: application/json' \
            -d '{"jsonrpc":"2.0","id":0,"method":"ping"}' "$url"; then
            break
        fi
        kill -0 "$server_pid" 2>/dev/null || { cat "$out.server.log" >&2; return 1; }
        sleep 0.5
    done
    # Every scenario the run is to reach, so the gate notices one it never did.
    list_scenarios "$entry" "$how" "$version" > "$out.scenarios"
    [ -s "$out.scenarios" ] || { echo "error: the suite listed no scenarios for $section" >&2; return 1; }
    local select=(--suite all) scored=()
    case $how in
        spec) select+=(--spec-version "$version") ;;
        requirements) select=(--requirements "$version") scored=(--only-listed) ;;
    esac
    echo "==> conformance $section on $mode against $url (log: $out.log)"
    # The suite's exit status is not the verdict: the gate reads what it wrote.
    "$node" "$entry" server --url "$url" "${select[@]}" -o "$out" > "$out.log" 2>&1 || true
    local status=0
    "$python" scripts/conformance_gate.py "$out" --baseline "$baseline" --suite "$section" --mode "$mode" \
        --scenarios "$out.scenarios" "${scored[@]}" --known-modes "$known_modes" || status=$?
    echo "    $section on $mode: $((SECONDS - started))s"
    return "$status"
}

failed=()
for mode in "${modes[@]}"; do
    read -r -a words <<< "$mode"
    if [ -n "${CONFORMANCE_RUNTIMES:-}" ] && [[ ",$CONFORMANCE_RUNTIMES," != *",${words[0]},"* ]]; then
        continue
    fi
    for suite in "${suites[@]}"; do
        run_one "$suite" "${words[@]}" || failed+=("${suite%%|*} on ${words[0]}")
    done
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "==> conformance failed: ${failed[*]}" >&2
    exit 1
fi
echo "==> conformance passed on every runtime mode run"
