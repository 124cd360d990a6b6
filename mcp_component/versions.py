"""The MCP protocol versions this project speaks, in one place.

The transport negotiates with them and the in-memory client mirrors it.
"""

from __future__ import annotations

__all__ = ["INPUT_REQUIRED_VERSION", "LATEST_VERSION", "SUPPORTED_VERSIONS"]

# Oldest first; the last is what an unknown requested version gets.
SUPPORTED_VERSIONS = ("2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25")
LATEST_VERSION = SUPPORTED_VERSIONS[-1]

# The version from which a server asks the client by answering a request
# with an input-required result (the client sends it again with the
# answers) instead of sending requests of its own. The SDK's providers
# support it; whether a server negotiates it is up to its transport.
INPUT_REQUIRED_VERSION = "2026-07-28"
