"""The teaching tests' engines: the seed case and the small choices scenario."""

from __future__ import annotations

import pytest

from negotiation.runtime.engine import Engine
from tests.conftest import CHOICES, SEED, engine_of


@pytest.fixture(scope="session")
def seed() -> Engine:
    return engine_of(SEED)


@pytest.fixture(scope="session")
def choices() -> Engine:
    return engine_of(CHOICES)
