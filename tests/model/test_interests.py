"""Options on points and interests: the model, its checks, ``extends`` and the
assumption labels (located errors are pinned by tests/invalid/39-49)."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from negotiation.loader import bundled_names, load_scenario, load_text
from negotiation.model.documents import NumericRange, Point
from negotiation.model.errors import ScenarioError
from negotiation.model.interests import Batna, Interest
from tests.conftest import invoke

WHAT_IF = "labour-contract-2026-interests"

BASE = """\
id: demo
title: Demo
parties:
  - {id: alpha, name: Alpha}
  - {id: beta, name: Beta}
documents:
  - id: plan
    title: Plan
    points:
      - {id: share, options: {min: 0, max: 1, step: 0.25, unit: "%"}}
      - {id: venue, options: [north, south]}
      - {id: note}
"""


def interest(**extra: object) -> dict[str, object]:
    return {
        "party": "alpha",
        "document": "plan",
        "assumption": "invented for a test",
        "points": {"share": {"weight": 1, "linear": {"worst": 0, "best": 1}}},
        **extra,
    }


def test_a_numeric_range_counts_its_steps() -> None:
    assert NumericRange(min=0, max=6, step=0.5).count == 13
    assert NumericRange(min=3, max=3, step=1).count == 1
    with pytest.raises(ValidationError, match="below min"):
        NumericRange(min=2, max=1, step=1)
    with pytest.raises(ValidationError, match="at most 1,000"):
        NumericRange(min=0, max=1000, step=0.5)


def test_point_options_are_labels_or_a_range() -> None:
    assert Point(id="p", options=["a", "b"]).options == ["a", "b"]
    rng = Point.model_validate({"id": "p", "options": {"min": 1, "max": 3, "step": 1}}).options
    assert isinstance(rng, NumericRange)
    assert rng.count == 3
    assert Point(id="p").options is None
    with pytest.raises(ValidationError, match="listed twice"):
        Point(id="p", options=["a", "a"])
    with pytest.raises(ValidationError):
        Point(id="p", options=[])


def test_an_interest_must_say_it_is_an_assumption() -> None:
    with pytest.raises(ValidationError, match="interests are never facts"):
        Interest.model_validate({**interest(), "assumption": None})
    with pytest.raises(ValidationError, match="interests are never facts"):
        Interest.model_validate({**interest(), "assumption": "  "})


def test_a_point_interest_has_exactly_one_scale() -> None:
    both = {"weight": 1, "linear": {"worst": 0, "best": 1}, "values": {"a": 1}}
    with pytest.raises(ValidationError, match="exactly one of 'values'"):
        Interest.model_validate(interest(points={"share": both}))
    with pytest.raises(ValidationError, match="strictly increasing"):
        Interest.model_validate(
            interest(points={"share": {"weight": 1, "piecewise": [[1, 0], [0, 1]]}})
        )
    with pytest.raises(ValidationError, match="'worst' and 'best' must differ"):
        Interest.model_validate(
            interest(points={"share": {"weight": 1, "linear": {"worst": 1, "best": 1}}})
        )


def test_delay_is_per_day_or_a_discount_not_both() -> None:
    with pytest.raises(ValidationError, match="exactly one of 'per_day' or 'discount'"):
        Interest.model_validate(interest(delay={"per_day": 0.1, "discount": 0.9}))
    with pytest.raises(ValidationError):
        Interest.model_validate(interest(delay={"discount": 1.5}))


def test_a_bare_batna_is_a_default() -> None:
    x = Interest.model_validate(interest(batna=0.4))
    assert x.reservation == Batna(default=0.4)
    y = Interest.model_validate(
        interest(batna={"default": 0.3, "cases": [{"when": "true", "value": 0.1}]})
    )
    assert y.reservation.cases[0].value == 0.1


def _with_interests(text: str) -> str:
    return BASE + "interests:\n" + text


def test_an_interest_on_a_point_without_options_is_located() -> None:
    text = _with_interests(
        "  - party: alpha\n    document: plan\n    assumption: x\n"
        "    points:\n      note: {weight: 1, values: {a: 1}}\n"
    )
    with pytest.raises(ScenarioError) as info:
        load_text(text, "demo.yaml")
    (problem,) = info.value.problems
    assert problem.location.line == 18
    assert "point plan.note declares no options to value" in problem.message


def test_a_labelled_point_needs_values_and_two_interests_of_one_party_are_refused() -> None:
    one = (
        "  - party: alpha\n    document: plan\n    assumption: x\n"
        "    points:\n      venue: {weight: 1, linear: {worst: 0, best: 1}}\n"
    )
    with pytest.raises(ScenarioError) as info:
        load_text(_with_interests(one + one), "demo.yaml")
    messages = [p.message for p in info.value.problems]
    assert "plan.venue has discrete options: value each with 'values'" in messages
    assert "a second interest of alpha in plan" in messages


def test_interests_are_listed_as_assumptions() -> None:
    result = invoke("show", "--assumptions", "-s", WHAT_IF, "-f", "json")
    assert result.exit_code == 0, result.output
    found = {row["where"]: row["assumption"] for row in _rows(result.stdout)}
    assert found["interest of union in new_contract"].startswith("Invented for teaching")
    assert found["interest of employer in new_contract"].startswith("Invented for teaching")
    text = invoke("show", "--assumptions", "-s", WHAT_IF).stdout
    assert "interest of union in new_contract" in text


def _rows(stdout: str) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = json.loads(stdout)["assumptions"]
    return rows


def test_no_real_case_states_interests() -> None:
    """Interests of real parties are never facts: only invented scenarios carry them."""
    for name in bundled_names():
        sc = load_scenario(name)
        if sc.interests:
            assert sc.illustrative, f"{name} has interests but is not illustrative"
            assert all(x.assumption for x in sc.interests)
    assert not load_scenario("ukraine-2025-12").interests


def test_extends_appends_interests_and_keeps_the_base_timeline() -> None:
    base = load_scenario("labour-contract-2026")
    what_if = load_scenario(WHAT_IF)
    assert not base.interests
    assert [x.party for x in what_if.interests] == ["union", "employer"]
    assert [e.id for e in what_if.timeline] == [e.id for e in base.timeline]
    doc = next(d for d in what_if.documents if d.id == "new_contract")
    assert doc.points != "unknown"
    assert all(p.options is not None for p in doc.points)
