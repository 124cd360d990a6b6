#!/usr/bin/env bash
# Populate wit/deps with the WASI 0.2.6 WIT packages the MCP package uses.
#
# Where `wkg` can reach its registry it is used (`wkg wit fetch`). Otherwise
# the files come from a pinned PyPI wheel that carries them verbatim
# (spin-sdk 5.0.0), so the build never needs a registry other than PyPI.
set -euo pipefail

cd "$(dirname "$0")/.."
SPIN_SDK=spin-sdk==5.0.0
WASI=0.2.6
PACKAGES="cli clocks filesystem http io random sockets"

# wasmcp's package (committed in wit/deps/wasmcp-*) uses WASI 0.2.8, and a
# world must not mix two releases of one WASI package (componentize-py
# fails on it). The 0.2.8 WIT is 0.2.6's under the new version number: the
# worlds of wit/wasmcp use only items that exist since 0.2.0, and
# componentize-py marks every WASI import 0.2.9 in the end.
derive_028() {
    for p in $PACKAGES; do
        [ -d "wit/deps/$p@0.2.8" ] && continue
        mkdir -p "wit/deps/$p@0.2.8"
        for f in "wit/deps/$p@$WASI"/*.wit; do
            sed "s/\(wasi:[a-z-]*\)\(\/[a-z-]*\)\{0,1\}@$WASI/\1\2@0.2.8/g" "$f" > "wit/deps/$p@0.2.8/$(basename "$f")"
        done
    done
}

missing=""
for p in $PACKAGES; do [ -d "wit/deps/$p@$WASI" ] || missing="$missing $p"; done
if [ -z "$missing" ]; then derive_028; exit 0; fi

if command -v wkg >/dev/null 2>&1 && wkg wit fetch --wit-dir wit >/dev/null 2>&1; then
    echo "==> wit/deps fetched with wkg"
    derive_028
    exit 0
fi

echo "==> wit/deps: WASI $WASI WIT from the $SPIN_SDK wheel"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python=.venv/bin/python
[ -x "$python" ] || python=python3
"$python" -m pip download -q --no-deps --only-binary=:all: -d "$tmp" "$SPIN_SDK" 2> >(grep -v "^WARNING: Location" >&2)
"$python" - "$tmp"/*.whl "$WASI" $PACKAGES <<'PY'
import sys, zipfile, pathlib
wheel, version, packages = sys.argv[1], sys.argv[2], sys.argv[3:]
prefix = "spin_sdk/wit/deps/"
wanted = tuple(f"{prefix}{p}@{version}/" for p in packages)
with zipfile.ZipFile(wheel) as z:
    names = [n for n in z.namelist() if n.startswith(wanted) and n.endswith(".wit")]
    found = {n[len(prefix):].split("/")[0] for n in names}
    lost = sorted(f"{p}@{version}" for p in packages if f"{p}@{version}" not in found)
    if lost:
        sys.exit(f"error: {wheel} lacks WIT packages: {', '.join(lost)}")
    for name in names:
        target = pathlib.Path("wit/deps") / name[len(prefix):]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(z.read(name))
PY
derive_028
