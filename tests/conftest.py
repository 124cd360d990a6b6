"""Shared test setup: import paths and the built artifacts' locations."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"

# The transport's pure-Python layers are tested on the host, like the SDK.
sys.path.insert(0, str(ROOT / "transport"))
