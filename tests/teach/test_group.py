"""The classroom's group session: seats, turns, the clock, the script, and replay."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from negotiation.model.errors import MoveError
from negotiation.model.events import Event
from negotiation.runtime.engine import Engine
from negotiation.teach.group import INSTRUCTOR, Action, Group, RefusedError, Turn
from tests.conftest import engine_of

START = Action(INSTRUCTOR, "start")
ADVANCE = Action(INSTRUCTOR, "advance")
SIGN = "ukraine signs twenty_point_plan"


def started(seed_engine: Engine, *seats: str) -> Group:
    return Group.open(seed_engine, seats).take(START)


def test_opening_applies_the_first_days_script_of_the_other_parties(seed_engine: Engine) -> None:
    g = Group.open(seed_engine, ("ukraine", "russia"))
    assert g.status == "waiting"
    assert g.day == dt.date(2025, 11, 1)
    assert [line.seat for line in g.log] == ["united_states", "united_states", None]
    assert g.state.deadlines["thanksgiving_deadline"].due == dt.date(2025, 11, 27)
    assert g.waiting_for == ()  # nobody's turn before the start


def test_a_student_party_s_scripted_event_is_left_to_the_student(seed_engine: Engine) -> None:
    g = Group.open(seed_engine, ("united_states",))
    assert [line.seat for line in g.log] == [None]  # only the world's event: the derive
    assert g.state.deadlines["thanksgiving_deadline"].status.value == "inactive"


def test_seats_are_checked(seed_engine: Engine) -> None:
    with pytest.raises(MoveError, match="unknown party 'mars'"):
        Group.open(seed_engine, ("ukraine", "mars"))
    with pytest.raises(MoveError, match="each party once"):
        Group.open(seed_engine, ())
    assert Group.open(seed_engine, ("russia", "ukraine")).seats == ("ukraine", "russia")


def test_a_refused_move_says_why_and_changes_nothing(seed_engine: Engine) -> None:
    g = started(seed_engine, "ukraine", "russia")
    assert g.why("ukraine", SIGN)[0].startswith("twenty_point_plan is proposed; sign needs")
    with pytest.raises(RefusedError) as refused:
        g.take(Action("ukraine", "move", SIGN))
    assert refused.value.reasons == g.why("ukraine", SIGN)
    with pytest.raises(RefusedError, match="you play ukraine; that move is by russia"):
        g.take(Action("ukraine", "move", "russia rejects twenty_point_plan"))
    with pytest.raises(RefusedError, match="unknown"):
        g.take(Action("ukraine", "move", "ukraine dances"))
    with pytest.raises(RefusedError, match="not a seat"):
        g.take(Action("united_states", "pass"))


def test_the_clock_moves_when_every_seat_has_acted_or_passed(seed_engine: Engine) -> None:
    g = started(seed_engine, "ukraine", "russia")
    assert g.waiting_for == ("ukraine", "russia")
    move = g.choices("ukraine")[0].label
    g = g.take(Action("ukraine", "move", move))
    assert g.waiting_for == ("russia",)
    assert g.log[-1].kind == "move" and g.log[-1].text == move
    with pytest.raises(RefusedError, match="already acted"):
        g.take(Action("ukraine", "pass"))
    g = g.take(Action("russia", "pass"))
    assert g.day == dt.date(2025, 11, 27)
    assert g.waiting_for == ("ukraine", "russia")


def test_the_instructor_advances_and_a_deadline_fires_on_the_way(seed_engine: Engine) -> None:
    g = started(seed_engine, "ukraine", "russia").take(ADVANCE)
    assert g.day == dt.date(2025, 11, 27)
    g = g.take(ADVANCE)
    fired = [line for line in g.log if line.kind == "clock"]
    assert "thanksgiving_deadline missed" in fired[0].text
    assert g.state.deadlines["thanksgiving_deadline"].due == dt.date(2025, 12, 25)  # extended


def test_pause_blocks_the_students_and_end_stops_the_group(seed_engine: Engine) -> None:
    g = started(seed_engine, "ukraine").take(Action(INSTRUCTOR, "pause"))
    with pytest.raises(RefusedError, match="the group is paused"):
        g.take(Action("ukraine", "pass"))
    with pytest.raises(RefusedError, match="cannot pause"):
        g.take(Action(INSTRUCTOR, "pause"))
    g = g.take(START).take(Action(INSTRUCTOR, "end"))
    assert g.status == "ended"
    with pytest.raises(RefusedError, match="cannot advance: the group is ended"):
        g.take(ADVANCE)
    with pytest.raises(RefusedError, match="a seat cannot start"):
        g.take(Action("ukraine", "start"))


def test_advancing_past_the_last_day_finishes_the_group(seed_engine: Engine) -> None:
    g = started(seed_engine, "ukraine")
    while g.status == "running":
        g = g.take(ADVANCE)
    assert g.status == "finished"
    assert g.state.closed and g.day == g.end
    assert g.log[-1].kind == "end"


class Silent:
    """Counterparts that do nothing: the seam takes any policy."""

    def moves(self, turn: Turn) -> tuple[Event, ...]:
        assert "ukraine" not in turn.parties
        return ()

    def answers(self, turn: Turn) -> tuple[Event, ...]:
        return ()


def test_counterparts_are_a_seam(seed_engine: Engine) -> None:
    g = Group.open(seed_engine, ("ukraine",), Silent())
    assert g.log == ()
    assert g.state.documents["twenty_eight_point_plan"].state == "drafted"


# -- replay: the accepted actions are the group ------------------------------------------------

SEATS = ("ukraine", "russia")


@st.composite
def attempts(draw: st.DrawFn) -> list[tuple[str, str, int | str]]:
    """Actions to try, some of them refused: (seat, kind, a choice's index or a text)."""
    one = st.one_of(
        st.tuples(
            st.just(INSTRUCTOR), st.sampled_from(["start", "pause", "advance", "end"]), st.just("")
        ),
        st.tuples(st.sampled_from(SEATS), st.just("pass"), st.just("")),
        st.tuples(st.sampled_from(SEATS), st.just("move"), st.integers(0, 60)),
        st.tuples(st.sampled_from(SEATS), st.just("move"), st.sampled_from([SIGN, "x y"])),
    )
    return draw(st.lists(one, max_size=14))


@given(attempts())
def test_replaying_the_accepted_actions_gives_the_live_group(
    seed_engine: Engine, tries: list[tuple[str, str, int | str]]
) -> None:
    live = Group.open(seed_engine, SEATS).take(START)
    for seat, kind, what in tries:
        text = what if isinstance(what, str) else ""
        if isinstance(what, int):
            options = live.choices(seat)
            text = options[what % len(options)].label if options else "x"
        try:
            live = live.take(Action(seat, kind, text))  # type: ignore[arg-type]
        except RefusedError:
            continue
    again = Group.replay(seed_engine, SEATS, live.actions)
    assert again.state == live.state
    assert again.log == live.log
    assert (again.status, again.done, again.day) == (live.status, live.done, live.day)
    assert again.actions == live.actions


def test_with_predictions_each_seat_predicts_before_it_acts_and_is_scored(
    seed_engine: Engine
) -> None:
    g = Group.open(seed_engine, ("ukraine", "russia"), predict=True).take(START)
    question = g.must_predict("ukraine")
    assert question is not None and question.target == "thanksgiving_deadline"
    with pytest.raises(RefusedError, match="predict first"):
        g.take(Action("ukraine", "pass"))
    with pytest.raises(RefusedError, match="answer one of: inactive"):
        g.take(Action("ukraine", "predict", "bananas"))
    g = g.take(Action("ukraine", "predict", "missed")).take(Action("ukraine", "pass"))
    assert g.must_predict("ukraine") is None  # acted
    with pytest.raises(RefusedError, match="already acted"):
        g.take(Action("ukraine", "predict", "same"))
    g = g.take(Action("russia", "predict", "same")).take(Action("russia", "pass"))
    assert g.day == dt.date(2025, 11, 27)
    scored = [(p.seat, p.answer, p.actual, p.right) for p in g.predictions]
    # a deadline is missed at the close of its due day, not on arriving at it
    assert scored == [
        ("ukraine", "missed", "pending", False),
        ("russia", "pending", "pending", True),
    ]
    assert g.must_predict("ukraine") is not None  # a new day, a new question
    again = Group.replay(seed_engine, g.seats, g.actions, predict=True)
    assert again.predictions == g.predictions


def test_without_predictions_a_seat_is_never_asked(seed_engine: Engine) -> None:
    g = started(seed_engine, "ukraine")
    assert g.must_predict("ukraine") is None
    with pytest.raises(RefusedError, match="nothing to predict"):
        g.take(Action("ukraine", "predict", "same"))


def test_choices_are_the_legal_moves_and_are_kept_while_the_state_is_the_same(
    seed_engine: Engine,
) -> None:
    from negotiation.runtime.legal import legal_moves  # noqa: PLC0415
    from negotiation.teach.choices import move_text  # noqa: PLC0415

    g = started(seed_engine, "ukraine", "russia")
    other = Group.open(seed_engine, ("ukraine", "russia"), choice_cache=g.choice_cache).take(START)
    assert other.choices("ukraine") is g.choices("ukraine")  # one cache, one state
    for _ in range(4):
        for seat in g.waiting_for:
            expected = [move_text(e) for e in legal_moves(seed_engine, g.state, [seat]).legal]
            assert [c.label for c in g.choices(seat)] == expected
            assert g.choices(seat) is g.choices(seat)  # kept
            choice = g.choices(seat)[0].label
            g = g.take(Action(seat, "move", choice))
    assert g.day > dt.date(2025, 11, 1)


def test_each_seat_is_asked_about_its_own_party_s_situation(seed_engine: Engine) -> None:
    g = Group.open(seed_engine, ("ukraine", "russia", "united_states"), predict=True).take(START)
    asked = {seat: g.must_predict(seat) for seat in g.seats}
    # the deadline set on Ukraine, and set by the United States; Russia's document
    assert {s: q.about for s, q in asked.items() if q} == {
        "ukraine": "deadline thanksgiving_deadline",
        "russia": "document twenty_eight_point_plan",
        "united_states": "deadline thanksgiving_deadline",
    }


def test_a_seat_whose_offer_is_on_the_table_predicts_the_answer() -> None:
    labour_engine = engine_of("labour-contract-2026-strategies")
    g = Group.open(labour_engine, ("union", "employer"), predict=True).take(START)
    for seat in g.seats:
        g = g.take(Action(seat, "predict", "same"))
    g = g.take(Action("union", "move", "union offers pay_deal rise 3"))
    g = g.take(Action("employer", "pass"))
    union, employer = g.must_predict("union"), g.must_predict("employer")
    assert union is not None and employer is not None
    assert (union.about, union.current) == ("union's offer on pay_deal", "on the table")
    assert union.choices == ("accepted", "countered", "rejected", "on the table")
    assert employer.subject != "offer"  # the employer is asked about its own situation
    with pytest.raises(RefusedError, match="answer one of: accepted, countered"):
        g.take(Action("union", "predict", "maybe"))
    g = g.take(Action("union", "predict", "accepted")).take(Action("union", "pass"))
    g = g.take(Action("employer", "predict", "same"))
    g = g.take(Action("employer", "move", "employer accepts the offer on pay_deal"))
    offer = next(p for p in g.predictions if p.question.subject == "offer")
    assert (offer.seat, offer.answer, offer.actual, offer.right) == (
        "union", "accepted", "accepted", True
    )
    again = Group.replay(labour_engine, g.seats, g.actions, predict=True)
    assert again.predictions == g.predictions
