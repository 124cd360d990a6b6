"""The mcp-python-wasmcp Spin template: read as Spin reads it, rendered as
`spin new` renders it, unit-tested, built into a wasmcp component and a
server in its own build/ directory, and served (Spin is not installable
here: its manifest is checked as tests/spin checks the others')."""

from __future__ import annotations

import asyncio
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from ..e2e.server import installed, serve
from ..paths import ROOT
from ..spin.spin_render import Template, render_new
from ..spin import test_templates as spin_templates
from .test_build import items, wit

pytestmark = pytest.mark.e2e

ID = "mcp-python-wasmcp"


def test_spin_reads_the_template() -> None:
    spin_templates.test_template_metadata_is_what_spin_reads(ID)
    spin_templates.test_template_files_are_clean_liquid(ID)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("spin-new") / "word-tools"
    render_new(Template(ROOT / "templates" / ID), dest, "Word Tools", {"mcp-component-home": str(ROOT)})
    return dest


def test_rendered_project_tests_and_builds(project: Path) -> None:
    env = spin_templates.make_env(None)
    tested = subprocess.run(["make", "test"], cwd=project, env=env, capture_output=True, text=True, timeout=300)
    assert tested.returncode == 0, tested.stdout + tested.stderr
    built = subprocess.run(["make", "build"], cwd=project, env=env, capture_output=True, text=True, timeout=900)
    assert built.returncode == 0, built.stdout + built.stderr
    assert items(wit(project / "build" / "word-tools.wasm"), "export") == {"wasmcp:mcp-v20251125/tools@0.1.1"}
    manifest = tomllib.loads((project / "spin.toml").read_text())
    component = manifest["component"]["word-tools"]
    assert (project / component["source"]).is_file()
    assert component["environment"]["MCP_SERVER_NAME"] == "word-tools"

    async def go() -> Any:
        async with Client(url, mode="legacy") as client:
            return client.server_info, await client.call_tool("count_words", {"text": "one two"})

    with serve(project / "build" / "mcp-http-server.wasm", installed()[0],
               MCP_SERVER_NAME="word-tools") as url:
        info, result = asyncio.run(go())
    assert info.name == "word-tools"
    assert result.structured_content == {"words": 2, "characters": 7, "longest_word": "one"}
