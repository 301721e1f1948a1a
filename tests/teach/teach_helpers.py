"""Helpers for the teaching tests: the CLI runner and engines of bundled scenarios."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner, Result

from negotiation.cli import app
from negotiation.loader import load_scenario
from negotiation.runtime.engine import Engine

HERE = Path(__file__).parent
CHOICES = str(HERE / "choices.yaml")
SEED = "ukraine-2025-12"


def invoke(*args: str, input: str | None = None) -> Result:
    """Run the CLI with ``args`` and ``input`` as stdin (not a terminal)."""
    return CliRunner().invoke(app, list(args), input=input)


def engine_of(name: str) -> Engine:
    return Engine(load_scenario(name))
