"""The runtime-mode fixture every end-to-end suite is parametrized by."""

from __future__ import annotations

import pytest

from .server import Runtime, installed

MODES = installed()


@pytest.fixture(scope="session", params=MODES, ids=[mode.id for mode in MODES])
def runtime(request: pytest.FixtureRequest) -> Runtime:
    """Each runtime mode installed here; the mode is part of every test id."""
    mode: Runtime = request.param
    return mode
