"""The search over votes, thresholds and unknown facts: whether a ratification passes,
fails or does not happen is a decision; explore (compiled, engine-driven, two workers)
and sample see every outcome; a threshold that is met one day later shifts the entry
into force by that day; an invariant reads a failed vote and an unknown fact."""

from __future__ import annotations

import pytest

from negotiation.loader import load_text
from negotiation.search.explore import explore
from negotiation.search.sample import sample

SCENARIO = """\
id: vote_decision
title: Ratify, vote it down, or wait (invented for a test)
illustrative: true
start: 2026-01-01
horizon: 2026-03-31
parties: [{id: a, name: A}, {id: b, name: B}, {id: c, name: C}]
weights:
  share: {a: 40, b: 20, c: 40}
assumptions: [the weights are made up for a test]
facts:
  - {id: monitoring_works, summary: The monitoring mission reports (invented), initially: true}
documents:
  - id: accord
    title: Accord
    initial_state: signed
    ratification_by: [a, b, c]
    entry_into_force: {at_least: 2, weight: share, share: 60}
deadlines:
  - id: in_force_day
    kind: milestone
    anchor: {condition: threshold of accord is met}
    within_days: 10
    consequence:
      effects:
        - {kind: transition, document: accord, trigger: enter_into_force}
decisions:
  - id: c_vote
    at: 2026-01-20
    alternatives:
      - {id: ratifies, events: [{kind: ratify, by: [c], document: accord}]}
      - id: votes_down
        events: [{kind: ratify, by: [c], document: accord, result: failed, yes: 40, no: 60}]
      - {id: reports_stop, events: [{kind: unknown_fact, fact: monitoring_works}]}
timeline:
  - {id: a_b_ratify, kind: ratify, date: 2026-01-10, by: [a, b], document: accord}
invariants:
  - {id: not_in_force_early, never: accord is in_force and date is before 2026-01-20}
  - {id: never_voted_down, never: ratification of accord by c failed}
  - {id: monitoring_known, never: fact monitoring_works is unknown}
"""


@pytest.mark.parametrize(("compiled", "workers"), [(True, 1), (False, 1), (True, 2)])
def test_explore_sees_the_vote_and_the_threshold(compiled: bool, workers: int) -> None:
    result = explore(load_text(SCENARIO, "votes.yaml"), compiled=compiled, workers=workers)
    assert result.complete
    labels = {o.label for o in result.outcomes}
    # a and b hold 60% and are two: the threshold is met on 2026-01-10 either way, so
    # the accord enters into force ten days later whatever c does
    assert all("accord in_force" in label for label in labels), labels
    broken = {v.invariant: v.day for v in result.violations}
    assert broken == {"never_voted_down": "2026-01-20", "monitoring_known": "2026-01-20"}


def test_a_threshold_met_later_moves_the_entry_into_force() -> None:
    later = SCENARIO.replace("share: {a: 40, b: 20, c: 40}", "share: {a: 40, b: 10, c: 50}")
    result = explore(load_text(later, "votes.yaml"))
    labels = {o.label for o in result.outcomes}
    # a and b hold 50% now: only c's ratification meets the threshold (on 2026-01-20,
    # in force on 2026-01-30); voted down or not voted, the accord stays signed
    assert any("accord in_force" in label for label in labels)
    assert any("accord in_force" not in label for label in labels)
    assert "not_in_force_early" not in {v.invariant for v in result.violations}
    early = later.replace("date is before 2026-01-20", "date is before 2026-01-31")
    (found,) = [v for v in explore(load_text(early, "votes.yaml")).violations
                if v.invariant == "not_in_force_early"]
    assert found.day == "2026-01-30"


def test_sample_draws_every_option() -> None:
    result = sample(load_text(SCENARIO, "votes.yaml"), runs=300, seed=5)
    violated = {s.label: s.count for s in result.violations}
    assert set(violated) == {"never_voted_down", "monitoring_known"}
    assert all(60 < n < 140 for n in violated.values()), violated
