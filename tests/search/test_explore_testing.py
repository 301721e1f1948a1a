"""negotiation.testing: strategies, the state-machine factory, and the table property."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from benchmarks.deep_failure import STEPS, deep_failure_yaml
from negotiation import Engine, Lifecycle, LifecycleSpec, Scenario
from negotiation.loader import load_scenario, load_text
from negotiation.search.explore import explore
from negotiation.testing import (
    check_machine,
    legal_events,
    run_machine,
    scenario_state_machine,
    scenarios,
    script_depth,
)
from tests.conftest import PLANTED, TALKS

# the two-line use the docs promise, on a scenario whose invariants hold
TestTalks = scenario_state_machine(
    load_scenario(TALKS), max_examples=15
).TestCase


def test_fail_fast_defaults_no_shrinking_and_steps_that_cover_the_script() -> None:
    talks = load_scenario(TALKS)
    assert script_depth(talks) == 15  # its script, first option at each decision
    quick = scenario_state_machine(talks).TestCase.settings
    assert quick.stateful_step_count == 3 * 15 + 10
    assert Phase.shrink not in quick.phases
    shrinking = scenario_state_machine(talks, shrink=True, steps=7).TestCase.settings
    assert Phase.shrink in shrinking.phases
    assert shrinking.stateful_step_count == 7


def test_a_failure_deep_in_the_script_is_reported_as_found() -> None:
    deep = load_text(deep_failure_yaml())
    shortest = explore(deep, max_states=10_000).violations[0]
    assert (shortest.invariant, shortest.steps) == ("no_breach", STEPS)
    ran = check_machine(deep)
    assert ran.failure is not None
    assert ran.failure.startswith("invariant no_breach violated on 2025-01-16 after step ")
    stats = ran.statistics
    assert stats.depth >= STEPS
    assert stats.deepest >= STEPS  # the failing example followed the whole script
    assert stats.latest == dt.date(2025, 1, 16)
    assert stats.script_steps + stats.free_moves <= stats.steps


def test_machine_finds_the_planted_bug() -> None:
    failure = run_machine(load_scenario(PLANTED), max_examples=60)
    assert failure is not None
    assert "signed_only_with_acceptance" in failure
    assert "planted_bug" in failure


@settings(max_examples=25)
@given(scenario=scenarios(), data=st.data())
def test_generated_scenarios_are_valid_and_keep_the_builtin_invariants(
    scenario: Scenario, data: st.DataObject
) -> None:
    engine = Engine(scenario)
    result = explore(scenario, max_states=3000)
    assert [v.invariant for v in result.violations] == []
    state = engine.initial_state()
    event = data.draw(legal_events(engine, state))
    assert not engine.apply(state, event).blocked


# -- any table compiled from a lifecycle agrees with its Machine ---------------------------

_STATES = ["s0", "s1", "s2", "s3", "s4"]
_TRIGGERS = ["go", "stop", "back", "jump"]


@st.composite
def lifecycle_specs(draw: st.DrawFn) -> LifecycleSpec:
    states = _STATES[: draw(st.integers(2, 5))]
    transitions = []
    for _ in range(draw(st.integers(1, 7))):
        source = draw(
            st.one_of(
                st.just("*"), st.lists(st.sampled_from(states), min_size=1, max_size=3, unique=True)
            )
        )
        transitions.append(
            {
                "trigger": draw(st.sampled_from(_TRIGGERS)),
                "source": source,
                "dest": draw(st.sampled_from(states)),
                "guard": draw(st.one_of(st.none(), st.just("fact x"))),
            }
        )
    explicit = {s for t in transitions if t["source"] != "*" for s in t["source"]}
    absorbing = draw(
        st.lists(
            st.sampled_from([s for s in states if s not in explicit] or [None]),
            unique=True,
            max_size=2,
        )
    )
    return LifecycleSpec.model_validate(
        {
            "id": "generated",
            "states": states,
            "initial": states[0],
            "transitions": transitions,
            "absorbing": [a for a in absorbing if a is not None],
        }
    )


@settings(max_examples=60)
@given(lifecycle_specs())
def test_compiled_table_agrees_with_the_machine(spec: LifecycleSpec) -> None:
    lc = Lifecycle(spec)
    n = len(lc.guards)
    for state, trigger in itertools.product(spec.states, [*_TRIGGERS, "unknown"]):
        for values in itertools.product((False, True), repeat=n):
            table = lc.lookup(state, trigger, dict(enumerate(values)))
            assert table == lc.ask_machine(state, trigger, list(values)), (state, trigger, values)
            assert lc.fire(state, trigger, list(values)) == table


def test_check_machine_tells_its_progress_example_by_example() -> None:
    heard: list[int] = []
    ran = check_machine(
        load_scenario(TALKS), max_examples=7, progress=lambda s: heard.append(s.examples)
    )
    assert ran.failure is None
    assert heard == list(range(1, ran.statistics.examples + 1))
    assert heard[-1] >= 7
