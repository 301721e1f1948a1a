"""Invariants scoped to timelines: checked in the base or the branches they name only,
by runs, the explorer and the sampler alike."""

from __future__ import annotations

from typing import Any

import pytest

from negotiation import Engine, Scenario
from negotiation.model.errors import ScenarioError
from negotiation.search.explore import explore
from negotiation.search.sample import sample
from tests.conftest import ev, scenario


def _scenario(branches: list[str] | None) -> Scenario:
    invariant: dict[str, Any] = {"id": "no_proposal", "never": "plan is proposed"}
    if branches is not None:
        invariant["branches"] = branches
    return scenario(
        timeline=[ev("set_fact", "2025-11-02", fact="x")],
        branches=[{"id": "tabled", "probability": 0.5, "add": [ev("propose", "2025-11-03", by=["a"],
                                               document="plan")]}],
        invariants=[invariant],
        horizon="2025-11-30",
    )


@pytest.mark.parametrize(("scope", "broken_in_branch"), [
    (None, True), (["base"], False), (["tabled"], True), (["base", "tabled"], True),
])
def test_a_run_checks_an_invariant_only_in_its_timelines(
    scope: list[str] | None, broken_in_branch: bool
) -> None:
    engine = Engine(_scenario(scope))
    assert not engine.run().violations
    broken = [v.invariant for v in engine.run(branch="tabled").violations]
    assert broken == (["no_proposal"] if broken_in_branch else [])


@pytest.mark.parametrize(("scope", "found"), [(None, True), (["base"], False)])
def test_the_explorer_and_the_sampler_agree(scope: list[str] | None, found: bool) -> None:
    sc = _scenario(scope)
    assert any(v.invariant == "no_proposal" for v in explore(sc).violations) is found
    runs = sample(sc, runs=40, seed=1)
    assert any(v.label == "no_proposal" for v in runs.violations) is found


def test_an_unknown_timeline_is_a_located_problem() -> None:
    with pytest.raises(ScenarioError, match="unknown timeline \\(base or a branch\\) 'tabeld'"):
        Engine(_scenario(["tabeld"]))
