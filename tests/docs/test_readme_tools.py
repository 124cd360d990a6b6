"""The README's statements about the Rust tools and runtimes match the pins
in scripts/versions.sh and the flags scripts/serve.sh really passes."""

from __future__ import annotations

import re
import subprocess

from ..paths import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def pins() -> dict[str, str]:
    """The variables scripts/versions.sh sets, as bash sees them."""
    out = subprocess.run(["bash", "-c", ". scripts/versions.sh && set"], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout
    return dict(re.findall(r"^([A-Z_]+_(?:VERSION|FEATURES|MIN))=(.*)$", out, re.M))


def test_readme_names_the_pinned_crate_versions() -> None:
    versions = pins()
    for crate, key in (("wasmtime-cli", "WASMTIME_VERSION"), ("wac-cli", "WAC_VERSION"),
                       ("wasm-tools", "WASM_TOOLS_VERSION")):
        assert f"`{crate}` {versions[key]}" in README, crate


def test_readme_serve_command_is_the_one_serve_sh_runs() -> None:
    serve = (ROOT / "scripts" / "serve.sh").read_text()
    row = re.search(r"\| wasmtime CLI \(default\) \| `([^`]+)`", README)
    assert row, "the README's runtime table has no wasmtime row"
    command = row.group(1)
    for flag in ("serve -Scli", "--max-instance-reuse-count", "--idle-instance-timeout", "max-memory-size=",
                 "timeout=", "pooling-memory-keep-resident=", "--allow-precompiled"):
        assert flag in command and flag in serve, flag
    default_reuse = re.search(r"reuse=\$\{MCP_REUSE:-(\d+)\}", serve)
    default_idle = re.search(r"idle=\$\{MCP_IDLE_TIMEOUT:-(\w+)\}", serve)
    assert default_reuse and f"--max-instance-reuse-count {default_reuse.group(1)} " in command
    assert default_idle and f"--idle-instance-timeout {default_idle.group(1)} " in command
    memory = re.search(r"memory_mb=\$\{MCP_MEMORY_MB:-(\d+)\}", serve)
    timeout = re.search(r"timeout=\$\{MCP_REQUEST_TIMEOUT:-(\w+)\}", serve)
    assert memory and f"-W max-memory-size={int(memory.group(1)) * 1024 * 1024} " in command
    assert timeout and f"-W timeout={timeout.group(1)} " in command
    keep = re.search(r"keep_resident=\$\(\((\d+) \* 1024 \* 1024\)\)", serve)
    assert keep and f"-O pooling-memory-keep-resident={int(keep.group(1)) * 1024 * 1024} " in command
