"""The repository's Spin manifests: spin.toml (the composed server) and
spin-deps.toml (the transport, with the provider plugged in by Spin's
component dependencies when the app loads).

Spin is not installable here, so spin-deps.toml is checked against what
Spin's composer (crates/compose) does: match each dependency name against
the component's import names (`matches_import`), fail on an unmatched
dependency, on an import two dependencies satisfy and on a missing export,
then plug each matched import into the dependency's export of the same
name. The same graph is then composed with this repository's
compose/compose.sh (wac plug or wasm-tools compose) and served.
"""

from __future__ import annotations

import asyncio
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from ..e2e.server import serve
from ..paths import BUILD, ROOT
from . import manifest

pytestmark = pytest.mark.e2e

SPIN_TOML = ROOT / "spin.toml"
SPIN_DEPS_TOML = ROOT / "spin-deps.toml"
WELL_KNOWN = ["/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/..."]
TRANSPORT_SETTINGS = {"MCP_ENDPOINT", "MCP_MAX_BODY_BYTES", "MCP_ALLOWED_HOSTS", "MCP_ALLOWED_ORIGINS",
                      "MCP_SESSIONS", "MCP_SESSION_SECRET", "MCP_REQUEST_STATE_SECRET", "MCP_RESPONSE_MODE"}
TOOLBOX_TOOLS = ["text_stats", "convert_temperature", "days_between", "hash_text", "slugify", "primes"]


def require_build(*paths: Path) -> None:
    for path in paths:
        if not path.exists():
            pytest.fail(f"{path} is missing: run `make build` first (make test does)")


def wasm_tools() -> str:
    tool = ROOT / ".tools" / "bin" / "wasm-tools"
    if not tool.exists():
        pytest.fail(".tools/bin/wasm-tools is missing: run `make setup`")
    return str(tool)


def world(component: Path) -> tuple[list[str], list[str]]:
    """The import and export names of a component's world."""
    text = subprocess.run([wasm_tools(), "component", "wit", str(component)], capture_output=True, text=True,
                          check=True).stdout
    imports = re.findall(r"^\s*import ([\w:/@.-]+);", text, re.M)
    exports = re.findall(r"^\s*export ([\w:/@.-]+)[;:]", text, re.M)
    return imports, exports


def matches_import(dependency: str, import_name: str) -> bool:
    """Spin's crates/compose `matches_import`, for package-form names."""
    dep = re.fullmatch(r"(?P<package>[^/@]+)(/(?P<interface>[^@]+))?(@(?P<version>.+))?", dependency)
    imp = re.fullmatch(r"(?P<package>[^/@]+)/(?P<interface>[^@]+)(@(?P<version>.+))?", import_name)
    assert dep is not None
    if imp is None or ":" not in dependency:
        return dependency == import_name  # plain names match only themselves
    if imp["package"] != dep["package"]:
        return False
    if dep["interface"] is not None and dep["interface"] != imp["interface"]:
        return False
    return dep["version"] is None or dep["version"] == imp["version"]


def test_spin_matches_import_rules() -> None:
    # crates/compose/src/lib.rs, test_matches_import
    for dep, imports in [("foo:bar/baz@0.1.0", ["foo:bar/baz@0.1.0"]),
                         ("foo:bar/baz", ["foo:bar/baz@0.1.0", "foo:bar/baz"]),
                         ("foo:bar", ["foo:bar/baz@0.1.0", "foo:bar/baz"]),
                         ("foo:bar@0.1.0", ["foo:bar/baz@0.1.0"]),
                         ("foo-bar", ["foo-bar"])]:
        assert all(matches_import(dep, name) for name in imports), dep
    for dep, imports in [("foo:bar/baz@0.1.0", ["foo:bar/baz"]),
                         ("foo:bar/baz", ["foo:bar/bub", "foo:bar/bub@0.1.0"]),
                         ("foo:bar", ["foo:bub/bib"]),
                         ("foo:bar@0.1.0", ["foo:bar/baz"]),
                         ("foo:bar/baz", ["foo:bar/baz-bub", "foo-bar"])]:
        assert not any(matches_import(dep, name) for name in imports), dep


def test_spin_toml_is_a_valid_manifest_whose_files_exist() -> None:
    require_build(BUILD / "mcp-http-server.wasm")
    assert manifest.problems(SPIN_TOML) == []
    data = manifest.load(SPIN_TOML)
    assert [(t["route"], t["component"]) for t in data["trigger"]["http"]] == [
        ("/mcp", "mcp-server"), *((route, "mcp-server") for route in WELL_KNOWN)]
    component = data["component"]["mcp-server"]
    assert component["source"] == "build/mcp-http-server.wasm"
    assert component["allowed_outbound_hosts"] == []
    assert component["environment"] == {"MCP_ENDPOINT": "/mcp"}
    assert component["build"]["command"] == "make build"
    assert "dependencies" not in component
    assert "variables" not in data, "Spin variables cannot reach the transport's environment"


def test_spin_deps_toml_is_a_valid_manifest_whose_files_exist() -> None:
    require_build(BUILD / "transport.wasm", BUILD / "providers" / "toolbox.wasm")
    assert manifest.problems(SPIN_DEPS_TOML) == []
    data = manifest.load(SPIN_DEPS_TOML)
    assert [(t["route"], t["component"]) for t in data["trigger"]["http"]] == [
        ("/mcp", "mcp-server"), *((route, "mcp-server") for route in WELL_KNOWN)]
    component = data["component"]["mcp-server"]
    assert component["source"] == "build/transport.wasm"
    assert component["dependencies"] == {"mcp-component:mcp@0.1.0": {"path": "build/providers/toolbox.wasm"}}
    assert component["dependencies_inherit_configuration"] is False
    assert component["environment"] == {"MCP_ENDPOINT": "/mcp"}


@pytest.mark.parametrize("path", [SPIN_TOML, SPIN_DEPS_TOML], ids=["spin.toml", "spin-deps.toml"])
def test_manifest_documents_every_transport_setting(path: Path) -> None:
    text = path.read_text()
    for setting in TRANSPORT_SETTINGS:
        assert setting in text, f"{path.name} does not mention {setting}"
    for key in manifest.load(path)["component"]["mcp-server"]["environment"]:
        assert key in TRANSPORT_SETTINGS


def test_spin_deps_dependencies_satisfy_every_import_the_way_spin_matches_them() -> None:
    require_build(BUILD / "transport.wasm", BUILD / "providers" / "toolbox.wasm")
    data = manifest.load(SPIN_DEPS_TOML)
    component = data["component"]["mcp-server"]
    imports, exports = world(ROOT / component["source"])
    # Spin's HTTP trigger runs components exporting wasi:http/incoming-handler@0.2.*
    assert any(e.startswith("wasi:http/incoming-handler@0.2") for e in exports), exports

    satisfied: dict[str, list[str]] = {}
    for dependency, spec in component["dependencies"].items():
        matched = [name for name in imports if matches_import(dependency, name)]
        assert matched, f"Spin: dependency {dependency!r} doesn't match any imports"
        _, dependency_exports = world(ROOT / spec["path"])
        for name in matched:
            # no `export` field: Spin uses the dependency's export of the import's name
            assert name in dependency_exports, f"Spin: {spec['path']} doesn't export {name!r}"
            satisfied.setdefault(name, []).append(dependency)
    assert all(len(deps) == 1 for deps in satisfied.values()), f"Spin: dependency conflicts {satisfied}"
    assert sorted(satisfied) == sorted(f"mcp-component:mcp/{i}@0.1.0" for i in
                                       ("types", "server-info", "tools", "resources", "prompts", "completion"))
    # everything else comes from the host
    assert all(name.startswith("wasi:") for name in imports if name not in satisfied)


def test_spin_deps_graph_composes_and_serves(tmp_path: Path) -> None:
    """The best check available without Spin: compose the manifest's source
    with its dependency (wac plug / wasm-tools compose, as make build does),
    serve the result and call it."""
    require_build(BUILD / "transport.wasm", BUILD / "providers" / "toolbox.wasm")
    component = manifest.load(SPIN_DEPS_TOML)["component"]["mcp-server"]
    (dependency,) = component["dependencies"].values()
    composed = tmp_path / "composed.wasm"
    result = subprocess.run([str(ROOT / "compose" / "compose.sh"), str(ROOT / component["source"]),
                             str(ROOT / dependency["path"]), str(composed)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr

    async def go() -> Any:
        async with Client(url, mode="legacy") as client:
            return client.server_info, await client.list_tools(), await client.call_tool("hash_text", {"text": "abc"})

    with serve(composed) as url:
        info, listed, hashed = asyncio.run(go())
    assert info.name == "toolbox"
    assert [t.name for t in listed.tools] == TOOLBOX_TOOLS
    assert hashed.content[0].text.startswith("ba7816bf")


def test_manifest_checker_reports_mistakes(tmp_path: Path) -> None:
    path = tmp_path / "spin.toml"
    path.write_text('''spin_manifest_version = "2"
[application]
name = "bad name"
[[trigger.http]]
route = "mcp"
component = "missing"
[component.Bad_Id]
source = "nowhere.wasm"
sources = "typo"
environment = { MCP_ALLOWED_HOSTS = "{{ host }}" }
allowed_outbound_hosts = ["example.com"]
[component.Bad_Id.build]
command = "make build"
watch = ["*.nothing"]
''')
    found = "\n".join(manifest.problems(path))
    for expected in ("spin_manifest_version", "application.name", "route must be a path", "missing component",
                     "kebab-case", "unknown fields ['sources']", "does not exist", "environment is static",
                     "scheme://host", "matches no file"):
        assert expected in found, expected
