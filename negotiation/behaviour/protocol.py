"""What a bargaining run is made of, whichever protocol ran it: its ``BargainingTurn``s, its
``BargainingOutcome`` and its ``Transcript``; a ``Side`` (one party's strategy, utility, due date
and BATNA as functions of the day, as ``scenario.Table`` describes it); and ``moves``,
a transcript's turns as the offer events an engine would apply.

The protocols themselves run inside the engine's run (``runtime.turns``): alternating
offers between two seats (``live.Bargaining``) and mediated single-text rounds
(``mediated.Mediation``). A transcript lists every turn in order: the round, the day,
who moved, the fraction of its time gone, the move, and what the package concerned (the
one offered or accepted) is worth to each party on that day. The run ends

* at an acceptance: the package agreed, on that day;
* at a walk-away: no agreement;
* at the deadline: when the next round's day is after the earliest due date (as due on
  that day, so an extension moves it), no agreement.

With no agreement each party gets its BATNA on the day the run ends.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from negotiation.analysis.space import Option, OutcomeSpace
from negotiation.analysis.utility import delayed, undelayed
from negotiation.behaviour.strategies import Move, MoveKind, Ranking, Strategy
from negotiation.model.interests import Delay

MAX_ROUNDS = 100_000
"""A run longer than this is refused (a deadline extended without end)."""

Ending = Literal["accept", "walk_away", "deadline"]


def constant(value: float) -> Callable[[dt.date], float]:
    """A BATNA that never changes."""
    return lambda _day: value


@dataclass(frozen=True)
class Side:
    """One side of the table: its strategy, its utility over the outcome space, its due
    date and BATNA as functions of the day, and its cost of delay."""

    party: str
    strategy: Strategy
    utility: Ranking
    due: Callable[[dt.date], dt.date]
    batna: Callable[[dt.date], float] = field(default=constant(0.0))
    delay: Delay | None = None
    origin: dt.date | None = None  # the day delay counts from; None: the run's start

    def days(self, day: dt.date, start: dt.date) -> int:
        return (day - (self.origin or start)).days

    def worth(self, package: int, day: dt.date, start: dt.date) -> float:
        """The package's utility to this side as an agreement on ``day``."""
        return delayed(self.utility(package), self.delay, self.days(day, start))

    def reservation(self, day: dt.date, start: dt.date) -> float:
        """The undelayed utility a package needs to be worth the BATNA on ``day``."""
        return undelayed(self.batna(day), self.delay, self.days(day, start))


@dataclass(frozen=True)
class BargainingTurn:
    """One move: who moved when, the time it saw, and what the package concerned (the
    one offered or accepted) is worth to each side on that day."""

    round: int
    day: dt.date
    party: str
    time: float
    move: Move
    utilities: tuple[float, ...] | None  # one per party of the transcript
    refused: tuple[str, ...] = ()  # the engine's reasons, when it refused the move


@dataclass(frozen=True)
class BargainingOutcome:
    """How the run ended: the package agreed (None: no agreement), on which round and
    day, at what fraction of the time to the earlier due date, and what each side gets
    (its utility of the agreement, or its BATNA)."""

    ended_by: Ending
    package: int | None
    round: int | None
    day: dt.date
    time: float
    utilities: tuple[float, ...]  # one per party of the transcript
    due: dt.date | None = None  # the earlier due date when it ended

    @property
    def agreed(self) -> bool:
        return self.package is not None


@dataclass(frozen=True)
class Transcript:
    parties: tuple[str, ...]  # the two sides, or the parties a mediator's text is put to
    seed: int
    start: dt.date
    days_per_round: int
    turns: tuple[BargainingTurn, ...]
    outcome: BargainingOutcome


@dataclass(frozen=True)
class EngineMove:
    """A transcript's turn as the engine will take it: an event kind (``offer``,
    ``counter``, ``accept_offer``, ``walk_away``), who, when, on which document, and the
    package (point id -> option) offered or accepted."""

    kind: str
    party: str
    day: dt.date
    document: str
    package: dict[str, Option] | None


def moves(transcript: Transcript, space: OutcomeSpace) -> list[EngineMove]:
    """The moves of a transcript, one per turn, in order: the opening offer is an
    ``offer``, every later offer a ``counter`` (it rejects the offer before it), an
    acceptance an ``accept_offer`` of the package last offered. A run that ends at the
    deadline adds no move: the deadline rules of the scenario take it from there."""
    out: list[EngineMove] = []
    last: int | None = None
    for turn in transcript.turns:
        move = turn.move
        if move.kind is MoveKind.offer:
            assert move.package is not None
            kind, last = ("offer" if last is None else "counter"), move.package
            package: int | None = move.package
        elif move.kind is MoveKind.accept:
            kind, package = "accept_offer", last
        elif move.kind is MoveKind.reject:
            kind, package = "reject_offer", None
        else:
            kind, package = "walk_away", None
        described = None if package is None else space.describe(space.package(package))
        out.append(EngineMove(kind, turn.party, turn.day, space.document, described))
    return out


__all__ = [
    "MAX_ROUNDS",
    "BargainingOutcome",
    "BargainingTurn",
    "EngineMove",
    "Side",
    "Transcript",
    "constant",
    "moves",
]
