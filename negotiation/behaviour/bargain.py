"""Strategies in the engine: two declared strategies bargain on a scenario, and every move
they make is an event the engine applies on its calendar day.

``bargain`` runs the alternating-offers protocol between the two strategies a scenario
declares on a document (``scenario.simulate``), turns its transcript into offer events
(``protocol.moves``: an ``offer``, then ``counter``s, an ``accept_offer`` or a
``walk_away``), and runs the scenario's timeline (or a branch) with those events added,
through the engine. The result is a real ``Trace``: the moves among the scenario's own
events, each checked and applied by the runtime (a move the engine refuses shows as
blocked, with its reasons), deadlines and rules reacting to them, expectations checked,
and an accepted package's points agreed with their values in the final state.

Each move is labelled an assumption (a strategy is never a fact) and carries the seed.
The same seed gives the same transcript, the same events and the same trace.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from pydantic import TypeAdapter

from negotiation.behaviour.protocol import EngineMove, moves
from negotiation.behaviour.scenario import Simulation, simulate
from negotiation.model.dates import FuzzyDate
from negotiation.model.events import Event
from negotiation.model.trace import Trace
from negotiation.runtime.engine import Engine


@cache
def _events() -> TypeAdapter[Event]:
    """The event union's validator, built on first use (not at import)."""
    return TypeAdapter(Event)


def move_events(found: list[EngineMove], seed: int, prefix: str) -> list[Event]:
    """The moves as events, with ids ``PREFIX_1``, ``PREFIX_2``, ... in order."""
    out: list[Event] = []
    for k, move in enumerate(found, 1):
        data: dict[str, object] = {
            "kind": move.kind,
            "id": f"{prefix}_{k}",
            "date": FuzzyDate.of(move.day),
            "by": [move.party],
            "document": move.document,
            "assumption": f"a move of {move.party}'s declared strategy, simulated with seed "
            f"{seed}: no source says it happened",
        }
        if move.kind in ("offer", "counter"):
            data["package"] = move.package
        out.append(_events().validate_python(data))
    return out


@dataclass(frozen=True)
class Bargain:
    """A bargaining run: the protocol's simulation, the events its moves became, and the
    engine's trace of the timeline with them."""

    simulation: Simulation
    events: tuple[Event, ...]
    trace: Trace


def bargain(
    engine: Engine,
    document: str | None = None,
    *,
    first: str | None = None,
    start: dt.date | None = None,
    days_per_round: int = 1,
    seed: int = 0,
    branch: str | None = None,
) -> Bargain:
    """Two declared strategies bargain on ``document`` (see ``scenario.simulate`` for the
    arguments), and the engine runs the timeline with their moves as events."""
    sim = simulate(
        engine, document, first=first, start=start, days_per_round=days_per_round,
        seed=seed, branch=branch,
    )  # fmt: skip
    scenario = engine.scenario
    taken = {e.id for e in scenario.timeline if e.id} | {
        e.id for b in scenario.branches for e in b.add if e.id
    }
    prefix = f"bargain_{sim.table.document}"
    while any(i.startswith(prefix) for i in taken):
        prefix += "_"
    events = move_events(moves(sim.transcript, sim.table.space), seed, prefix)
    extended = scenario.model_copy(update={"timeline": [*scenario.timeline, *events]})
    trace = Engine(extended).run(branch)
    return Bargain(sim, tuple(events), trace)


__all__ = ["Bargain", "bargain", "move_events"]
