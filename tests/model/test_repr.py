"""The short ``repr`` of a trace, a state and a scenario (a notebook shows a value's repr;
a whole trace's pydantic repr was kilobytes)."""

from __future__ import annotations

from negotiation import Engine
from negotiation.model._base import counted
from tests.conftest import SEED, engine_of, ev, run, scenario


def test_a_trace_repr_names_the_run_in_one_short_line() -> None:
    trace = engine_of(SEED).run()
    assert repr(trace) == (
        f"Trace(scenario='{SEED}', branch=None, {len(trace.entries)} entries, "
        f"{trace.start}..{trace.final.date}, ok=True)"
    )
    assert len(repr(trace)) < 120
    assert str(trace) == (
        f"scenario='{SEED}' branch=None {len(trace.entries)} entries "
        f"{trace.start}..{trace.final.date} ok=True"
    )


def test_a_trace_repr_says_a_failed_run_and_a_branch() -> None:
    sc = scenario(
        timeline=[ev("propose", "2025-11-02", by="a", document="plan")],
        expect=[{"at": "2025-11-03", "that": "plan is signed"}],
        branches=[{"id": "quiet", "remove": []}],
    )
    trace = run(sc)
    assert repr(trace) == (
        "Trace(scenario='t', branch=None, 1 entry, 2025-11-01..2025-11-03, ok=False)"
    )
    other = Engine(sc).run("quiet")
    assert repr(other).startswith("Trace(scenario='t', branch='quiet', ")


def test_a_state_repr_counts_what_it_holds() -> None:
    state = engine_of(SEED).run().final
    assert repr(state) == (
        f"State({state.date}, closed={state.closed}, {len(state.documents)} documents, "
        f"{counted(len(state.positions), 'position')!r}, {len(state.deadlines)} deadlines, "
        f"{counted(len(state.facts), 'fact')!r})"
    )
    assert len(repr(state)) < 120


def test_a_scenario_repr_clips_the_title_and_counts_the_parts() -> None:
    sc = scenario(title="A" * 100, timeline=[ev("propose", "2025-11-02", by="a", document="plan")])
    assert repr(sc) == (
        f"Scenario(id='t', title='{'A' * 59}\u2026', 2 parties, 1 document, 1 event, 0 branches)"
    )
    assert "title='Talks" in repr(engine_of(SEED).scenario)


def test_control_characters_in_a_title_stay_escaped_in_the_repr() -> None:
    sc = scenario(title="evil\u202etitle")
    assert "\u202e" not in repr(sc)
    assert "title='evil\\u202etitle'" in repr(sc)


def test_counted_writes_the_plural() -> None:
    cases = [(1, "entry"), (2, "entry"), (0, "branch"), (3, "party"), (1200, "day"), (2, "fact")]
    shown = ["1 entry", "2 entries", "0 branches", "3 parties", "1,200 days", "2 facts"]
    assert [repr(counted(n, w)) for n, w in cases] == shown
