"""The wasmcp flavour's components: what `make build-wasmcp` and `make
compose-wasmcp` produce, checked with wasm-tools and wac against wasmcp's
WIT package (no runtime)."""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

import pytest

from mcp_component.wasmcp_worlds import main as worlds_main

from ..paths import BUILD, ROOT

pytestmark = pytest.mark.component

TOOLS = ROOT / ".tools" / "bin"
WASMCP = BUILD / "wasmcp"
PACKAGE = "wasmcp:mcp-v20251125"
# What a wasmcp capability imports besides WASI, and wasmcp's composition
# provides (its server-io, authorization and method-not-found components).
FRAMEWORK = {f"{PACKAGE}/{name}@0.1.1" for name in ("mcp", "server-io", "server-auth", "server-handler")} | {
    "wasmcp:auth/types@0.1.1"}


def built(name: str) -> Path:
    path = WASMCP / name
    if not path.exists():
        pytest.fail(f"{path} is missing: `make test` builds it (make build-wasmcp, wasmcp-examples, compose-wasmcp)")
    return path


def wit(component: Path) -> str:
    return subprocess.run([str(TOOLS / "wasm-tools"), "component", "wit", str(component)],
                          capture_output=True, text=True, check=True).stdout


def items(text: str, kind: str) -> set[str]:
    return {line.split()[1].rstrip(";") for line in text.splitlines() if line.startswith(f"  {kind} ")}


def test_toolbox_exports_wasmcp_tools_at_0_1_1_only() -> None:
    assert items(wit(built("toolbox.wasm")), "export") == {f"{PACKAGE}/tools@0.1.1"}


def test_conformance_exports_all_four_capabilities() -> None:
    assert items(wit(built("conformance.wasm")), "export") == {
        f"{PACKAGE}/{name}@0.1.1" for name in ("tools", "resources", "prompts", "completions")}


@pytest.mark.parametrize("name", ["toolbox.wasm", "conformance.wasm", "strings-py.wasm", "calc-ts.wasm"])
def test_imports_only_wasi_and_what_wasmcp_composition_provides(name: str) -> None:
    foreign = {i for i in items(wit(built(name)), "import") if not i.startswith("wasi:")}
    assert foreign <= FRAMEWORK, foreign - FRAMEWORK


def test_toolbox_type_checks_against_the_package(tmp_path: Path) -> None:
    """Plug the build into a component made from the WIT package alone that
    imports all four capability interfaces: wac checks every type of the
    export against the package's."""
    core, client = tmp_path / "client.core.wasm", tmp_path / "client.wasm"
    subprocess.run([str(TOOLS / "wasm-tools"), "component", "embed", "--dummy", "-w", "capability-client",
                    str(ROOT / "wit" / "wasmcp"), "-o", str(core)], check=True)
    subprocess.run([str(TOOLS / "wasm-tools"), "component", "new", str(core), "-o", str(client)], check=True)
    assert f"import {PACKAGE}/tools@0.1.1;" in wit(client)
    plugged = tmp_path / "plugged.wasm"
    done = subprocess.run([str(TOOLS / "wac"), "plug", str(client), "--plug", str(built("toolbox.wasm")),
                           "-o", str(plugged)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    imports = items(wit(plugged), "import")
    assert f"{PACKAGE}/tools@0.1.1" not in imports  # satisfied by the build
    assert f"{PACKAGE}/resources@0.1.1" in imports  # toolbox offers no resources


@pytest.mark.parametrize("name", ["toolbox", "conformance", "strings-py", "calc-ts"])
def test_served_with_our_transport_imports_wasi_only(name: str) -> None:
    text = wit(built(f"{name}-server.wasm"))
    assert all(i.startswith("wasi:") for i in items(text, "import"))
    assert {"wasi:http/incoming-handler@0.2.8", "wasi:cli/run@0.2.8"} <= items(text, "export")


def test_worlds_follow_the_capabilities_offered(capsys: pytest.CaptureFixture[str]) -> None:
    assert worlds_main([str(ROOT / "providers" / "toolbox"), "toolbox"]) == 0
    assert capsys.readouterr().out.split() == ["tools-provider", "http-client"]
    assert worlds_main([str(ROOT / "providers" / "conformance"), "conformance"]) == 0
    assert capsys.readouterr().out.split()[-1] == "http-client"


def test_spin_manifest_serves_what_its_build_command_writes() -> None:
    """Spin is not installable here: spin-wasmcp.toml is checked by reading it."""
    manifest = tomllib.loads((ROOT / "spin-wasmcp.toml").read_text())
    component = manifest["component"]["mcp-server"]
    [trigger] = manifest["trigger"]["http"]
    assert trigger["component"] == "mcp-server"
    assert trigger["route"] == component["environment"]["MCP_ENDPOINT"] == "/mcp"
    assert component["build"]["command"] == "make build-wasmcp compose-wasmcp PROVIDER=toolbox"
    done = subprocess.run(["make", "-n", "compose-wasmcp", "PROVIDER=toolbox"], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    assert component["source"] in done.stdout
    assert built("toolbox-server.wasm") == ROOT / component["source"]
