#!/usr/bin/env bash
# Serve a composed server at http://127.0.0.1:PORT/mcp.
#
#   scripts/serve.sh build/mcp-http-server.wasm [PORT]
#
# Runtime: MCP_RUNTIME=wasmtime|spin|jco; by default wasmtime serve (the one
# `make setup` links into .tools/bin, else PATH's), then spin, then jco.
# wasmtime reuses an instance for up to MCP_REUSE requests (default below;
# MCP_REUSE=1 is a fresh instance per request, as Spin always does).
# jco serves every request from one instance (MCP_INSTANCES=one); wasmtime
# and Spin may answer from several (many).
set -euo pipefail

cd "$(dirname "$0")/.."
server=$1
port=${2:-8080}
host=${MCP_HOST:-127.0.0.1}
node=.tools/node/node_modules/.bin/node
jco=.tools/node/node_modules/@bytecodealliance/jco/dist/jco.js  # what scripts/jco-host.mjs builds on

# Reuse: an instance serves up to this many requests, one at a time, and is
# dropped after IDLE of no traffic. Measured (README, "Instance modes"): reuse
# makes a call about 15 times cheaper than a fresh instance; the count bounds
# how long one instance's garbage and module state can live.
reuse=${MCP_REUSE:-1000}
idle=${MCP_IDLE_TIMEOUT:-30s}
# Limits per instance on wasmtime, so that a tool that allocates or loops
# without end costs only its own request (README, "Limits"): each linear
# memory (one per CPython) stops growing at MCP_MEMORY_MB, and a request that
# runs longer than MCP_REQUEST_TIMEOUT traps its instance (answered 500).
memory_mb=${MCP_MEMORY_MB:-512}
timeout=${MCP_REQUEST_TIMEOUT:-60s}
# When an instance ends, wasmtime resets its memory slot for the next one.
# By default it hands the pages back to the kernel, so the next instance
# takes a copy-on-write page fault for every page of the CPython heap
# snapshot it writes (refcounts touch most of them). Keeping the first 64
# MiB of each memory resident resets them by copying the snapshot back in
# instead: measured with a fresh instance per request (bench/README.md),
# a tools/call went from 8.9 to 3.8 ms (one interpreter) and from 14.9 to
# 8.9 ms (composed). The snapshot is about 15 MB per CPython today.
keep_resident=$((64 * 1024 * 1024))

wasmtime=
if [ -x .tools/bin/wasmtime ]; then wasmtime=$PWD/.tools/bin/wasmtime
elif command -v wasmtime >/dev/null 2>&1; then wasmtime=$(command -v wasmtime)
fi

runtime=${MCP_RUNTIME:-}
if [ -z "$runtime" ]; then
    if [ -n "$wasmtime" ]; then runtime=wasmtime
    elif command -v spin >/dev/null 2>&1; then runtime=spin
    else runtime=jco
    fi
fi

# Sessions across instances: wasmtime (with reuse under concurrency, and
# always with REUSE=1) and Spin answer from several instances, and each
# would sign session ids with a random secret of its own. One secret per
# server start keeps every id valid on every instance.
if [ "${MCP_SESSIONS:-off}" = on ] && [ -z "${MCP_SESSION_SECRET:-}" ]; then
    MCP_SESSION_SECRET=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
    export MCP_SESSION_SECRET
fi
# The same for the requestState of 2026-07-28 input-required results: the
# client's retry may reach another instance, which must verify what this
# one sealed.
if [ -z "${MCP_REQUEST_STATE_SECRET:-}" ]; then
    MCP_REQUEST_STATE_SECRET=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
    export MCP_REQUEST_STATE_SECRET
fi

# Whether every request reaches one instance, so a tool call can wait in it
# for the client's answer (README, "Asking the client"). Only jco gives that:
# wasmtime serve starts another instance whenever a request arrives while its
# instance is busy, even finishing the previous one (seen with
# --max-concurrent-requests 1), and Spin starts one per request.
if [ "$runtime" = jco ]; then
    MCP_INSTANCES=${MCP_INSTANCES:-one}
fi
MCP_INSTANCES=${MCP_INSTANCES:-many}
case $MCP_INSTANCES in
    one|many) export MCP_INSTANCES ;;
    *) echo "error: MCP_INSTANCES must be one or many (got '$MCP_INSTANCES')" >&2; exit 2 ;;
esac
if [ "$MCP_INSTANCES" = one ] && [ "$runtime" != jco ]; then
    echo "error: MCP_INSTANCES=one promises that every request reaches one instance, which only jco keeps" >&2
    echo "       ($runtime may answer from several); see the README, \"Asking the client\"" >&2
    exit 2
fi

# The transport reads MCP_* settings from its environment (README), and a
# provider may read its own (list their names in MCP_SERVE_ENV, comma
# separated). Every runtime passes exactly these to the component. wasmtime
# and jco-host.mjs get names only (`--env NAME` takes the value from here),
# so no secret shows in the process list.
env_flags=()
forward() {
    [ -n "${!1+set}" ] || return 0
    if [ "$runtime" = wasmtime ] || [ "$runtime" = jco ]; then export "$1"; env_flags+=(--env "$1")
    else env_flags+=(--env "$1=${!1}")
    fi
}
for name in $(compgen -e | grep '^MCP_' | grep -v -x -E 'MCP_(RUNTIME|HOST|SERVE_ENV|REUSE|IDLE_TIMEOUT|MEMORY_MB|REQUEST_TIMEOUT|WASMTIME_PROFILE)'); do
    forward "$name"
done
IFS=',' read -r -a extra <<< "${MCP_SERVE_ENV:-}"
for name in "${extra[@]}"; do
    name=${name// /}
    [ -n "$name" ] && forward "$name"
done

# A clear word instead of a runtime's stack trace when the port is taken.
if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then
    echo "error: $host:$port is already in use (another server?); choose another port: make serve PORT=8081" >&2
    exit 1
fi

# wasmtime serves a .cwasm compiled ahead by `wasmtime compile` by mapping
# it, in a few milliseconds; a .wasm, even one in wasmtime's compile cache,
# is hashed, decompressed and loaded again at every start (about 0.2 s per
# CPython in it). Compiled files are kept in the user's own cache (wasmtime
# runs a .cwasm without validating it), named by the component's content
# and wasmtime's version, the newest 40; build/cwasm remembers which content
# each component path last had, so a later start of an unchanged file
# neither hashes nor compiles. The compile flags are those of serve's that
# change the compiled code: -W timeout needs epoch interruption. Prints the
# file to serve.
compiled_ahead() {
    local source id index seen hash cache out tmp
    source=$(realpath "$1")
    id=$(stat -L -c '%d-%i-%s-%Y' "$source")
    index=build/cwasm/$(printf '%s' "$source" | cksum | cut -d' ' -f1)
    seen=$(cat "$index" 2>/dev/null || true)
    if [ -n "$seen" ] && [ "${seen%% *}" = "$id" ]; then
        hash=${seen#* }
    else
        hash=$(sha256sum "$source" | cut -c1-32)
    fi
    cache=${XDG_CACHE_HOME:-$HOME/.cache}/mcp-component/cwasm
    out=$cache/$hash-wasmtime-$("$wasmtime" --version | awk '{print $2}')-epoch.cwasm
    if [ ! -f "$out" ]; then
        mkdir -p "$cache"
        echo "    compiling $1 ahead of serving (about 12 s on two cores; once per build)" >&2
        tmp=$out.$$.tmp
        if ! "$wasmtime" compile -W epoch-interruption=y -o "$tmp" "$source" >&2; then
            rm -f "$tmp"
            return 1
        fi
        mv -f "$tmp" "$out"
        # shellcheck disable=SC2012  # names are hex digests
        ls -t "$cache"/*.cwasm | tail -n +41 | xargs -r rm -f
    fi
    touch "$out"  # recently used: kept by the pruning above
    mkdir -p build/cwasm
    printf '%s %s\n' "$id" "$hash" > "$index"
    echo "$out"
}

case $runtime in
    wasmtime)
        [ -n "$wasmtime" ] || { echo "error: wasmtime is not installed; run 'make setup'" >&2; exit 1; }
        [[ $reuse =~ ^[1-9][0-9]*$ ]] || { echo "error: REUSE must be a count of requests, 1 or more (got '$reuse')" >&2; exit 2; }
        [[ $memory_mb =~ ^[1-9][0-9]*$ ]] || { echo "error: MCP_MEMORY_MB must be a number of MiB (got '$memory_mb')" >&2; exit 2; }
        if [ "$reuse" = 1 ]; then mode="a fresh instance per request"; else mode="instances reused for up to $reuse requests"; fi
        echo "==> serving $server with wasmtime serve ($mode) at http://$host:$port/mcp" >&2
        target=$server
        if "$wasmtime" compile --help >/dev/null 2>&1; then
            target=$(compiled_ahead "$server") || target=$server
        else
            echo "    ($wasmtime has no compile command: every start loads the component from wasmtime's cache)" >&2
        fi
        # -Scli: componentize-py's CPython imports wasi:cli (environment, stdio).
        # wasi:http's outgoing-handler (providers that call out) comes with serve.
        # MCP_WASMTIME_PROFILE: wasmtime's --profile (the bench's perf run sets perfmap).
        profile=()
        [ -n "${MCP_WASMTIME_PROFILE:-}" ] && profile=(--profile "$MCP_WASMTIME_PROFILE")
        exec "$wasmtime" serve -Scli --addr "$host:$port" "${profile[@]}" \
            --max-instance-reuse-count "$reuse" --idle-instance-timeout "$idle" \
            -W "max-memory-size=$((memory_mb * 1024 * 1024))" -W "timeout=$timeout" \
            -O "pooling-memory-keep-resident=$keep_resident" \
            --allow-precompiled "${env_flags[@]}" "$target" ;;
    spin)
        echo "==> serving $server with spin up (a fresh instance per request) at http://$host:$port/mcp" >&2
        manifest=spin.toml
        if [ "$(realpath "$server")" != "$(realpath build/mcp-http-server.wasm)" ]; then
            # spin.toml names build/mcp-http-server.wasm: serve another build
            # through a copy of the manifest that points at it.
            manifest=build/spin-$port.toml
            sed "s|^source = \"build/mcp-http-server.wasm\"|source = \"$(realpath "$server")\"|" spin.toml > "$manifest"
            sed -i '/^\[component.mcp-server.build\]/,$d' "$manifest"  # the copy is not built
        fi
        exec spin up --from "$manifest" --listen "$host:$port" "${env_flags[@]}" ;;
    jco)
        if [ ! -x "$node" ] || [ ! -f "$jco" ]; then
            echo "error: jco on Node 22 is not installed; run 'make setup'" >&2
            exit 1
        fi
        # scripts/jco-host.mjs: jco's transpiler and HTTP server, the transpile
        # cached in build/jco-cache, and a fresh instance after a trap.
        echo "==> serving $server with jco (one instance, replaced after a trap) at http://$host:$port/mcp" >&2
        exec "$node" scripts/jco-host.mjs --host "$host" --port "$port" "${env_flags[@]}" "$server" ;;
    *)
        echo "error: MCP_RUNTIME must be wasmtime, spin or jco (got '$runtime')" >&2
        exit 2 ;;
esac
