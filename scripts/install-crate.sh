#!/usr/bin/env bash
# Make one of the project's Rust tools available as .tools/bin/NAME.
#
#   scripts/install-crate.sh wasmtime|wac|wasm-tools
#
# Order of preference:
#   1. the tool on PATH, when it is at least the minimum version
#      (scripts/versions.sh) and has what the project needs;
#   2. the build cached per user by an earlier run (any checkout reuses it);
#   3. `cargo install` of the pinned crate with only the features the project
#      uses, into the per-user cache. Progress and elapsed time on stderr.
#
# .tools/bin/NAME becomes a link to the chosen binary, so the Makefile and
# scripts call one path whichever way the tool came.
set -euo pipefail

cd "$(dirname "$0")/.."
. scripts/versions.sh

name=${1:?usage: scripts/install-crate.sh wasmtime|wac|wasm-tools}
case $name in
    wasmtime)   crate=wasmtime-cli; version=$WASMTIME_VERSION; features=$WASMTIME_FEATURES; min=$WASMTIME_MIN
                works() { "$1" serve --help >/dev/null 2>&1; } ;;
    wac)        crate=wac-cli; version=$WAC_VERSION; features=$WAC_FEATURES; min=$WAC_MIN
                works() { "$1" plug --help >/dev/null 2>&1; } ;;
    wasm-tools) crate=wasm-tools; version=$WASM_TOOLS_VERSION; features=$WASM_TOOLS_FEATURES; min=$WASM_TOOLS_MIN
                works() { "$1" compose --help >/dev/null 2>&1 && "$1" component wit --help >/dev/null 2>&1; } ;;
    *) echo "install-crate: unknown tool '$name'" >&2; exit 2 ;;
esac

log() { printf '    %s\n' "$*" >&2; }
link() { mkdir -p .tools/bin; ln -sfn "$1" ".tools/bin/$name"; }

# "wasmtime 48.0.8 (...)" / "wac-cli 0.12.0" / "wasm-tools 1.263.0 (...)" -> 48.0.8
version_of() { "$1" --version 2>/dev/null | awk '{print $2; exit}'; }
at_least() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n 1)" = "$2" ]; }

# 1. on PATH (but not our own link, which would only point back here)
if found=$(PATH=$(printf '%s' "$PATH" | tr ':' '\n' | grep -v "^$PWD/.tools/bin\$" | paste -sd:) command -v "$name" 2>/dev/null); then
    have=$(version_of "$found")
    if [ -n "$have" ] && at_least "$have" "$min" && works "$found"; then
        log "$name $have on PATH: $found"
        link "$found"
        exit 0
    fi
    log "$name on PATH ($found, version ${have:-unknown}) is older than $min or lacks a needed command; building $version"
fi

# 2. cached build (the directory name carries version and features)
cache=${XDG_CACHE_HOME:-$HOME/.cache}/mcp-component/crates/$crate-$version-$(printf '%s' "$features" | cksum | cut -d' ' -f1)
bin=$cache/bin/$name
if [ -x "$bin" ] && works "$bin"; then
    log "$name $version cached: $bin"
    link "$bin"
    exit 0
fi

# 3. build
command -v cargo >/dev/null || {
    echo "error: $name is not installed and cargo is missing to build it; install Rust (https://rustup.rs) or put $name >= $min on PATH" >&2
    exit 1
}
log "building $crate $version from crates.io (features: $features); once per machine"
start=$SECONDS
# The target directory is kept until the build succeeds, so an interrupted
# setup resumes where it stopped instead of starting over.
target=${XDG_CACHE_HOME:-$HOME/.cache}/mcp-component/crates/build/$crate
blog=$target.log
mkdir -p "$target"
CARGO_TARGET_DIR=$target cargo install --locked --root "$cache" \
    --no-default-features --features "$features" "$crate@$version" >"$blog" 2>&1 </dev/null &
pid=$!
# Progress every 30 s: the count of crates compiled so far.
last=$SECONDS
while kill -0 "$pid" 2>/dev/null; do
    sleep 2
    if [ $((SECONDS - last)) -ge 30 ]; then
        last=$SECONDS
        log "$crate: $(grep -c '^ *Compiling' "$blog" || true) crates compiled, $((SECONDS - start))s"
    fi
done
if ! wait "$pid"; then
    echo "error: cargo install $crate@$version failed; the last lines of $blog:" >&2
    tail -n 20 "$blog" >&2
    exit 1
fi
works "$bin" || { echo "error: built $bin but it does not run as expected (see $blog)" >&2; exit 1; }
rm -rf "$target" "$blog"
log "built $name $version in $((SECONDS - start))s"
link "$bin"
