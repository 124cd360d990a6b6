"""Step 1: the build. A timed `make build` from a clean transport and
provider, the bench server's build, and the sizes of the components."""

from __future__ import annotations

import os
import subprocess
import time

from .paths import BENCH_SERVER, BENCH_SINGLE, COMPOSED, ROOT, TOOLBOX, TRANSPORT
from .results import BuildResult


def _make() -> list[str]:
    # Under `make bench`, $(MAKE) is passed down so flags and jobserver carry over.
    return [os.environ.get("MAKE", "make"), "--no-print-directory"]


def build(clean: bool, make_build: bool = True) -> BuildResult:
    """Build the composed example server (timed from clean when ``clean``;
    not at all unless ``make_build``) and the bench server."""
    seconds: float | None = None
    note = "not timed (make bench times it from clean)"
    if clean:
        # Only these three: the WIT deps, wasm-tools and the conformance build stay.
        for path in (TRANSPORT, TOOLBOX, COMPOSED):
            path.unlink(missing_ok=True)
        print("==> timing `make build` from a clean transport and provider", flush=True)
        start = time.perf_counter()
        subprocess.run([*_make(), "build", "PROVIDER=toolbox"], cwd=ROOT, check=True)
        seconds = time.perf_counter() - start
        note = "clean transport + toolbox provider, composed"
    elif make_build:
        subprocess.run([*_make(), "build", "PROVIDER=toolbox"], cwd=ROOT, check=True)
    elif not COMPOSED.exists():
        raise RuntimeError(f"{COMPOSED} is missing: run `make build` (or drop --no-build)")
    subprocess.run([str(ROOT / "bench" / "build_server.sh")], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    sizes = {
        "provider (toolbox)": TOOLBOX.stat().st_size / 1e6,
        "transport": TRANSPORT.stat().st_size / 1e6,
        "composed (toolbox)": COMPOSED.stat().st_size / 1e6,
        "composed (bench)": BENCH_SERVER.stat().st_size / 1e6,
        "single (bench, one interpreter)": BENCH_SINGLE.stat().st_size / 1e6,
    }
    return BuildResult(seconds, note, sizes)
