"""The Makefile and serve.sh as a user meets them: early, clear errors and
builds that notice every change (authoring issue, items 6, 7 and 10)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ..paths import ROOT

pytestmark = pytest.mark.e2e

APP = '''from mcp_component import Provider
from helpers.words import shout

provider = Provider("mine")


@provider.tool
def loud(text: str) -> str:
    return shout(text)
'''


def provider(tmp_path: Path, app: str = APP) -> Path:
    folder = tmp_path / "mine"
    (folder / "helpers").mkdir(parents=True)
    (folder / "app.py").write_text(app)
    (folder / "helpers" / "__init__.py").write_text("")
    (folder / "helpers" / "words.py").write_text("def shout(text: str) -> str:\n    return text.upper()\n")
    return folder


def test_a_syntax_error_is_reported_early_with_the_users_path_regression_item_6(tmp_path: Path) -> None:
    folder = provider(tmp_path, APP.replace("def loud(text: str) -> str:", "def loud(text: str) -> str"))
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "mcp_component.check", str(folder)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert time.monotonic() - start < 30  # CPython, not a componentize-py build
    assert done.returncode == 1
    assert done.stderr.startswith(f"{folder}/app.py:8: error: SyntaxError")


def test_an_unsupported_type_hint_names_the_users_line(tmp_path: Path) -> None:
    folder = provider(tmp_path, APP.replace("text: str) -> str:", "text: complex) -> str:"))
    done = subprocess.run([sys.executable, "-m", "mcp_component.check", str(folder)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.startswith(f"{folder}/app.py:7: error: TypeError: loud: parameter 'text'")


def test_a_changed_sub_package_rebuilds_the_provider_regression_item_7(tmp_path: Path) -> None:
    folder = provider(tmp_path)
    build = tmp_path / "build"
    make = ["make", "--no-print-directory", f"BUILD={build}", "PROVIDER=mine", f"PROVIDER_DIR={folder}",
            f"SERVER={build}/server.wasm"]
    # Everything "built" after the sources: make has nothing to do...
    for target in ("transport.wasm", "entry/mine/provider_entry.py", "deps/mine.stamp", "providers/mine.wasm",
                   "server.wasm"):
        (build / target).parent.mkdir(parents=True, exist_ok=True)
        (build / target).write_text("")
    (build / "server.wasm.provider").write_text("mine\n")
    later = time.time() + 5
    for path in build.rglob("*"):
        os.utime(path, (later, later))
    assert "componentize" not in subprocess.run([*make, "-n", "build"], cwd=ROOT, capture_output=True,
                                                text=True, check=True).stdout
    # ...until a module of a sub-package changes.
    os.utime(folder / "helpers" / "words.py", (later + 5, later + 5))
    dry = subprocess.run([*make, "-n", "build"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert f"-p {folder}" in dry and "componentize" in dry


def test_a_missing_provider_says_which_exist_and_leaves_nothing_regression_item_10(tmp_path: Path) -> None:
    build = tmp_path / "build"
    done = subprocess.run(["make", "--no-print-directory", f"BUILD={build}", "build", "PROVIDER=nope"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "error: no providers/nope/app.py; the providers here:" in done.stderr and "toolbox" in done.stderr
    assert not (build / "entry" / "nope").exists()


def test_a_port_in_use_is_one_clear_line_regression_item_10() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([str(ROOT / "scripts" / "serve.sh"), "build/mcp-http-server.wasm", str(port)],
                              cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.strip() == (f"error: 127.0.0.1:{port} is already in use (another server?); "
                                   "choose another port: make serve PORT=8081")
