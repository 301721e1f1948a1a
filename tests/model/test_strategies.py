"""Strategies as data: the model's checks of each kind's parameters, the JSON Schema that
says the same to editors, the assumption label and ``show --assumptions`` (located
errors are pinned by tests/invalid/54-55)."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from pydantic import ValidationError

from negotiation.loader import scenario_json_schema
from negotiation.model.scenario import Scenario, list_assumptions
from negotiation.model.strategies import PartyStrategy, StrategyKind

VALIDATOR = jsonschema.Draft202012Validator(scenario_json_schema())


def strategy(**extra: Any) -> dict[str, Any]:
    return {
        "party": "alpha",
        "document": "plan",
        "kind": "boulware",
        "deadline": "talks_end",
        "assumption": "invented for a test",
        **extra,
    }


CASES = [
    (strategy(), True),
    (strategy(e=0.1), True),
    (strategy(e=1), False),
    (strategy(kind="linear"), True),
    (strategy(kind="linear", e=1), True),
    (strategy(kind="linear", e=0.5), False),
    (strategy(kind="conceder", e=3), True),
    (strategy(kind="conceder", e=0.5), False),
    (strategy(kind="time_based", e=0.5), True),
    (strategy(kind="time_based"), False),
    (strategy(kind="responses", accept=0.6, target=0.8), True),
    (strategy(kind="responses", accept=0.6), False),
    (strategy(kind="responses", accept=1.2, target=0.8), False),
    (strategy(kind="hardliner"), True),
    (strategy(kind="tit_for_tat"), True),
    (strategy(kind="random"), True),
    (strategy(kind="bluffer"), False),
    (strategy(assumption="  "), False),
    (strategy(e=0), False),
]


@pytest.mark.parametrize(("data", "ok"), CASES)
def test_the_model_checks_each_kinds_parameters(data: dict[str, Any], ok: bool) -> None:
    if ok:
        PartyStrategy.model_validate(data)
    else:
        with pytest.raises(ValidationError):
            PartyStrategy.model_validate(data)


def test_parameters_of_another_kind_are_refused() -> None:
    """What the schema leaves to the model: ``e`` or ``accept`` on a kind without them."""
    with pytest.raises(ValidationError, match="'e' is for the time-based kinds"):
        PartyStrategy.model_validate(strategy(kind="hardliner", e=0.5))
    with pytest.raises(ValidationError, match="accept belong to the responses kind"):
        PartyStrategy.model_validate(strategy(accept=0.5))


@pytest.mark.parametrize(("data", "ok"), [c for c in CASES if c[0].get("kind") != "bluffer"])
def test_the_schema_agrees_with_the_model(data: dict[str, Any], ok: bool) -> None:
    scenario = {"id": "t", "title": "T", "strategies": [data]}
    found = list(VALIDATOR.iter_errors(scenario))
    assert (not found) == ok, [e.message for e in found]


def test_default_exponents_are_negmas_named_curves() -> None:
    named = (StrategyKind.boulware, StrategyKind.linear, StrategyKind.conceder)
    kinds = [PartyStrategy.model_validate(strategy(kind=k.value)).exponent for k in named]
    assert kinds == [0.25, 1.0, 4.0]
    assert PartyStrategy.model_validate(strategy(kind="hardliner")).exponent is None


def test_strategies_are_listed_as_assumptions() -> None:
    scenario = Scenario.model_validate(
        {"id": "t", "title": "T", "strategies": [strategy(assumption="assumed to hold out")]}
    )
    assert ("strategy of alpha in plan", "assumed to hold out") in list_assumptions(scenario)
