"""Strategies that act inside the engine's run, reading its state at every turn.

``Bargaining`` is a ``runtime.turns.Turns``: alternating offers between two seats on one
document, in the engine's run of the scenario's timeline. Round ``k`` falls on ``start +
k * days_per_round``, after that day's own events; the first seat moves in the even
rounds, the second in the odd ones. At its turn a seat reads the engine's state
(``TurnView``): the offer on the table (an offer the scenario scripts counts as received
like a strategy's), the due date of its deadline as it stands (extensions included), its
BATNA (the first case whose condition holds now), and its utility of an agreement on
each package: ``utility.state_utility`` of the state the agreement would give
(``analysis.agreement``), as the ZOPA counts it. Its strategy's move
becomes an event (``offer``, or ``counter`` when the other side's offer is on the table;
``accept_offer``; ``walk_away``) that the runtime checks and applies; a move the engine
refuses is recorded with the engine's reasons, seen by the seat, and the rounds go on.

The run ends at an acceptance the engine applies, at a walk-away, or at the deadline:
when the next round's day is after the earlier of the two seats' due dates (as they
stand before that day), with each seat's BATNA. Randomness: one ``random.Random(seed)``
handed to the strategies in turn order, so a seed gives a byte-identical trace.

``next_move`` is one seat's turn on its own, for any caller that holds a ``TurnView``
(``Engine.turn_view`` of a state): ``play`` and the classroom's counterparts use it.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from functools import cache
from typing import Protocol

from pydantic import TypeAdapter

from negotiation import conditions as cond
from negotiation.analysis.agreement import Key, read_points, worlds
from negotiation.analysis.space import OutcomeSpace
from negotiation.analysis.utility import (
    NOWHERE,
    PartyUtility,
    World,
    state_utility,
    undelayed,
)
from negotiation.behaviour.protocol import (
    MAX_ROUNDS,
    BargainingOutcome,
    BargainingTurn,
    Ending,
    Transcript,
)
from negotiation.behaviour.strategies import (
    Move,
    MoveKind,
    Ranking,
    Strategy,
    View,
    from_spec,
    time_fraction,
)
from negotiation.model.dates import FuzzyDate
from negotiation.model.documents import option_text
from negotiation.model.errors import AnalysisError
from negotiation.model.events import Event
from negotiation.model.interests import Batna, Delay, Interest
from negotiation.model.strategies import PartyStrategy
from negotiation.model.trace import Trace, TraceEntry
from negotiation.runtime.engine import Engine
from negotiation.runtime.turns import Turns, TurnView


@cache
def _events() -> TypeAdapter[Event]:
    return TypeAdapter(Event)


@dataclass(frozen=True)
class Seat:
    """One party at the table as it reads the engine: its strategy, its utility over the
    outcome space, the deadline that ends its time, its BATNA cases and cost of delay."""

    party: str
    document: str
    strategy: Strategy
    utility: Ranking
    deadline: str
    reservation: Batna
    conditions: dict[str, cond.Node]  # the reservation's conditions, parsed once
    delay: Delay | None
    origin: dt.date
    interest: Interest  # its points, states and facts, delay and BATNA
    space: OutcomeSpace | None = None  # with states or facts: to suppose an agreement
    other: str = ""  # the other side, who would accept it
    read: tuple[int, ...] = ()  # the points whose agreed option a condition reads
    _worlds: dict[tuple[tuple[Key, World], ...], Ranking] = field(
        default_factory=dict, compare=False, repr=False)
    _last: list[tuple[TurnView, dict[Key, World]]] = field(
        default_factory=list, compare=False, repr=False)

    @classmethod
    def of(
        cls, engine: Engine, spec: PartyStrategy, interest: Interest, space: OutcomeSpace,
        strategy: Strategy | None = None,
    ) -> Seat:
        conditions = {c.when: engine.parse(c.when) for c in interest.reservation.cases}
        sc = engine.scenario
        others = [x.party for x in sc.strategies if x.document == spec.document] + [
            x.party for x in sc.interests if x.document == spec.document]
        others = [p for p in others if p != spec.party]
        other = others[0] if others else spec.party  # the other side, who would accept
        return cls(
            spec.party, spec.document, strategy or from_spec(spec),
            Ranking.of(PartyUtility.of(interest, space).every()), spec.deadline,
            interest.reservation, conditions, interest.delay, engine.start_date(), interest,
            space, other, read_points(engine, space),
        )  # fmt: skip

    @property
    def values_world(self) -> bool:
        """Whether its interest values document states or facts beside the points."""
        return bool(self.interest.states or self.interest.facts)

    def worlds(self, view: TurnView) -> dict[Key, World]:
        """The world an agreement gives the seat on the view's state (``agreement``), by
        the options of the points a condition reads (computed once a view: a view is
        read within its turn, and the outcome of a turn is valued as the agreement
        supposed at it)."""
        if self._last and self._last[0][0] is view:
            return self._last[0][1]
        assert self.space is not None
        found = worlds(self.interest, view, self.space, self.read, self.party, self.other)
        self._last[:] = [(view, found)]
        return found

    def _key(self, package: int) -> Key:
        if not self.read:
            return ()
        assert self.space is not None
        chosen = self.space.package(package)
        return tuple(chosen[k] for k in self.read)

    def ranking(self, view: TurnView) -> Ranking:
        """The seat's utility of an agreement on every package, in the state it would
        give (its points' utility when it values no state or fact)."""
        if not self.values_world:
            return self.utility
        found_worlds = self.worlds(view)
        cache = tuple(found_worlds.items())
        found = self._worlds.get(cache)
        if found is None:
            interest = self.interest
            # the undelayed utility of each agreement (delay is on the BATNA's side)
            found = Ranking.of([state_utility(interest, u, found_worlds[self._key(i)], 0)
                                for i, u in enumerate(self.utility.values)])  # fmt: skip
            self._worlds[cache] = found
        return found

    def due(self, view: TurnView) -> dt.date:
        found = view.due(self.deadline)
        if found is None:
            raise AnalysisError(
                f"deadline {self.deadline!r}, which ends {self.party}'s time, has no due "
                f"date on {view.today}"
            )
        return found

    def batna(self, view: TurnView) -> float:
        return self.reservation.value(lambda when: view.holds(self.conditions[when]))

    def worth(self, package: int, day: dt.date, view: TurnView | None = None) -> float:
        """The package's utility to this seat as an agreement on ``day`` (in the world of
        ``view``, when the seat values states or facts): ``state_utility`` of the state
        the agreement gives."""
        world = (NOWHERE if view is None or not self.values_world
                 else self.worlds(view)[self._key(package)])  # fmt: skip
        return state_utility(self.interest, self.utility(package), world,
                             (day - self.origin).days)

    def view(
        self, turn: TurnView, start: dt.date, received: tuple[int, ...] = (),
        sent: tuple[int, ...] = (),
    ) -> View:
        """What the seat's strategy sees at a turn on ``turn.today``."""
        day = turn.today
        return View(
            utility=self.ranking(turn),
            time=time_fraction(start, day, self.due(turn)),
            received=received,
            sent=sent,
            reservation=undelayed(self.batna(turn), self.delay, (day - self.origin).days),
        )


def next_move(
    seat: Seat, turn: TurnView, rng: random.Random, *, start: dt.date | None = None,
    received: tuple[int, ...] = (), sent: tuple[int, ...] = (),
) -> Move:
    """One seat's move on ``turn.today``: its strategy on what it sees (time counted from
    ``start``, the seat's origin by default). Pure: randomness only from ``rng``."""
    return seat.strategy.move(seat.view(turn, start or seat.origin, received, sent), rng)


class PackageIndex:
    """A document's packages as the engine holds them (point, option text) and back."""

    def __init__(self, space: OutcomeSpace) -> None:
        self.space = space
        self._index: dict[tuple[tuple[str, str], ...], int] | None = None

    def index(self, items: tuple[tuple[str, str], ...]) -> int | None:
        """The package of an offer's items; None if it is not one of the space."""
        if self._index is None:
            ids = self.space.point_ids
            self._index = {
                tuple(sorted(zip(ids, (option_text(v) for v in self.space.describe(p).values()),
                                 strict=True))): k
                for k, p in enumerate(self.space.packages())
            }  # fmt: skip
        return self._index.get(tuple(sorted(items)))


@dataclass
class Bargaining:
    """Alternating offers between two seats inside a run (see the module docstring)."""

    seats: tuple[Seat, Seat]
    space: OutcomeSpace
    start: dt.date
    days_per_round: int = 1
    seed: int = 0
    prefix: str = "bargain"
    rng: random.Random = field(init=False)
    round: int = 0
    offers: tuple[list[int], list[int]] = field(default_factory=lambda: ([], []))
    turns: list[BargainingTurn] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    outcome: BargainingOutcome | None = None
    _last: tuple[int, dt.date, float, Move, int | None] | None = None
    _packages: PackageIndex | None = None
    _view: TurnView | None = None

    def __post_init__(self) -> None:
        if self.days_per_round < 1:
            raise ValueError(f"days_per_round must be 1 or more, got {self.days_per_round}")
        if self.seats[0].party == self.seats[1].party:
            raise ValueError(f"a party cannot bargain with itself ({self.seats[0].party!r})")
        self.rng = random.Random(self.seed)  # noqa: S311 - reproducible simulation
        self._packages = PackageIndex(self.space)

    @property
    def document(self) -> str:
        return self.space.document

    def _day(self) -> dt.date:
        return self.start + dt.timedelta(days=self.round * self.days_per_round)

    def _both(self, package: int, day: dt.date) -> tuple[float, float]:
        view = self._view
        return (self.seats[0].worth(package, day, view), self.seats[1].worth(package, day, view))

    def _end(self, how: Ending, day: dt.date, package: int | None, view: TurnView) -> None:
        closes = min(s.due(view) for s in self.seats)
        utilities = (self._both(package, day) if package is not None
                     else (self.seats[0].batna(view), self.seats[1].batna(view)))
        k = None if how == "deadline" else self.round
        self.outcome = BargainingOutcome(
            how, package, k, day, time_fraction(self.start, day, closes), utilities, closes
        )

    def horizon(self, view: TurnView) -> None:
        """End a bargaining that the run's horizon cut short, as at the deadline."""
        if self.outcome is None:
            day = min(view.today, *(s.due(view) for s in self.seats))
            self._end("deadline", max(self.start, day), None, view)

    def decide(self, seat: Seat, view: TurnView, strategy_view: View) -> Move | None:
        """The seat's move: its strategy's (a subclass may ask someone; None stops)."""
        return seat.strategy.move(strategy_view, self.rng)

    # -- runtime.turns.Turns ----------------------------------------------------------------
    def next_day(self, view: TurnView) -> dt.date | None:
        if self.outcome is not None:
            return None
        if self.round >= MAX_ROUNDS:
            raise ValueError(
                f"no end after {MAX_ROUNDS:,} rounds: does a deadline move without end?"
            )
        day = self._day()
        # a deadline that has no due date yet (it starts later) closes nothing yet; a
        # seat whose deadline still has none when its turn comes fails in ``due``
        dues = [d for d in (view.due(s.deadline) for s in self.seats) if d is not None]
        closes = min(dues) if dues else None
        if closes is not None and day > closes:
            self._end("deadline", max(self.start, closes), None, view)
            return None
        return day

    def move(self, view: TurnView) -> Event | None:
        day = view.today
        self._view = view
        me, them = self.round % 2, 1 - self.round % 2
        seat = self.seats[me]
        pending = view.offer(self.document)
        theirs = pending is not None and pending[0] == self.seats[them].party
        if pending is not None and theirs:
            assert self._packages is not None
            found = self._packages.index(pending[1])
            if found is not None and self.offers[them][-1:] != [found]:
                self.offers[them].append(found)  # an offer the scenario scripts
        strategy_view = seat.view(view, self.start, tuple(self.offers[them]),
                                  tuple(self.offers[me]))
        chosen = self.decide(seat, view, strategy_view)
        if chosen is None:
            return None
        move = chosen
        data: dict[str, object] = {
            "id": f"{self.prefix}_{len(self.events) + 1}",
            "date": FuzzyDate.of(day),
            "by": [seat.party],
            "document": self.document,
            "assumption": f"a move of {seat.party}'s declared strategy, simulated with "
            f"seed {self.seed}: no source says it happened",
        }
        package: int | None = None
        if move.kind is MoveKind.offer:
            if move.package is None or not 0 <= move.package < len(seat.utility.values):
                raise ValueError(f"{seat.party} offers no package of the space on {day}")
            package = move.package
            data["kind"] = "counter" if theirs else "offer"
            data["package"] = self.space.describe(self.space.package(package))
        elif move.kind is MoveKind.accept:
            package = self.offers[them][-1] if self.offers[them] else None
            data["kind"] = "accept_offer"
        else:
            data["kind"] = "walk_away"
        event = _events().validate_python(data)
        self.events.append(event)
        self._last = (self.round, day, strategy_view.time, move, package)
        return event

    def seen(self, entry: TraceEntry) -> None:
        assert self._last is not None
        assert self._view is not None
        k, day, time, move, package = self._last
        me = k % 2
        utilities = None if package is None else self._both(package, day)
        refused = entry.kind != "event"
        self.turns.append(BargainingTurn(k, day, self.seats[me].party, time, move, utilities,
                               refused=tuple(entry.reasons) if refused else ()))
        if not refused:
            if move.kind is MoveKind.offer:
                assert package is not None
                self.offers[me].append(package)
            elif move.kind is MoveKind.accept:
                self._end("accept", day, package, self._view)
            else:
                self._end("walk_away", day, None, self._view)
        self.round += 1

    def transcript(self) -> Transcript:
        assert self.outcome is not None
        parties = (self.seats[0].party, self.seats[1].party)
        return Transcript(parties, self.seed, self.start, self.days_per_round,
                          tuple(self.turns), self.outcome)


class Rounds(Turns, Protocol):
    """A protocol that runs inside the engine's run: alternating offers (``Bargaining``)
    or mediated single-text rounds (``mediated.Mediation``)."""

    events: list[Event]
    outcome: BargainingOutcome | None
    turns: list[BargainingTurn]
    rng: random.Random

    def horizon(self, view: TurnView) -> None: ...

    def transcript(self) -> Transcript: ...


@dataclass(frozen=True)
class LiveRun:
    """A bargaining run: the transcript of the turns, the events the moves became, and
    the engine's trace with them."""

    transcript: Transcript
    events: tuple[Event, ...]
    trace: Trace


def run_bargaining(engine: Engine, bargaining: Rounds, branch: str | None = None) -> LiveRun:
    """Run the scenario's timeline (or a branch) with the seats (and a mediator) moving
    inside it."""
    trace = engine.run(branch, turns=bargaining)
    if bargaining.outcome is None:  # the horizon came first: the deadline rules had no say
        bargaining.horizon(engine.turn_view(trace.final))
    return LiveRun(bargaining.transcript(), tuple(bargaining.events), trace)


__all__ = ["Bargaining", "LiveRun", "PackageIndex", "Rounds", "Seat", "next_move", "run_bargaining"]
