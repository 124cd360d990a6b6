"""Which wasmcp capability interfaces a provider exports, and the worlds to
build it for::

    python -m mcp_component.wasmcp_worlds providers/weather [NAME]

prints the worlds of ``wit/wasmcp`` that ``make build-wasmcp`` builds the
provider for (scripts/wasmcp-world.sh joins them into one): one per
capability the provider offers (as wasmcp's templates export only what
they implement), and outbound HTTP.
The SDK's wasmcp adapter exports classes from the same list.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ._provider import Capabilities
from .check import check

__all__ = ["interfaces", "main"]


def interfaces(caps: Capabilities) -> list[str]:
    """wasmcp's interface names for the capabilities offered, in WIT order."""
    wanted = (("tools", caps.tools), ("resources", caps.resources),
              ("prompts", caps.prompts), ("completions", caps.completions))
    return [name for name, offered in wanted if offered]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not 1 <= len(args) <= 2:
        print("usage: python -m mcp_component.wasmcp_worlds PROVIDER_FOLDER [NAME]", file=sys.stderr)
        return 2
    provider = check(Path(args[0]), args[1] if len(args) > 1 else None)
    offered = interfaces(provider.capabilities)
    if not offered:
        print(f"error: {args[0]}/app.py offers no tools, resources, prompts or completions", file=sys.stderr)
        return 1
    print(*(f"{name}-provider" for name in offered), "http-client")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
