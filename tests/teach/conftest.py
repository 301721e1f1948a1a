"""Fixtures for the teaching tests."""

from __future__ import annotations

import pytest
from teach_helpers import CHOICES, SEED, engine_of

from negotiation.runtime.engine import Engine


@pytest.fixture(scope="session")
def seed() -> Engine:
    return engine_of(SEED)


@pytest.fixture(scope="session")
def choices() -> Engine:
    return engine_of(CHOICES)
