"""The condition language on offers: ``an offer is pending on DOC`` and
``DOC.POINT is agreed on OPTION``, parsed, evaluated, explained and compiled alike."""

from __future__ import annotations

from typing import Any

import pytest

from negotiation import ConditionError, Engine, State
from negotiation import conditions as cond
from tests.conftest import event, scenario

ENGINE = Engine(scenario(documents=[{
    "id": "plan", "title": "Plan", "points": [
        {"id": "hours", "options": ["35 h", "37 h", "time and a half"]},
        {"id": "rise", "options": {"min": 0, "max": 4, "step": 0.5, "unit": "%"}},
        {"id": "note"},
    ],
}]))


def _after(*moves: tuple[str, str, dict[str, Any]]) -> State:
    state = ENGINE.initial_state()
    for kind, by, fields in moves:
        step = ENGINE.apply(state, event(kind, "2025-11-03", by=[by], document="plan", **fields))
        assert not step.blocked, step.entry.reasons
        state = step.state
    return state


START = _after()
PENDING = _after(("offer", "a", {"package": {"rise": 3.5, "hours": "time and a half"}}))
AGREED = _after(
    ("offer", "a", {"package": {"rise": 3.5, "hours": "time and a half"}}),
    ("accept_offer", "b", {}),
)
REOPENED = ENGINE.apply(AGREED, event("set_point", "2025-11-04", document="plan", point="rise",
                                      status="open")).state


@pytest.mark.parametrize(
    ("text", "state", "expected"),
    [
        ("an offer is pending on plan", START, False),
        ("an offer is pending on plan", PENDING, True),
        ("an offer is pending on plan", AGREED, False),
        ("not an offer is pending on plan", START, True),
        ("plan.rise is agreed on 3.5", PENDING, False),
        ("plan.rise is agreed on 3.5", AGREED, True),
        ("plan.rise is agreed on 3", AGREED, False),
        ("plan.rise is not agreed on 3", AGREED, True),
        ("plan.hours is agreed on time and a half", AGREED, True),
        ("plan.hours is agreed on time and a half and plan.rise is agreed", AGREED, True),
        ("plan.hours is agreed on 35 h or plan.rise is agreed on 3.5", AGREED, True),
        ("plan.rise is agreed on 3.5", REOPENED, False),  # a reopened point: no longer agreed
        ("plan.rise is agreed", AGREED, True),
    ],
)
def test_evaluate_compiled_and_explained_alike(text: str, state: State, expected: bool) -> None:
    node = ENGINE.parse(text)
    assert ENGINE.evaluate(node, state) is expected
    runtime = ENGINE.runtime
    w, _ = runtime.encode_state(state)
    assert runtime.pred(node)(w) is expected
    assert cond.explain(node, runtime.view(w)) == ENGINE.explain(node, state)
    assert bool(ENGINE.explain(node, state)) is not expected


def test_explanations_name_what_is_the_case() -> None:
    assert ENGINE.explain("an offer is pending on plan", START) == [
        "an offer is pending on plan: no, no offer is pending on plan"
    ]
    assert ENGINE.explain("not an offer is pending on plan", PENDING) == [
        "expected not (an offer is pending on plan), but an offer by a is pending on plan"
    ]
    assert ENGINE.explain("plan.rise is agreed on 3", AGREED) == [
        "plan.rise is agreed on 3: no, plan.rise is agreed on 3.5"
    ]
    assert ENGINE.explain("plan.rise is agreed on 3", PENDING) == [
        "plan.rise is agreed on 3: no, plan.rise is open"
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("plan.rise is agreed on 3.25", "expected an option of plan.rise (0, 0.5, 1, 1.5"),
        ("plan.hours is agreed on 36 h", "expected an option of plan.hours (35 h, 37 h, time"),
        ("plan.note is agreed on x", "point 'note' of 'plan' declares no options"),
        ("an offer is pending on nothing", "unknown document 'nothing'"),
        ("an offer is open on plan", "expected 'pending', got 'open'"),
    ],
)
def test_errors_name_what_was_expected(text: str, message: str) -> None:
    with pytest.raises(ConditionError, match=message.replace("(", r"\(").replace(".", r"\.")):
        ENGINE.parse(text)
