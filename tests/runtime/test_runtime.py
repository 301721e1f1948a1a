"""The one runtime under the engine: states in and out of it, an op's check against its
reasons, and moves from outside the scenario."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from negotiation import Engine, Event, State
from tests.conftest import event, scenario
from tests.strategies import event_sequences, rich_scenario

ENGINE = Engine(rich_scenario())


def _states(events: list[Event]) -> list[State]:
    state = ENGINE.initial_state()
    states = [state]
    for e in events:
        state = ENGINE.apply(state, e).state
        states.append(state)
    return states


@settings(max_examples=100)
@given(st.one_of(event_sequences(), event_sequences(offers=True)))
def test_every_state_survives_the_runtime_unchanged(events: list[Event]) -> None:
    """Encoding a state into the runtime's working list and history and decoding it
    gives the same state, history included (versions, since-days, extensions, counts)."""
    runtime = ENGINE.runtime
    for state in _states(events):
        back = runtime.decode_state(*runtime.encode_state(state))
        assert back == state
        assert back.key() == state.key()
        assert back.step == state.step


@settings(max_examples=100)
@given(st.one_of(event_sequences(), event_sequences(offers=True)))
def test_an_event_is_blocked_exactly_when_check_gives_reasons(events: list[Event]) -> None:
    """``blocked`` and ``reasons`` of one op are the same checks: the engine refuses an
    event (not late) exactly when ``check`` on the state it meets gives a reason."""
    state = ENGINE.initial_state()
    for e in events:
        day = e.date.sort_date if e.date is not None else state.date
        step = ENGINE.apply(state, e)
        if day > state.date or (day == state.date and not state.closed):
            arrived = ENGINE.advance(state, day)
            before = arrived.state if arrived is not None else state
            assert step.blocked == bool(ENGINE.check(before, e)), (e, ENGINE.check(before, e))
            if step.blocked:
                assert list(step.entry.reasons) == ENGINE.check(before, e)
        state = step.state


def test_a_move_from_outside_the_scenario_gets_a_position_slot() -> None:
    """A stance by a party the scenario never gives one (a move a user types) is
    applied and kept through later steps."""
    engine = Engine(
        scenario(
            parties=[{"id": p, "name": p.upper()} for p in ("a", "b", "c")],
            positions=[{"party": "a", "on": "plan", "stance": "supports"}],
        )
    )
    state = engine.initial_state()
    step = engine.apply(state, event("reject", "2025-11-03", by=["c"], document="plan"))
    assert not step.blocked, step.entry.reasons
    assert step.state.stance("c", "plan") == "rejects"
    later = engine.apply(step.state, event("propose", "2025-11-04", by=["a"], document="plan"))
    assert later.state.stance("c", "plan") == "rejects"
    assert later.state.positions["c|plan"].since is not None
    assert engine.evaluate("c rejects plan", later.state)


def test_op_of_keeps_ops_by_event_and_by_content() -> None:
    """The runtime compiles an event once: the same event, or an equal one built again
    (a classroom's candidate moves), gets the op it got; a different event its own."""
    runtime = Engine(scenario()).runtime
    first = event("accept", "2025-11-02", by=["a"], document="plan")
    again = event("accept", "2025-11-02", by=["a"], document="plan")
    other = event("accept", "2025-11-02", by=["b"], document="plan")
    assert again is not first and again == first
    op = runtime.op_of(first)
    assert runtime.op_of(first) is op
    assert runtime.op_of(again) is op
    assert runtime.op_of(other) is not op
    assert runtime.op_of(other).event == other
