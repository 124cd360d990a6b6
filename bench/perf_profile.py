"""Where the CPU time of one ``tools/call`` goes on ``wasmtime serve``.

The server runs as ``make serve`` runs it, plus ``--profile perfmap``
(scripts/serve.sh's MCP_WASMTIME_PROFILE), so that ``perf`` can name the
component's compiled functions; ``perf record`` samples the wasmtime
process during a c1 echo run, and every sample's stack is sorted into one
part: the component's own code (CPython) and the page faults it takes,
resetting and preparing instance memory, linking a new instance, and
wasmtime's HTTP and async runtime. Needs Linux ``perf`` with user-space
sampling allowed; without it the step says why and measures nothing.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from .results import BreakdownRow

HZ = 1999  # samples per second per CPU, off the timer's round numbers

# (part, markers in any frame of the stack); the first part that matches
# wins. Guest frames are named by wasmtime's perf map: "wasm[N]::function[M]::name".
GUEST = "wasm["
GUEST_PARTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("guest page faults: first writes to the copy-on-write heap snapshot", ("page_fault",)),
    ("guest: CPython running the transport and provider", ()),
)
HOST_PARTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("memory reset: pages handed back to the kernel (madvise)", ("madvise",)),
    ("host page faults", ("page_fault",)),
    ("memory copies in the host (mostly resetting kept-resident instance memory)",
     ("memmove", "memcpy", "memset")),
    ("instantiation: linking core instances, function references", (
        "func_loc", "bforest", "get_func_ref", "push_export", "Instance::new", "instantiate", "ModuleRegistry",
        "initialize_and_return_funcref", "ref_func", "lookup_vmdef", "OwnedImports", "InstancePre",
        "StoreOpaque::new", "text_range")),
    ("host: HTTP, sockets, async runtime", (
        "hyper", "tokio", "epoll", "tcp_", "sendto", "recvfrom", "sock_", "__send", "__recv", "futex",
        "schedule", "net_rx", "ip_")),
)
OTHER = "other (wasmtime runtime, libc, kernel)"


def unavailable() -> str | None:
    """Why perf cannot profile here, or None when it can."""
    perf = shutil.which("perf")
    if perf is None:
        return "perf is not installed"
    try:
        level = int(Path("/proc/sys/kernel/perf_event_paranoid").read_text())
    except (OSError, ValueError):
        level = 0
    if level > 2:
        return f"kernel.perf_event_paranoid is {level}: sampling user code is not allowed"
    done = subprocess.run([perf, "stat", "-e", "task-clock", "true"], capture_output=True, text=True)
    return None if done.returncode == 0 else f"perf stat fails: {done.stderr.strip()[-200:]}"


class Recording:
    """``perf record`` of one process with call graphs, until stopped."""

    def __init__(self, pid: int, out: Path) -> None:
        perf = shutil.which("perf")
        assert perf is not None
        self.perf, self.out = perf, out
        out.unlink(missing_ok=True)
        self.process = subprocess.Popen([perf, "record", "-F", str(HZ), "-g", "-p", str(pid), "-o", str(out)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.5)  # perf attaches before the load starts

    def stop(self) -> str:
        """Stops recording; the samples as ``perf script`` prints them."""
        self.process.send_signal(signal.SIGINT)
        self.process.wait(timeout=60)
        script = subprocess.run([self.perf, "script", "-i", str(self.out), "-F", "ip,sym"], capture_output=True,
                                text=True, timeout=600)
        if script.returncode != 0:
            raise RuntimeError(f"perf script failed: {script.stderr.strip()[-300:]}")
        return script.stdout


def stacks(script: str) -> Iterator[list[str]]:
    """Each sample's frames, innermost first (``perf script -F ip,sym``)."""
    frames: list[str] = []
    for line in script.splitlines():
        line = line.strip()
        if not line:
            if frames:
                yield frames
            frames = []
            continue
        _, _, symbol = line.partition(" ")
        frames.append(symbol or line)
    if frames:
        yield frames


def part_of(frames: list[str]) -> str:
    parts = GUEST_PARTS if any(GUEST in frame for frame in frames) else HOST_PARTS
    for part, markers in parts:
        if not markers or any(marker in frame for frame in frames for marker in markers):
            return part
    return OTHER


def breakdown(script: str, requests: int) -> list[BreakdownRow]:
    """CPU ms per request for each part, its share of all samples, and the
    innermost functions that took most of it."""
    per_part: Counter[str] = Counter()
    leaves: dict[str, Counter[str]] = {}
    for frames in stacks(script):
        part = part_of(frames)
        per_part[part] += 1
        leaves.setdefault(part, Counter())[_short(frames[0])] += 1
    total = sum(per_part.values()) or 1
    ms_per_sample = 1000 / HZ / max(requests, 1)
    return [BreakdownRow(part, count * ms_per_sample, count / total,
                         "top frames (ms/req): " + ", ".join(f"{name} {n * ms_per_sample:.3f}"
                                                            for name, n in leaves[part].most_common(3)))
            for part, count in per_part.most_common()]


def _short(symbol: str) -> str:
    # "wasm[8]::function[4035]::_PyEval_EvalFrameDefault" -> "_PyEval_EvalFrameDefault"
    name = symbol.rsplit("::", 1)[-1] if symbol.startswith(GUEST) else symbol
    return name[:60]
