"""Check a provider in plain CPython before it is built into a component::

    python -m mcp_component.check providers/weather [NAME]

Imports the folder's ``app.py`` and collects its Provider the way the build
does. A syntax error, a failing import or a type hint the SDK cannot turn
into a schema is reported in about a second, as ``file:line: message`` with
the provider's own path, instead of after componentize-py's build. Exit
status 1 on error. This module runs on the host only; components never
import it.
"""

from __future__ import annotations

import importlib.util
import sys
import traceback
from pathlib import Path

from ._provider import Provider

__all__ = ["check", "main"]


def check(folder: Path, name: str | None = None) -> Provider:
    """Import ``folder/app.py`` and return its Provider; raises what the import raises."""
    app = folder / "app.py"
    if not app.is_file():
        raise FileNotFoundError(f"{app}: no such file (a provider is a folder with an app.py)")
    sys.path.insert(0, str(folder))  # its own modules and packages, as the build puts them on the path
    spec = importlib.util.spec_from_file_location("app", app)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["app"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return Provider.from_module(module, name or folder.resolve().name)


def _where(exc: BaseException, folder: Path) -> str:
    """``file:line`` of the deepest frame in the provider's folder, if any."""
    if isinstance(exc, SyntaxError) and exc.filename:
        return f"{exc.filename}:{exc.lineno}"
    root = folder.resolve()
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if Path(f.filename).resolve().is_relative_to(root)]
    return f"{frames[-1].filename}:{frames[-1].lineno}" if frames else str(folder / "app.py")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not 1 <= len(args) <= 2:
        print("usage: python -m mcp_component.check PROVIDER_FOLDER [NAME]", file=sys.stderr)
        return 2
    folder = Path(args[0])
    try:
        provider = check(folder, args[1] if len(args) > 1 else None)
    except Exception as exc:
        print(f"{_where(exc, folder)}: error: {type(exc).__name__}: {exc}", file=sys.stderr)
        print("".join(traceback.format_exception(exc)[-6:]).rstrip(), file=sys.stderr)
        return 1
    print(f"==> {folder}/app.py: provider {provider.name!r} checked in CPython")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
