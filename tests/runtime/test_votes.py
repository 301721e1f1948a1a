"""Votes that fail: ``ratify`` with ``result: failed`` is recorded on the document, moves
nothing, can be read by conditions and rules, and is cleared by a later ratification."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from negotiation import Engine, Scenario
from negotiation.model.events import Ratify
from tests.conftest import ev, event, run, scenario


def _vote(date: str, result: str = "failed", by: str = "a.parliament",
          **counts: Any) -> dict[str, Any]:
    return ev("ratify", date, by=[by], document="plan", result=result, **counts)


def _scenario(*events: dict[str, Any], **doc: Any) -> Scenario:
    document = {"id": "plan", "title": "Plan", "initial_state": "signed",
                "ratification_by": ["a.parliament", "b"], **doc}
    return scenario(documents=[document], timeline=list(events), horizon="2025-12-31", rules=[
        {"id": "fallback", "when": "ratification of plan by a.parliament failed",
         "then": [{"kind": "set_fact", "fact": "x"}]},
    ])


def test_a_failed_vote_is_recorded_and_moves_nothing() -> None:
    trace = run(_scenario(_vote("2025-11-10", yes=40, no=60)))
    entry = next(e for e in trace.entries if e.event_kind == "ratify")
    assert entry.kind == "event"
    assert [(c.what, c.before, c.after) for c in entry.changes] == [
        ("document plan ratification failed", None, "a.parliament")]
    assert entry.fired == ("fallback",)
    plan = trace.final.documents["plan"]
    assert (plan.state, plan.ratified_by, plan.failed_by) == ("signed", (), ("a.parliament",))
    assert "x" in trace.final.facts


def test_the_counts_are_noted() -> None:
    trace = run(_scenario(_vote("2025-11-10", yes=4_900, no=5_100, abstain=3)))
    entry = next(e for e in trace.entries if e.event_kind == "ratify")
    assert entry.reasons == ("vote: yes 4,900, no 5,100, abstain 3",)


def test_a_later_ratification_clears_the_failure() -> None:
    trace = run(_scenario(_vote("2025-11-10"), _vote("2025-11-20", result="passed")))
    plan = trace.final.documents["plan"]
    assert plan.failed_by == () and plan.ratified_by == ("a.parliament",)
    engine = Engine(_scenario(_vote("2025-11-10"), _vote("2025-11-20", result="passed")))
    assert not engine.evaluate("ratification of plan by a.parliament failed", trace.final)
    assert engine.evaluate("a.parliament has ratified plan", trace.final)


def test_a_failed_vote_keeps_the_ratification_gate_shut() -> None:
    early = ev("transition", "2025-11-11", by=["a"], document="plan", trigger="enter_into_force")
    trace = run(_scenario(_vote("2025-11-10"), early))
    entry = next(e for e in trace.entries if e.event_kind == "transition")
    assert entry.kind == "blocked"
    assert entry.reasons == ("plan cannot enter into force before it is ratified; not yet "
                             "ratified by: a.parliament, b",)


@pytest.mark.parametrize(("events", "reason"), [
    ([_vote("2025-11-10", by="a")], "a is not among plan's ratifiers (a.parliament, b)"),
    ([_vote("2025-11-05", result="passed"), _vote("2025-11-10")],
     "a.parliament has already ratified plan"),
])
def test_a_vote_that_cannot_happen_is_blocked_with_its_reason(
    events: list[dict[str, Any]], reason: str
) -> None:
    trace = run(_scenario(*events))
    last = [e for e in trace.entries if e.event_kind == "ratify"][-1]
    assert last.kind == "blocked"
    assert last.reasons == (reason,)


def test_a_vote_on_a_text_not_yet_signed_is_blocked() -> None:
    trace = run(_scenario(_vote("2025-11-10"), initial_state="drafted"))
    entry = next(e for e in trace.entries if e.event_kind == "ratify")
    assert entry.kind == "blocked"
    assert entry.reasons == ("plan is drafted; a ratification vote needs it to be signed",)


def test_the_final_state_dumps_failed_by_only_when_some_vote_failed() -> None:
    failed = run(_scenario(_vote("2025-11-10"))).final.documents["plan"]
    assert failed.model_dump()["failed_by"] == ("a.parliament",)
    clean = run(_scenario()).final.documents["plan"]
    assert "failed_by" not in clean.model_dump()


def test_a_plain_ratify_dumps_as_before() -> None:
    plain = event("ratify", "2025-11-10", by=["b"], document="plan")
    assert set(plain.model_dump(by_alias=True)) == {
        "id", "date", "by", "summary", "attribution", "assumption", "priority", "kind",
        "document"}
    failed = event("ratify", by=["b"], document="plan", result="failed", no=3)
    assert isinstance(failed, Ratify)
    assert failed.model_dump(by_alias=True)["result"] == "failed"


def test_a_vote_result_is_passed_or_failed() -> None:
    with pytest.raises(ValidationError, match="passed"):
        event("ratify", by=["b"], document="plan", result="tied")
