"""The table a scenario sets: each side's time runs to its deadline as due on the day
(an extension in the timeline moves it), its BATNA follows the state on the day, and
names a strategy gives that the scenario lacks are clean errors."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from negotiation import Engine
from negotiation.behaviour.scenario import Table, simulate
from negotiation.behaviour.strategies import MoveKind
from negotiation.loader import load_text
from negotiation.model.errors import AnalysisError

SCENARIO = """\
id: split
title: Split
start: 2026-01-01
horizon: 2026-03-31
parties:
  - {id: north, name: North}
  - {id: south, name: South}
facts:
  - {id: talks_tense}
documents:
  - id: deal
    title: Deal
    points:
      - {id: price, options: {min: 0, max: 100, step: 1}}
deadlines:
  - id: talks_end
    kind: deadline
    set_by: north
    on: [south]
    due: 2026-01-21
    requirement: south accepts deal
interests:
  - party: north
    document: deal
    assumption: invented for a test
    points: {price: {weight: 1, linear: {worst: 0, best: 100}}}
    batna: {default: 0.1, cases: [{when: fact talks_tense, value: 0.3}]}
  - party: south
    document: deal
    assumption: invented for a test
    points: {price: {weight: 1, linear: {worst: 100, best: 0}}}
strategies:
  - {party: north, document: deal, kind: hardliner, deadline: talks_end, assumption: invented}
  - {party: south, document: deal, kind: hardliner, deadline: talks_end, assumption: invented}
timeline:
  - {id: tension, kind: set_fact, date: 2026-01-05, by: [north], fact: talks_tense}
  - id: more_time
    kind: extend_deadline
    date: 2026-01-10
    by: [north]
    deadline: talks_end
    to: 2026-01-31
"""


def engine(text: str = SCENARIO) -> Engine:
    return Engine(load_text(text))


def test_an_extension_in_the_timeline_moves_the_end_and_the_time() -> None:
    t = simulate(engine()).transcript
    assert t.outcome.ended_by == "deadline"
    assert t.outcome.day == dt.date(2026, 1, 31)  # not the first due date, 21 January
    by_day = {turn.day: turn for turn in t.turns}
    assert by_day[dt.date(2026, 1, 6)].time == 0.25  # 5 of 20 days
    assert by_day[dt.date(2026, 1, 11)].time == 1 / 3  # 10 of 30 days, once extended


def test_a_batna_follows_the_state_of_the_day() -> None:
    north = Table.of(engine()).sides[0]
    assert north.batna(dt.date(2026, 1, 4)) == 0.1
    assert north.batna(dt.date(2026, 1, 5)) == 0.3
    assert simulate(engine()).transcript.outcome.utilities == (0.3, 0.0)


def test_the_first_mover_can_be_named() -> None:
    t = simulate(engine(), first="south").transcript
    assert t.parties == ("south", "north")
    assert t.turns[0].party == "south"
    assert t.turns[0].move.kind is MoveKind.offer


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("deadline: talks_end, assumption: invented}\ntimeline",
          "deadline: talks_ends, assumption: invented}\ntimeline"),
         "unknown deadline 'talks_ends'; did you mean 'talks_end'?"),
        (("  - {party: south, document: deal", "  - {party: north, document: deal"),
         "exactly two parties"),
        (("  - party: south\n    document: deal\n    assumption: invented for a test\n"
          "    points: {price: {weight: 1, linear: {worst: 100, best: 0}}}\n", ""),
         "no interest of south in deal"),
    ],
)  # fmt: skip
def test_names_a_strategy_gives_are_checked(change: tuple[str, str], message: str) -> None:
    old, new = change
    assert old in SCENARIO
    text = SCENARIO.replace(old, new)
    with pytest.raises(AnalysisError, match=re.escape(message)):
        simulate(engine(text))


def test_a_start_before_the_scenario_is_refused() -> None:
    with pytest.raises(AnalysisError, match="before the scenario starts"):
        simulate(engine(), start=dt.date(2025, 12, 1))
