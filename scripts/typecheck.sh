#!/usr/bin/env bash
# mypy --strict over the SDK and the transport, including the modules that
# import componentize-py's generated bindings: those are generated into
# build/bindings first, so the adapters are checked against the real WIT.
set -euo pipefail

cd "$(dirname "$0")/.."
venv=.venv/bin
echo "==> mypy --strict: SDK and transport"
"$venv/mypy"

for world in http-provider transport http-server; do
    if [ ! -d "build/bindings/$world" ] || [ -n "$(find wit -name '*.wit' -newer "build/bindings/$world" -print -quit)" ]; then
        rm -rf "build/bindings/$world"
        "$venv/componentize-py" -d wit -w "$world" bindings "build/bindings/$world" >/dev/null
    fi
done
echo "==> mypy --strict: binding adapters (guest, wasi http client, wit_port, wasi_http, transport entry)"
MYPYPATH=build/bindings/http-provider "$venv/mypy" --strict --follow-imports=silent \
    mcp_component/guest.py mcp_component/_wasi_http.py
MYPYPATH=build/bindings/transport:transport "$venv/mypy" --strict --follow-imports=silent \
    transport/mcp_transport/wit_port.py transport/mcp_transport/wasi_http.py transport/mcp_transport/entry.py \
    transport/app.py
echo "==> mypy --strict: the one-interpreter entry, against the http-server world's bindings"
MYPYPATH=build/bindings/http-server:transport "$venv/mypy" --strict --follow-imports=silent \
    transport/mcp_transport/entry.py transport/mcp_transport/wasi_http.py transport/mcp_transport/local_port.py
echo "==> mypy --strict: the wasmcp adapters, against bindings for wasmcp's interfaces (all four)"
if [ ! -d build/bindings/wasmcp-provider ] || [ -n "$(find wit/wasmcp wit/deps/wasmcp-* -name '*.wit' -newer build/bindings/wasmcp-provider -print -quit)" ]; then
    rm -rf build/bindings/wasmcp-provider build/bindings/wasmcp-transport
    scripts/wasmcp-world.sh build/bindings/wit-wasmcp-provider provider \
        tools-provider resources-provider prompts-provider completions-provider http-client
    scripts/wasmcp-world.sh build/bindings/wit-wasmcp-transport transport-all \
        transport tools-client resources-client prompts-client completions-client
    "$venv/componentize-py" -d build/bindings/wit-wasmcp-provider -w provider bindings build/bindings/wasmcp-provider >/dev/null
    "$venv/componentize-py" -d build/bindings/wit-wasmcp-transport -w transport-all bindings build/bindings/wasmcp-transport >/dev/null
fi
MYPYPATH=build/bindings/wasmcp-provider "$venv/mypy" --strict --follow-imports=silent mcp_component/wasmcp_guest.py
MYPYPATH=build/bindings/wasmcp-transport:transport "$venv/mypy" --strict --follow-imports=silent \
    transport/mcp_transport/wasmcp_port.py transport/wasmcp_app.py
