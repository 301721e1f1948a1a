"""The move grammar: examples, errors with columns, and the format/parse round trip."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from negotiation import FuzzyDate, MoveError, Scenario
from negotiation.model.events import (
    Accept,
    AcceptOffer,
    Breach,
    ClearFact,
    Commitment,
    Counter,
    Derive,
    DropDeadline,
    EnforceDeadline,
    Event,
    ExtendDeadline,
    Meet,
    Offer,
    Propose,
    Ratify,
    Reject,
    RejectOffer,
    Revise,
    SetDeadline,
    SetFact,
    SetPoint,
    SetRelation,
    Sign,
    StatePosition,
    SubmitComments,
    Supersede,
    Transition,
    WaiveDeadline,
    WalkAway,
    Withdraw,
)
from negotiation.model.lifecycles import DEFAULT_DOCUMENT_LIFECYCLE
from negotiation.runtime.notation import MoveParseError, format_move, parse_move

SCENARIO = Scenario.model_validate(
    {
        "id": "moves",
        "title": "Moves",
        "parties": [
            {"id": "east", "name": "East"},
            {"id": "west", "name": "West", "bodies": [{"id": "parliament", "name": "P"}]},
            {"id": "mediator", "name": "Mediator"},
        ],
        "documents": [
            {"id": "plan", "title": "Plan", "points": [
                {"id": "borders"}, {"id": "guarantees"},
                {"id": "price", "options": {"min": 90, "max": 110, "step": 2.5}},
                {"id": "term", "options": ["One year", "two years"]},
            ]},
            {"id": "counter", "title": "Counter"},
        ],
        "facts": [{"id": "ceasefire"}],
        "deadlines": [{"id": "reply", "set_by": "mediator", "due": "2025-11-27"}],
    }
)

EXAMPLES: list[tuple[str, Event]] = [
    ("east proposes plan", Propose(by=["east"], document="plan")),
    ("west derives counter from plan", Derive(by=["west"], document="counter", source="plan")),
    ("east revises plan", Revise(by=["east"], document="plan")),
    ("west comments on plan", SubmitComments(by=["west"], document="plan")),
    ("west accepts plan.borders", Accept(by=["west"], document="plan", point="borders")),
    ("west rejects plan", Reject(by=["west"], document="plan")),
    ("east supports plan", StatePosition(by=["east"], document="plan", stance="supports")),
    (
        "east opposes plan.guarantees",
        StatePosition(by=["east"], document="plan", point="guarantees", stance="opposes"),
    ),
    (
        "east supports plan with conditions",
        StatePosition(by=["east"], document="plan", stance="supports_with_conditions"),
    ),
    ("west is undecided on plan", StatePosition(by=["west"], document="plan", stance="undecided")),
    (
        "west takes stance accepts on plan",
        StatePosition(by=["west"], document="plan", stance="accepts"),
    ),
    ("east signs plan", Sign(by=["east"], document="plan")),
    ("east and west sign plan", Sign(by=["east", "west"], document="plan")),
    ("east, west and mediator sign plan", Sign(by=["east", "west", "mediator"], document="plan")),
    ("west.parliament ratifies plan", Ratify(by=["west.parliament"], document="plan")),
    ("east withdraws plan", Withdraw(by=["east"], document="plan")),
    ("east breaches plan", Breach(by=["east"], document="plan")),
    (
        "east supersedes plan with counter",
        Supersede(by=["east"], document="plan", replacement="counter"),
    ),
    ("east supersedes plan", Supersede(by=["east"], document="plan")),
    ("mediator agrees plan", Transition(by=["mediator"], document="plan", trigger="agree")),
    (
        "mediator moves plan by negotiate",
        Transition(by=["mediator"], document="plan", trigger="negotiate"),
    ),
    (
        "mediator marks plan.borders as agreed",
        SetPoint(by=["mediator"], document="plan", point="borders", status="agreed"),
    ),
    ("mediator commits to reply", Commitment(by=["mediator"], opens=["reply"])),
    (
        "mediator sets deadline reply due 2025-12",
        SetDeadline(by=["mediator"], deadline="reply", due="2025-12"),
    ),
    (
        "mediator extends reply to 2025-12-12",
        ExtendDeadline(by=["mediator"], deadline="reply", to="2025-12-12"),
    ),
    ("mediator drops reply", DropDeadline(by=["mediator"], deadline="reply")),
    (
        "mediator declares reply non-binding",
        DropDeadline(by=["mediator"], deadline="reply", nonbinding=True),
    ),
    ("mediator enforces reply", EnforceDeadline(by=["mediator"], deadline="reply")),
    ("mediator waives reply", WaiveDeadline(by=["mediator"], deadline="reply")),
    ("east sets fact ceasefire", SetFact(by=["east"], fact="ceasefire")),
    ("east clears fact ceasefire", ClearFact(by=["east"], fact="ceasefire")),
    (
        "mediator ends relation supports west",
        SetRelation(
            by=["mediator"], source="mediator", relation="supports", target="west", active=False
        ),
    ),
    (
        "mediator starts relation mediates_for east",
        SetRelation(by=["mediator"], source="mediator", relation="mediates_for", target="east"),
    ),
    (
        "east offers plan price 92.5, term One year",
        Offer(by=["east"], document="plan", package={"price": 92.5, "term": "One year"}),
    ),
    ("west counters plan price 100", Counter(by=["west"], document="plan", package={"price": 100})),
    ("west accepts the offer on plan", AcceptOffer(by=["west"], document="plan")),
    ("east rejects the offer on plan", RejectOffer(by=["east"], document="plan")),
    ("east walks away from plan", WalkAway(by=["east"], document="plan")),
]


@pytest.mark.parametrize(("text", "event"), EXAMPLES, ids=[t for t, _ in EXAMPLES])
def test_example_parses_and_formats_back(text: str, event: Event) -> None:
    assert parse_move(text, SCENARIO) == event
    assert format_move(event) == text


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("EAST Signs Plan", "east signs plan"),
        ("east and west signs plan", "east and west sign plan"),
        ("east, west sign plan", "east and west sign plan"),
        ("east and west are undecided on plan", "east and west are undecided on plan"),
        ("mediator moves plan by agree", "mediator agrees plan"),
        (
            "mediator starts relation mediates for east",
            "mediator starts relation mediates_for east",
        ),
        ("mediator declares reply nonbinding", "mediator declares reply non-binding"),
    ],
)
def test_variants_read_to_the_canonical_form(text: str, canonical: str) -> None:
    assert format_move(parse_move(text, SCENARIO)) == canonical


def test_date_argument_dates_the_event() -> None:
    event = parse_move("east signs plan", SCENARIO, dt.date(2025, 12, 1))
    assert event.date == FuzzyDate.of(dt.date(2025, 12, 1))


@pytest.mark.parametrize(
    ("text", "column", "fragment"),
    [
        ("eastt signs plan", 1, "did you mean 'east'"),
        ("nobody signs plan", 1, "known: east, mediator, west, west.parliament"),
        ("east sings plan", 6, "unknown verb 'sings'; did you mean 'signs'"),
        ("east signs pln", 12, "did you mean 'plan'"),
        ("east signs plan.borders", 12, "names a point"),
        ("east accepts plan.border", 14, "unknown point 'border' of plan"),
        ("mediator extends reply to 2025-13-01", 27, "not a valid date"),
        ("mediator extends reply to soon", 27, "expected a date as YYYY-MM-DD"),
        ("mediator extends rply to 2025-12-12", 18, "did you mean 'reply'"),
        ("mediator moves plan by agreee", 24, "no move 'agreee'; did you mean 'agree'"),
        ("east signs plan today", 17, "unexpected 'today'"),
        ("east signs", 11, "expected a document, got the end"),
        ("east and west start relation supports mediator", 15, "single source party"),
        ("east starts relation supports west.parliament", 31, "not a body"),
        ("mediator marks plan as agreed", 16, "takes a point"),
        ("", 1, "empty move"),
        ("east offers plan price 91", 24, "'91' is not an option of plan.price (90, 92.5, 95"),
        ("east offers plan term", 22, "expected an option of plan.term (One year, two years)"),
        ("east offers plan borders x", 26, "not an option of plan.borders (it declares none)"),
        ("east offers plan size 2", 18, "unknown point of plan 'size'"),
        ("east and west offer plan price 90", 15, "exactly one party"),
        ("east walks off plan", 12, "expected 'away'"),
    ],
)
def test_errors_say_where_and_what(text: str, column: int, fragment: str) -> None:
    with pytest.raises(MoveParseError) as info:
        parse_move(text, SCENARIO)
    assert info.value.column == column
    assert fragment in str(info.value)
    assert f"column {column}" in str(info.value)


def test_events_without_a_form_are_refused() -> None:
    with pytest.raises(MoveError, match="no move form"):
        format_move(Meet(by=["east"]))
    with pytest.raises(MoveError, match="names no party"):
        format_move(Sign(document="plan"))


# -- property: format then parse gives the event back -------------------------------------

PARTIES = ["east", "west", "mediator", "west.parliament"]
_by = st.lists(st.sampled_from(PARTIES), min_size=1, max_size=3)
_doc = st.sampled_from(["plan", "counter"])
_point = st.sampled_from([None, "borders", "guarantees"])
_day = st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31))
_fuzzy = st.one_of(
    _day.map(FuzzyDate.of),
    _day.map(lambda d: FuzzyDate.model_validate(f"{d:%Y-%m}")),
    st.tuples(_day, st.integers(0, 60)).map(
        lambda t: FuzzyDate(earliest=t[0], latest=t[0] + dt.timedelta(days=t[1]), precision="range")
    ),
)
_relation = st.tuples(
    st.sampled_from(PARTIES[:3]),
    st.sampled_from(["supports", "opposes", "guarantees", "mediates_for"]),
    st.sampled_from(PARTIES[:3]),
    st.booleans(),
).map(lambda t: SetRelation(by=[t[0]], source=t[0], relation=t[1], target=t[2], active=t[3]))

EVENTS = st.one_of(
    *(
        st.builds(cls, by=_by, document=_doc)
        for cls in (Propose, Revise, SubmitComments, Sign, Ratify, Withdraw, Breach)
    ),
    st.builds(Derive, by=_by, document=_doc, source=_doc),
    st.builds(Accept, by=_by, document=st.just("plan"), point=_point),
    st.builds(Reject, by=_by, document=st.just("plan"), point=_point),
    st.builds(
        StatePosition,
        by=_by,
        document=st.just("plan"),
        point=_point,
        stance=st.sampled_from(
            [
                "unknown",
                "undecided",
                "supports",
                "supports_with_conditions",
                "opposes",
                "accepts",
                "rejects",
            ]
        ),
    ),
    st.builds(Supersede, by=_by, document=_doc, replacement=st.one_of(st.none(), _doc)),
    st.builds(
        Transition,
        by=_by,
        document=_doc,
        trigger=st.sampled_from([t.trigger for t in DEFAULT_DOCUMENT_LIFECYCLE.transitions]),
    ),
    st.builds(
        SetPoint,
        by=_by,
        document=st.just("plan"),
        point=st.sampled_from(["borders", "guarantees"]),
        status=st.sampled_from(["open", "bracketed", "agreed", "dropped"]),
    ),
    st.builds(Commitment, by=_by, opens=st.lists(st.just("reply"), min_size=1, max_size=2)),
    st.builds(SetDeadline, by=_by, deadline=st.just("reply"), due=st.one_of(st.none(), _fuzzy)),
    st.builds(ExtendDeadline, by=_by, deadline=st.just("reply"), to=_fuzzy),
    st.builds(DropDeadline, by=_by, deadline=st.just("reply"), nonbinding=st.booleans()),
    *(
        st.builds(cls, by=_by, deadline=st.just("reply"))
        for cls in (EnforceDeadline, WaiveDeadline)
    ),
    *(st.builds(cls, by=_by, fact=st.just("ceasefire")) for cls in (SetFact, ClearFact)),
    _relation,
    st.builds(
        lambda kind, by, package: (Offer if kind else Counter)(
            by=[by], document="plan", package=package
        ),
        st.booleans(),
        st.sampled_from(PARTIES),
        st.dictionaries(
            st.sampled_from(["price", "term"]), st.just(0), min_size=1
        ).flatmap(lambda d: st.fixed_dictionaries({
            p: st.sampled_from([90.0, 102.5, 110.0] if p == "price" else ["One year", "two years"])
            for p in d
        })),
    ),
    *(
        st.builds(cls, by=st.sampled_from(PARTIES).map(lambda p: [p]), document=st.just("plan"))
        for cls in (AcceptOffer, RejectOffer, WalkAway)
    ),
)


@given(EVENTS)
def test_format_then_parse_round_trips(event: Event) -> None:
    text = format_move(event)
    assert parse_move(text, SCENARIO) == event
    assert format_move(parse_move(text, SCENARIO)) == text


_WORDS = [
    *PARTIES,
    "plan",
    "counter",
    "plan.borders",
    "reply",
    "ceasefire",
    "signs",
    "sign",
    "and",
    ",",
    "on",
    "to",
    "by",
    "with",
    "is",
    "undecided",
    "relation",
    "fact",
    "2025-12-01",
    "extends",
    "supports",
    "conditions",
    "x",
    ".",
]


@given(st.one_of(st.text(max_size=60), st.lists(st.sampled_from(_WORDS), max_size=8).map(" ".join)))
def test_any_text_parses_or_raises_move_error(text: str) -> None:
    try:
        event = parse_move(text, SCENARIO)
    except MoveError:
        return
    assert parse_move(format_move(event), SCENARIO) == event
