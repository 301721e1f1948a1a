"""Suite-wide: the tests do not depend on the environment they run in.

The invalid and hostile fixtures are scenario files made to fail: the suite's own tests
load them; ``pytest tests/`` must not also collect them as scenario tests.
"""

from __future__ import annotations

import pytest

collect_ignore_glob = ["invalid/*.yaml", "hostile/files/*"]


@pytest.fixture(autouse=True)
def _no_scenario_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """``NEGOTIATION_SCENARIO`` changes every command's default scenario: a user's
    setting must not change what the tests run."""
    monkeypatch.delenv("NEGOTIATION_SCENARIO", raising=False)
