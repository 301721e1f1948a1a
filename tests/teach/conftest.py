"""What the teaching tests share: the seed case and the small choices scenario, each
as a name to pass to the CLI and as an engine fixture."""

from __future__ import annotations

import pytest

from negotiation.runtime.engine import Engine
from tests.conftest import ROOT, engine_of

CHOICES = str(ROOT / "tests" / "teach" / "choices.yaml")
SEED = "ukraine-2025-12"


@pytest.fixture(scope="session")
def seed() -> Engine:
    return engine_of(SEED)


@pytest.fixture(scope="session")
def choices() -> Engine:
    return engine_of(CHOICES)
