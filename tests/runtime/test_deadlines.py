"""Each deadline pattern at due-1, due and due+1, and combined with an extension."""

from __future__ import annotations

from typing import Any

import pytest

from negotiation import Engine, ScenarioError
from tests.conftest import day, ev, event, run, scenario, status

DUE = "2025-11-27"
BEFORE, AFTER = "2025-11-26", "2025-11-28"


def _plain(mode: str = "automatic", **extra: Any) -> dict[str, Any]:
    return {
        "id": "dl",
        "set_by": "a",
        "on": ["b"],
        "due": DUE,
        "requirement": "fact x",
        "consequence": {
            "mode": mode,
            "effects": [{"kind": "set_fact", "fact": "y"}],
        },
        **extra,
    }


@pytest.mark.parametrize(
    ("when", "expected", "consequence_applied"),
    [(BEFORE, "met", False), (DUE, "met", False), (AFTER, "expired", True)],
)
def test_automatic_deadline(when: str, expected: str, consequence_applied: bool) -> None:
    sc = scenario(
        deadlines=[_plain()], timeline=[ev("set_fact", when, fact="x")], horizon="2025-12-31"
    )
    trace = run(sc)
    assert status(trace, "dl") == expected
    assert ("y" in trace.final.facts) is consequence_applied
    fired = [e for e in trace.entries if e.kind == "deadline"]
    assert len(fired) == 1
    if expected == "expired":
        assert fired[0].date == day(DUE)


@pytest.mark.parametrize(("when", "expected"), [(BEFORE, "met"), (DUE, "met"), (AFTER, "missed")])
def test_threatened_deadline_waits_for_the_setter(when: str, expected: str) -> None:
    sc = scenario(
        deadlines=[_plain("threatened")],
        timeline=[ev("set_fact", when, fact="x")],
        horizon="2025-12-31",
    )
    trace = run(sc)
    assert status(trace, "dl") == expected
    assert "y" not in trace.final.facts  # a threat is not applied by itself


def test_threatened_deadline_enforced_and_waived() -> None:
    enforce = [ev("enforce_deadline", "2025-12-01", by="a", deadline="dl")]
    trace = run(scenario(deadlines=[_plain("threatened")], timeline=enforce, horizon="2025-12-31"))
    assert status(trace, "dl") == "enforced"
    assert "y" in trace.final.facts
    waive = [ev("waive_deadline", "2025-12-01", by="a", deadline="dl")]
    trace = run(scenario(deadlines=[_plain("threatened")], timeline=waive, horizon="2025-12-31"))
    assert status(trace, "dl") == "waived"
    assert "y" not in trace.final.facts


def test_only_the_setter_enforces() -> None:
    enforce = [ev("enforce_deadline", "2025-12-01", by="b", deadline="dl")]
    trace = run(scenario(deadlines=[_plain("threatened")], timeline=enforce, horizon="2025-12-31"))
    blocked = [e for e in trace.entries if e.kind == "blocked"]
    assert blocked and "only a" in blocked[0].reasons[0]
    assert status(trace, "dl") == "missed"


@pytest.mark.parametrize(
    ("when", "expected"),
    [("2025-12-24", "met"), ("2025-12-25", "met"), ("2025-12-26", "missed")],
)
def test_extension_after_expiry_then_new_due(when: str, expected: str) -> None:
    timeline = [
        ev("extend_deadline", "2025-11-28", by="a", deadline="dl", to="2025-12-25"),
        ev("set_fact", when, fact="x"),
    ]
    trace = run(scenario(deadlines=[_plain("threatened")], timeline=timeline, horizon="2026-01-31"))
    assert status(trace, "dl") == expected
    ds = trace.final.deadlines["dl"]
    assert ds.due == day("2025-12-25")
    (record,) = ds.extensions
    assert record.after_expiry and record.from_due == day(DUE) and record.by == ("a",)
    kinds = [e.kind for e in trace.entries if e.ref == "dl"]
    assert kinds[0] == "deadline"  # missed on the 27th, before the extension


def test_extension_before_due_is_not_after_expiry() -> None:
    timeline = [ev("extend_deadline", "2025-11-20", by="a", deadline="dl", to="2025-12-05")]
    trace = run(scenario(deadlines=[_plain()], timeline=timeline, horizon="2025-12-04"))
    ds = trace.final.deadlines["dl"]
    assert ds.status.value == "pending" and not ds.extensions[0].after_expiry


def test_extension_to_an_earlier_date_is_blocked() -> None:
    engine = Engine(scenario(deadlines=[_plain()], horizon="2025-12-31"))
    state = engine.initial_state()
    first = event("extend_deadline", "2025-11-10", by="a", deadline="dl", to="2025-12-20")
    assert engine.check(state, first) == []
    later = engine.apply(state, first).state
    earlier = event("extend_deadline", "2025-11-11", by="a", deadline="dl", to="2025-12-01")
    reasons = engine.check(later, earlier)
    assert reasons and "not after the current due date" in reasons[0]
    step = engine.apply(later, earlier)
    assert step.blocked and step.state.deadlines == later.deadlines


@pytest.mark.parametrize(
    ("fact_on", "due", "expected"),
    [
        ("2025-11-19", "2025-12-20", "extended"),  # condition holds before the cut-off
        ("2025-11-20", "2025-12-20", "extended"),  # ... on the cut-off day
        ("2025-11-21", "2025-11-27", "nearer"),  # too late: the nearer date stands
    ],
)
def test_conditional_extension(fact_on: str, due: str, expected: str) -> None:
    deadline = {
        "id": "dl",
        "due": DUE,
        "requirement": "b accepts plan",
        "conditional_extension": {
            "condition": "fact x",
            "cutoff": "2025-11-20",
            "extended_due": "2025-12-20",
        },
    }
    sc = scenario(
        deadlines=[deadline], timeline=[ev("set_fact", fact_on, fact="x")], horizon="2026-01-31"
    )
    trace = run(sc)
    ds = trace.final.deadlines["dl"]
    assert ds.due == day(due)
    assert ds.status.value == "missed"
    assert bool(ds.extensions) is (expected == "extended")
    if expected == "extended":
        assert ds.extensions[0].conditional


def test_deadline_ends_early_once_met() -> None:
    sc = scenario(
        deadlines=[_plain()],
        timeline=[ev("set_fact", "2025-11-05", fact="x")],
        horizon="2025-12-31",
    )
    trace = run(sc)
    ds = trace.final.deadlines["dl"]
    assert ds.status.value == "met" and ds.resolved_on == day("2025-11-05")


@pytest.mark.parametrize(
    ("cleared", "expected"), [(None, "met"), ("2025-11-27", "expired"), ("2025-11-28", "met")]
)
def test_deadline_checked_only_at_due_when_not_ending_early(
    cleared: str | None, expected: str
) -> None:
    timeline = [ev("set_fact", "2025-11-05", fact="x")]
    if cleared:
        timeline.append(ev("clear_fact", cleared, fact="x"))
    sc = scenario(deadlines=[_plain(ends_early=False)], timeline=timeline, horizon="2025-12-31")
    trace = run(sc)
    assert status(trace, "dl") == expected
    assert trace.final.deadlines["dl"].resolved_on == day(DUE)


def _window() -> dict[str, Any]:
    return {
        "id": "elections",
        "kind": "window",
        "set_by": "a",
        "anchor": {"condition": "fact x"},
        "earliest_days": 60,
        "latest_days": 90,
        "requirement": "fact y",
    }


ANCHOR = "2025-12-01"  # +60 = 2026-01-30, +90 = 2026-03-01


@pytest.mark.parametrize(
    ("held", "expected"),
    [
        ("2026-01-29", "early"),  # opening day - 1
        ("2026-01-30", "met"),  # opening day
        ("2026-03-01", "met"),  # closing day
        ("2026-03-02", "missed"),  # closing day + 1
    ],
)
def test_window_opens_when_condition_becomes_true(held: str, expected: str) -> None:
    timeline = [ev("set_fact", ANCHOR, fact="x"), ev("set_fact", held, fact="y")]
    trace = run(scenario(deadlines=[_window()], timeline=timeline, horizon="2026-06-30"))
    ds = trace.final.deadlines["elections"]
    assert ds.anchor == day(ANCHOR)
    assert ds.opens == day("2026-01-30") and ds.due == day("2026-03-01")
    assert ds.status.value == expected


def test_window_waits_while_condition_false() -> None:
    trace = run(scenario(deadlines=[_window()], horizon="2026-06-30"))
    assert status(trace, "elections") == "waiting"


def test_window_opened_by_a_commitment() -> None:
    window = {**_window(), "active": False}
    timeline = [
        ev("set_fact", "2025-11-10", fact="x"),
        ev("commitment", "2025-12-01", by="a", opens=["elections"]),
    ]
    trace = run(scenario(deadlines=[window], timeline=timeline, horizon="2025-11-30"))
    assert status(trace, "elections") == "inactive"
    trace = run(scenario(deadlines=[window], timeline=timeline, horizon="2025-12-31"))
    # the condition already held when the pledge was made: the count starts that day
    assert trace.final.deadlines["elections"].anchor == day("2025-12-01")


@pytest.mark.parametrize(("when", "expected"), [(BEFORE, "met"), (DUE, "met"), (AFTER, "expired")])
def test_option_lapses_unless_exercised(when: str, expected: str) -> None:
    option = {"id": "opt", "kind": "option", "on": ["b"], "due": DUE, "requirement": "fact x"}
    trace = run(
        scenario(
            deadlines=[option], timeline=[ev("set_fact", when, fact="x")], horizon="2025-12-31"
        )
    )
    assert status(trace, "opt") == expected


@pytest.mark.parametrize(
    ("when", "expected", "applied"),
    [("2025-11-30", "met", False), ("2025-12-01", "met", False), ("2025-12-02", "expired", True)],
)
def test_default_unless_party_acts_within_days(when: str, expected: str, applied: bool) -> None:
    default = {
        "id": "dflt",
        "kind": "default",
        "anchor": {"condition": "plan is proposed"},
        "within_days": 10,  # anchor 2025-11-21 -> last day 2025-12-01
        "requirement": "a has signed plan or a.parliament has ratified plan or fact x",
        "consequence": {"effects": [{"kind": "set_fact", "fact": "y"}]},
    }
    timeline = [
        ev("propose", "2025-11-21", by="a", document="plan"),
        ev("set_fact", when, fact="x"),
    ]
    trace = run(scenario(deadlines=[default], timeline=timeline, horizon="2025-12-31"))
    assert trace.final.deadlines["dflt"].due == day("2025-12-01")
    assert status(trace, "dflt") == expected
    assert ("y" in trace.final.facts) is applied


@pytest.mark.parametrize(
    ("horizon", "expected"), [("2025-11-26", "pending"), ("2025-11-27", "expired")]
)
def test_sunset(horizon: str, expected: str) -> None:
    sunset = {
        "id": "old_contract",
        "kind": "sunset",
        "due": DUE,
        "consequence": {
            "effects": [{"kind": "transition", "document": "plan", "trigger": "lapse"}]
        },
    }
    trace = run(scenario(deadlines=[sunset], horizon=horizon))
    assert status(trace, "old_contract") == expected
    assert (trace.final.documents["plan"].state == "lapsed") is (expected == "expired")


def test_dropped_deadline_never_fires() -> None:
    timeline = [ev("drop_deadline", "2025-11-20", by="a", deadline="dl")]
    trace = run(scenario(deadlines=[_plain()], timeline=timeline, horizon="2025-12-31"))
    assert status(trace, "dl") == "dropped"
    assert "y" not in trace.final.facts


def test_nonbinding_deadline_passes_without_consequence() -> None:
    timeline = [ev("drop_deadline", "2025-11-20", by="a", deadline="dl", nonbinding=True)]
    trace = run(scenario(deadlines=[_plain()], timeline=timeline, horizon="2025-12-31"))
    assert status(trace, "dl") == "missed"
    assert not trace.final.deadlines["dl"].binding
    assert "y" not in trace.final.facts


def test_horizon_leaves_later_deadlines_pending() -> None:
    trace = run(scenario(deadlines=[_plain()], horizon=BEFORE))
    assert status(trace, "dl") == "pending"
    assert not [e for e in trace.entries if e.kind == "deadline"]


def test_imprecise_due_date_is_in_time_through_its_last_day() -> None:
    deadline = {**_plain(), "due": "2025-12"}
    trace = run(
        scenario(
            deadlines=[deadline],
            timeline=[ev("set_fact", "2025-12-31", fact="x")],
            horizon="2026-01-31",
        )
    )
    assert status(trace, "dl") == "met"


@pytest.mark.parametrize(("when", "expected"), [("2025-12-01", "met"), ("2025-12-02", "expired")])
def test_default_counted_from_an_event(when: str, expected: str) -> None:
    default = {
        "id": "reply",
        "kind": "default",
        "anchor": {"event": "offer"},
        "within_days": 10,
        "requirement": "fact x",
        "consequence": {"effects": [{"kind": "set_fact", "fact": "y"}]},
    }
    timeline = [
        {**ev("statement", "2025-11-21", by="a"), "id": "offer"},
        ev("set_fact", when, fact="x"),
    ]
    trace = run(scenario(deadlines=[default], timeline=timeline, horizon="2025-12-31"))
    ds = trace.final.deadlines["reply"]
    assert ds.anchor == day("2025-11-21")
    assert ds.due == day("2025-12-01")
    assert ds.status.value == expected


def test_event_anchor_must_name_an_event() -> None:
    default = {
        "id": "reply",
        "kind": "default",
        "anchor": {"event": "ofer"},
        "within_days": 10,
        "requirement": "fact x",
    }
    timeline = [{**ev("statement", "2025-11-21", by="a"), "id": "offer"}]
    with pytest.raises(ScenarioError, match="did you mean 'offer'"):
        Engine(scenario(deadlines=[default], timeline=timeline))
