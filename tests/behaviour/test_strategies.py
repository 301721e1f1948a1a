"""Properties of every strategy kind on generated utilities, times, histories and BATNAs:
offers never fall below the reservation value, time-based targets fall with time and
order by exponent, acceptance is AC_next, random is a function of its seed, and the
package for a target is the least one reaching it."""

from __future__ import annotations

import datetime as dt
import random

from hypothesis import assume, given
from hypothesis import strategies as st

from negotiation.analysis.bargaining import EPS
from negotiation.behaviour.strategies import (
    Hardliner,
    Move,
    MoveKind,
    RandomOffers,
    Ranking,
    Responses,
    Strategy,
    TimeBased,
    TitForTat,
    View,
    concession,
    time_fraction,
)

unit = st.floats(0.0, 1.0, allow_nan=False)
exponents = st.floats(0.05, 20.0, allow_nan=False)


@st.composite
def views(draw: st.DrawFn) -> View:
    """A party's situation: utilities of 1 to 40 packages (ties likely), a time, offers
    received and sent (alternating: as many sent as received, or one more), a BATNA."""
    n = draw(st.integers(1, 40))
    grid = draw(st.booleans())
    value = st.integers(0, 10).map(lambda k: k / 10) if grid else unit
    utility = Ranking.of(draw(st.lists(value, min_size=n, max_size=n)))
    received = tuple(draw(st.lists(st.integers(0, n - 1), max_size=6)))
    sent = tuple(draw(st.lists(st.integers(0, n - 1), min_size=len(received),
                               max_size=len(received) + 1)))  # fmt: skip
    return View(utility, draw(unit), received, sent, reservation=draw(unit))


def kinds() -> st.SearchStrategy[Strategy]:
    return st.one_of(
        exponents.map(TimeBased),
        st.just(Hardliner()),
        st.just(TitForTat()),
        st.just(RandomOffers()),
        st.builds(Responses, unit, unit),
    )


@given(views(), kinds(), st.integers(0, 2**32))
def test_no_offer_below_the_reservation_value(view: View, strategy: Strategy, seed: int) -> None:
    move = strategy.move(view, random.Random(seed))
    if move.kind is MoveKind.offer:
        assert move.package is not None
        assert view.utility(move.package) >= view.reservation - EPS
    if move.kind is MoveKind.accept:
        assert view.received, "accepted with nothing on the table"
        assert view.utility(view.received[-1]) >= view.reservation - EPS
    if move.kind is MoveKind.walk_away:
        assert view.utility.best < view.reservation - EPS  # only when nothing is worth it


@given(exponents, unit, unit, unit, unit)
def test_time_based_targets_never_rise_with_time(
    e: float, a: float, b: float, floor: float, best: float
) -> None:
    assume(floor <= best)
    early, late = sorted((a, b))
    assert concession(early, e, floor, best) >= concession(late, e, floor, best) - 1e-12
    assert concession(0.0, e, floor, best) == best
    assert abs(concession(1.0, e, floor, best) - floor) < 1e-12


@given(
    st.floats(0.05, 0.99), st.floats(1.01, 20.0), st.floats(0.001, 0.999),
    st.floats(0.0, 0.9), st.floats(0.05, 0.1),
)  # fmt: skip
def test_boulware_above_linear_above_conceder(
    boulware: float, conceder: float, t: float, floor: float, room: float
) -> None:
    best = floor + room
    b, lin, c = (concession(t, e, floor, best) for e in (boulware, 1.0, conceder))
    assert b >= lin >= c
    assert b > c


@given(views(), st.one_of(exponents.map(TimeBased), st.just(Hardliner()), st.just(TitForTat())))
def test_acceptance_is_ac_next(view: View, strategy: TimeBased | Hardliner | TitForTat) -> None:
    """Accept exactly when the last offer is worth at least the next offer (the package
    for the strategy's target now) and the reservation value."""
    move = strategy.move(view, random.Random(0))
    target = view.utility.best if isinstance(strategy, Hardliner) else strategy.target(view)
    proposal = view.utility.choose(target)
    if view.utility.best < view.reservation - EPS:
        assert move == Move.walk_away()
        return
    assert proposal is not None
    on_table = view.utility(view.received[-1]) if view.received else None
    accepts = (
        on_table is not None and on_table >= max(view.utility(proposal), view.reservation) - EPS
    )
    assert move == (Move.accept() if accepts else Move.offer(proposal))


@given(views(), st.integers(0, 2**32))
def test_random_is_a_function_of_its_seed(view: View, seed: int) -> None:
    def run(rng: random.Random) -> list[Move]:
        return [RandomOffers().move(view, rng) for _ in range(5)]

    assert run(random.Random(seed)) == run(random.Random(seed))


def test_random_offers_spread_over_the_acceptable_packages() -> None:
    utility = Ranking.of([i / 9 for i in range(10)])
    view = View(utility, 0.0, (), (), reservation=0.5)
    rng = random.Random(7)
    offered = {RandomOffers().move(view, rng).package for _ in range(200)}
    assert offered == {5, 6, 7, 8, 9}


@given(st.lists(st.integers(0, 5).map(lambda k: k / 5), min_size=1, max_size=30), unit)
def test_the_package_for_a_target_is_the_least_that_reaches_it(
    values: list[float], target: float
) -> None:
    ranking = Ranking.of(values)
    chosen = ranking.choose(target)
    reaching = [i for i, u in enumerate(values) if u >= target - EPS]
    if not reaching:
        assert chosen is None
        return
    least = min(values[i] for i in reaching)
    assert chosen == min(i for i in reaching if values[i] == least)  # ties: lowest index


@given(views())
def test_tit_for_tat_answers_a_concession_with_a_concession(view: View) -> None:
    assume(len(view.received) >= 2 and view.sent)
    u = view.utility
    assume(u.best >= view.reservation)
    before, now = u(view.received[-2]), u(view.received[-1])
    last = u(view.sent[-1])
    target = TitForTat().target(view)
    floor = min(max(view.reservation, u.worst), u.best)
    if now > before + EPS and last > floor + EPS and u.best - before > EPS:
        assert target < last  # conceded
    if now < before - EPS and last < u.best - EPS and u.best - before > EPS:
        assume(last >= floor)
        assert target > last  # toughened
    if now == before:
        assert target == min(u.best, max(floor, last))


def test_tit_for_tat_opens_with_its_best_and_concedes_in_proportion() -> None:
    utility = Ranking.of([i / 10 for i in range(11)])  # package i is worth i/10
    opening = TitForTat().move(View(utility, 0.0, (), (), 0.0), random.Random(0))
    assert opening == Move.offer(10)
    # the other side moved from 0.0 to 0.5 for us: half the gap to our best; we close
    # half of ours (from 1.0 to the floor 0.0): target 0.5
    view = View(utility, 0.1, received=(0, 5), sent=(10, 10), reservation=0.0)
    assert TitForTat().target(view) == 0.5
    assert TitForTat().move(view, random.Random(0)) == Move.accept()  # 0.5 is worth 0.5


def test_responses_accept_at_their_threshold_and_counter_with_their_target() -> None:
    utility = Ranking.of([i / 10 for i in range(11)])
    rules = Responses(accept=0.7, target=0.8)
    assert rules.move(View(utility, 0.5, (6,), (), 0.0), random.Random(0)) == Move.offer(8)
    assert rules.move(View(utility, 0.5, (7,), (), 0.0), random.Random(0)) == Move.accept()
    # a BATNA above the rule's threshold and target wins: no worse than no deal
    assert rules.move(View(utility, 0.5, (7,), (), 0.9), random.Random(0)) == Move.offer(9)


def test_hardliner_holds_its_best() -> None:
    utility = Ranking.of([0.2, 1.0, 0.5, 1.0])
    view = View(utility, 0.99, received=(2,), sent=(1,), reservation=0.0)
    assert Hardliner().move(view, random.Random(0)) == Move.offer(1)  # ties: lowest index
    assert Hardliner().move(View(utility, 1.0, (3,), (1,), 0.0), random.Random(0)) == Move.accept()


def test_time_fraction_reads_the_calendar() -> None:
    start, due = dt.date(2026, 1, 1), dt.date(2026, 1, 11)
    assert time_fraction(start, start, due) == 0.0
    assert time_fraction(start, dt.date(2026, 1, 6), due) == 0.5
    assert time_fraction(start, dt.date(2026, 1, 6), dt.date(2026, 1, 21)) == 0.25  # extended
    assert time_fraction(start, dt.date(2026, 2, 1), due) == 1.0
    assert time_fraction(start, start, start) == 1.0
