"""The benchmark harness runs end to end in its tiny mode and reports every figure.

No timing assertions: the figures depend on the machine and its load. This checks only
that each piece runs and produces a finite number under every key of the report.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

from benchmarks import run
from benchmarks.family import Family
from benchmarks.floor import floor_bfs
from benchmarks.scale import deadlines_yaml, rules_yaml, scale_yaml
from negotiation import Engine
from negotiation.loader import load_text
from negotiation.runtime.preflight import start_problems
from negotiation.search.explore import explore


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    return run.collect(run.TINY)


def test_every_key_is_a_finite_number(report: dict[str, Any]) -> None:
    for key in run.KEYS:
        value = report[key]
        assert isinstance(value, int | float), (key, value, report["notes"])
        assert math.isfinite(value) and value > 0, (key, value)
    assert not [n for n in report["notes"] if "failed" in n], report["notes"]


def test_the_report_is_one_json_object_with_targets(report: dict[str, Any]) -> None:
    again = json.loads(json.dumps(report))
    assert set(run.TARGETS) <= set(again["targets"])
    assert again["config"] == "tiny"
    assert again["details"]["explore"]["floor_matches_explorer"]


@pytest.mark.parametrize(("k", "n"), [(1, 2), (1, 3), (2, 2)])
def test_the_floor_walks_the_explorers_space(k: int, n: int) -> None:
    fam = Family(k, n)
    result = explore(fam.scenario(), max_states=100_000)
    floor = floor_bfs(fam)
    assert (floor["states"], floor["transitions"]) == (result.states, result.transitions)


def test_generated_scale_files_load_and_run_unblocked() -> None:
    for grow in (True, False):
        scenario = load_text(scale_yaml(150, grow=grow))
        assert len(scenario.timeline) == 150
        trace = Engine(scenario).run()
        assert not [e for e in trace.entries if e.kind == "blocked"]


def test_generated_item_files_validate_and_run_unblocked() -> None:
    for make, field in ((deadlines_yaml, "deadlines"), (rules_yaml, "rules")):
        scenario = load_text(make(120))
        assert len(getattr(scenario, field)) == 120
        assert start_problems(scenario) == []
        trace = Engine(scenario).run()
        assert not [e for e in trace.entries if e.kind == "blocked"]
    final = Engine(load_text(deadlines_yaml(120))).run().final
    statuses = {d.status.value for d in final.deadlines.values()}
    assert {"met", "missed", "expired", "early"} <= statuses


@pytest.mark.parametrize(("capacity", "speedup", "met"),
                         [(1.5, 1.7, None), (1.9, 1.7, True), (1.9, 1.2, False)])
def test_explore_speedup_target_applies_only_with_the_capacity(
    capacity: float, speedup: float, met: bool | None
) -> None:
    rep = run.Report("tiny")
    rep.figures["explore_speedup_2w"] = speedup
    rep.details["parallel_capacity"] = {"speedup_2w": capacity}
    target = rep.as_json()["targets"]["explore_speedup_2w"]
    assert target["met"] is met
    assert ("applies_when" in target) is (met is None)
