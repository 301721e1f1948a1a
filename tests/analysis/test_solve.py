"""Alternating offers by backward induction against Rubinstein's (1982) closed form."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiation import Engine
from negotiation.analysis.solve import rubinstein_share, scenario_factors, solve
from negotiation.loader import load_scenario
from negotiation.model.errors import AnalysisError
from tests.conftest import SPLIT

FACTORS = (0.5, 0.7, 0.9, 0.95)
GRID = 10_000
"""Offers in steps of 1/10,000: each round's offer rounds the responder's share up by less
than a step, and those errors add up over the rounds to at most about
(1 + d) / (1 - d1 d2) steps, 0.2% of the share at d1 = d2 = 0.95. With 1,000 steps the
error reaches 1.5% there (measured), so 1% would not hold."""
HORIZONS = (25, 50, 100, 200, 400, 800)


@pytest.mark.parametrize("d1", FACTORS)
@pytest.mark.parametrize("d2", FACTORS)
def test_the_finite_horizon_share_converges_to_rubinsteins(d1: float, d2: float) -> None:
    target = rubinstein_share(d1, d2)
    errors = [abs(solve(d1, d2, rounds=t, grid=GRID).first_share - target) for t in HORIZONS]
    for shorter, longer in itertools.pairwise(errors):
        assert longer <= shorter + 2 / GRID  # closer as the horizon doubles (to the grid)
    assert errors[-1] <= 0.01 * target  # within 1% at 800 rounds
    assert solve(d1, d2, rounds=HORIZONS[-1], grid=GRID).agreement_round == 1


def test_a_short_horizon_favours_the_last_proposer() -> None:
    """One round: the proposer keeps everything. Two rounds: the second proposer gets
    what the first must concede, its discount factor's worth."""
    assert solve(0.9, 0.8, rounds=1).shares == (1.0, 0.0)
    two = solve(0.9, 0.8, rounds=2, grid=100)
    assert two.shares == pytest.approx((0.2, 0.8))
    assert two.agreement_round == 1


def test_the_second_player_can_move_first() -> None:
    s = solve(0.9, 0.6, rounds=400, first=2)
    assert s.first_share == s.shares[1]
    assert s.first_share == pytest.approx(rubinstein_share(0.6, 0.9), rel=0.01)
    assert s.rubinstein == rubinstein_share(0.6, 0.9)


@settings(max_examples=60)
@given(st.floats(0.3, 0.97), st.floats(0.3, 0.97), st.integers(1, 2))
def test_shares_add_up_and_the_more_patient_side_gets_more(
    d1: float, d2: float, first: int
) -> None:
    s = solve(d1, d2, rounds=600, grid=GRID, first=first)
    assert sum(s.shares) == pytest.approx(1.0)
    assert min(s.shares) >= 0.0 and max(s.shares) <= 1.0
    more_patient = solve(min(0.99, d1 + 0.02), d2, rounds=600, grid=GRID, first=first)
    assert more_patient.shares[0] >= s.shares[0] - 2 / GRID


def test_bad_parameters_are_refused() -> None:
    with pytest.raises(AnalysisError, match="delta1 must be a discount factor"):
        solve(1.0, 0.5)
    with pytest.raises(AnalysisError, match="rounds must be"):
        solve(0.5, 0.5, rounds=0)
    with pytest.raises(AnalysisError, match="first must be 1 or 2"):
        solve(0.5, 0.5, first=3)


def test_discount_factors_come_from_a_scenarios_interests() -> None:
    split = Engine(load_scenario(SPLIT))
    assert scenario_factors(split) == (("first", 0.9), ("second", 0.8))
    labour = Engine(load_scenario("labour-contract-2026-interests"))
    with pytest.raises(AnalysisError, match="union in new_contract has no daily discount"):
        scenario_factors(labour)
    with pytest.raises(AnalysisError, match="declares no interests"):
        scenario_factors(Engine(load_scenario("ukraine-2025-12")))
