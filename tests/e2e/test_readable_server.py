"""End to end: providers/readable, whose requirements.txt brings a package
from PyPI (humanize), built into its component and served on every runtime
mode; and a dependency with native code refused at build time, by name."""

from __future__ import annotations

import asyncio
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from ..paths import BUILD, ROOT
from .server import Runtime, serve

pytestmark = pytest.mark.e2e

SERVER = BUILD / "readable-server.wasm"


@pytest.fixture(scope="module")
def url(runtime: Runtime) -> Iterator[str]:
    if not SERVER.exists():
        pytest.fail(f"{SERVER} is missing: `make test` builds it (make build PROVIDER=readable "
                    "SERVER=build/readable-server.wasm)")
    with serve(SERVER, runtime) as endpoint:
        yield endpoint


def test_the_bundled_package_works_in_the_component(url: str) -> None:
    async def go() -> Any:
        async with Client(url, mode="legacy") as client:
            return [(await client.call_tool(name, arguments)).content[0].text for name, arguments in (
                ("file_size", {"size": 3_000_000}), ("duration", {"seconds": 3600}),
                ("ordinal", {"number": 3}), ("in_words", {"number": 1_200_000}))]

    assert asyncio.run(go()) == ["3.0 MB", "an hour", "3rd", "1.2 million"]


def fake_native_wheel(folder: Path) -> Path:
    """A wheel with a compiled extension in it (its bytes are no real library)."""
    wheel = folder / "fastthing-1.0-py3-none-any.whl"
    files = {"fastthing/__init__.py": b"from ._speedups import go\n",
             "fastthing/_speedups.cpython-311-x86_64-linux-gnu.so": b"\x7fELF not really",
             "fastthing-1.0.dist-info/METADATA": b"Metadata-Version: 2.1\nName: fastthing\nVersion: 1.0\n",
             "fastthing-1.0.dist-info/WHEEL": b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"}
    record = "".join(f"{name},,\n" for name in [*files, "fastthing-1.0.dist-info/RECORD"])
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        archive.writestr("fastthing-1.0.dist-info/RECORD", record)
    return wheel


def test_a_dependency_with_native_code_is_refused_by_name(tmp_path: Path) -> None:
    provider = tmp_path / "provider"
    provider.mkdir()
    (provider / "requirements.txt").write_text(f"{fake_native_wheel(tmp_path)}\n")
    out = tmp_path / "deps"
    done = subprocess.run([str(ROOT / "scripts" / "provider-deps.sh"), str(provider), str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert "native extensions, which cannot run in a component" in done.stderr
    assert "fastthing-1.0: fastthing/_speedups.cpython-311-x86_64-linux-gnu.so" in done.stderr
    assert not out.exists()
