"""Extensions decided later: an extend_deadline with a condition and a cut-off attaches
a pending decision on its day; the clock settles it as the cut-off day closes (the day
before: pending; on and after: settled), with and without a plain extension."""

from __future__ import annotations

from typing import Any

import pytest

from negotiation import Engine, Scenario
from tests.conftest import day, ev, run, scenario

DEADLINE = {"id": "reply", "kind": "deadline", "set_by": "a", "due": "2025-12-01",
            "requirement": "b accepts plan"}


def _decided(**fields: Any) -> dict[str, Any]:
    data = {"id": "decision", "by": ["a"], "deadline": "reply", "to": "2026-01-31",
            "condition": "fact x", "cutoff": "2025-11-20", "otherwise": "2025-12-15"}
    return ev("extend_deadline", "2025-11-10", **{**data, **fields})


def _sc(*timeline: dict[str, Any]) -> Scenario:
    return scenario(deadlines=[DEADLINE], timeline=list(timeline), horizon="2026-03-31")


def _due(sc: Scenario, at: str) -> Any:
    return run(sc, until=at).final.deadlines["reply"]


@pytest.mark.parametrize(("fact", "moved"), [(True, "2026-01-31"), (False, "2025-12-15")])
def test_the_cutoff_day_settles_the_decision_not_the_day_before(fact: bool, moved: str) -> None:
    timeline = [_decided()] + ([ev("set_fact", "2025-11-15", fact="x")] if fact else [])
    sc = _sc(*timeline)
    before = _due(sc, "2025-11-19")
    assert before.due == day("2025-12-01")
    assert before.decision is not None
    assert (before.decision.cutoff, before.decision.to) == (day("2025-11-20"), day("2026-01-31"))
    on = _due(sc, "2025-11-20")
    assert (on.due, on.decision) == (day(moved), None)
    assert _due(sc, "2025-11-21").due == day(moved)


def test_the_entry_says_which_branch_and_why() -> None:
    trace = run(_sc(_decided()))
    entry = next(e for e in trace.entries if e.kind == "extension")
    assert entry.date == day("2025-11-20")
    assert entry.summary == ("reply: fact x does not hold on the cut-off; the due date "
                             "moves to 2025-12-15")
    assert entry.reasons == ("fact x: no, fact x is false",)
    (ext,) = trace.final.deadlines["reply"].extensions
    assert (ext.conditional, ext.event, ext.from_due) == (True, "decision", day("2025-12-01"))


def test_without_otherwise_the_due_date_stays() -> None:
    sc = _sc(_decided(otherwise=None))
    assert _due(sc, "2025-11-21").due == day("2025-12-01")


def test_a_plain_extension_before_the_cutoff_is_overridden_by_the_decision() -> None:
    sc = _sc(_decided(), ev("extend_deadline", "2025-11-12", by=["a"], deadline="reply",
                            to="2025-12-05"))
    assert _due(sc, "2025-11-19").due == day("2025-12-05")
    assert _due(sc, "2025-11-20").due == day("2025-12-15")


def test_a_cutoff_after_the_due_date_reopens_a_missed_deadline() -> None:
    sc = _sc(_decided(cutoff="2025-12-05"))
    assert _due(sc, "2025-12-02").status.value == "missed"
    after = _due(sc, "2025-12-05")
    assert (after.status.value, after.due) == ("pending", day("2025-12-15"))


def test_a_deadline_met_before_the_cutoff_keeps_its_end() -> None:
    trace = run(_sc(_decided(), ev("accept", "2025-11-12", by=["b"], document="plan")))
    final = trace.final.deadlines["reply"]
    assert (final.status.value, final.due, final.decision) == ("met", day("2025-12-01"), None)
    lapsed = next(e for e in trace.entries if e.kind == "extension")
    assert lapsed.summary.endswith("lapses: the deadline is already met")


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"cutoff": "2025-11-01"}, "the cut-off 2025-11-01 is before the decision is taken"),
        ({"otherwise": "2025-11-30"},
         "alternative to 2025-11-30 is not after the current due date 2025-12-01"),
    ],
)
def test_a_decision_that_cannot_be_taken_is_refused(fields: dict[str, Any], reason: str) -> None:
    trace = run(_sc(_decided(**fields)))
    entry = next(e for e in trace.entries if e.event_kind == "extend_deadline")
    assert entry.kind == "blocked"
    assert reason in entry.reasons


def test_a_second_decision_while_one_is_pending_is_refused() -> None:
    trace = run(_sc(_decided(), _decided(id="again")))
    entries = [e for e in trace.entries if e.event_kind == "extend_deadline"]
    assert [e.kind for e in entries] == ["event", "blocked"]
    assert entries[1].reasons == ("reply already has an extension to be decided on 2025-11-20",)


def test_a_state_without_a_decision_dumps_without_it() -> None:
    dumped = run(_sc()).final.model_dump(mode="json")
    assert "decision" not in dumped["deadlines"]["reply"]


def test_the_engine_state_round_trips_a_pending_decision() -> None:
    engine = Engine(_sc(_decided()))
    state = engine.run(until=day("2025-11-15")).final
    later = engine.advance(state, day("2025-11-21"))
    assert later is not None
    assert later.state.deadlines["reply"].due == day("2025-12-15")
