"""Strategy-driven runs at scale: sampling, tournaments and every outcome the
strategies allow, each run bargaining inside the engine's run."""

from __future__ import annotations

import pytest

from negotiation.loader import load_scenario
from negotiation.model.strategies import PartyStrategy, StrategyKind
from negotiation.search.bargains import (
    Setting,
    bargain_outcomes,
    interval,
    sample_bargains,
    tournament,
)

STRATEGIES = "labour-contract-2026-strategies"


def _spec(party: str, kind: StrategyKind, **more: float) -> PartyStrategy:
    return PartyStrategy(
        party=party, document="pay_deal", kind=kind, deadline="old_contract_sunset",
        assumption="for the test", **more,
    )  # fmt: skip


def _random(days: int = 7) -> Setting:
    scenario = load_scenario(STRATEGIES)
    return Setting(scenario, "pay_deal", days_per_round=days,
                   strategies=(_spec("employer", StrategyKind.random),))  # fmt: skip


def test_sampling_gives_the_distribution_and_is_the_same_for_any_worker_count() -> None:
    one = sample_bargains(_random(), 24, seed=3)
    two = sample_bargains(_random(), 24, seed=3, workers=2)
    skip = {"elapsed", "workers"}
    assert one.model_dump(exclude=skip) == two.model_dump(exclude=skip)
    assert one.runs == 24 and sum(o.count for o in one.outcomes) == 24
    assert 0 < one.agreement.count < 24  # a random employer sometimes misses the deal
    assert sum(d.count for d in one.days) == one.agreement.count
    assert all(d.days_to_due <= 0 for d in one.days)  # agreed on or before the due date
    u = one.utilities["union"]
    assert u.low <= u.mean <= u.high
    other = sample_bargains(_random(), 24, seed=4)
    assert other.outcomes != one.outcomes  # the seed matters


def test_a_tournament_plays_every_pair_on_the_same_seeds() -> None:
    grid = {
        "union": [_spec("union", StrategyKind.boulware, e=0.2),
                  _spec("union", StrategyKind.hardliner)],
        "employer": [_spec("employer", StrategyKind.conceder, e=3),
                     _spec("employer", StrategyKind.linear)],
    }  # fmt: skip
    t = tournament(Setting(load_scenario(STRATEGIES), "pay_deal", days_per_round=7), grid, 3, 0)
    assert [tuple(m.strategies.values()) for m in t.matches] == [
        ("boulware e 0.2", "conceder e 3"), ("boulware e 0.2", "linear"),
        ("hardliner", "conceder e 3"), ("hardliner", "linear"),
    ]  # fmt: skip
    by = {tuple(m.strategies.values()): m for m in t.matches}
    assert by["boulware e 0.2", "conceder e 3"].agreement.share == 1.0
    assert by["hardliner", "conceder e 3"].agreement.share == 0.0  # never below its best
    assert by["hardliner", "linear"].mean_days_to_due is None


def test_explore_finds_every_outcome_a_random_strategy_allows() -> None:
    setting = _random(days=30)  # rounds on 1 Jan, 31 Jan and 2 Mar: few paths
    found = bargain_outcomes(setting)
    assert found.complete
    labels = {o.label for o in found.outcomes}
    assert sum(o.paths for o in found.outcomes) == found.paths > 1
    sampled = sample_bargains(setting, 60, seed=1)
    assert {o.label for o in sampled.outcomes} <= labels  # nothing sampled is missed
    deterministic = bargain_outcomes(Setting(setting.scenario, "pay_deal", days_per_round=7))
    assert deterministic.complete and deterministic.paths == 1  # one path


def test_a_bound_on_paths_says_the_search_is_partial() -> None:
    found = bargain_outcomes(_random(days=7), max_paths=5)
    assert found.paths == 5 and not found.complete


def test_interval() -> None:
    i = interval([1.0, 2.0, 3.0])
    assert i.mean == pytest.approx(2.0) and i.low < 2.0 < i.high
    assert interval([0.5]).low == interval([0.5]).high == 0.5
