"""The search over participation: withdrawing or staying is a decision, and explore
(compiled, engine-driven and with workers) and sample see both outcomes; an invariant
reads a standing (a notified withdrawal keeps the party in until its day)."""

from __future__ import annotations

import pytest

from negotiation.loader import load_text
from negotiation.search.explore import explore
from negotiation.search.sample import sample

SCENARIO = """\
id: leave_decision
title: Leave or stay (invented for a test)
illustrative: true
start: 2026-01-01
horizon: 2026-03-31
parties: [{id: east, name: East}, {id: west, name: West}]
documents:
  - {id: accord, title: Accord, requires_acceptance: [east, west], initial_state: in_force}
decisions:
  - id: west_choice
    at: 2026-01-10
    alternatives:
      - {id: leave, events: [{kind: leave, by: west, document: accord, effective_after_days: 30}]}
      - {id: stay, events: []}
invariants:
  - {id: in_until_effective, always: west participates in accord or date is on or after 2026-02-09}
  - {id: others_unaffected, always: east participates in accord and accord is in_force}
  - {id: never_out, never: west has withdrawn from accord}
"""

OUTCOMES = {"open at the horizon", "west withdrew from accord"}


@pytest.mark.parametrize(("compiled", "workers"), [(True, 1), (False, 1), (True, 2)])
def test_explore_finds_both_outcomes(compiled: bool, workers: int) -> None:
    result = explore(load_text(SCENARIO, "leave.yaml"), compiled=compiled, workers=workers)
    assert result.complete
    assert {o.label for o in result.outcomes} == OUTCOMES
    assert [v.invariant for v in result.violations] == ["never_out"]
    (violation,) = result.violations
    assert violation.day == "2026-02-09"
    assert violation.path[-1].kind == "arrive"


def test_sample_draws_both_outcomes() -> None:
    result = sample(load_text(SCENARIO, "leave.yaml"), runs=200, seed=3)
    counts = {s.label: s.count for s in result.outcomes}
    assert set(counts) == OUTCOMES
    assert sum(counts.values()) == 200
    assert all(n > 50 for n in counts.values())
