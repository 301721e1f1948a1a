"""What the analysis tests share: a two-party split with known discount factors."""

from __future__ import annotations

from tests.conftest import ROOT

SPLIT = str(ROOT / "tests" / "analysis" / "split.yaml")
"""Two parties dividing one point, each with a daily discount (0.9 and 0.8)."""
