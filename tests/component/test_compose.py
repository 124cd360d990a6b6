"""compose/compose.sh joins transport and provider with `wac plug`, and with
`wasm-tools compose` where wac is missing; both results stand alone."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from ..paths import BUILD, ROOT

pytestmark = pytest.mark.component

TRANSPORT = BUILD / "transport.wasm"
PROVIDER = BUILD / "providers" / "toolbox.wasm"
TOOLS = ROOT / ".tools" / "bin"


def compose(out: Path, **env: str) -> str:
    for part in (TRANSPORT, PROVIDER):
        if not part.exists():
            pytest.fail(f"{part} is missing: run `make build` first (make test does)")
    done = subprocess.run([str(ROOT / "compose" / "compose.sh"), str(TRANSPORT), str(PROVIDER), str(out)],
                          capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", **env}, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def wit(component: Path) -> str:
    return subprocess.run([str(TOOLS / "wasm-tools"), "component", "wit", str(component)], capture_output=True,
                          text=True, check=True).stdout


def test_make_setup_installed_wac_and_wasm_tools() -> None:
    for tool in ("wac", "wasm-tools"):
        assert (TOOLS / tool).exists(), f".tools/bin/{tool} is missing: run `make setup`"


@pytest.mark.parametrize("composer", ["wac", "wasm-tools"])
def test_composes_a_server_that_imports_wasi_only(composer: str, tmp_path: Path) -> None:
    out = tmp_path / "server.wasm"
    log = compose(out, **({"WAC": "none"} if composer == "wasm-tools" else {}))
    assert f"==> {'wac plug' if composer == 'wac' else 'wasm-tools compose'} toolbox.wasm" in log
    assert "imports WASI only" in log
    text = wit(out)
    imports = [line.split()[1] for line in text.splitlines() if line.strip().startswith("import ")]
    assert imports and all(name.startswith("wasi:") for name in imports)
    assert "export wasi:http/incoming-handler@" in text and "export wasi:cli/run@" in text


def test_a_provider_missing_an_export_is_refused(tmp_path: Path) -> None:
    """Composing the transport with something that is not a provider leaves
    its mcp-component imports open, and compose.sh says so."""
    done = subprocess.run([str(ROOT / "compose" / "compose.sh"), str(TRANSPORT), str(TRANSPORT),
                           str(tmp_path / "bad.wasm")], capture_output=True, text=True, timeout=300)
    assert done.returncode != 0
    assert "error: wac could not plug" in done.stderr
    assert "Stack backtrace" not in done.stderr
