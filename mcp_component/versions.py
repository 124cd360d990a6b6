"""The MCP protocol versions this project speaks, in one place.

The transport negotiates with them and the in-memory client mirrors it.
"""

from __future__ import annotations

__all__ = ["LATEST_VERSION", "SUPPORTED_VERSIONS"]

# Oldest first; the last is what an unknown requested version gets.
SUPPORTED_VERSIONS = ("2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25")
LATEST_VERSION = SUPPORTED_VERSIONS[-1]
