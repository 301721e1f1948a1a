"""Counterparts that answer: parties on their declared strategies answer the students'
offers through the group's ``Counterparts`` seam; the rest follow the script."""

from __future__ import annotations

import datetime as dt

import pytest

from negotiation.model.errors import MoveError
from negotiation.runtime.engine import Engine
from negotiation.teach.counterparts import Strategic, counterparts_for, strategic_parties
from negotiation.teach.group import INSTRUCTOR, Action, Group
from tests.conftest import engine_of

START = Action(INSTRUCTOR, "start")


@pytest.fixture(scope="module")
def labour() -> Engine:
    return engine_of("labour-contract-2026-strategies")


def union_against_employer(labour: Engine, mode: str = "strategy") -> Group:
    seats, counterparts = counterparts_for(labour, {"union": "seat", "employer": mode})  # type: ignore[dict-item]
    return Group.open(labour, seats, counterparts).take(START)


def employer_lines(g: Group) -> list[str]:
    return [line.text for line in g.log if line.seat == "employer" and line.kind == "script"]


def test_only_parties_with_a_declared_strategy_can_follow_one(
    labour: Engine, seed_engine: Engine
) -> None:
    assert strategic_parties(labour) == ("union", "employer")
    assert strategic_parties(seed_engine) == ()
    with pytest.raises(MoveError, match="no declared strategy for 'russia'"):
        Strategic(seed_engine, ["russia"])
    with pytest.raises(MoveError, match="choose one of seat, strategy, script"):
        counterparts_for(labour, {"union": "robot"})  # type: ignore[dict-item]
    with pytest.raises(MoveError, match="unknown party 'mars'"):
        counterparts_for(labour, {"mars": "seat"})


def employer_answers(g: Group) -> list[tuple[dt.date, str]]:
    return [(line.day, line.text) for line in g.log if line.seat == "employer"
            and line.kind == "script" and "pay_deal" in line.text]  # fmt: skip


def test_a_strategy_opens_and_answers_a_students_counter_offer_on_its_day(
    labour: Engine,
) -> None:
    g = union_against_employer(labour)
    first = g.day
    # the conceder employer opens on both tables with its best package for itself
    assert employer_lines(g)[0] == "employer offers pay_deal rise 0 (its conceder strategy)"
    assert g.state.documents["pay_deal"].offer is not None
    g = g.take(Action("union", "move", "union counters pay_deal rise 5"))
    # answered at once, on the day of the offer (at the start it still asks its best)
    assert employer_answers(g)[-1] == (first, "employer counters pay_deal rise 0 (its "
                                       "conceder strategy)")  # fmt: skip
    assert [line.kind for line in g.log if line.day == first][-2:] == ["move", "script"]
    assert g.day == dt.date(2026, 1, 5)  # the union was the only seat: the clock moved
    assert employer_answers(g)[-1][0] == first  # its own offer is pending: it waits
    g = g.take(Action("union", "move", "union counters pay_deal rise 5"))
    day, answer = employer_answers(g)[-1]
    assert day == dt.date(2026, 1, 5)
    assert answer.startswith("employer counters pay_deal rise ")
    rise = float(answer.split("rise ")[1].split(" ")[0])
    assert 0 < rise < 5  # as time passed it conceded, but not all the way
    pending = g.state.documents["pay_deal"].offer
    assert pending is not None and pending.by == "employer"
    offers = [o.by for o in g.offers if o.document == "pay_deal"]
    assert offers == ["employer", "union", "employer", "union", "employer"]


def test_a_strategy_accepts_an_offer_worth_its_next_one_on_its_day(labour: Engine) -> None:
    g = union_against_employer(labour)
    g = g.take(Action("union", "move", "union counters pay_deal rise 0.25"))
    assert "accepts" not in employer_answers(g)[-1][1]  # too early: it counters
    day = g.day
    g = g.take(Action("union", "move", "union counters pay_deal rise 0.25"))
    assert employer_answers(g)[-1] == (
        day, "employer accepts the offer on pay_deal (its conceder strategy)"
    )
    assert g.state.documents["pay_deal"].values == {"rise": "0.25"}
    before = len(employer_lines(g))
    g = g.take(Action("union", "pass"))  # the deal is settled: the employer stays quiet
    assert not [t for t in employer_lines(g)[before:] if "pay_deal" in t]


def test_the_script_party_and_replay_are_unchanged_by_strategies(labour: Engine) -> None:
    g = union_against_employer(labour, "script")
    assert not [t for t in employer_lines(g) if "strategy" in t]
    g = union_against_employer(labour)
    g = g.take(Action("union", "move", "union counters pay_deal rise 5"))
    again = Group.replay(labour, g.seats, g.actions, g.counterparts)
    assert again.log == g.log and again.state == g.state
