"""The offer protocol's events in the runtime: what each requires, what it changes, and
what its trace entry says."""

from __future__ import annotations

import json
from typing import Any

import pytest

from negotiation import Engine, State
from negotiation.loader import load_text
from negotiation.model.errors import NegotiationError
from negotiation.runtime.engine import StepResult
from tests.conftest import event, scenario

POINTS = [
    {"id": "hours", "options": ["35 h", "37 h", "39 h"]},
    {"id": "rise", "options": {"min": 0, "max": 4, "step": 0.5, "unit": "%"}},
    {"id": "note"},
]


def _engine(**parts: Any) -> Engine:
    return Engine(scenario(
        documents=[{"id": "plan", "title": "Plan", "points": POINTS}], **parts
    ))


ENGINE = _engine()


def _apply(state: State, kind: str, by: str, **fields: Any) -> StepResult:
    return ENGINE.apply(state, event(kind, "2025-11-03", by=[by], document="plan", **fields))


def _changes(step: StepResult) -> list[str]:
    return [c.display() for c in step.entry.changes]


def test_an_accepted_counter_agrees_its_points_on_their_options() -> None:
    state = ENGINE.initial_state()
    offered = _apply(state, "offer", "a", package={"hours": "35 h", "rise": 3})
    assert not offered.blocked, offered.entry.reasons
    pending = offered.state.documents["plan"].offer
    assert pending is not None and pending.by == "a"
    assert pending.package == {"hours": "35 h", "rise": "3"}
    assert _changes(offered) == ["offer on plan: - -> a: hours 35 h, rise 3"]

    countered = _apply(offered.state, "counter", "b", package={"rise": 1.5})
    assert not countered.blocked, countered.entry.reasons
    assert _changes(countered) == ["offer on plan: a: hours 35 h, rise 3 -> b: rise 1.5"]

    accepted = _apply(countered.state, "accept_offer", "a")
    assert not accepted.blocked, accepted.entry.reasons
    doc = accepted.state.documents["plan"]
    assert doc.offer is None
    assert doc.values == {"rise": "1.5"}
    assert doc.points == {"hours": "open", "rise": "agreed", "note": "open"}
    assert _changes(accepted) == [
        "point plan.rise: open -> agreed",
        "value plan.rise: - -> 1.5",
        "offer on plan: b: rise 1.5 -> -",
    ]


def test_reject_clears_the_table_and_walk_away_records_a_rejection() -> None:
    state = _apply(ENGINE.initial_state(), "offer", "a", package={"hours": "37 h"}).state
    rejected = _apply(state, "reject_offer", "b")
    assert not rejected.blocked
    assert rejected.state.documents["plan"].offer is None
    assert rejected.state.stance("b", "plan") == "unknown"

    again = _apply(rejected.state, "offer", "a", package={"hours": "39 h"}).state
    walked = _apply(again, "walk_away", "b")
    assert not walked.blocked, walked.entry.reasons
    assert walked.state.documents["plan"].offer is None
    assert walked.state.stance("b", "plan") == "rejects"
    assert _changes(walked) == [
        "offer on plan: a: hours 39 h -> -",
        "position b on plan: unknown -> rejects",
    ]
    assert ENGINE.evaluate("b rejects plan", walked.state)


def test_a_document_in_a_final_state_takes_its_offer_off_the_table() -> None:
    state = _apply(ENGINE.initial_state(), "offer", "a", package={"hours": "35 h"}).state
    withdrawn = _apply(state, "withdraw", "a")
    assert not withdrawn.blocked
    assert withdrawn.state.documents["plan"].offer is None
    assert "offer on plan: a: hours 35 h -> -" in _changes(withdrawn)
    assert withdrawn.entry.summary == "a: withdraw plan"
    refused = _apply(withdrawn.state, "accept_offer", "b")
    assert refused.entry.summary == "b: accepts the offer on plan"
    assert list(refused.entry.reasons) == [
        "plan is withdrawn, a final state: no offer can be made or answered on it",
        "no offer is pending on plan",
    ]


@pytest.mark.parametrize(
    ("moves", "last", "reason"),
    [
        ([], ("accept_offer", "a", {}), "no offer is pending on plan"),
        ([], ("reject_offer", "b", {}), "no offer is pending on plan"),
        ([], ("counter", "a", {"package": {"hours": "35 h"}}), "no offer is pending on plan"),
        (
            [("offer", "a", {"package": {"hours": "35 h"}})],
            ("offer", "a", {"package": {"hours": "37 h"}}),
            "a already has an offer pending on plan (a: hours 35 h)",
        ),
        (
            [("offer", "a", {"package": {"hours": "35 h"}})],
            ("accept_offer", "a", {}),
            "the offer pending on plan is a's own: a cannot answer it",
        ),
        (
            [("offer", "a", {"package": {"hours": "35 h"}})],
            ("counter", "a", {"package": {"hours": "37 h"}}),
            "the offer pending on plan is a's own: a cannot answer it",
        ),
        ([], ("offer", "a", {"package": {"hours": "40 h"}}),
         "plan.hours: '40 h' is not an option of hours ('35 h', '37 h', '39 h')"),
        ([], ("offer", "a", {"package": {"rise": 0.7}}),
         "plan.rise: 0.7 is not an option of rise (0 to 4 by 0.5)"),
        ([], ("offer", "a", {"package": {"note": "x"}}),
         "plan.note: point note declares no options"),
        ([], ("offer", "a", {"package": {"nope": "x"}}), "plan has no point 'nope'"),
        (
            [("offer", "a", {"package": {"hours": "35 h"}}), ("withdraw", "a", {})],
            ("accept_offer", "b", {}),
            "plan is withdrawn, a final state: no offer can be made or answered on it",
        ),
    ],
)
def test_a_refused_move_says_what_is_missing(
    moves: list[tuple[str, str, dict[str, Any]]],
    last: tuple[str, str, dict[str, Any]],
    reason: str,
) -> None:
    state = ENGINE.initial_state()
    for kind, by, fields in moves:
        step = _apply(state, kind, by, **fields)
        assert not step.blocked, step.entry.reasons
        state = step.state
    kind, by, fields = last
    step = _apply(state, kind, by, **fields)
    assert step.blocked
    assert reason in step.entry.reasons
    assert step.state.documents["plan"] == state.documents["plan"]


def test_an_offer_is_made_by_exactly_one_party() -> None:
    with pytest.raises(ValueError, match="exactly one party"):
        event("offer", "2025-11-03", by=["a", "b"], document="plan", package={"hours": "35 h"})


def test_a_state_without_offers_dumps_as_before_and_one_with_them_shows_them() -> None:
    state = ENGINE.initial_state()
    plain = json.loads(state.model_dump_json())["documents"]["plan"]
    assert "values" not in plain and "offer" not in plain
    state = _apply(state, "offer", "a", package={"rise": 2}).state
    state = _apply(state, "accept_offer", "b").state
    state = _apply(state, "offer", "b", package={"hours": "37 h"}).state
    dumped = json.loads(state.model_dump_json())["documents"]["plan"]
    assert dumped["values"] == {"rise": "2"}
    assert dumped["offer"] == {"by": "b", "package": {"hours": "37 h"}}
    assert State.model_validate_json(state.model_dump_json()) == state


TIMELINE = """\
id: t
title: test
start: 2025-11-01
parties: [{id: a, name: A}, {id: b, name: B}]
documents:
  - id: plan
    title: Plan
    points:
      - {id: hours, options: ["35 h", "37 h"]}
      - {id: note}
timeline:
  - {kind: offer, date: 2025-11-02, by: a, document: plan, package: {hours: "36 h", note: x}}
"""


def test_a_package_that_names_no_option_is_refused_where_it_is_written() -> None:
    with pytest.raises(NegotiationError) as caught:
        load_text(TIMELINE, "t.yaml")
    text = str(caught.value)
    assert "'36 h' is not an option of hours" in text
    assert "point note declares no options" in text
    assert "t.yaml:12" in text


def test_rules_react_to_offers_and_to_the_options_agreed() -> None:
    engine = _engine(rules=[
        {"id": "on_table", "when": "an offer is pending on plan",
         "then": [{"kind": "set_fact", "fact": "x"}]},
        {"id": "settled", "when": "plan.rise is agreed on 1.5",
         "then": [{"kind": "set_fact", "fact": "y"}]},
    ])
    state = engine.initial_state()
    offered = engine.apply(state, event("offer", "2025-11-03", by=["a"], document="plan",
                                        package={"rise": 1.5}))
    assert offered.entry.fired == ("on_table",)
    assert "x" in offered.state.facts and "y" not in offered.state.facts
    accepted = engine.apply(offered.state, event("accept_offer", "2025-11-04", by=["b"],
                                                 document="plan"))
    assert accepted.entry.fired == ("settled",)
    assert "y" in accepted.state.facts


# -- a single text put to named parties (a mediator's draft) ---------------------------------


def _draft(state: State, package: dict[str, Any]) -> StepResult:
    return _apply(state, "offer", "m", package=package, to=["a", "b", "c"])


def test_a_single_text_is_agreed_only_when_every_party_it_is_put_to_accepts_it() -> None:
    drafted = _draft(ENGINE.initial_state(), {"hours": "37 h", "rise": 2})
    assert not drafted.blocked, drafted.entry.reasons
    pending = drafted.state.documents["plan"].offer
    assert pending is not None and pending.to == ("a", "b", "c") and pending.accepted == ()

    one = _apply(drafted.state, "accept_offer", "b")
    assert not one.blocked, one.entry.reasons
    assert one.state.documents["plan"].values == {}
    assert one.state.documents["plan"].offer is not None
    assert _changes(one) == ["accepted on plan: nobody -> b"]
    assert list(_apply(one.state, "accept_offer", "b").entry.reasons) == [
        "b has already accepted the text pending on plan"
    ]
    two = _apply(one.state, "accept_offer", "a").state
    assert two.documents["plan"].offer is not None
    assert two.documents["plan"].offer.accepted == ("a", "b")
    three = _apply(two, "accept_offer", "c")
    doc = three.state.documents["plan"]
    assert doc.offer is None
    assert doc.values == {"hours": "37 h", "rise": "2"}
    assert doc.points["hours"] == doc.points["rise"] == "agreed"


def test_a_rejection_takes_back_acceptance_and_a_revision_starts_afresh() -> None:
    state = _draft(ENGINE.initial_state(), {"hours": "37 h"}).state
    state = _apply(state, "accept_offer", "a").state
    state = _apply(state, "accept_offer", "b").state
    rejected = _apply(state, "reject_offer", "b")
    assert not rejected.blocked
    pending = rejected.state.documents["plan"].offer
    assert pending is not None and pending.accepted == ("a",)  # still on the table
    revised = _draft(rejected.state, {"hours": "35 h"})  # its author replaces it
    assert not revised.blocked, revised.entry.reasons
    pending = revised.state.documents["plan"].offer
    assert pending is not None and pending.accepted == () and pending.package == {"hours": "35 h"}
    # acceptances of the old text do not carry over: c's alone agrees nothing
    after = _apply(revised.state, "accept_offer", "c").state
    assert after.documents["plan"].values == {}


def test_only_the_parties_a_text_is_put_to_answer_it() -> None:
    state = _draft(ENGINE.initial_state(), {"hours": "37 h"}).state
    for kind in ("accept_offer", "reject_offer"):
        refused = _apply(state, kind, "d")
        assert refused.blocked
        assert list(refused.entry.reasons) == [
            "the text pending on plan is put to a, b, c, not to d"
        ]
    own = _apply(state, "accept_offer", "m")
    assert own.blocked


def test_a_two_party_offer_keeps_its_semantics_beside_single_texts() -> None:
    # without 'to' one acceptance agrees the offer and the author cannot re-offer
    state = _apply(ENGINE.initial_state(), "offer", "a", package={"hours": "37 h"}).state
    assert _apply(state, "offer", "a", package={"hours": "35 h"}).blocked
    assert _apply(state, "accept_offer", "b").state.documents["plan"].values == {"hours": "37 h"}


def test_a_single_text_survives_encoding_and_dumps_its_answers() -> None:
    state = _apply(_draft(ENGINE.initial_state(), {"hours": "37 h"}).state,
                   "accept_offer", "c").state
    offer = state.model_dump(mode="json")["documents"]["plan"]["offer"]
    assert offer == {"by": "m", "package": {"hours": "37 h"}, "to": ["a", "b", "c"],
                     "accepted": ["c"]}
    two_party = _apply(ENGINE.initial_state(), "offer", "a", package={"hours": "37 h"}).state
    assert set(two_party.model_dump(mode="json")["documents"]["plan"]["offer"]) == {
        "by", "package"
    }
    # the state goes through the runtime and back unchanged, and its key tells the
    # acceptances apart
    again = ENGINE.apply(state, event("statement", "2025-11-03", by=["a"])).state
    assert again.documents["plan"].offer == state.documents["plan"].offer
    other = _apply(_draft(ENGINE.initial_state(), {"hours": "37 h"}).state,
                   "accept_offer", "a").state
    assert state.key() != other.key()


@pytest.mark.parametrize(("to", "message"), [(["m"], "cannot put a text to itself"),
                                             (["a", "a"], "names a party twice")])
def test_a_single_text_put_to_itself_or_twice_to_one_party_is_refused(
    to: list[str], message: str,
) -> None:
    with pytest.raises(ValueError, match=message):
        event("offer", "2025-11-03", by=["m"], document="plan", package={"hours": "37 h"}, to=to)
