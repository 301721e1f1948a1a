"""Decision points: the model, its checks, and the legal moves of a state."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from negotiation import Engine, Scenario, ScenarioError
from negotiation.loader import load_scenario
from negotiation.model.decisions import DecisionPoint, option_weights
from negotiation.model.scenario import decision_assumptions
from negotiation.runtime.legal import legal_moves
from tests.conftest import PLANTED, TALKS


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"id": "d", "alternatives": [{"id": "a"}]}, "exactly one of 'at' or 'when'"),
        ({"id": "d", "at": "2025-01-01", "free": True}, "needs 'parties'"),
        (
            {"id": "d", "at": "2025-01-01", "parties": ["x"], "alternatives": [{"id": "a"}]},
            "only applies with 'free: true'",
        ),
        ({"id": "d", "at": "2025-01-01"}, "needs 'alternatives' or 'free: true'"),
        (
            {
                "id": "d",
                "at": "2025-01-01",
                "alternatives": [{"id": "a", "probability": 0.7}, {"id": "b", "probability": 0.6}],
            },
            "more than 1",
        ),
        (
            {
                "id": "d",
                "at": "2025-01-01",
                "alternatives": [{"id": "a", "probability": 0.2}, {"id": "b", "probability": 0.3}],
            },
            "not 1",
        ),
        (
            {"id": "d", "at": "2025-01-01", "alternatives": [{"id": "a"}], "bogus": 1},
            "Extra inputs",
        ),
    ],
)
def test_decision_point_shape_is_checked(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        DecisionPoint.model_validate(data)


def _with_decision(decision: dict[str, Any]) -> dict[str, Any]:
    data = load_scenario(TALKS).model_dump(mode="json", exclude_none=True)
    data["decisions"] = [decision]
    return data


@pytest.mark.parametrize(
    ("decision", "message"),
    [
        ({"id": "d", "at": "2025-11-25", "free": True, "parties": ["nobody"]}, "unknown party"),
        ({"id": "d", "when": "plan is sined", "alternatives": [{"id": "a"}]}, "sined"),
        (
            {
                "id": "d",
                "at": "2025-11-25",
                "alternatives": [
                    {
                        "id": "a",
                        "events": [
                            {
                                "kind": "accept",
                                "by": "east",
                                "document": "plan",
                                "date": "2025-11-25",
                            }
                        ],
                    }
                ],
            },
            "remove 'date'",
        ),
        (
            {
                "id": "d",
                "at": "2025-11-25",
                "alternatives": [
                    {"id": "a", "events": [{"kind": "accept", "by": "east", "document": "nope"}]}
                ],
            },
            "unknown document",
        ),
        (
            {"id": "d", "at": "2025-11-25", "alternatives": [{"id": "a"}, {"id": "a"}]},
            "duplicate alternative",
        ),
    ],
)
def test_scenario_checks_decisions(decision: dict[str, Any], message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        Engine(Scenario.model_validate(_with_decision(decision)))


def test_legal_moves_split_candidates_with_reasons() -> None:
    engine = Engine(load_scenario(TALKS))
    state = engine.initial_state()
    moves = legal_moves(engine, state, ["west"])
    kinds = {(e.kind, getattr(e, "trigger", None)) for e in moves.legal}
    assert ("propose", None) in kinds
    assert ("accept", None) in kinds
    assert all(e.by == ["west"] for e in moves.legal)
    assert all(engine.check(state, e) == [] for e in moves.legal)
    assert "sign" not in {e.kind for e in moves.legal}  # not available from drafted
    # a trigger the lifecycle offers but the engine refuses comes with its reasons
    treaty = Engine(load_scenario(PLANTED))
    proposed = treaty.apply(treaty.initial_state(), treaty.scenario.timeline[0]).state
    blocked = {e.kind: reasons for e, reasons in legal_moves(treaty, proposed, ["west"]).blocked}
    assert any("east has not accepted treaty" in r for r in blocked["sign"])
    # every party by default, and the setter's acts on a missed deadline
    step = engine.apply(state, engine.scenario.timeline[0])
    later = engine.advance(step.state, step.state.date.replace(day=28))
    assert later is not None
    setter = {e.kind for e in legal_moves(engine, later.state).legal if e.by == ["west"]}
    assert {"enforce_deadline", "waive_deadline", "drop_deadline"} <= setter


def test_weights_share_what_is_left() -> None:
    dp = DecisionPoint.model_validate(
        {
            "id": "d",
            "at": "2025-01-01",
            "free": True,
            "parties": ["x"],
            "alternatives": [{"id": "a", "probability": 0.5}, {"id": "b"}],
        }
    )
    weights = option_weights(dp, free_moves=3)
    assert weights[0] == 0.5
    assert weights[1:] == pytest.approx([0.1] * 5)  # b, three moves, the pass
    assert sum(weights) == pytest.approx(1.0)


def test_probabilities_are_listed_as_assumptions() -> None:
    listed = dict(decision_assumptions(load_scenario(TALKS)))
    assert listed["decision east_reply alternative accept"] == "probability 0.4 (assumed)"
