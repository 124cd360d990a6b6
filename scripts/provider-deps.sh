#!/usr/bin/env bash
# Install a provider's own dependencies into a build folder of its own, for
# componentize-py to bundle and for its in-memory tests to import.
#
#   scripts/provider-deps.sh PROVIDER_DIR OUT_DIR
#
# The dependencies are declared the standard way, beside app.py: a
# requirements.txt, or the [project] dependencies of a pyproject.toml. A
# package with a native extension (a .so) cannot run inside a component (there
# is no WASI build of it): the build stops and names it. Writes OUT_DIR (empty
# when nothing is declared) and OUT_DIR.stamp.
set -euo pipefail

cd "$(dirname "$0")/.."
provider=$1 out=$2
python=.venv/bin/python

rm -rf "$out"
mkdir -p "$out"
args=()
if [ -f "$provider/requirements.txt" ]; then
    args=(-r "$provider/requirements.txt")
elif [ -f "$provider/pyproject.toml" ]; then
    mapfile -t deps < <("$python" -c 'import sys, tomllib
for dep in tomllib.load(open(sys.argv[1], "rb")).get("project", {}).get("dependencies", []): print(dep)' "$provider/pyproject.toml")
    args=("${deps[@]}")
fi
if [ ${#args[@]} -gt 0 ]; then
    echo "==> dependencies of $provider -> $out"
    start=$SECONDS
    "$python" -m pip install -q --disable-pip-version-check --no-compile --target "$out" "${args[@]}" \
        2> >(grep -v "^WARNING: Target directory" >&2)
    # Native code cannot be bundled: name the package each .so belongs to.
    native=$(find "$out" -name '*.so' -o -name '*.so.*' -o -name '*.pyd' | sed "s|^$out/||")
    if [ -n "$native" ]; then
        echo "error: these dependencies of $provider have native extensions, which cannot run in a component" \
             "(no WASI build); use pure-Python packages instead:" >&2
        for file in $native; do
            owner=$(grep -l -F "$file" "$out"/*.dist-info/RECORD 2>/dev/null | head -n 1 | xargs -r dirname | xargs -r basename)
            echo "  ${owner%.dist-info}: $file" >&2
        done
        rm -rf "$out"
        exit 1
    fi
    echo "    $(ls -d "$out"/*.dist-info | sed 's|.*/||; s|\.dist-info||' | paste -sd' ') in $((SECONDS - start))s"
fi
touch "$out.stamp"
