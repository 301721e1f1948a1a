"""Alternating offers between strategies: the deadline effect (the issue's anchor), and
what the protocol guarantees (it ends, agreements clear both BATNAs, a seed fixes the
transcript, an extension moves the end, the transcript becomes engine moves).

The anchor's documented instance (``split``): one document ``deal`` with one numeric
point ``price``, options 0 to 100 by 1; the seller values it linearly (0 worth 0, 100
worth 1), the buyer the other way round (100 worth 0, 0 worth 1); no cost of delay. The
negotiation starts on 2026-01-01 and both sides' deadline falls 30, 45, 60 or 90 days
later; one round a day, the seller opens. Each seed draws the deadline and both BATNAs
(uniform in [0, 0.3]) and, per pair, both exponents: Boulware e in [0.05, 0.3],
conceder e in [2, 8]. Measured over seeds 0 to 199 (``pairs``; see the branch report):
every pair agrees; Boulware pairs at a mean 0.94 of the time (mean round 52.1), 95.5% of
them in its last tenth; conceder pairs at 0.13 (mean round 7.0), none in the last
tenth, 48% in the first tenth.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics

from hypothesis import given
from hypothesis import strategies as st

from negotiation.analysis.bargaining import EPS
from negotiation.analysis.space import OutcomeSpace
from negotiation.analysis.utility import PartyUtility
from negotiation.behaviour.protocol import (
    Side,
    Transcript,
    constant,
    fixed,
    moves,
    negotiate,
)
from negotiation.behaviour.strategies import (
    Hardliner,
    MoveKind,
    RandomOffers,
    Ranking,
    Responses,
    Strategy,
    TimeBased,
    TitForTat,
)
from negotiation.model.documents import Document
from negotiation.model.interests import Delay, Interest

START = dt.date(2026, 1, 1)
DEAL = Document.model_validate(
    {"id": "deal", "title": "A deal", "points": [
        {"id": "price", "options": {"min": 0, "max": 100, "step": 1}}]}
)  # fmt: skip
SPACE = OutcomeSpace.of(DEAL)


def utility(party: str, worst: float, best: float) -> Ranking:
    interest = Interest.model_validate({
        "party": party, "document": "deal", "assumption": "invented for a test",
        "points": {"price": {"weight": 1, "linear": {"worst": worst, "best": best}}},
    })  # fmt: skip
    return Ranking.of(PartyUtility.of(interest, SPACE).every())


SELLER, BUYER = utility("seller", 0, 100), utility("buyer", 100, 0)


def split(
    seller: Strategy,
    buyer: Strategy,
    days: int,
    batnas: tuple[float, float] = (0.0, 0.0),
    seed: int = 0,
    delay: Delay | None = None,
) -> Transcript:
    due = fixed(START + dt.timedelta(days=days))
    return negotiate(
        Side("seller", seller, SELLER, due, constant(batnas[0]), delay),
        Side("buyer", buyer, BUYER, due, constant(batnas[1]), delay),
        start=START,
        seed=seed,
    )


def pairs(kind: str, seeds: range) -> list[Transcript]:
    low, high = (0.05, 0.3) if kind == "boulware" else (2.0, 8.0)
    out = []
    for seed in seeds:
        rng = random.Random(seed)
        days = rng.choice([30, 45, 60, 90])
        batnas = (rng.uniform(0, 0.3), rng.uniform(0, 0.3))
        e = (rng.uniform(low, high), rng.uniform(low, high))
        out.append(split(TimeBased(e[0]), TimeBased(e[1]), days, batnas, seed))
    return out


def test_boulware_pairs_agree_later_than_conceder_pairs() -> None:
    """The deadline effect emerging from strategies (Faratin et al. 1998; Roth,
    Murnighan and Schoumaker 1988): the ordering, not a threshold."""
    seeds = range(40)
    boulware, conceder = pairs("boulware", seeds), pairs("conceder", seeds)
    for runs in (boulware, conceder):
        assert all(t.outcome.agreed for t in runs)  # both curves end at the floors
    rounds = [statistics.mean(t.outcome.round or 0 for t in runs) for runs in (boulware, conceder)]
    assert rounds[0] > rounds[1]
    times = [[t.outcome.time for t in runs] for runs in (boulware, conceder)]
    assert statistics.mean(times[0]) > statistics.mean(times[1])
    last_tenth = [sum(x >= 0.9 for x in ts) / len(ts) for ts in times]
    assert last_tenth[0] > last_tenth[1]
    # and seed by seed, with the same deadline and BATNAs, a Boulware pair never agrees
    # earlier than a conceder pair
    assert all(b.outcome.time >= c.outcome.time for b, c in zip(boulware, conceder, strict=True))


def test_a_boulware_side_gets_more_from_a_conceder() -> None:
    t = split(TimeBased(0.2), TimeBased(4.0), days=60)
    assert t.outcome.agreed
    seller, buyer = t.outcome.utilities
    assert seller > buyer


def test_hardliners_reach_the_deadline_and_take_their_batnas() -> None:
    t = split(Hardliner(), Hardliner(), days=10, batnas=(0.2, 0.3))
    assert t.outcome.ended_by == "deadline"
    assert not t.outcome.agreed
    assert t.outcome.utilities == (0.2, 0.3)
    assert t.outcome.day == START + dt.timedelta(days=10)
    assert len(t.turns) == 11  # rounds 0 to 10, the last on the due date
    assert [turn.party for turn in t.turns[:3]] == ["seller", "buyer", "seller"]


def test_a_side_with_nothing_worth_its_batna_walks_away() -> None:
    t = split(TimeBased(1.0), TimeBased(1.0), days=10, batnas=(0.0, 1.5))
    assert t.outcome.ended_by == "walk_away"
    assert [turn.move.kind for turn in t.turns] == [MoveKind.offer, MoveKind.walk_away]
    assert t.outcome.utilities == (0.0, 1.5)


def test_an_extension_moves_the_end_and_the_time() -> None:
    """A due date read on each day: extended on day 5 from day 10 to day 20."""

    def due(day: dt.date) -> dt.date:
        return START + dt.timedelta(days=10 if day < START + dt.timedelta(days=5) else 20)

    t = negotiate(
        Side("seller", Hardliner(), SELLER, due), Side("buyer", Hardliner(), BUYER, due),
        start=START,
    )  # fmt: skip
    assert t.outcome.day == START + dt.timedelta(days=20)
    assert len(t.turns) == 21
    assert t.turns[4].time == 0.4 and t.turns[5].time == 0.25


def test_delay_lowers_the_utilities_in_the_transcript() -> None:
    t = split(TimeBased(1.0), TimeBased(1.0), days=20, delay=Delay(per_day=0.01))
    turn = t.turns[3]
    package = turn.move.package
    assert package is not None and turn.utilities is not None
    assert turn.utilities[0] == round(SELLER(package) - 0.03, 12)


def test_a_seed_fixes_the_transcript() -> None:
    runs = [split(RandomOffers(), RandomOffers(), days=30, seed=s) for s in (1, 1, 2)]
    assert runs[0] == runs[1]
    assert runs[0].turns != runs[2].turns


def test_the_transcript_as_engine_moves() -> None:
    t = split(TimeBased(1.0), TimeBased(1.0), days=10)
    out = moves(t, SPACE)
    assert [m.kind for m in out] == ["offer", *["counter"] * (len(out) - 2), "accept_offer"]
    # the seller opens at its best; the buyer, a tenth of the way, asks for 0.9: price 10
    assert out[0].package == {"price": 100.0} and out[1].package == {"price": 10.0}
    last_offer = t.turns[-2].move.package
    assert last_offer is not None
    assert out[-1].package == SPACE.describe(SPACE.package(last_offer))
    assert out[-1].party != out[-2].party
    assert [m.day for m in out] == [turn.day for turn in t.turns]
    assert {m.document for m in out} == {"deal"}
    walked = split(TimeBased(1.0), TimeBased(1.0), days=10, batnas=(0.0, 1.5))
    assert [m.kind for m in moves(walked, SPACE)] == ["offer", "walk_away"]


strategies = st.one_of(
    st.floats(0.05, 10).map(TimeBased),
    st.just(Hardliner()),
    st.just(TitForTat()),
    st.just(RandomOffers()),
    st.builds(Responses, st.floats(0, 1), st.floats(0, 1)),
)


@given(strategies, strategies, st.integers(1, 40), st.floats(0, 0.6), st.floats(0, 0.6),
       st.integers(0, 1000))  # fmt: skip
def test_every_run_ends_and_an_agreement_clears_both_batnas(
    seller: Strategy, buyer: Strategy, days: int, a: float, b: float, seed: int
) -> None:
    t = split(seller, buyer, days, (a, b), seed)
    assert len(t.turns) <= days + 1
    if t.outcome.agreed:
        assert t.outcome.utilities[0] >= a - EPS and t.outcome.utilities[1] >= b - EPS
        assert t.turns[-1].move.kind is MoveKind.accept
        assert t.turns[-2].move.package == t.outcome.package
    else:
        assert t.outcome.utilities == (a, b)
    assert split(seller, buyer, days, (a, b), seed) == t
