"""End to end: the README's provider walk-through, word for word.

The README's `providers/weather/app.py` and its `test_app.py` are taken from
the README itself, tested in CPython as it says, then `make build
PROVIDER=weather && make serve` (in a build folder of the test's own) must
serve weather, not the default example (authoring issue 1), with the
official client calling its tool.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from mcp import Client

from ..paths import BUILD, ROOT
from .server import free_port

pytestmark = pytest.mark.e2e

README = (ROOT / "README.md").read_text(encoding="utf-8")


def readme_block(first_line: str) -> str:
    blocks = re.findall(r"```python\n(.*?)```", README, re.S)
    found = [block for block in blocks if block.startswith(first_line)]
    assert len(found) == 1, f"the README has no single python block starting {first_line!r}"
    return found[0]


@pytest.fixture(scope="module")
def weather(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("journey")
    folder = root / "providers" / "weather"
    folder.mkdir(parents=True)
    (folder / "app.py").write_text(readme_block("# providers/weather/app.py"))
    (folder / "test_app.py").write_text(readme_block("# providers/weather/test_app.py"))
    return folder


def test_the_readme_in_memory_test_passes(weather: Path) -> None:
    build = weather.parent.parent / "test-build"
    done = subprocess.run(["make", "--no-print-directory", f"BUILD={build}", "test-provider", "PROVIDER=weather",
                           f"PROVIDER_DIR={weather}"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout


def test_make_serve_serves_the_provider_just_built(weather: Path) -> None:
    build = weather.parent.parent / "build"
    build.mkdir()
    transport = BUILD / "transport.wasm"
    if not transport.exists():
        pytest.fail("build/transport.wasm is missing: run `make build` first (make test does)")
    shutil.copy(transport, build / "transport.wasm")  # newer than its sources: reused, not rebuilt
    make = ["make", "--no-print-directory", f"BUILD={build}"]
    built = subprocess.run([*make, "build", "PROVIDER=weather", f"PROVIDER_DIR={weather}"], cwd=ROOT,
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stdout + built.stderr
    assert "wac plug weather.wasm" in built.stdout
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MCP_")}
    log = open(build / "serve.log", "wb")
    serving = subprocess.Popen([*make, "serve", f"PORT={port}"], cwd=ROOT, env=env, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/mcp"
    try:
        deadline = time.monotonic() + 180
        while True:
            assert serving.poll() is None, (build / "serve.log").read_text()
            try:
                httpx.post(url, json={"jsonrpc": "2.0", "id": 0, "method": "ping"}, timeout=5)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "make serve did not answer"
                time.sleep(0.25)

        async def go() -> Any:
            async with Client(url, mode="legacy") as client:
                return client.server_info, await client.call_tool("forecast", {"city": "Oslo"})

        info, result = asyncio.run(go())
        assert info.name == "weather"
        assert result.structured_content == {"city": "Oslo", "high": 21.0, "low": 12.5}
    finally:
        os.killpg(serving.pid, signal.SIGTERM)
        serving.wait(timeout=30)
        log.close()
    assert f"==> serving {build}/mcp-http-server.wasm with " in (build / "serve.log").read_text()
