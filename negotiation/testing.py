"""Property-test your own scenario's rules with Hypothesis (needs ``negotiation[check]``).

Two lines turn a scenario into a stateful test::

    from negotiation.loader import load_scenario
    from negotiation.testing import scenario_state_machine

    TestMine = scenario_state_machine(load_scenario("mine.yaml")).TestCase

The machine starts at the scenario's start and, step by step, either follows the
script (the next scripted event, an option of a decision point, or the clock moving to
the next close of day or checkpoint, the explorer's steps) or lets any party make any
legal move (``legal_events``). After every step it checks the scenario's invariants and
the built-in ones (``negotiation.search.explore``); a failure names the invariant, the date and
every step taken.

Fail fast, by default:

* **No shrinking** (``shrink=False``): the first failing sequence is reported as found.
  The explorer (``negotiation explore``) already gives the shortest path to a broken
  invariant; Hypothesis shrinking a 45-step failure took minutes. ``shrink=True`` turns
  Hypothesis's shrinking back on.
* **Steps cover the script**: ``steps=None`` gives each example ``3 * depth + 10`` steps,
  where ``depth`` (``script_depth``) is the number of the explorer's steps from the
  start to the end of the timeline taking the first option at each decision. Free
  moves take about half the steps, so most examples still reach the horizon (the
  statistics count how many did).
* **Statistics on request**: ``check_machine`` returns what the run covered
  (``MachineStatistics``: examples, steps, script steps, free moves, the deepest
  example, the latest date); in pytest, ``--hypothesis-show-statistics``.
* **Memory bounded by a run, not by the examples asked for**: a Hypothesis run keeps
  what it learnt from every example it ran (its cache of up to 10,000 test cases and the
  tree of the choices it made, so as to draw new ones: HypothesisWorks/hypothesis#869),
  about 80 KB an example of 55 steps, given back only when the run ends.
  ``check_machine`` therefore runs at most ``RUN_STEPS`` steps' worth of examples in one
  Hypothesis run and goes on with a fresh run (the next seed): a million examples take
  the memory of one run. A ``scenario_state_machine`` test case is one run: keep its
  ``max_examples`` in the hundreds or thousands.

Strategies: ``legal_events(engine, state)`` (moves the engine would accept now) and
``scenarios()`` (small valid scenarios, for testing rules in general).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from hypothesis import HealthCheck, Phase, seed, settings
from hypothesis import strategies as st
from hypothesis.reporting import with_reporter
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    rule,
    run_state_machine_as_test,
)

from negotiation.model.events import Event
from negotiation.model.scenario import Scenario
from negotiation.model.state import State
from negotiation.runtime import collect
from negotiation.runtime.compiled.space import CompiledSpace
from negotiation.runtime.engine import Engine
from negotiation.runtime.legal import legal_moves
from negotiation.runtime.space import Space, SpaceNode
from negotiation.search.explore import move_text

__all__ = [
    "MachineRun",
    "MachineStatistics",
    "check_machine",
    "legal_events",
    "run_machine",
    "scenario_state_machine",
    "scenarios",
    "script_depth",
]

MAX_DEPTH = 100_000
"""``script_depth`` stops counting here (a timeline that long is its own problem)."""

RUN_STEPS = 25_000
"""``check_machine`` runs at most this many steps' worth of examples (examples times
steps per example) in one Hypothesis run, then a fresh run: a run's memory grows with
its examples (about 80 KB an example of 55 steps: some 35 MB for the 454 examples of a
run on tests/search/talks.yaml) and is given back only when the run ends."""

MIN_RUN = 100
"""...but at least this many examples a run: each run starts again from the simplest
examples (the script with the first option of each decision, then small ones)."""

NO_SHRINK = (Phase.explicit, Phase.reuse, Phase.generate, Phase.target)
"""Hypothesis's phases without shrinking (and without the explain phase, which follows
it)."""


def legal_events(
    engine: Engine, state: State, parties: list[str] | None = None
) -> st.SearchStrategy[Event]:
    """Moves of ``parties`` (default: all) that ``engine`` accepts in ``state``: document
    moves, stances and a deadline setter's acts (see ``decisions.candidate_moves``)."""
    moves = legal_moves(engine, state, parties).legal
    return st.sampled_from(moves) if moves else st.nothing()


def script_depth(scenario: Scenario, branch: str | None = None) -> int:
    """The explorer's steps from the start to the end of the timeline (the base, or
    ``branch``), taking the first option at each decision point."""
    return _depth(Space(scenario, [branch]))


def _depth(space: Space) -> int:
    exact = CompiledSpace(space, exact=True)
    node = space.initial()[0]
    for depth in range(MAX_DEPTH):
        edges = exact.expansion(node).edges
        if not edges:
            return depth
        node = edges[0].node
    return MAX_DEPTH


def default_steps(depth: int) -> int:
    """Steps per example that cover a script ``depth`` steps deep."""
    return 3 * depth + 10


@dataclass
class MachineStatistics:
    """What a state-machine run covered."""

    examples: int = 0
    steps: int = 0
    script_steps: int = 0
    free_moves: int = 0
    ended: int = 0
    """Examples that reached the end of the script."""
    deepest: int = 0
    """The most script steps one example took."""
    depth: int = 0
    """The script's depth (``script_depth``)."""
    steps_per_example: int = 0
    latest: dt.date | None = None
    """The latest date an example reached."""
    seconds: float = 0.0

    def lines(self) -> list[str]:
        """The statistics as text, a line each."""
        return [
            f"examples: {self.examples}, of up to {self.steps_per_example} steps "
            f"(the script is {self.depth} steps deep)",
            f"steps: {self.steps} ({self.script_steps} following the script, "
            f"{self.free_moves} free moves, the rest nothing to do)",
            f"examples that reached the end of the script: {self.ended}; the deepest: "
            f"{self.deepest} script steps; latest date reached: {self.latest or 'the start'}",
            f"time: {self.seconds:.2f} s",
        ]


@dataclass(frozen=True)
class MachineRun:
    """A state-machine run: the failure (None when no invariant broke) and statistics."""

    failure: str | None
    statistics: MachineStatistics


def scenario_state_machine(
    scenario: Scenario,
    *,
    branch: str | None = None,
    max_examples: int = 50,
    steps: int | None = None,
    shrink: bool = False,
) -> type[RuleBasedStateMachine]:
    """A ``RuleBasedStateMachine`` over ``scenario`` (base timeline, or ``branch``) that
    checks every invariant after every step. Use its ``TestCase`` in pytest/unittest.
    ``steps`` None: enough to cover the script (``default_steps``); ``shrink``: let
    Hypothesis shrink a failure (off: the first failure is reported as found)."""
    machine, space = _machine(scenario, branch, MachineStatistics())
    machine.TestCase.settings = settings(
        max_examples=max_examples,
        stateful_step_count=steps or default_steps(_depth(space)),
        deadline=None,
        phases=tuple(Phase) if shrink else NO_SHRINK,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    return machine


def _machine(
    scenario: Scenario,
    branch: str | None,
    stats: MachineStatistics,
    progress: Callable[[MachineStatistics], None] | None = None,
) -> tuple[type[RuleBasedStateMachine], Space]:
    space = Space(scenario, [branch])
    exact = CompiledSpace(space, exact=True)
    engine = space.engine
    end = space.roots[0].end

    class ScenarioMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.node: SpaceNode = space.initial()[0]
            self.path: list[str] = []
            self.script = 0
            self.ended = False
            stats.examples += 1
            if progress is not None:
                progress(stats)

        def _go(self, node: SpaceNode, text: str) -> None:
            before = self.node
            self.node = node
            self.path.append(f"{node.state.date}: {text}")
            if stats.latest is None or node.state.date > stats.latest:
                stats.latest = node.state.date
            self._assert(exact.node_breaches(before, node))

        def _assert(self, breaches: list[Any]) -> None:
            if breaches:
                b = breaches[0]
                steps = "\n".join(f"  {i + 1}. {p}" for i, p in enumerate(self.path))
                raise AssertionError(
                    f"invariant {b.invariant} violated on {self.node.state.date} after "
                    f"step {len(self.path)} of scenario {scenario.id}: "
                    f"{'; '.join(b.reasons)}\nsteps:\n{steps or '  (the initial state)'}"
                )

        def _script(self, data: st.DataObject) -> None:
            edges = exact.expansion(self.node).edges
            if not edges and not self.ended:
                self.ended = True
                stats.ended += 1
            if edges:
                edge = edges[data.draw(st.integers(0, len(edges) - 1), label="option")]
                moves = "; ".join(move_text(e) for e in edge.events)
                stats.script_steps += 1
                self.script += 1
                stats.deepest = max(stats.deepest, self.script)
                self._go(edge.node, f"{edge.kind} {edge.decision or ''} {moves}".strip())

        @rule(data=st.data())
        def follow_script(self, data: st.DataObject) -> None:
            stats.steps += 1
            self._script(data)

        @rule(data=st.data())
        def any_legal_move(self, data: st.DataObject) -> None:
            """A legal move of any party; where none can be made (the day is closed,
            the horizon passed, nobody may move), the script's next step instead."""
            stats.steps += 1
            state = self.node.state
            moves = [] if state.closed or state.date > end else legal_moves(engine, state).legal
            if not moves:
                self._script(data)
                return
            event = data.draw(st.sampled_from(moves), label="move")
            step = engine.apply(state, event)
            stats.free_moves += 1
            self._go(
                SpaceNode(self.node.root, self.node.cursor, self.node.taken, step.state),
                move_text(event),
            )

        @invariant()
        def declared_invariants_hold(self) -> None:
            self._assert(exact.node_breaches(None, self.node))

    ScenarioMachine.__name__ = ScenarioMachine.__qualname__ = f"Machine_{scenario.id}"
    return ScenarioMachine, space


def check_machine(
    scenario: Scenario,
    *,
    branch: str | None = None,
    max_examples: int = 50,
    steps: int | None = None,
    shrink: bool = False,
    progress: Callable[[MachineStatistics], None] | None = None,
) -> MachineRun:
    """Run the scenario's state machine, deterministically (no example database): the
    first failure (``shrink``: Hypothesis's shortest) or None, and what the run covered.
    ``steps`` None: ``default_steps`` of the script's depth. ``progress`` hears the
    statistics as each example starts (a KeyboardInterrupt then ends the run as usual;
    the statistics so far are what ``progress`` last heard).

    The examples are split among Hypothesis runs of ``RUN_STEPS`` steps' worth (at least
    ``MIN_RUN`` examples), so that memory does not grow with ``max_examples``: the first
    run is derandomized, the ``k``-th after it seeded with ``k``; the first failure ends
    them, and so does a run that ends short (every distinct example was tried)."""
    stats = MachineStatistics()
    machine, space = _machine(scenario, branch, stats, progress)
    stats.depth = _depth(space)
    stats.steps_per_example = steps or default_steps(stats.depth)
    lines: list[str] = []

    def report(value: object) -> None:
        lines.append(str(value))

    per_run = max(MIN_RUN, RUN_STEPS // stats.steps_per_example)
    failure = None
    started = time.perf_counter()
    for run, examples in enumerate(_run_sizes(max_examples, per_run)):
        if run:
            seed(run)(machine)  # Hypothesis's own way to seed a state machine
        config = settings(
            max_examples=examples,
            stateful_step_count=stats.steps_per_example,
            deadline=None,
            derandomize=True,
            database=None,
            print_blob=False,
            phases=tuple(Phase) if shrink else NO_SHRINK,
            suppress_health_check=list(HealthCheck),
        )
        lines.clear()
        calls = stats.examples
        try:
            with with_reporter(report), collect.resumed():  # cyclic garbage every example
                run_state_machine_as_test(machine, settings=config)  # type: ignore[no-untyped-call,unused-ignore]
        except AssertionError as e:
            failure = "\n".join([str(e), *lines])
            break
        if stats.examples - calls < examples:
            break  # Hypothesis ran out of new examples: so would the next run
    stats.seconds = time.perf_counter() - started
    return MachineRun(failure, stats)


def _run_sizes(examples: int, per_run: int) -> Iterator[int]:
    """``examples`` split into Hypothesis runs of ``per_run`` (the last one the rest)."""
    while examples > 0:
        yield min(examples, per_run)
        examples -= per_run


def run_machine(
    scenario: Scenario,
    *,
    branch: str | None = None,
    max_examples: int = 50,
    steps: int | None = None,
    shrink: bool = False,
) -> str | None:
    """``check_machine``'s failure only: None when no invariant broke."""
    return check_machine(
        scenario, branch=branch, max_examples=max_examples, steps=steps, shrink=shrink
    ).failure


_IDS = ("east", "west", "north")


@st.composite
def scenarios(draw: st.DrawFn, max_events: int = 6) -> Scenario:
    """Small valid scenarios: two or three parties, one or two documents that need
    acceptance, maybe a deadline with a consequence and a rule, a short timeline, a
    decision point, an invariant, and a horizon."""
    parties = list(_IDS[: draw(st.integers(2, 3))])
    docs = [f"doc{i}" for i in range(draw(st.integers(1, 2)))]
    documents = [
        {
            "id": d,
            "title": d.title(),
            "requires_acceptance": draw(
                st.lists(st.sampled_from(parties), min_size=1, max_size=len(parties), unique=True)
            ),
        }
        for d in docs
    ]
    day = st.integers(1, 20).map(lambda n: f"2025-11-{n:02d}")
    party, doc = st.sampled_from(parties), st.sampled_from(docs)
    event = st.one_of(
        st.builds(lambda p, d: {"kind": "propose", "by": p, "document": d}, party, doc),
        st.builds(lambda p, d: {"kind": "accept", "by": p, "document": d}, party, doc),
        st.builds(lambda p, d: {"kind": "reject", "by": p, "document": d}, party, doc),
        st.builds(lambda p, d: {"kind": "sign", "by": p, "document": d}, party, doc),
        st.builds(
            lambda p, d: {"kind": "transition", "by": p, "document": d, "trigger": "agree"},
            party,
            doc,
        ),
    )
    events = draw(st.lists(st.tuples(day, event), max_size=max_events))
    timeline = [{**e, "date": d} for d, e in sorted(events, key=lambda t: t[0])]
    data: dict[str, Any] = {
        "id": "generated",
        "title": "Generated",
        "start": "2025-11-01",
        "horizon": "2025-12-05",
        "parties": [{"id": p, "name": p.title()} for p in parties],
        "documents": documents,
        "timeline": timeline,
        "invariants": [
            {
                "id": "signed_means_accepted",
                "never": f"{docs[0]} is signed and not all required parties accept {docs[0]}",
            }
        ],
    }
    if draw(st.booleans()):
        setter, target = draw(party), draw(party)
        data["deadlines"] = [
            {
                "id": "ultimatum",
                "set_by": setter,
                "due": draw(day),
                "requirement": f"{target} accepts {docs[0]}",
                "consequence": {
                    "mode": draw(st.sampled_from(["automatic", "threatened"])),
                    "effects": [{"kind": "withdraw", "document": docs[0]}],
                },
            }
        ]
    if draw(st.booleans()):
        data["rules"] = [
            {
                "id": "agree_when_accepted",
                "when": f"all required parties accept {docs[0]}",
                "then": [{"kind": "transition", "document": docs[0], "trigger": "agree"}],
            }
        ]
    if draw(st.booleans()):
        alternatives = [
            {"id": f"option{i}", "events": [e]}
            for i, e in enumerate(draw(st.lists(event, min_size=1, max_size=3)))
        ]
        data["decisions"] = [{"id": "choice", "at": draw(day), "alternatives": alternatives}]
    return Scenario.model_validate(data)
