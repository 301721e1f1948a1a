"""The JSON Schema beside the bundled scenarios is the one the models give."""

from __future__ import annotations

import json
from pathlib import Path

from negotiation.loader import bundled_names, resolve, scenario_json_schema

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


def test_schema_file_is_up_to_date() -> None:
    on_disk = json.loads((SCENARIOS / "scenario.schema.json").read_text(encoding="utf-8"))
    assert on_disk == scenario_json_schema(), (
        "regenerate with: python -m negotiation.cli schema > scenarios/scenario.schema.json"
    )


def test_every_bundled_scenario_points_editors_at_the_schema() -> None:
    for name in bundled_names():
        first = resolve(name).read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=scenario.schema.json", name
