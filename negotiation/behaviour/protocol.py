"""Alternating offers between two strategies on one document, over calendar days.

Round ``k`` falls on ``start + k * days_per_round``. The first side moves in the even
rounds, the second in the odd ones; in round 0 the first side makes an opening offer
(or walks away). At each turn the side to move sees its ``View`` (its utility, its time
towards its own deadline as due on that day, the offers so far, its reservation value on
that day) and moves. The run ends

* at an acceptance: the package last offered is agreed, on that day;
* at a walk-away: no agreement;
* at the deadline: when the next round's day is after the earlier of the two sides' due
  dates (as due on that day, so an extension moves it), no agreement.

With no agreement each side gets its BATNA on the day the run ends (the walk-away's day,
or the earlier due date). Utilities in the transcript are the sides' utilities of an
agreement on that day: their cost of delay applied, counted from each side's ``origin``
(the scenario's start; the run's start by default).

Pure and deterministic: the only randomness is one ``random.Random(seed)`` handed to the
strategies in turn order, so a seed gives the same transcript every time. ``moves`` turns
a transcript into the moves an engine would apply (``offer``, ``counter``,
``accept_offer``, ``walk_away``), one per turn.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from negotiation.analysis.space import Option, OutcomeSpace
from negotiation.analysis.utility import delayed, undelayed
from negotiation.behaviour.strategies import Move, MoveKind, Ranking, Strategy, View, time_fraction
from negotiation.model.interests import Delay

MAX_ROUNDS = 100_000
"""A run longer than this is refused (a deadline extended without end)."""

Ending = Literal["accept", "walk_away", "deadline"]


def fixed(value: dt.date) -> Callable[[dt.date], dt.date]:
    """A due date that never moves."""
    return lambda _day: value


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
class Turn:
    """One move: who moved when, the time it saw, and what the package concerned (the
    one offered or accepted) is worth to each side on that day."""

    round: int
    day: dt.date
    party: str
    time: float
    move: Move
    utilities: tuple[float, float] | None
    refused: tuple[str, ...] = ()  # the engine's reasons, when it refused the move


@dataclass(frozen=True)
class Outcome:
    """How the run ended: the package agreed (None: no agreement), on which round and
    day, at what fraction of the time to the earlier due date, and what each side gets
    (its utility of the agreement, or its BATNA)."""

    ended_by: Ending
    package: int | None
    round: int | None
    day: dt.date
    time: float
    utilities: tuple[float, float]
    due: dt.date | None = None  # the earlier due date when it ended

    @property
    def agreed(self) -> bool:
        return self.package is not None


@dataclass(frozen=True)
class Transcript:
    parties: tuple[str, str]
    seed: int
    start: dt.date
    days_per_round: int
    turns: tuple[Turn, ...]
    outcome: Outcome


def negotiate(
    first: Side,
    second: Side,
    *,
    start: dt.date,
    days_per_round: int = 1,
    seed: int = 0,
) -> Transcript:
    """Run alternating offers between ``first`` (who opens) and ``second``."""
    if days_per_round < 1:
        raise ValueError(f"days_per_round must be 1 or more, got {days_per_round}")
    if first.party == second.party:
        raise ValueError(f"a party cannot bargain with itself ({first.party!r})")
    if len(first.utility.values) != len(second.utility.values):
        raise ValueError("the two sides value different outcome spaces")
    rng = random.Random(seed)  # noqa: S311 - reproducible simulation, not a secret
    sides = (first, second)
    offers: tuple[list[int], list[int]] = ([], [])
    turns: list[Turn] = []

    def both(package: int, day: dt.date) -> tuple[float, float]:
        return (first.worth(package, day, start), second.worth(package, day, start))

    def end(day: dt.date) -> dt.date:
        return min(first.due(day), second.due(day))

    def ending(how: Ending, day: dt.date, package: int | None, k: int | None) -> Transcript:
        closes = end(day)
        if package is not None:
            utilities = both(package, day)
        else:
            utilities = (first.batna(day), second.batna(day))
        outcome = Outcome(how, package, k, day, time_fraction(start, day, closes), utilities)
        return Transcript(
            (first.party, second.party), seed, start, days_per_round, tuple(turns), outcome
        )

    for k in range(MAX_ROUNDS):
        day = start + dt.timedelta(days=k * days_per_round)
        closes = end(day)
        if day > closes:
            return ending("deadline", max(start, closes), None, None)
        me, them = k % 2, 1 - k % 2
        side = sides[me]
        view = View(
            utility=side.utility,
            time=time_fraction(start, day, side.due(day)),
            received=tuple(offers[them]),
            sent=tuple(offers[me]),
            reservation=side.reservation(day, start),
        )
        move = side.strategy.move(view, rng)
        if move.kind is MoveKind.accept:
            if not offers[them]:
                raise ValueError(f"{side.party} accepts in round {k}, but nothing was offered")
            package = offers[them][-1]
            turns.append(Turn(k, day, side.party, view.time, move, both(package, day)))
            return ending("accept", day, package, k)
        if move.kind is MoveKind.walk_away:
            turns.append(Turn(k, day, side.party, view.time, move, None))
            return ending("walk_away", day, None, k)
        if move.package is None or not 0 <= move.package < len(side.utility.values):
            raise ValueError(f"{side.party} offers no package of the space in round {k}")
        offers[me].append(move.package)
        turns.append(Turn(k, day, side.party, view.time, move, both(move.package, day)))
    raise ValueError(f"no end after {MAX_ROUNDS:,} rounds: does a deadline move without end?")


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
        else:
            kind, package = "walk_away", None
        described = None if package is None else space.describe(space.package(package))
        out.append(EngineMove(kind, turn.party, turn.day, space.document, described))
    return out


__all__ = [
    "MAX_ROUNDS",
    "EngineMove",
    "Outcome",
    "Side",
    "Transcript",
    "Turn",
    "constant",
    "fixed",
    "moves",
    "negotiate",
]
