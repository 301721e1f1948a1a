"""Suite-wide: the tests do not depend on the environment they run in."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_scenario_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """``NEGOTIATION_SCENARIO`` changes every command's default scenario: a user's
    setting must not change what the tests run."""
    monkeypatch.delenv("NEGOTIATION_SCENARIO", raising=False)
