"""The condition language: parsing, evaluation, explanation, errors."""

from __future__ import annotations

import pytest

from negotiation import ConditionError, Engine
from negotiation import conditions as cond
from tests.conftest import engine_of, ev, scenario

SC = scenario(
    documents=[
        {
            "id": "plan",
            "title": "Plan",
            "requires_acceptance": ["a", "b"],
            "points": [{"id": "p1", "category": "security"}, {"id": "p2"}],
        },
        {"id": "guarantees", "title": "Guarantees"},
    ],
    relations=[{"source": "a", "kind": "supports", "target": "b"}],
    deadlines=[{"id": "dl", "due": "2025-12-25", "requirement": "fact x"}],
    timeline=[
        ev("propose", "2025-11-02", by="a", document="plan"),
        ev("set_fact", "2025-11-03", fact="x"),
        ev("accept", "2025-11-04", by="a", document="plan"),
        ev("state_position", "2025-11-05", by="b", document="plan", stance="opposes"),
        ev("set_point", "2025-11-06", document="plan", point="p1", status="agreed"),
    ],
    horizon="2025-12-01",
)
ENGINE = Engine(SC)
STATE = ENGINE.run().final


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plan is proposed", True),
        ("plan is not proposed", False),
        ("plan has reached drafted", True),
        ("plan has reached signed", False),
        ("plan.p1 is agreed", True),
        ("plan.p2 is open", True),
        ("plan.p2 is not open", False),
        ("a accepts plan", True),
        ("b opposes plan", True),
        ("b supports plan", False),
        ("b is undecided on plan", False),
        ("a has no stance on guarantees", True),
        ("a supports b", True),  # a relation: the target is a party
        ("b supports a", False),
        ("a guarantees b", False),
        ("a mediates for b", False),
        ("all required parties accept plan", False),
        ("fact x", True),
        ("fact y", False),
        ("fact y is false", True),
        ("fact x is true and fact y is false", True),
        ("fact x has held for at least 28 days", True),  # 2025-11-03 .. 2025-12-01
        ("fact x has held for at least 29 days", False),
        ("fact x has held for more than 27 days", True),
        ("fact x has held for less than 28 days", False),
        ("deadline dl is met", True),
        ("deadline dl is pending", False),
        ("date is before 2025-12-02", True),
        ("date is on 2025-12-01", True),
        ("date is on or after 2025-12-01", True),
        ("date is after 2025-12-01", False),
        ("not (fact y or b supports plan)", True),
        ("true and not false", True),
        ("PLAN IS PROPOSED", True),
        ("a has signed plan", False),
        ("a.parliament has ratified plan", False),
    ],
)
def test_evaluate(text: str, expected: bool) -> None:
    assert ENGINE.evaluate(text, STATE) is expected


@pytest.mark.parametrize(
    ("text", "message", "column"),
    [
        ("plna is proposed", "did you mean 'plan'", 1),
        ("ukrane supports plan", "unknown name 'ukrane'", 1),
        ("plan is sigend", "did you mean 'signed'", 9),
        ("plan is", "expected state of plan, got the end", 8),
        ("fact z", "unknown fact 'z'", 6),
        ("deadline dll is met", "did you mean 'dl'", 10),
        ("(fact x", "expected ')'", 8),
        ("fact x and", "expected a condition", 11),
        ("fact x fact y", "unexpected 'fact'", 8),
        ("a accepts b", "takes a document or point, not a party", 3),
        ("plan.p9 is open", "unknown point 'p9'", 1),
        ("date is before 2025-02-30", "not a real date", 16),
        ("fact x has held for at least days", "expected a number of days", 30),
        ("fact x has held for at least 9999999 days", "at most", 30),
        ("__import__('os')", "unexpected character", 12),
        ("a.__class__ is x", "unknown name", 1),
        ("", "empty condition", 1),
        ("plan is proposed;", "unexpected character ';'", 17),
    ],
)
def test_errors_are_located(text: str, message: str, column: int) -> None:
    with pytest.raises(ConditionError) as info:
        ENGINE.parse(text)
    assert message in str(info.value)
    assert info.value.position + 1 == column


def test_depth_and_length_are_bounded() -> None:
    with pytest.raises(ConditionError, match="nested deeper"):
        ENGINE.parse("(" * 500 + "fact x" + ")" * 500)
    with pytest.raises(ConditionError, match="longer than"):
        ENGINE.parse("fact x and " * 1000 + "fact x")
    assert ENGINE.evaluate("not " * 40 + "fact x", STATE) is True


def test_explain_says_why_false() -> None:
    why = ENGINE.explain("plan is signed and fact x and all required parties accept plan", STATE)
    assert why == [
        "plan is signed: no, plan is proposed",
        "all required parties accept plan: no, not yet accepted plan: b",
    ]
    assert ENGINE.explain("fact x", STATE) == []


def test_explain_duration_and_negation() -> None:
    (line,) = ENGINE.explain("fact x has held for at least 60 days", STATE)
    assert "has held for 28 days (since 2025-11-03), needs at least 60" in line
    (line,) = ENGINE.explain("not a supports b", STATE)
    assert line == "expected not (a supports b), but relation a supports b holds"
    (line,) = ENGINE.explain("fact y or b supports plan", STATE)
    assert line.startswith("none of the alternatives holds")
    assert "fact y is false" in line and "b's stance on plan is opposes" in line


def test_parse_once_evaluate_many() -> None:
    node = ENGINE.parse("a accepts plan and not b accepts plan")
    assert isinstance(node, cond.And)
    states = [
        ENGINE.run(until=d).final
        for d in (
            SC.timeline[0].date.sort_date,  # type: ignore[union-attr]
            STATE.date,
        )
    ]
    assert [cond.evaluate(node, ENGINE.view(s)) for s in states] == [False, True]


def test_wake_dates_cover_time_based_conditions() -> None:
    node = ENGINE.parse("fact x has held for at least 10 days or date is after 2026-01-01")
    days = {d.isoformat() for d in cond.wake_dates(node, ENGINE.view(STATE))}
    assert {"2025-11-13", "2026-01-01", "2026-01-02"} <= days


# -- a deadline's due date ------------------------------------------------------------------

DUE_CASES = [
    ("deadline thanksgiving_deadline is due on 2025-12-25", True),
    ("deadline thanksgiving_deadline is due before 2025-12-25", False),
    ("deadline thanksgiving_deadline is due on or before 2025-12-25", True),
    ("deadline thanksgiving_deadline is due after 2025-11-27", True),
    ("deadline thanksgiving_deadline is not due after 2026-01-01", True),
    ("deadline elections_window is due on 2025-12-25", False),  # no due date yet
]


@pytest.mark.parametrize(("text", "expected"), DUE_CASES)
def test_a_deadline_s_due_date_extensions_included(text: str, expected: bool) -> None:
    engine = engine_of("ukraine-2025-12")
    final = engine.run().final
    node = engine.parse(text)
    assert engine.evaluate(node, final) is expected
    # the runtime's compiled closure gives the same value
    w, _ = engine.runtime.encode_state(final)
    assert engine.runtime.pred(node)(w) is expected
    if not expected:
        (why,) = engine.explain(node, final)
        assert why.startswith(f"{text}: no, deadline ")


def test_a_due_date_condition_names_a_known_deadline() -> None:
    engine = engine_of("ukraine-2025-12")
    with pytest.raises(ConditionError, match="did you mean 'thanksgiving_deadline'"):
        engine.parse("deadline thanksgiving_deadlin is due on 2025-12-25")
