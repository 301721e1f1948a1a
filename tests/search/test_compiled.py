"""The search's compiled space (states as the search merges them, no recorder) against
its recorded expansion (whole states, trace entries) and the engine.

Random paths through the search's space, replayed step by step through the recorded
expansion, give the same successors (codes, in order), the same states
(``SpaceNode.key()`` of the decoded tuple), the same invariant verdicts and outcomes; a
recorded event edge is what ``Engine.apply`` gives; and ``explore`` gives identical
results with ``compiled=True`` (the fast search) and ``compiled=False`` (the recorded
expansion, one process).
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.family import Family
from negotiation import Scenario
from negotiation.loader import load_scenario
from negotiation.runtime.compiled.space import CompiledSpace, compile_space
from negotiation.runtime.space import Space
from negotiation.search.explore import Exploration, explore
from tests.conftest import ROOT
from tests.strategies import rich_scenario

TEST_FILES = sorted(str(p) for p in (ROOT / "tests" / "search").glob("*.yaml"))
BUNDLED = sorted(str(p) for p in (ROOT / "scenarios").glob("*.yaml"))
FAMILIES = [Family(1, 2), Family(1, 4), Family(2, 2), Family(2, 3), Family(3, 2), Family(1, 3, 3)]


def _rich_with_decisions() -> Scenario:
    """The property tests' rich scenario (every deadline kind, rules, bodies, guards),
    with a timeline, a free decision, alternatives and a ``when`` decision point."""
    data = rich_scenario().model_dump(mode="json", exclude_none=True)
    data["horizon"] = "2026-02-03"
    data["timeline"] = [
        {"id": "g", "date": "2025-11-02", "kind": "propose", "by": ["c"], "document": "guarantees"},
        {"id": "p", "date": "2025-11-03", "kind": "propose", "by": ["c"], "document": "plan"},
    ]
    data["decisions"] = [
        {
            "id": "early",
            "at": "2025-11-04",
            "alternatives": [
                {"id": "agree", "events": [
                    {"kind": "transition", "by": ["c"], "document": "guarantees",
                     "trigger": "agree"},
                    {"kind": "accept", "by": ["a", "b"], "document": "plan"},
                ]},
                {"id": "x", "events": [{"kind": "set_fact", "fact": "x"}]},
                {"id": "sign_now", "events": [{"kind": "sign", "by": ["a"], "document": "plan"}]},
                {"id": "nothing", "events": []},
            ],
        },
        {"id": "free", "at": "2025-11-27", "free": True, "parties": ["a", "c"]},
        {
            "id": "after_miss",
            "when": "deadline dl is missed",
            "alternatives": [
                {"id": "enforce", "events": [{"kind": "enforce_deadline", "by": ["c"],
                                              "deadline": "dl"}]},
                {"id": "extend", "events": [{"kind": "extend_deadline", "by": ["c"],
                                             "deadline": "dl", "to": "2025-12-20"}]},
            ],
        },
    ]
    data["invariants"] = [
        {"id": "no_x_with_plan_signed", "never": "fact x and plan is signed"},
        {"id": "dflt_not_expired", "never": "deadline dflt is expired"},
    ]
    return Scenario.model_validate(data)


def _loop_and_stuck() -> Scenario:
    """A rule loop reached through a decision, and a decision with no option."""
    return Scenario.model_validate(
        {
            "id": "loops",
            "title": "loops",
            "start": "2025-01-01",
            "horizon": "2025-01-05",
            "parties": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
            "documents": [{"id": "doc", "title": "Doc", "requires_acceptance": ["a", "b"],
                           "initial_state": "agreed_in_principle"}],
            "facts": [{"id": "go"}, {"id": "flip"}, {"id": "left"}],
            "rules": [
                {"id": "on", "mode": "each", "when": "fact go and not fact flip",
                 "then": [{"kind": "set_fact", "fact": "flip"}]},
                {"id": "off", "mode": "each", "when": "fact go and fact flip",
                 "then": [{"kind": "clear_fact", "fact": "flip"}]},
            ],
            "decisions": [
                {"id": "d1", "at": "2025-01-02", "alternatives": [
                    {"id": "left", "events": [{"kind": "set_fact", "fact": "left"}]},
                    {"id": "right", "events": []},
                ]},
                {"id": "loop", "when": "fact left", "alternatives": [
                    {"id": "go", "events": [{"kind": "set_fact", "fact": "go"}]},
                ]},
                {"id": "d2", "at": "2025-01-03", "alternatives": [
                    {"id": "sign", "events": [{"kind": "sign", "by": ["a"], "document": "doc"}]},
                ]},
            ],
        }
    )


@cache
def _scenarios() -> dict[str, Scenario]:
    out: dict[str, Scenario] = {f"family_{f.k}_{f.n}_{f.p}": f.scenario() for f in FAMILIES}
    out["rich"] = _rich_with_decisions()
    out["loops"] = _loop_and_stuck()
    for path in TEST_FILES + BUNDLED:
        out[Path(path).stem] = load_scenario(path)
    return out


@cache
def _spaces(name: str) -> tuple[Space, CompiledSpace]:
    space = Space(_scenarios()[name])
    compiled = compile_space(space)
    assert compiled is not None, f"{name} does not compile"
    return space, compiled


NAMES = sorted(_scenarios())


def test_every_scenario_here_compiles() -> None:
    for name in NAMES:
        assert compile_space(Space(_scenarios()[name])) is not None, name


# -- random paths, replayed through the engine ------------------------------------------------


@settings(max_examples=150)
@given(name=st.sampled_from(NAMES), data=st.data())
def test_random_compiled_paths_replay_through_the_recorded_expansion(
    name: str, data: st.DataObject
) -> None:
    space, compiled = _spaces(name)
    root = data.draw(st.integers(0, len(space.roots) - 1), label="root")
    node = space.initial()[root]
    s = compiled.encode(node)
    assert compiled.decode(s).key() == node.key()
    for _ in range(60):
        children, stuck = compiled.expand(s)
        expansion = compiled.expansion(node)
        assert [c for c, _ in children] == [e.code for e in expansion.edges]
        assert stuck == (expansion.stuck is not None)
        if not children:
            # the search's tuple and the exact space's encoding of the engine's node agree
            assert compiled.outcome(s) == compiled.node_outcome(node) or stuck
            return
        pick = data.draw(st.integers(0, len(children) - 1), label="option")
        code, child = children[pick]
        edge = expansion.edges[pick]
        assert compiled.decode(child).key() == edge.node.key(), (name, code)
        assert compiled.encode(edge.node) == child
        found = compiled.breach_list(s, child)
        assert compiled.breaches(s, child) == bool(found)
        assert [b.invariant for b in found] == [
            b.invariant for b in compiled.node_breaches(node, edge.node)
        ]
        if edge.kind == "event" and edge.events:
            applied = space.engine.apply(node.state, edge.events[0])
            assert applied.state == edge.node.state
            assert applied.entries == edge.entries
        s, node = child, edge.node


# -- identical results ---------------------------------------------------------------------------


def _same(a: Exploration, b: Exploration) -> None:
    assert a.model_dump(exclude={"elapsed"}) == b.model_dump(exclude={"elapsed"})


@pytest.mark.parametrize("name", NAMES)
def test_explore_gives_identical_results_compiled_or_not(name: str) -> None:
    scenario = _scenarios()[name]
    fast = explore(scenario, compiled=True)
    slow = explore(scenario, compiled=False)
    _same(fast, slow)
    assert fast.complete


def test_the_rich_scenario_exercises_violations_and_stuck_states() -> None:
    rich = explore(_scenarios()["rich"])
    assert {v.invariant for v in rich.violations} >= {"dflt_not_expired"}
    loops = explore(_scenarios()["loops"])
    assert loops.stuck_count >= 2
    assert any("rules did not settle" in s.reason for s in loops.stuck)
    assert any("no option" in s.reason for s in loops.stuck)


@pytest.mark.parametrize(
    "bounds",
    [{"max_states": 700}, {"max_depth": 5}, {"max_states": 1, "chunk": 3}, {"chunk": 7}],
)
def test_bounds_give_identical_partial_results(bounds: dict[str, Any]) -> None:
    scenario = Family(2, 3).scenario()
    _same(explore(scenario, compiled=True, **bounds), explore(scenario, compiled=False, **bounds))


def test_branches_and_progress_are_the_same() -> None:
    scenario = _scenarios()["ukraine-2025-12-guarantees-elections"]
    seen: dict[bool, list[tuple[int, int, int]]] = {True: [], False: []}
    for flag in (True, False):
        explore(scenario, compiled=flag, chunk=5, branches=[None],
                progress=lambda p, f=flag: seen[f].append((p.states, p.depth, p.frontier)))
    assert seen[True] == seen[False]
    assert seen[True]


def test_decoding_is_exact_on_the_initial_states() -> None:
    for name in NAMES:
        space, compiled = _spaces(name)
        for node in space.initial():
            assert compiled.decode(compiled.encode(node)).key() == node.key()
            assert node.state.date == dt.date.fromordinal(compiled.encode(node)[3])
