"""Milestones: named days that are reached (not met, missed or expired), on a date or
N days after an anchor, with their effects; chained from one another."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from negotiation import Scenario
from tests.conftest import ev, run, scenario


def _with(deadlines: list[dict[str, Any]], timeline: list[dict[str, Any]]) -> Scenario:
    return scenario(deadlines=deadlines, timeline=timeline, horizon="2026-03-31")


def test_a_dated_milestone_is_reached_on_its_day_and_its_effects_apply() -> None:
    sc = _with([{"id": "m", "kind": "milestone", "due": "2025-11-10",
                 "consequence": {"effects": [{"kind": "set_fact", "fact": "x"}]}}], [])
    before = run(sc, until="2025-11-09").final
    assert before.deadlines["m"].status.value == "pending"
    assert "x" not in before.facts
    on = run(sc, until="2025-11-10").final
    assert on.deadlines["m"].status.value == "reached"
    assert on.deadlines["m"].resolved_on is not None
    assert "x" in on.facts


def test_milestones_count_from_an_event_and_from_each_other() -> None:
    sc = _with(
        [
            {"id": "adoption", "kind": "milestone", "anchor": {"event": "go"}, "within_days": 10},
            {"id": "implementation", "kind": "milestone",
             "anchor": {"condition": "deadline adoption is reached"}, "within_days": 5},
        ],
        [{"id": "go", **ev("set_fact", "2025-11-03", fact="y")}],
    )
    final = run(sc).final
    assert final.deadlines["adoption"].due.isoformat() == "2025-11-13"
    assert final.deadlines["implementation"].due.isoformat() == "2025-11-18"
    assert {d.status.value for d in final.deadlines.values()} == {"reached"}


def test_a_milestone_has_no_requirement() -> None:
    with pytest.raises(ValidationError, match="a milestone has no 'requirement'"):
        _with([{"id": "m", "kind": "milestone", "due": "2025-11-10",
                "requirement": "fact x"}], [])


@given(st.integers(0, 60), st.integers(0, 60))
def test_reached_exactly_on_anchor_plus_days(start: int, days: int) -> None:
    anchor = dt.date(2025, 11, 2) + dt.timedelta(days=start)
    sc = _with([{"id": "m", "kind": "milestone", "anchor": {"event": "go"},
                 "within_days": days}],
               [{"id": "go", **ev("set_fact", anchor.isoformat(), fact="y")}])
    due = anchor + dt.timedelta(days=days)
    day_before = run(sc, until=(due - dt.timedelta(days=1)).isoformat()).final
    assert day_before.deadlines["m"].status.value in ("waiting", "pending")
    assert run(sc, until=due.isoformat()).final.deadlines["m"].status.value == "reached"
