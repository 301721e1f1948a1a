"""The ratification gate: a document with ratifiers enters into force only once each of
them has ratified, unless the scenario says why it may earlier."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from negotiation import Scenario
from tests.conftest import ev, run, scenario

RATIFIERS = ["a.parliament", "b"]


def _scenario(ratified: list[str], **doc: Any) -> Scenario:
    timeline = [
        ev("propose", "2025-11-02", by=["a"], document="plan"),
        ev("transition", "2025-11-03", by=["a", "b"], document="plan", trigger="agree"),
        ev("accept", "2025-11-04", by=["a", "b"], document="plan"),
        ev("sign", "2025-11-05", by=["a", "b"], document="plan"),
    ]
    timeline += [ev("ratify", "2025-11-06", by=[who], document="plan") for who in ratified]
    timeline.append(ev("transition", "2025-11-07", by=["a"], document="plan",
                       trigger="enter_into_force"))
    document = {"id": "plan", "title": "Plan", "requires_acceptance": ["a", "b"],
                "ratification_by": RATIFIERS, **doc}
    return scenario(documents=[document], timeline=timeline, horizon="2025-11-30")


def test_a_document_cannot_enter_into_force_before_every_ratifier_has_ratified() -> None:
    trace = run(_scenario(["a.parliament"]))
    last = [e for e in trace.entries if e.event_kind == "transition"][-1]
    assert last.kind == "blocked"
    assert last.reasons == (
        "plan cannot enter into force before it is ratified; not yet ratified by: b",
    )
    assert trace.final.documents["plan"].state == "signed"


def test_once_all_have_ratified_it_enters_into_force() -> None:
    trace = run(_scenario(RATIFIERS))
    assert trace.final.documents["plan"].state == "in_force"


def test_a_scenario_may_opt_out_with_its_reason() -> None:
    trace = run(_scenario([], in_force_before_ratification="applied provisionally"))
    assert trace.final.documents["plan"].state == "in_force"


@given(st.lists(st.sampled_from(RATIFIERS), max_size=3))
def test_in_force_exactly_when_every_ratifier_has_ratified(ratified: list[str]) -> None:
    trace = run(_scenario(ratified))
    in_force = trace.final.documents["plan"].state == "in_force"
    assert in_force == set(RATIFIERS).issubset(ratified)
