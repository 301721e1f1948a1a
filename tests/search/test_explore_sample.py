"""The sampler: seeded, worker-independent, with Wilson intervals."""

from __future__ import annotations

import pytest

from negotiation import Scenario, ScenarioError
from negotiation.loader import load_scenario
from negotiation.search.sample import run_random, sample, wilson
from tests.conftest import TALKS


def test_wilson_interval_known_values() -> None:
    low, high = wilson(50, 100)
    assert (round(low, 4), round(high, 4)) == (0.4038, 0.5962)
    assert wilson(0, 10)[0] == 0.0
    assert wilson(10, 10)[1] == pytest.approx(1.0)


def test_same_seed_same_result_for_one_and_two_workers() -> None:
    scenario = load_scenario(TALKS)
    one = sample(scenario, runs=120, seed=11, workers=1)
    two = sample(scenario, runs=120, seed=11, workers=2)
    assert (one.outcomes, one.timelines, one.violations) == (
        two.outcomes,
        two.timelines,
        two.violations,
    )
    assert sum(o.count for o in one.outcomes) == 120
    other = sample(scenario, runs=120, seed=12)
    assert other.outcomes != one.outcomes


def test_runs_draw_from_their_own_generator() -> None:
    assert run_random(3, 7).random() == run_random(3, 7).random()
    assert run_random(3, 7).random() != run_random(3, 8).random()


def test_decision_probabilities_drive_the_shares() -> None:
    result = sample(load_scenario(TALKS), runs=400, seed=1)
    met = sum(o.count for o in result.outcomes if "accept_deadline met" in o.label) / 400
    # east accepts with probability 0.4 (then the deadline is met)
    assert 0.3 < met < 0.5
    assert any("0.4 (assumed)" in a for a in result.assumptions)


def test_branch_probabilities_pick_timelines() -> None:
    data = load_scenario(TALKS).model_dump(mode="json", exclude_none=True)
    data["branches"] = [{"id": "never_proposed", "remove": ["proposed"], "probability": 0.25}]
    result = sample(Scenario.model_validate(data), runs=200, seed=5)
    shares = {t.label: t.share for t in result.timelines}
    assert set(shares) == {"base", data["branches"][0]["id"]}
    assert 0.15 < shares[data["branches"][0]["id"]] < 0.35
    data["branches"][0]["probability"] = 1.0
    data["branches"].append({**data["branches"][0], "id": "again", "probability": 0.5})
    with pytest.raises(ScenarioError, match="more than 1"):
        sample(Scenario.model_validate(data), runs=1, seed=0)


@pytest.mark.parametrize("workers", [1, 2])
def test_progress_hears_the_runs_done_in_order(workers: int) -> None:
    heard: list[int] = []
    result = sample(load_scenario(TALKS), runs=600, seed=3, workers=workers,
                    progress=heard.append)
    assert heard, "no progress was told"
    assert heard == sorted(heard) and heard[-1] <= result.runs == 600
    if workers == 1:
        assert heard == [256, 512]
