"""mcp_component's names load on first use on the host (the stdio runner
needs none of them) and at import in a component; both must give the same
objects, and the runner must not pull the SDK in."""

from __future__ import annotations

import ast
import subprocess
import sys
from importlib import import_module

import mcp_component

from ..paths import ROOT

INIT = ROOT / "mcp_component" / "__init__.py"


def _eager_imports() -> dict[str, str]:
    """name -> module of every `from ._x import name` in __init__'s import block."""
    names: dict[str, str] = {}
    for node in ast.walk(ast.parse(INIT.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            for alias in node.names:
                names[alias.asname or alias.name] = node.module
    return names


def test_the_import_block_names_exactly_the_public_names() -> None:
    assert sorted(_eager_imports()) == sorted(mcp_component.__all__)


def test_each_name_loaded_on_first_use_is_the_import_blocks_object() -> None:
    for name, module in _eager_imports().items():
        expected = getattr(import_module(f"mcp_component.{module}"), name)
        assert getattr(mcp_component, name) is expected, name


def test_unknown_names_are_attribute_errors() -> None:
    try:
        mcp_component.NoSuchName  # type: ignore[attr-defined]  # noqa: B018
    except AttributeError as exc:
        assert "NoSuchName" in str(exc)
    else:
        raise AssertionError("an unknown name resolved")
    assert "Provider" in dir(mcp_component)


def test_the_stdio_runner_does_not_import_the_sdk() -> None:
    script = ("import sys, mcp_component.run; "
              "print(sorted(m for m in sys.modules if m.startswith('mcp_component')))")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "['mcp_component', 'mcp_component.run']"
