"""The explorer: exact state counts, shortest counterexamples, bounds, workers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from negotiation import Engine, Scenario
from negotiation.loader import load_scenario
from negotiation.runtime.compiled.space import CompiledSpace
from negotiation.runtime.space import Space
from negotiation.search.explore import counterexample_scenario, counterexample_text, explore
from tests.conftest import PLANTED, TALKS, expansion, invoke

# -- an exactly countable space -----------------------------------------------------------

Alt = list[tuple[str, str]]  # ("set" | "clear", fact)
DECISIONS: dict[int, list[Alt]] = {
    1: [[("set", "a")], [("set", "b")], []],
    2: [[("clear", "a")], [("set", "c")], [("set", "a"), ("set", "c")], []],
    3: [[("set", "b")], [("clear", "b"), ("set", "a")], []],
}
END = 5


def _day(n: int) -> str:
    return f"2025-01-{n:02d}"


def _facts_scenario() -> Scenario:
    kinds = {"set": "set_fact", "clear": "clear_fact"}
    decisions = [
        {
            "id": f"d{day}",
            "at": _day(day),
            "alternatives": [
                {"id": f"o{i}", "events": [{"kind": kinds[k], "fact": f} for k, f in alt]}
                for i, alt in enumerate(alts)
            ],
        }
        for day, alts in DECISIONS.items()
    ]
    return Scenario.model_validate(
        {
            "id": "facts",
            "title": "Facts",
            "start": _day(1),
            "horizon": _day(END),
            "facts": [{"id": f} for f in "abc"],
            "decisions": decisions,
        }
    )


def _hand_count() -> tuple[int, int]:
    """The documented space, enumerated by hand: (day, closed, cursor, facts with the day
    each became true). Decisions are taken on their (open) day; then the day closes;
    then the clock arrives at the next decision day or the horizon, which closes last."""
    days = sorted(DECISIONS)
    start: Any = (1, False, 0, frozenset())
    seen = {start}
    frontier = [start]
    terminal = 0
    while frontier:
        nxt_frontier = []
        for day, closed, cur, facts in frontier:
            due = days[cur] if cur < len(days) else None
            children = []
            if due == day and not closed:
                for alt in DECISIONS[due]:
                    held = dict(facts)
                    for kind, fact in alt:
                        if kind == "set":
                            held.setdefault(fact, day)
                        else:
                            held.pop(fact, None)
                    children.append((day, False, cur + 1, frozenset(held.items())))
            elif not closed:
                children.append((day, True, cur, facts))
            elif day < (due or END):
                children.append((due or END, False, cur, facts))
            else:
                terminal += 1
            for c in children:
                if c not in seen:
                    seen.add(c)
                    nxt_frontier.append(c)
        frontier = nxt_frontier
    return len(seen), terminal


def test_state_count_matches_an_independent_enumeration() -> None:
    states, terminal = _hand_count()
    result = explore(_facts_scenario())
    assert result.complete
    assert (result.states, result.terminal) == (states, terminal)
    assert states > 30  # not a trivial space


# -- the planted bug ------------------------------------------------------------------------


def test_planted_bug_gives_the_shortest_counterexample_through_a_deadline() -> None:
    scenario = load_scenario(PLANTED)
    result = explore(scenario)
    (v,) = result.violations
    assert v.invariant == "signed_only_with_acceptance"
    assert v.builtin
    assert v.day == "2025-12-01"
    last = v.path[-1]
    assert last.kind == "close"
    assert any("ultimatum expired" in d for d in last.details)
    # no path with fewer steps breaks it (brute force over the same successors)
    space = Space(scenario)
    exact = CompiledSpace(space, exact=True)

    def breaks_within(node: Any, budget: int) -> bool:
        if budget == 0:
            return False
        for edge in expansion(space, node).edges:
            broken = exact.node_breaches(node, edge.node)
            if broken or breaks_within(edge.node, budget - 1):
                return True
        return False

    assert not any(breaks_within(n, v.steps - 1) for n in space.initial())
    # reachable only through the deadline: without it, nothing breaks
    tame = scenario.model_copy(update={"deadlines": []})
    assert explore(tame).violations == []


def test_counterexample_file_reproduces_the_violation(tmp_path: Path) -> None:
    scenario = load_scenario(PLANTED)
    (v,) = explore(scenario).violations
    path = tmp_path / "cx.yaml"
    path.write_text(counterexample_text(scenario, v), encoding="utf-8")
    trace = Engine(load_scenario(str(path))).run()
    assert not trace.ok
    result = invoke("run", "-s", str(path))
    assert result.exit_code == 1, result.output


def test_declared_invariant_counterexample_round_trips() -> None:
    data = load_scenario(TALKS).model_dump(mode="json", exclude_none=True)
    data["invariants"] = [{"id": "never_enforced", "never": "deadline accept_deadline is enforced"}]
    scenario = Scenario.model_validate(data)
    (v,) = explore(scenario).violations
    assert v.invariant == "never_enforced"
    assert not v.builtin
    cx = counterexample_scenario(scenario, v)
    assert cx.decisions == []
    assert not Engine(cx).run().ok
    assert [e.kind for e in v.events][-1] == "enforce_deadline"


# -- bounds, workers, what-ifs --------------------------------------------------------------


def test_bounds_give_partial_results() -> None:
    scenario = load_scenario(TALKS)
    capped = explore(scenario, max_states=50)
    assert capped.stopped == "max_states"
    assert capped.states == 50
    shallow = explore(scenario, max_depth=3)
    assert shallow.stopped == "max_depth"
    assert shallow.depth == 3
    assert shallow.cut > 0


def test_interrupt_gives_partial_results() -> None:
    def interrupt(_: object) -> None:
        raise KeyboardInterrupt

    result = explore(load_scenario(TALKS), progress=interrupt, chunk=4)
    assert result.stopped == "interrupted"
    assert result.states > 0


def test_two_workers_give_identical_results() -> None:
    scenario = load_scenario(TALKS)
    one = explore(scenario, workers=1, chunk=16)
    two = explore(scenario, workers=2, chunk=16)
    fields = ("states", "transitions", "depth", "terminal", "outcomes", "violations", "stuck")
    assert [getattr(one, f) for f in fields] == [getattr(two, f) for f in fields]


def test_a_missed_deadline_opens_the_setters_decision() -> None:
    labels = {o.label for o in explore(load_scenario(TALKS)).outcomes}
    assert "plan proposed, accept_deadline enforced" in labels
    assert "plan proposed, accept_deadline waived" in labels
    assert "plan signed, accept_deadline met" in labels


def test_stuck_decision_is_reported() -> None:
    data = load_scenario(PLANTED).model_dump(mode="json", exclude_none=True)
    data["decisions"][0]["alternatives"] = [
        {"id": "sign_now", "events": [{"kind": "sign", "by": "east", "document": "treaty"}]}
    ]
    result = explore(Scenario.model_validate(data))
    assert result.stuck_count == 1
    assert "east_answer" in result.stuck[0].reason
    assert any(o.label.startswith("stuck") for o in result.outcomes)


def test_branches_are_explored_as_what_ifs() -> None:
    data = load_scenario(TALKS).model_dump(mode="json", exclude_none=True)
    data["branches"] = [{"id": "never_proposed", "remove": ["proposed"]}]
    result = explore(Scenario.model_validate(data))
    assert result.complete
    assert result.roots == ["base", "never_proposed"]
    assert "plan drafted" not in {o.label for o in result.outcomes}
    assert any(o.label.startswith("accept_deadline") for o in result.outcomes)
    assert result.violations == []


def test_engine_checkpoints_are_the_days_advance_stops_at() -> None:
    engine = Engine(load_scenario(TALKS))
    state = engine.initial_state()
    assert dt.date(2025, 11, 27) in engine.checkpoints(state)
    after = engine.advance(state, dt.date(2025, 12, 1))
    assert after is not None
    assert dt.date(2025, 11, 27) not in engine.checkpoints(after.state)


@pytest.mark.parametrize("name", [TALKS, PLANTED], ids=["talks.yaml", "planted_bug.yaml"])
def test_state_keys_merge_equal_states(name: str) -> None:
    result = explore(load_scenario(name))
    assert result.transitions >= result.states - len(result.roots)
