"""The search over an extension decided later: whether its condition holds is a
decision, and explore (compiled and engine-driven) and sample see both branches."""

from __future__ import annotations

from negotiation.loader import load_text
from negotiation.search.explore import explore
from negotiation.search.sample import sample

SEARCHED = """\
id: decided_search
title: Decided later (invented for a test)
illustrative: true
start: 2025-11-01
horizon: 2026-03-31
parties: [{id: a, name: A}, {id: b, name: B}]
facts: [{id: x}]
documents: [{id: plan, title: Plan}]
deadlines:
  - {id: reply, kind: deadline, set_by: a, due: 2025-12-01, requirement: b accepts plan}
timeline:
  - {id: decision, kind: extend_deadline, date: 2025-11-10, by: a, deadline: reply,
     to: 2026-01-31, condition: fact x, cutoff: 2025-11-20, otherwise: 2025-12-15}
decisions:
  - id: x_or_not
    at: 2025-11-15
    alternatives:
      - {id: x, events: [{kind: set_fact, fact: x}]}
      - {id: none, events: []}
invariants:
  - {id: late, never: deadline reply is due on 2026-01-31}
  - {id: early, never: deadline reply is due on 2025-12-15}
"""


def test_explore_and_sample_see_both_branches_of_the_decision() -> None:
    sc = load_text(SEARCHED, "decided.yaml")
    for compiled in (True, False):
        result = explore(sc, compiled=compiled)
        assert sorted(v.invariant for v in result.violations) == ["early", "late"]
        assert {v.day for v in result.violations} == {"2025-11-20"}
    sampled = sample(sc, runs=100, seed=5)
    counts = {s.label: s.count for s in sampled.violations}
    assert set(counts) == {"early", "late"}
    assert sum(counts.values()) == 100
