"""Strategies in the engine: two declared strategies bargain on a scenario, and every move
they make is an event the engine applies on its calendar day.

``bargain`` runs the two strategies a scenario declares on a document inside the
engine's run of the scenario's timeline (or a branch): at each turn a strategy reads
the engine's state and its move is an offer event the runtime applies (``live``).
``move_events`` turns a precomputed transcript's moves (``protocol.moves``) into
events. The result is a real ``Trace``: the moves among the scenario's own
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

from negotiation.behaviour.protocol import EngineMove
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
    """A bargaining run: the simulation, the events its moves became, and the engine's
    trace of the timeline with them."""

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
    """Two declared strategies bargain on ``document`` inside the engine's run (see
    ``scenario.simulate`` for the arguments)."""
    sim = simulate(
        engine, document, first=first, start=start, days_per_round=days_per_round,
        seed=seed, branch=branch,
    )  # fmt: skip
    assert sim.trace is not None
    return Bargain(sim, sim.events, sim.trace)


__all__ = ["Bargain", "bargain", "move_events"]
