"""report.png: throughput, latency and memory of every server, side by side."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

from .results import Results


def ensure_matplotlib() -> None:
    """Install matplotlib from PyPI into this interpreter if it is missing."""
    if importlib.util.find_spec("matplotlib") is None:
        print("==> pip install matplotlib (for report.png)", flush=True)
        done = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check",
                               "matplotlib"], capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"pip install matplotlib failed: {done.stderr.strip()[-500:]}")


def write_chart(results: Results, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    servers = list(dict.fromkeys(row.server for row in results.load))
    groups = list(dict.fromkeys((row.workload, row.concurrency) for row in results.load))
    figure, (rps_axis, p50_axis, memory_axis) = plt.subplots(
        1, 3, figsize=(18, 6), gridspec_kw={"width_ratios": [3, 3, 1.4]})
    width = 0.8 / max(1, len(servers))
    for index, server in enumerate(servers):
        rows = {(r.workload, r.concurrency): r for r in results.load if r.server == server}
        xs = [g + index * width for g in range(len(groups))]
        rps_axis.bar(xs, [rows[g].rps if g in rows else 0 for g in groups], width, label=server)
        p50_axis.bar(xs, [rows[g].p50_ms if g in rows else 0 for g in groups], width, label=server)
    labels = [f"{workload.replace('tools/call ', '')}\nc{c}" for workload, c in groups]
    for axis, title in ((rps_axis, "throughput (req/s, higher is better)"),
                        (p50_axis, "p50 latency (ms, lower is better)")):
        axis.set_xticks([g + width * (len(servers) - 1) / 2 for g in range(len(groups))], labels, fontsize=8)
        axis.set_title(title)
        axis.grid(axis="y", alpha=0.3)
    rps_axis.legend(fontsize=8)
    p50_axis.set_yscale("log")
    p50_axis.yaxis.set_major_formatter(matplotlib.ticker.ScalarFormatter())  # 2, 5, 20 rather than 2x10^0
    p50_axis.yaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    memory = results.memory
    memory_axis.bar(range(len(memory)), [m.peak_mb for m in memory], color="tab:gray")
    memory_axis.set_xticks(range(len(memory)), [m.server.replace(" (", "\n(") for m in memory], fontsize=8)
    memory_axis.set_title("peak RSS under load (MB)")
    memory_axis.grid(axis="y", alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
