"""Participation: join, leave (at once or on a later day, made effective by the clock),
suspend, readmit, exclude from the talks (until a condition); the conditions that read
them; the moves they bar, with who and since when."""

from __future__ import annotations

from typing import Any

import pytest

from negotiation import Engine, Scenario
from negotiation.model.trace import Trace
from negotiation.runtime.notation import format_move, parse_move
from tests.conftest import day, ev, event, run, scenario

IN_FORCE = {"id": "plan", "title": "Plan", "requires_acceptance": ["a", "b"],
            "initial_state": "in_force"}


def _sc(*timeline: dict[str, Any], **parts: Any) -> Scenario:
    parts.setdefault("documents", [IN_FORCE])
    parts.setdefault("horizon", "2026-12-31")
    return scenario(timeline=list(timeline), **parts)


def _holds(trace_or_sc: Scenario, condition: str, at: str) -> bool:
    engine = Engine(trace_or_sc)
    state = engine.run(until=day(at)).final
    return engine.evaluate(condition, state)


def _entry(trace: Trace, kind: str) -> Any:
    return next(e for e in trace.entries if e.event_kind == kind)


# -- who participates initially ----------------------------------------------------------


def test_the_parties_whose_acceptance_a_document_requires_participate_from_the_start() -> None:
    sc = _sc()
    assert _holds(sc, "a participates in plan and b participates in plan", "2025-11-01")


def test_a_signatory_participates_and_a_stranger_does_not() -> None:
    doc = {"id": "plan", "title": "Plan"}
    sc = _sc(ev("propose", "2025-11-02", by=["a"], document="plan"),
             ev("transition", "2025-11-03", by=["a"], document="plan", trigger="agree"),
             ev("sign", "2025-11-04", by=["a"], document="plan"), documents=[doc])
    assert _holds(sc, "a participates in plan and not b participates in plan", "2025-11-05")
    assert not _holds(sc, "a participates in plan", "2025-11-03")


# -- withdrawal: the boundaries of the effective day -------------------------------------


@pytest.mark.parametrize("delay", [{"effective_after_days": 30}, {"effective": "2025-12-10"}])
def test_a_notified_withdrawal_takes_effect_on_its_day_not_before(delay: dict[str, Any]) -> None:
    sc = _sc(ev("leave", "2025-11-10", by=["b"], document="plan", **delay))
    assert _holds(sc, "b participates in plan", "2025-11-10")
    assert _holds(sc, "b participates in plan", "2025-12-09")
    assert _holds(sc, "b has withdrawn from plan and not b participates in plan", "2025-12-10")
    assert _holds(sc, "b has withdrawn from plan", "2025-12-11")
    assert _holds(sc, "plan is in_force and a participates in plan", "2025-12-11")


def test_the_clock_records_the_withdrawal_on_its_day_and_the_document_stays_in_force() -> None:
    trace = run(_sc(ev("leave", "2025-11-10", by=["b"], document="plan",
                       effective_after_days=30)))
    entry = next(e for e in trace.entries if e.kind == "participation")
    assert entry.date == day("2025-12-10")
    assert entry.summary == ("b's withdrawal from plan takes effect (notice given on "
                             "2025-11-10); plan stays in_force for the others")
    assert [(c.what, c.before, c.after) for c in entry.changes] == [
        ("b in plan", "leaving", "withdrawn")]
    notice = _entry(trace, "leave")
    assert [(c.what, c.before, c.after) for c in notice.changes] == [
        ("b in plan", "party", "leaving")]
    assert trace.final.documents["plan"].state == "in_force"
    standing = trace.final.documents["plan"].parties["b"]
    assert (standing.status, standing.since) == ("withdrawn", day("2025-12-10"))


def test_a_withdrawal_without_a_delay_is_effective_at_once() -> None:
    sc = _sc(ev("leave", "2025-11-10", by=["b"], document="plan"))
    assert _holds(sc, "b has withdrawn from plan", "2025-11-10")
    assert not _holds(sc, "b has withdrawn from plan", "2025-11-09")


def test_a_withdrawal_effective_on_a_past_day_is_refused() -> None:
    trace = run(_sc(ev("leave", "2025-11-10", by=["b"], document="plan",
                       effective="2025-11-10")))
    entry = _entry(trace, "leave")
    assert entry.kind == "blocked"
    assert entry.reasons == ("the withdrawal must take effect after the notice (2025-11-10)",)


def test_a_readmission_before_the_effective_day_cancels_the_notice() -> None:
    sc = _sc(ev("leave", "2025-11-10", by=["b"], document="plan", effective_after_days=30),
             ev("readmit", "2025-11-20", by=["a"], party="b", document="plan"))
    assert _holds(sc, "b participates in plan", "2025-12-31")
    assert not any(e.kind == "participation" for e in run(sc).entries)


# -- what is barred, and why --------------------------------------------------------------


def test_a_withdrawn_party_cannot_ratify_and_why_says_since_when() -> None:
    doc = {"id": "plan", "title": "Plan", "requires_acceptance": ["a", "b"],
           "ratification_by": ["a", "b"], "initial_state": "signed"}
    trace = run(_sc(ev("leave", "2025-11-10", by=["b"], document="plan"),
                    ev("ratify", "2025-11-12", by=["b"], document="plan"), documents=[doc]))
    entry = _entry(trace, "ratify")
    assert entry.kind == "blocked"
    assert entry.reasons == (
        "b has withdrawn from plan since 2025-11-10: it cannot ratify plan",)


def test_a_suspended_party_cannot_accept_until_readmitted() -> None:
    trace = run(_sc(ev("suspend", "2025-11-10", by=["a"], party="b", document="plan"),
                    ev("accept", "2025-11-11", by=["b"], document="plan"),
                    ev("readmit", "2025-11-12", by=["a"], party="b", document="plan"),
                    ev("accept", "2025-11-13", by=["b"], document="plan")))
    accepts = [e for e in trace.entries if e.event_kind == "accept"]
    assert [e.kind for e in accepts] == ["blocked", "event"]
    assert accepts[0].reasons == (
        "b is suspended from plan since 2025-11-10: it cannot accept plan",)
    assert trace.final.positions["b|plan"].stance == "accepts"


def test_an_excluded_party_cannot_propose_and_is_readmitted_when_its_condition_holds() -> None:
    doc = {"id": "protocol", "title": "Protocol"}
    trace = run(_sc(ev("exclude", "2025-11-10", by=["a"], party="b", until="fact x"),
                    ev("propose", "2025-11-11", by=["b"], document="protocol"),
                    ev("set_fact", "2025-11-12", fact="x"),
                    ev("propose", "2025-11-13", by=["b"], document="protocol"),
                    documents=[IN_FORCE, doc]))
    proposals = [e for e in trace.entries if e.event_kind == "propose"]
    assert [e.kind for e in proposals] == ["blocked", "event"]
    assert proposals[0].reasons == (
        "b is excluded from talks since 2025-11-10 (until fact x): it cannot propose",)
    lifted = next(e for e in trace.entries if e.kind == "participation")
    assert lifted.date == day("2025-11-12")
    assert lifted.reasons == ("became true: fact x",)
    assert trace.final.excluded == {}


@pytest.mark.parametrize(
    ("until", "lifted"),
    [("date is on or after 2025-12-01", "2025-12-01"),
     ("fact x has held for at least 5 days", "2025-11-17")],  # set on the 12th
)
def test_an_exclusion_until_a_timed_condition_ends_on_its_day(until: str, lifted: str) -> None:
    """Nothing happens between the exclusion and its end: the clock stops on the day
    the condition turns true with the date alone, not at the next event after it."""
    sc = _sc(ev("exclude", "2025-11-10", by=["a"], party="b", until=until),
             ev("set_fact", "2025-11-12", fact="x"),
             ev("propose", "2025-12-20", by=["b"], document="plan"))
    trace = run(sc)
    entry = next(e for e in trace.entries if e.kind == "participation")
    assert entry.date == day(lifted)
    before = day(lifted).toordinal() - 1
    assert _holds(sc, "b is excluded from talks", str(day(lifted).fromordinal(before)))
    assert not _holds(sc, "b is excluded from talks", lifted)


def test_an_exclusion_without_until_lasts_until_a_readmission() -> None:
    sc = _sc(ev("exclude", "2025-11-10", by=["a"], party="b"),
             ev("readmit", "2025-11-20", by=["a"], party="b"))
    assert _holds(sc, "b is excluded from talks", "2025-11-19")
    assert not _holds(sc, "b is excluded from talks", "2025-11-20")
    excluded = run(sc, until="2025-11-15").final.excluded["b"]
    assert (excluded.since, excluded.until) == (day("2025-11-10"), None)


@pytest.mark.parametrize(
    ("events", "kind", "reason"),
    [
        ([], "suspend", None),
        ([ev("suspend", "2025-11-09", by=["a"], party="b", document="plan")], "suspend",
         "b does not participate in plan (suspended)"),
        ([], "join", "b is already a party to plan (party)"),
        ([ev("leave", "2025-11-09", by=["b"], document="plan")], "leave",
         "b is not a party to plan (withdrawn)"),
        ([], "readmit", "b is not suspended from or withdrawn from plan (party)"),
    ],
)
def test_standing_events_are_refused_where_they_make_no_sense(
    events: list[dict[str, Any]], kind: str, reason: str | None
) -> None:
    fields: dict[str, Any] = {"document": "plan"}
    if kind in ("suspend", "readmit"):
        fields |= {"by": ["a"], "party": "b"}
    else:
        fields |= {"by": ["b"]}
    trace = run(_sc(*events, ev(kind, "2025-11-10", **fields)))
    entry = [e for e in trace.entries if e.event_kind == kind][-1]
    if reason is None:
        assert entry.kind == "event"
    else:
        assert entry.kind == "blocked"
        assert entry.reasons == (reason,)


def test_a_withdrawn_party_may_join_again() -> None:
    sc = _sc(ev("leave", "2025-11-10", by=["b"], document="plan"),
             ev("join", "2025-11-20", by=["b"], document="plan"))
    assert _holds(sc, "b participates in plan", "2025-11-20")


def test_engine_check_explains_a_move_of_an_excluded_party() -> None:
    engine = Engine(_sc(ev("exclude", "2025-11-10", by=["a"], party="b")))
    state = engine.run(until=day("2025-11-11")).final
    reasons = engine.check(state, event("state_position", "2025-11-11", by=["b"],
                                        document="plan", stance="supports"))
    assert reasons == ["b is excluded from talks since 2025-11-10: it cannot state position"]


def test_a_state_without_participation_dumps_without_its_fields() -> None:
    final = run(_sc()).final
    dumped = final.model_dump(mode="json")
    assert "excluded" not in dumped
    assert "parties" not in dumped["documents"]["plan"]


# -- moves as text (why, play) -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "fields"),
    [
        ("b joins plan", "join", {"document": "plan"}),
        ("b withdraws from plan", "leave", {"document": "plan"}),
        ("b withdraws from plan effective after 30 days", "leave",
         {"effective_after_days": 30}),
        ("b withdraws from plan effective 2026-01-31", "leave", {"effective": "2026-01-31"}),
        ("a suspends b from plan", "suspend", {"party": "b", "document": "plan"}),
        ("a readmits b to plan", "readmit", {"party": "b", "document": "plan"}),
        ("a readmits b", "readmit", {"party": "b", "document": None}),
        ("a excludes b from talks", "exclude", {"party": "b", "until": None}),
        ("a excludes b from talks until fact x and fact y", "exclude",
         {"until": "fact x and fact y"}),
    ],
)
def test_participation_moves_read_and_write_back(
    text: str, kind: str, fields: dict[str, Any]
) -> None:
    sc = _sc()
    parsed = parse_move(text, sc)
    assert parsed.kind == kind
    for name, value in fields.items():
        got = parsed.__dict__[name]
        assert (got.display() if hasattr(got, "display") else got) == value
    assert format_move(parsed) == text
    assert parse_move("b withdraws plan", sc).kind == "withdraw"  # the document's own move
