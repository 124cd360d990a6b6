#!/usr/bin/env bash
# Make a `wasm-tools` binary (with the `compose` subcommand) available.
#
# crates.io is not reachable from our machines, but Debian packages the Rust
# sources of wasm-tools and all of its dependencies as librust-*-dev packages.
# Those packages unpack into a valid cargo directory source, so we can build
# wasm-tools fully offline from them.
#
# Order of preference:
#   1. a wasm-tools already on PATH that has `compose`;
#   2. the binary this script built earlier (cached per user);
#   3. build it now from Debian testing (falling back to sid).
#
# Nothing system-wide changes: apt runs against a private state directory
# (own sources, lists, cache and an empty dpkg status), and cargo runs with a
# private CARGO_HOME. All build files live in a temp dir removed on exit.
#
# Output: progress on stderr; on success the last line on stdout is the
# absolute path of the binary, e.g.
#   WASM_TOOLS=$(scripts/install-wasm-tools.sh | tail -1)
set -euo pipefail

PKG=librust-wasm-tools-dev
# Only the subcommands the project needs: keeps the build to a few minutes.
WANTED_FEATURES=(compose validate print parse component)
# sid has recently had version skew between crates; testing is more coherent.
SUITES=(testing sid)
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
DEFAULT_MIRROR=http://deb.debian.org/debian

CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/mcp-component/wasm-tools"
CACHED_BIN="$CACHE_DIR/bin/wasm-tools"

log() { printf '%s\n' "$*" >&2; }
die() {
    printf 'install-wasm-tools: error: %s\n' "$*" >&2
    exit 1
}

# Absolute path of an existing file, without resolving symlinks (so a
# PATH shim keeps working as the caller expects).
abspath() { printf '%s/%s\n' "$(cd "$(dirname "$1")" && pwd)" "$(basename "$1")"; }

# The cached binary counts only if it actually runs on this machine.
cached_ok() { [ -x "$CACHED_BIN" ] && "$CACHED_BIN" --version >/dev/null 2>&1; }

# --- 1. already on PATH ---------------------------------------------------
if existing=$(command -v wasm-tools 2>/dev/null) &&
    "$existing" compose --help >/dev/null 2>&1; then
    abspath "$existing"
    exit 0
fi

# --- 2. built earlier -----------------------------------------------------
if cached_ok; then
    abspath "$CACHED_BIN"
    exit 0
fi

# --- 3. build from Debian's Rust sources ----------------------------------

# Find cargo: PATH first, then rustup's default location.
CARGO=$(command -v cargo 2>/dev/null || true)
if [ -z "$CARGO" ] && [ -x "$HOME/.cargo/bin/cargo" ]; then
    CARGO="$HOME/.cargo/bin/cargo"
fi
if [ -z "$CARGO" ]; then
    die "cargo not found (looked on PATH and in ~/.cargo/bin).
Install Rust's cargo to build wasm-tools, e.g. 'apt-get install cargo' or rustup.
Note: Debian 12's cargo/rustc (1.63) is likely too old for current wasm-tools; rustup's stable is known to work."
fi
# rustup's proxies and a plain toolchain both keep rustc next to cargo.
RUSTC=$(dirname "$CARGO")/rustc
[ -x "$RUSTC" ] || RUSTC=$(command -v rustc 2>/dev/null || true)

for tool in apt-get dpkg-deb; do
    command -v "$tool" >/dev/null 2>&1 || die "'$tool' not found: this build needs a Debian-based system"
done
[ -r "$KEYRING" ] || die "$KEYRING missing: install the debian-archive-keyring package"

mkdir -p "$CACHE_DIR/bin"
# Serialise concurrent runs (e.g. parallel make) so only one builds; lock the
# cache directory itself so no extra file is left behind.
if command -v flock >/dev/null 2>&1; then
    exec 9<"$CACHE_DIR"
    flock 9
    # Another run may have finished the build while we waited.
    if cached_ok; then
        abspath "$CACHED_BIN"
        exit 0
    fi
fi

# Use the same Debian mirror as the machine (it may be a local proxy that is
# the only route out); only the suite differs.
detect_mirror() {
    local uri f
    # deb822 sources: the first "URIs:" entry that is the main archive.
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -r "$f" ] || continue
        uri=$(awk 'tolower($1)=="uris:" { for (i = 2; i <= NF; i++) print $i }' "$f" |
            grep -E '/debian/?$' | head -n1 || true)
        if [ -n "$uri" ]; then
            printf '%s\n' "${uri%/}"
            return
        fi
    done
    # One-line sources: "deb [options] URI suite components".
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -r "$f" ] || continue
        uri=$(sed -E -n 's/^[[:space:]]*deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+).*/\2/p' "$f" |
            grep -E '/debian/?$' | head -n1 || true)
        if [ -n "$uri" ]; then
            printf '%s\n' "${uri%/}"
            return
        fi
    done
    printf '%s\n' "$DEFAULT_MIRROR"
}
MIRROR=$(detect_mirror)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/wasm-tools-build.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

# Feature names declared in a Cargo.toml's [features] table.
cargo_features() {
    awk '/^\[/ { in_f = ($0 == "[features]"); next }
         in_f && /^[A-Za-z0-9_-]+[[:space:]]*=/ { sub(/[[:space:]]*=.*/, ""); print }' "$1"
}

# True if version $1 >= version $2 (dotted numbers).
version_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]; }

# First N lines of stdin matching PATTERN, joined into one trimmed line (for
# short error summaries). Never fails: under `set -e` a failing substitution
# would abort the script before the reason is reported.
summary() {
    { grep -E -- "$1" || true; } | head -n "$2" | tr -s ' \n' ' ' | sed 's/^ //; s/ $//'
}

# Why each suite failed, for the final error message.
FAILURES=()

# Try to build from one Debian suite. Returns non-zero (after recording the
# reason in FAILURES) so the caller can fall back to the next suite.
# It runs as an `if` condition, where bash ignores `set -e`: every step that
# can fail is checked explicitly.
build_from_suite() {
    local suite=$1
    local dir="$WORK/$suite"
    local apt="$dir/apt" debs="$dir/debs" root="$dir/root" alog="$dir/apt.log" blog="$dir/build.log"
    mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" \
        "$apt/etc/sources.list.d" "$apt/etc/preferences.d" "$debs" "$root" ||
        die "cannot create build directories under $WORK"
    # Empty dpkg status: apt then resolves the full closure, independent of
    # what this machine has installed.
    : >"$apt/status"
    : >"$apt/etc/sources.list"
    : >"$apt/etc/preferences"
    cat >"$apt/etc/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $MIRROR
Suites: $suite
Components: main
Signed-By: $KEYRING
EOF
    # APT_CONFIG is read before the system's apt.conf.d and can point the
    # "main" config file (read after apt.conf.d) at ours, which drops the
    # system's update/dpkg hooks (they would touch system-wide caches) while
    # keeping its proxy and validity settings.
    printf 'Dir::Etc::main "%s";\n' "$apt/etc/apt.conf" >"$apt/etc/apt-config"
    cat >"$apt/etc/apt.conf" <<'EOF'
#clear APT::Update::Pre-Invoke;
#clear APT::Update::Post-Invoke;
#clear APT::Update::Post-Invoke-Success;
#clear DPkg::Pre-Invoke;
#clear DPkg::Post-Invoke;
EOF
    local -a opts=(
        -o "Dir::State=$apt"
        -o "Dir::State::Lists=$apt/lists"
        -o "Dir::State::status=$apt/status"
        -o "Dir::Etc::SourceList=$apt/etc/sources.list"
        -o "Dir::Etc::SourceParts=$apt/etc/sources.list.d"
        -o "Dir::Etc::Preferences=$apt/etc/preferences"
        -o "Dir::Etc::PreferencesParts=$apt/etc/preferences.d"
        -o "Dir::Cache=$apt/cache"
        -o "Dir::Cache::Archives=$apt/cache/archives"
        # Never delete list files apt does not recognise (belt and braces).
        -o APT::Get::List-Cleanup=0
        # Our dirs are private; the system apt lock is irrelevant to us.
        -o Debug::NoLocking=1
        # The temp dir is mode 0700, so the _apt sandbox user couldn't write it.
        -o APT::Sandbox::User=root
        -o Acquire::Languages=none
    )
    papt() { APT_CONFIG="$apt/etc/apt-config" apt-get "${opts[@]}" "$@"; }

    log "resolving Debian Rust sources ($suite)…"
    if ! papt -q update >"$alog" 2>&1; then
        FAILURES+=("$suite: apt-get update failed: $(summary '^(E|W):' 3 <"$alog")")
        return 1
    fi
    local sim
    # stderr is kept with stdout: on failure apt names there the package(s)
    # it cannot find or install.
    if ! sim=$(papt -s --no-install-recommends install "$PKG" 2>&1); then
        FAILURES+=("$suite: cannot resolve $PKG: $(printf '%s\n' "$sim" |
            summary '^E:|Depends:|not installable|not going to be installed' 6)")
        return 1
    fi
    # Keep only the Rust source packages, pinned to the resolved versions
    # ("Inst NAME (VERSION Origin [arch])").
    local -a pkgs
    mapfile -t pkgs < <(printf '%s\n' "$sim" | sed -n 's/^Inst \(librust-[^ ]*\) (\([^ ]*\) .*/\1=\2/p')
    if [ "${#pkgs[@]}" -eq 0 ]; then
        FAILURES+=("$suite: $PKG resolved to no librust-* packages")
        return 1
    fi

    log "downloading ${#pkgs[@]} packages…"
    if ! (cd "$debs" && papt -q download "${pkgs[@]}") >>"$alog" 2>&1; then
        FAILURES+=("$suite: download failed: $(summary '^(E|W):' 3 <"$alog")")
        return 1
    fi
    local deb
    for deb in "$debs"/*.deb; do
        dpkg-deb -x "$deb" "$root" || {
            FAILURES+=("$suite: cannot unpack ${deb##*/}")
            return 1
        }
    done

    # Debian's cargo registry layout: one "<crate>-<version>" dir per crate.
    local registry="$root/usr/share/cargo/registry" src version
    src=$(find "$registry" -mindepth 1 -maxdepth 1 -type d -name 'wasm-tools-[0-9]*' 2>/dev/null |
        sort -V | tail -n1 || true)
    if [ -z "$src" ] || [ ! -f "$src/Cargo.toml" ]; then
        FAILURES+=("$suite: $PKG did not contain the wasm-tools crate sources")
        return 1
    fi
    version=${src##*/wasm-tools-}

    # Use the wanted features that this version declares; compose is required.
    local -a have feats=()
    mapfile -t have < <(cargo_features "$src/Cargo.toml")
    local f h found
    for f in "${WANTED_FEATURES[@]}"; do
        found=
        for h in "${have[@]}"; do
            [ "$h" = "$f" ] && found=1
        done
        if [ -n "$found" ]; then
            feats+=("$f")
        elif [ "$f" = compose ]; then
            FAILURES+=("$suite: wasm-tools $version has no 'compose' feature (the project needs 'wasm-tools compose')")
            return 1
        else
            log "note: wasm-tools $version has no '$f' feature; building without it"
        fi
    done

    # Fail early and clearly if the local compiler is older than the crate needs.
    local need have_rustc
    need=$(sed -n 's/^rust-version[[:space:]]*=[[:space:]]*"\([0-9.]*\)".*/\1/p' "$src/Cargo.toml" | head -n1 || true)
    if [ -n "$need" ] && [ -n "$RUSTC" ]; then
        have_rustc=$("$RUSTC" --version 2>/dev/null | awk '{print $2}' | sed 's/-.*//' || true)
        if [ -n "$have_rustc" ] && ! version_ge "$have_rustc" "$need"; then
            die "wasm-tools $version needs Rust >= $need but $RUSTC is $have_rustc; install a newer toolchain (e.g. rustup's stable)"
        fi
    fi

    # Private cargo home: all crates come from the unpacked Debian sources,
    # and cargo must never try the network.
    local chome="$dir/cargo-home"
    mkdir -p "$chome" || die "cannot create $chome"
    cat >"$chome/config.toml" <<EOF
[source.crates-io]
replace-with = "debian"

[source.debian]
directory = "$registry"

[net]
offline = true
EOF

    log "building wasm-tools $version (about 3 minutes)…"
    local start=$SECONDS
    # Run from the temp dir so no rust-toolchain file of the caller applies.
    if ! (cd "$dir" && CARGO_HOME="$chome" CARGO_TARGET_DIR="$dir/target" \
        CARGO_TERM_COLOR=never CARGO_TERM_PROGRESS_WHEN=never \
        "$CARGO" install --offline --path "$src" \
        --no-default-features --features "$(
            IFS=,
            echo "${feats[*]}"
        )" \
        --root "$dir/install") >"$blog" 2>&1; then
        log "cargo build failed ($suite); last lines of its log:"
        tail -n 25 "$blog" >&2
        FAILURES+=("$suite: building wasm-tools $version failed: $(summary '^error' 3 <"$blog")")
        return 1
    fi
    local bin="$dir/install/bin/wasm-tools"
    if ! "$bin" compose --help >/dev/null 2>&1; then
        FAILURES+=("$suite: built wasm-tools $version but 'wasm-tools compose --help' fails")
        return 1
    fi
    log "built wasm-tools $version in $((SECONDS - start))s"

    # Install atomically: only the binary is kept, cargo's metadata files and
    # the build tree go away with the temp dir.
    { cp "$bin" "$CACHED_BIN.tmp.$$" &&
        chmod 0755 "$CACHED_BIN.tmp.$$" &&
        mv -f "$CACHED_BIN.tmp.$$" "$CACHED_BIN"; } ||
        { rm -f "$CACHED_BIN.tmp.$$"; die "cannot install the built binary into $CACHE_DIR/bin"; }
    return 0
}

for suite in "${SUITES[@]}"; do
    if build_from_suite "$suite"; then
        abspath "$CACHED_BIN"
        exit 0
    fi
    log "could not build from Debian $suite: ${FAILURES[-1]#*: }"
done

msg="could not build wasm-tools from Debian's Rust sources (mirror $MIRROR):"
for reason in "${FAILURES[@]}"; do
    msg+=$'\n'"  - $reason"
done
die "$msg"
