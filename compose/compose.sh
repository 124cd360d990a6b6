#!/usr/bin/env bash
# Compose a transport and a provider into one server component, then
# validate it and check that it imports WASI only.
#
#   compose/compose.sh TRANSPORT.wasm PROVIDER.wasm OUT.wasm
#
# Uses `wac plug` when wac is on PATH, else `wasm-tools compose`.
set -euo pipefail

transport=$1 provider=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
wasm_tools=$("$here/../scripts/install-wasm-tools.sh" | tail -1)

if command -v wac >/dev/null 2>&1; then
    echo "==> wac plug $(basename "$provider") into $(basename "$transport") -> $out"
    wac plug "$transport" --plug "$provider" -o "$out"
else
    echo "==> wasm-tools compose $(basename "$provider") into $(basename "$transport") -> $out"
    # wasm-tools warns that compose is deprecated in favour of wac; wac is
    # used instead whenever it is installed.
    # Unplugged WASI imports are expected (the host provides them): log errors only.
    RUST_LOG=error "$wasm_tools" compose "$transport" -d "$provider" -o "$out" 2> >(grep -v -i -E 'deprecat|please use .wac|^\s*$' >&2)
fi

echo "==> validate $out"
"$wasm_tools" validate "$out"

# The composed server must stand alone: every import a WASI interface.
foreign=$("$wasm_tools" component wit "$out" | awk '$1 == "import" && $2 !~ /^wasi:/ {print $2}')
if [ -n "$foreign" ]; then
    echo "error: $out imports non-WASI interfaces (is the provider missing an export?):" >&2
    echo "$foreign" >&2
    exit 1
fi
if ! "$wasm_tools" component wit "$out" | grep -q 'export wasi:http/incoming-handler@'; then
    echo "error: $out does not export wasi:http/incoming-handler" >&2
    exit 1
fi
echo "==> $out: $(du -h "$out" | cut -f1), imports WASI only"
