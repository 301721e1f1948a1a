"""Property-test your own scenario's rules with Hypothesis (needs ``negotiation[check]``).

Two lines turn a scenario into a stateful test::

    from negotiation.loader import load_scenario
    from negotiation.testing import scenario_state_machine

    TestMine = scenario_state_machine(load_scenario("mine.yaml")).TestCase

The machine starts at the scenario's start and, step by step, either follows the
script (the next scripted event, an option of a decision point, or the clock moving to
the next close of day or checkpoint, the explorer's steps), lets any party make any
legal move (``legal_events``), or does nothing. After every step it checks the
scenario's invariants and the built-in ones (``negotiation.search.explore``); a failure names
the invariant, the date and every step taken.

Strategies: ``legal_events(engine, state)`` (moves the engine would accept now) and
``scenarios()`` (small valid scenarios, for testing rules in general).
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, settings
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
from negotiation.runtime.engine import Engine
from negotiation.runtime.legal import legal_moves
from negotiation.runtime.space import Node, Space
from negotiation.search.explore import move_text

__all__ = ["legal_events", "run_machine", "scenario_state_machine", "scenarios"]


def legal_events(
    engine: Engine, state: State, parties: list[str] | None = None
) -> st.SearchStrategy[Event]:
    """Moves of ``parties`` (default: all) that ``engine`` accepts in ``state``: document
    moves, stances and a deadline setter's acts (see ``decisions.candidate_moves``)."""
    moves = legal_moves(engine, state, parties).legal
    return st.sampled_from(moves) if moves else st.nothing()


def scenario_state_machine(
    scenario: Scenario,
    *,
    branch: str | None = None,
    max_examples: int = 50,
    steps: int = 30,
) -> type[RuleBasedStateMachine]:
    """A ``RuleBasedStateMachine`` over ``scenario`` (base timeline, or ``branch``) that
    checks every invariant after every step. Use its ``TestCase`` in pytest/unittest."""
    space = Space(scenario, [branch])
    engine = space.engine
    end = space.roots[0].end

    class ScenarioMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.node: Node = space.initial()[0]
            self.path: list[str] = []

        def _go(self, node: Node, text: str) -> None:
            before = self.node.state
            self.node = node
            self.path.append(f"{node.state.date}: {text}")
            self._assert(space.check(before, node.state))

        def _assert(self, breaches: list[Any]) -> None:
            if breaches:
                b = breaches[0]
                steps = "\n".join(f"  {i + 1}. {p}" for i, p in enumerate(self.path))
                raise AssertionError(
                    f"invariant {b.invariant} violated on {self.node.state.date} after "
                    f"step {len(self.path)} of scenario {scenario.id}: "
                    f"{'; '.join(b.reasons)}\nsteps:\n{steps or '  (the initial state)'}"
                )

        @rule(data=st.data())
        def follow_script(self, data: st.DataObject) -> None:
            edges = space.expand(self.node).edges
            if edges:
                edge = edges[data.draw(st.integers(0, len(edges) - 1), label="option")]
                moves = "; ".join(move_text(e) for e in edge.events)
                self._go(edge.node, f"{edge.kind} {edge.decision or ''} {moves}".strip())

        @rule(data=st.data())
        def any_legal_move(self, data: st.DataObject) -> None:
            state = self.node.state
            if state.closed or state.date > end:
                return
            event = data.draw(legal_events(engine, state), label="move")
            step = engine.apply(state, event)
            self._go(
                Node(self.node.root, self.node.cursor, self.node.taken, step.state),
                move_text(event),
            )

        @invariant()
        def declared_invariants_hold(self) -> None:
            self._assert(space.check(None, self.node.state))

    ScenarioMachine.__name__ = ScenarioMachine.__qualname__ = f"Machine_{scenario.id}"
    ScenarioMachine.TestCase.settings = settings(
        max_examples=max_examples,
        stateful_step_count=steps,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    return ScenarioMachine


def run_machine(
    scenario: Scenario, *, branch: str | None = None, max_examples: int = 50, steps: int = 30
) -> str | None:
    """Run the scenario's state machine once, deterministically (``derandomize``, no
    example database). None when no invariant broke; else the failure, with Hypothesis's
    report of the shortest failing sequence it found."""
    machine = scenario_state_machine(scenario, branch=branch)
    lines: list[str] = []
    config = settings(
        max_examples=max_examples,
        stateful_step_count=steps,
        deadline=None,
        derandomize=True,
        database=None,
        print_blob=False,
        suppress_health_check=list(HealthCheck),
    )

    def report(value: object) -> None:
        lines.append(str(value))

    try:
        with with_reporter(report):
            run_state_machine_as_test(machine, settings=config)  # type: ignore[no-untyped-call,unused-ignore]
    except AssertionError as e:
        return "\n".join([str(e), *lines])
    return None


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
