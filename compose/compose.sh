#!/usr/bin/env bash
# Compose a transport and a provider into one server component, then
# validate it and check that it imports WASI only.
#
#   compose/compose.sh TRANSPORT.wasm PROVIDER.wasm OUT.wasm
#
# Uses `wac plug`; `wasm-tools compose` only where wac is not installed.
# Both come from `make setup` (.tools/bin, linked to PATH's or a cached build).
set -euo pipefail

transport=$1 provider=$2 out=$3
tools=$(cd "$(dirname "$0")/.." && pwd)/.tools/bin
wasm_tools=$tools/wasm-tools
wac=${WAC:-$tools/wac}  # WAC=none forces the wasm-tools path (tested)
[ -x "$wasm_tools" ] || { echo "error: wasm-tools is not installed; run 'make setup'" >&2; exit 1; }

if [ -x "$wac" ]; then
    echo "==> wac plug $(basename "$provider") into $(basename "$transport") -> $out"
    RUST_BACKTRACE=0 "$wac" plug "$transport" --plug "$provider" -o "$out" || {
        echo "error: wac could not plug $provider into $transport: is it a provider component (built for the" \
             "http-provider world) exporting what the transport imports?" >&2
        exit 1
    }
else
    echo "==> wasm-tools compose $(basename "$provider") into $(basename "$transport") -> $out (wac not installed)"
    # wasm-tools warns that compose is deprecated in favour of wac.
    # Unplugged WASI imports are expected (the host provides them): log errors only.
    RUST_LOG=error "$wasm_tools" compose "$transport" -d "$provider" -o "$out" 2> >(grep -v -i -E 'deprecat|please use .wac|^\s*$' >&2)
fi

echo "==> validate $out"
"$wasm_tools" validate "$out"

# The composed server must stand alone: every import a WASI interface.
wit=$("$wasm_tools" component wit "$out")
foreign=$(awk '$1 == "import" && $2 !~ /^wasi:/ {print $2}' <<< "$wit")
if [ -n "$foreign" ]; then
    echo "error: $out imports non-WASI interfaces (is the provider missing an export?):" >&2
    echo "$foreign" >&2
    exit 1
fi
if ! grep -q 'export wasi:http/incoming-handler@' <<< "$wit"; then
    echo "error: $out does not export wasi:http/incoming-handler" >&2
    exit 1
fi
echo "==> $out: $(du -h "$out" | cut -f1), imports WASI only"
