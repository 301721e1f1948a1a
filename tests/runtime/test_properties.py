"""Property tests for the engine's rule families (Hypothesis)."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings

from negotiation import Engine, Event, State, TraceEntry
from tests.strategies import event_sequences, rich_scenario

ENGINE = Engine(rich_scenario())
ABSORBING = ENGINE.lifecycles["document"].absorbing


def play(events: list[Event]) -> tuple[list[State], list[TraceEntry]]:
    state = ENGINE.initial_state()
    states, entries = [state], []
    for event in events:
        step = ENGINE.apply(state, event)
        state = step.state
        states.append(state)
        entries.extend(step.entries)
    return states, entries


@settings(max_examples=150)
@given(event_sequences())
def test_absorbing_states_absorb(events: list[Event]) -> None:
    states, _ = play(events)
    for doc in ("plan", "guarantees"):
        seen = [s.documents[doc].state for s in states]
        for i, value in enumerate(seen):
            if value in ABSORBING:
                assert set(seen[i:]) == {value}, seen


@settings(max_examples=150)
@given(event_sequences())
def test_clock_never_goes_back(events: list[Event]) -> None:
    states, entries = play(events)
    dates = [e.date for e in entries]
    assert dates == sorted(dates)
    assert [s.date for s in states] == sorted(s.date for s in states)
    seqs = [e.seq for e in entries]
    assert seqs == sorted(seqs)
    assert len(set(seqs)) == len(seqs)


@settings(max_examples=150)
@given(event_sequences())
def test_a_deadline_fires_at_most_once_per_due_date(events: list[Event]) -> None:
    states, entries = play(events)
    final = states[-1]
    fired = Counter(
        (e.ref, e.date)
        for e in entries
        if e.kind == "deadline" and e.summary.split()[2] in ("missed", "expired")
    )
    assert all(n == 1 for n in fired.values()), fired
    # at most one expiry per distinct due date the deadline has had
    for d_id, ds in final.deadlines.items():
        dues = {x.to_due for x in ds.extensions} | {x.from_due for x in ds.extensions}
        dues.add(ds.due)
        expiries = [k for k in fired if k[0] == d_id]
        assert len(expiries) <= len({d for d in dues if d is not None})


@settings(max_examples=150)
@given(event_sequences())
def test_every_required_party_accepts_at_signing(events: list[Event]) -> None:
    state = ENGINE.initial_state()
    for event in events:
        step = ENGINE.apply(state, event)
        signed = [
            e
            for e in step.entries
            if e.kind == "event" and e.event_kind == "sign" and e.ref == event.id
        ]
        if signed and getattr(event, "document", None) == "plan":
            # stances do not change when signing, so the state after it shows them
            assert step.state.documents["plan"].state == "signed"
            for party in ("a", "b"):
                assert step.state.stance(party, "plan") == "accepts"
        state = step.state


@given(event_sequences())
def test_replay_gives_an_identical_trace(events: list[Event]) -> None:
    first = play(events)
    second = play(list(events))
    assert [e.model_dump_json() for e in first[1]] == [e.model_dump_json() for e in second[1]]
    assert first[0][-1] == second[0][-1]


@settings(max_examples=150)
@given(event_sequences())
def test_a_blocked_move_changes_nothing(events: list[Event]) -> None:
    states, _ = play(events[:-1])
    state = states[-1]
    event = events[-1]
    reasons = ENGINE.check(state, event)
    if event.date is not None and event.date.sort_date == state.date and not state.closed:
        step = ENGINE.apply(state, event)
        if reasons:
            assert step.blocked
            # only the trace counter moves: the refusal is recorded
            assert step.state.model_dump(exclude={"step"}) == state.model_dump(exclude={"step"})
            assert step.state.key() == state.key()
            assert tuple(reasons) == step.entry.reasons
        else:
            assert not step.blocked
