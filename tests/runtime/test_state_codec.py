"""The runtime's state codec (``runtime/compiled/_layout.py``): a state the runtime
decoded, or encoded once, is not encoded again; what it hands back must be exactly what a
fresh encoding of an equal state gives, or stepping on from it would differ."""

from __future__ import annotations

import pytest

from negotiation import Engine, State
from negotiation.loader import bundled_names, load_scenario
from negotiation.runtime.compiled.space import CompiledSpace
from negotiation.runtime.space import Space
from tests.conftest import ev, scenario


def _fresh(engine: Engine, state: State) -> tuple[object, object]:
    """An encoding made from scratch: an equal copy is a state the codec has not seen."""
    copy = state.model_copy()
    assert copy is not state and copy == state
    return engine.runtime.encode_state(copy)


@pytest.mark.parametrize("name", bundled_names())
def test_a_remembered_encoding_is_a_fresh_one(name: str) -> None:
    engine = Engine(load_scenario(name))
    state = engine.initial_state()
    seen = 0
    for event in engine.scenario.timeline:
        for got in (engine.advance(state, state.date, close=True), engine.apply(state, event)):
            if got is None:
                continue
            state = got.state
            assert engine.runtime.encode_state(state) == _fresh(engine, state)
            seen += 1
    assert seen > len(engine.scenario.timeline) // 2
    for branch in [None, *(b.id for b in engine.scenario.branches)]:
        final = engine.run(branch).final  # decoded from a run's list: cursor and root set
        assert engine.runtime.encode_state(final) == _fresh(engine, final)


def test_a_returned_state_is_not_encoded_again() -> None:
    engine = Engine(load_scenario(bundled_names()[0]))
    state = engine.initial_state()
    w, h = engine.runtime.encode_state(state)
    w[3] += 1  # the caller owns what it was given: changing it changes nothing kept
    h.step += 5
    again = engine.runtime.encode_state(state)
    assert again == _fresh(engine, state)
    assert again[0] is not w


def test_equal_parts_are_shared_and_changed_ones_are_not() -> None:
    """A step that changes one document gives a state that shares every other document
    with the state before (one frozen object), and holds the changed one apart."""
    engine = Engine(load_scenario("ukraine-2025-12"))
    state = engine.initial_state()
    checked = 0
    for event in engine.scenario.timeline:
        after = engine.apply(state, event).state
        changed = {d for d in state.documents if after.documents[d] != state.documents[d]}
        for d, doc in after.documents.items():
            if d in changed:
                assert doc is not state.documents[d]
            elif after.step == state.step + 1 or doc.version == state.documents[d].version:
                assert doc == state.documents[d]
        checked += bool(changed)
        state = after
    assert checked > 0


def test_search_nodes_encode_as_fresh() -> None:
    """States decoded by a search (their lists carry a root, a cursor and the decisions
    taken) encode as a fresh state does: root, cursor and taken 0."""
    space = Space(load_scenario("ukraine-2025-12-decisions"))
    exact = CompiledSpace(space, exact=True)
    frontier, checked = [space.initial()[0]], 0
    while frontier and checked < 200:
        node = frontier.pop()
        for edge in exact.expansion(node).edges:
            state = edge.node.state
            assert exact.encode_state(state) == _fresh_of(exact, state)
            frontier.append(edge.node)
            checked += 1
    assert checked >= 50


def _fresh_of(runtime: CompiledSpace, state: State) -> tuple[object, object]:
    return runtime.encode_state(state.model_copy())


def test_a_relation_that_ended_is_not_remembered() -> None:
    """A relation that started and ended leaves its start day in the run's history; the
    state holds no such relation, so its remembered encoding must not either."""
    sc = scenario(timeline=[
        ev("set_relation", "2025-11-02", by=["a"], source="a", relation="supports", target="b"),
        ev("set_relation", "2025-11-03", by=["a"], source="a", relation="supports",
           target="b", active=False),
    ])
    engine = Engine(sc)
    state = engine.initial_state()
    for e in sc.timeline:
        state = engine.apply(state, e).state
    assert not state.relations
    assert engine.runtime.encode_state(state) == _fresh(engine, state)
