"""The runtime-mode fixture, as tests/e2e has it: every served test runs
once per runtime installed (MCP_TEST_RUNTIMES narrows)."""

from __future__ import annotations

import pytest

from ..e2e.server import Runtime, installed

MODES = installed()


@pytest.fixture(scope="session", params=MODES, ids=[mode.id for mode in MODES])
def runtime(request: pytest.FixtureRequest) -> Runtime:
    mode: Runtime = request.param
    return mode
