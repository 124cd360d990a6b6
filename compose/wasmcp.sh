#!/usr/bin/env bash
# Serve a component written for wasmcp with this project's transport:
#
#   compose/wasmcp.sh PROVIDER.wasm OUT.wasm
#
# Reads which of wasmcp's capability interfaces (tools, resources, prompts,
# completions of wasmcp:mcp-v20251125@0.1.x) the component exports, builds
# the transport for exactly that set (make's build/wasmcp/transport-<set>.wasm,
# once per set) and plugs the component into it. What both then still import
# from wasmcp (its data model and framework interfaces, which wasmcp's own
# composition fills with its server-io, authorization and method-not-found
# components) comes from build/wasmcp/framework-stub.wasm, plugged in last
# by compose.sh, which also checks that the server imports WASI only.
# MCP_BUILD_DIR (default: the repository's build/) is where the transport
# and the stub are built, so that a project outside the repository (the
# mcp-python-wasmcp template) leaves the repository alone.
set -euo pipefail

provider=$1 out=$2
root=$(cd "$(dirname "$0")/.." && pwd)
build=${MCP_BUILD_DIR:-$root/build}
tools=$root/.tools/bin
[ -f "$provider" ] || { echo "error: no such component: $provider" >&2; exit 1; }

exports=$("$tools/wasm-tools" component wit "$provider" | awk '$1 == "export" {print $2}')
set_name=""
for interface in tools resources prompts completions; do
    if grep -q "^wasmcp:mcp-v20251125/$interface@0\.1\.[0-9]*;$" <<< "$exports"; then
        set_name="${set_name:+$set_name-}$interface"
    fi
done
if [ -z "$set_name" ]; then
    echo "error: $provider exports none of wasmcp:mcp-v20251125/{tools,resources,prompts,completions}@0.1.x;" \
         "it exports:" $exports >&2
    exit 1
fi
transport=$build/wasmcp/transport-$set_name.wasm
stub=$build/wasmcp/framework-stub.wasm
make --no-print-directory -C "$root" BUILD="$build" "$transport" "$stub"

joined=$(mktemp --suffix=.wasm)
trap 'rm -f "$joined"' EXIT
echo "==> wac plug $(basename "$provider") into $(basename "$transport")"
RUST_BACKTRACE=0 "$tools/wac" plug "$transport" --plug "$provider" -o "$joined" || {
    echo "error: wac could not plug $provider into $transport: do its exports match" \
         "wasmcp:mcp-v20251125@0.1.1's interfaces?" >&2
    exit 1
}
"$root/compose/compose.sh" "$joined" "$stub" "$out"
