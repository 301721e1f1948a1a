"""The analysis of a document on a day and over days: the Nash solution against a closed
form, BATNAs read on the engine's state, delay costs, ranges, errors, and the stated
approximation above the exact limit."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from negotiation import Engine, Scenario
from negotiation.analysis import bargaining as bg
from negotiation.analysis.zopa import EXACT_LIMIT, Analysis
from negotiation.loader import load_scenario
from negotiation.model.errors import AnalysisError
from tests.conftest import SPLIT

WHAT_IF = "labour-contract-2026-interests"
D = dt.date


def split(d1: float, d2: float) -> Engine:
    sc = load_scenario(SPLIT)
    first, second = sc.interests
    return Engine(
        sc.model_copy(
            update={
                "interests": [
                    first.model_copy(update={"batna": d1}),
                    second.model_copy(update={"batna": d2}),
                ]
            }
        )
    )


BATNAS = [(d1, d2) for d1 in (0.0, 0.1, 0.3, 0.45) for d2 in (0.0, 0.2, 0.35) if d1 + d2 < 1]


@pytest.mark.parametrize(("d1", "d2"), BATNAS)
def test_the_nash_split_is_the_closed_form(d1: float, d2: float) -> None:
    """Two parties split a unit pie, each valuing its own share linearly, with BATNAs d1
    and d2: the Nash solution maximises (x - d1)(1 - x - d2), so x* = (1 + d1 - d2) / 2
    (Nash 1950). On a grid of 0.01 the solution is the grid point nearest x*."""
    r = Analysis(split(d1, d2)).at(D(2026, 1, 1))
    assert r.nash is not None
    share = r.nash.options["share"]
    assert isinstance(share, float)
    assert abs(share - (1 + d1 - d2) / 2) <= 0.005 + 1e-9
    assert r.nash.gains == pytest.approx((share - d1, 1 - share - d2), abs=1e-9)
    inside = [k for k in range(101) if k / 100 >= d1 - 1e-9 and 1 - k / 100 >= d2 - 1e-9]
    assert r.zopa_size == len(inside)


def test_a_week_of_delay_shrinks_the_zopa() -> None:
    """A week after the start each player's best utility is its discount factor to the
    seventh; the BATNAs stay, so the ZOPA shrinks. With BATNAs of 0 the Nash split of
    discounted linear utilities is still the midpoint (the product only scales)."""
    a = Analysis(split(0.2, 0.1))
    start, week = a.at(D(2026, 1, 1)), a.at(D(2026, 1, 8))
    assert [p.days for p in week.parties] == [7, 7]
    assert week.parties[0].best == pytest.approx(0.9**7)
    assert week.parties[1].best == pytest.approx(0.8**7)
    assert week.zopa_size < start.zopa_size
    zero = Analysis(split(0.0, 0.0)).at(D(2026, 1, 8))
    assert zero.nash is not None and zero.nash.options["share"] == 0.5


def test_batnas_follow_their_conditions_on_the_engine_state() -> None:
    engine = Engine(load_scenario(WHAT_IF))
    a = Analysis(engine)
    before, notice = a.at(D(2026, 2, 15)), a.at(D(2026, 2, 16))
    assert [(p.party, p.batna, p.batna_because) for p in before.parties] == [
        ("union", 0.55, None), ("employer", 0.6, None),
    ]  # fmt: skip
    assert notice.parties[1].batna == 0.4
    assert notice.parties[1].batna_because == "fact strike_notice_served"
    strike = Analysis(engine, branch="no_wage_move").at(D(2026, 3, 2))
    assert [(p.batna, p.batna_because) for p in strike.parties] == [
        (0.4, "fact strike_started"), (0.3, "fact strike_started"),
    ]  # fmt: skip


def test_a_cost_per_day_and_a_discount_both_count_from_the_start() -> None:
    a = Analysis(Engine(load_scenario(WHAT_IF)))
    start, later = a.at(D(2026, 1, 1)), a.at(D(2026, 3, 2))
    union, employer = start.parties
    days = (D(2026, 3, 2) - D(2026, 1, 1)).days
    assert later.parties[0].best == pytest.approx(union.best - 0.001 * days)
    assert later.parties[1].best == pytest.approx(employer.best * 0.998**days)
    assert (union.delay, employer.delay) == ("0.001 a day", "discount 0.998 a day")


def test_over_agrees_with_each_day_and_names_the_turns() -> None:
    a = Analysis(Engine(load_scenario(WHAT_IF)))
    over = a.over(D(2026, 2, 10), D(2026, 2, 20))
    assert over.opens == (D(2026, 2, 16),) and over.closes == ()
    assert over.ripe == D(2026, 2, 16)
    for row in over.days[::3]:
        day = a.at(row.day)
        assert row.zopa_size == day.zopa_size
        assert (row.nash.index if row.nash else None) == (day.nash.index if day.nash else None)


def test_errors_say_what_is_missing() -> None:
    with pytest.raises(AnalysisError, match="declares no interests"):
        Analysis(Engine(load_scenario("ukraine-2025-12")))
    engine = Engine(load_scenario(WHAT_IF))
    with pytest.raises(AnalysisError, match="unknown document 'contract'"):
        Analysis(engine, "contract")
    with pytest.raises(AnalysisError, match="no interest values document 'old_contract'"):
        Analysis(engine, "old_contract")
    a = Analysis(engine)
    with pytest.raises(AnalysisError, match="before the scenario starts"):
        a.at(D(2025, 12, 31))
    with pytest.raises(AnalysisError, match="after the scenario's horizon"):
        a.at(D(2026, 5, 1))
    with pytest.raises(AnalysisError, match="ends"):
        a.over(D(2026, 2, 1), D(2026, 1, 1))


def large(points: int, options: int) -> Engine:
    """Two parties with opposed interests on most of ``points`` numeric points."""
    rng = random.Random(3)

    def interest(party: str, sign: int) -> dict[str, object]:
        valued = {}
        for k in range(points):
            up = (sign > 0) == (k % 2 == 0 or k == points - 1)
            worst, best = (0, options - 1) if up else (options - 1, 0)
            valued[f"p{k}"] = {"weight": rng.uniform(1, 5),
                               "linear": {"worst": worst, "best": best}}  # fmt: skip
        return {"party": party, "document": "deal", "points": valued, "batna": 0.3,
                "assumption": "invented for a test"}  # fmt: skip

    return Engine(
        Scenario.model_validate(
            {
                "id": "large",
                "title": "large",
                "start": "2026-01-01",
                "horizon": "2026-02-01",
                "parties": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
                "documents": [{"id": "deal", "title": "Deal", "points": [
                    {"id": f"p{k}", "options": {"min": 0, "max": options - 1, "step": 1}}
                    for k in range(points)
                ]}],
                "interests": [interest("a", 1), interest("b", -1)],
            }
        )
    )  # fmt: skip


def test_above_the_exact_limit_the_result_is_a_stated_approximation() -> None:
    """371,293 packages: the result says it is approximate and how it was made, is the
    same for the same seed, and its Nash package is in the ZOPA (checked on the
    package's own utilities). Measured against an exact run (16 s): the same Nash
    package, and a ZOPA of 299,823 estimated against 298,473."""
    engine = large(5, 13)
    a = Analysis(engine)
    approx = a.at(D(2026, 1, 1), limit=3)
    assert approx.space_size == 13**5 > EXACT_LIMIT
    assert not approx.exact and approx.method.startswith("approximate")
    assert "a random sample of" in approx.method and "seed 0" in approx.method
    assert approx.nash is not None
    package = a.space.package(approx.nash.index)
    batnas = [p.batna for p in approx.parties]
    assert all(u(package) >= b for u, b in zip(a.utilities, batnas, strict=True))
    assert approx.nash.index in a.frontier
    assert abs(approx.zopa_size - 298_473) <= 0.02 * 298_473
    again = Analysis(engine).at(D(2026, 1, 1), limit=3)
    assert again.nash == approx.nash and again.zopa_size == approx.zopa_size  # seeded


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_approximation_is_close_to_the_exact_result(seed: int) -> None:
    """14,641 packages analysed from a sample of 500 (3.4%) plus the local search: the
    Nash product reaches 99% of the exact one, the ZOPA's size is within 10%."""
    engine = large(4, 11)
    day = D(2026, 1, 1)
    exact = Analysis(engine).at(day, limit=1)
    approx = Analysis(engine, exact_limit=1000, seed=seed, sample=500).at(day, limit=1)
    assert exact.exact and not approx.exact
    assert approx.nash is not None and exact.nash is not None
    batnas = [p.batna for p in exact.parties]
    got = bg.nash_key(approx.nash.utilities, batnas)
    best = bg.nash_key(exact.nash.utilities, batnas)
    assert got[0] >= 0.99 * best[0]
    assert abs(approx.zopa_size - exact.zopa_size) <= 0.1 * exact.zopa_size
