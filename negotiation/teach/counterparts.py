"""Counterparts that answer: each party no student plays follows, as the instructor
chose, the scenario's script or its declared strategies (``model.strategies``,
``behaviour.strategies``). Pure: no I/O, no wall clock; the only randomness is a
``random.Random`` seeded by the day, the party and the document, so a group replays the
same.

A party on its strategy bargains on every document the scenario declares a strategy of
it for (its *table*); the script's events by that party on those documents are left
out, and the rest of its script still runs. On each day the group arrives at, and at once
after a student's move that puts an offer on its table (``answers``: on the move's day,
so a student's offer is answered the day it is made), a party at a table looks at the
document's pending offer:

* another party's offer is pending: it answers by its strategy: accept it
  (``accept_offer``), counter with its next package (``counter``), or walk away;
* nothing is pending: it offers its next package (``offer``), unless it has walked away
  from the table, the document is settled (every point with options has its value), or
  the engine refuses the offer;
* its own offer is pending: it waits.

What the strategy sees (``View``): its utility over the document's outcome space (its
interest), the time from the scenario's start to its deadline's due date on the group's
state (extensions included), the packages offered to it and by it in the group so far
(an offer that names only some points, or options outside the space, is left out), and
its reservation value: its BATNA on the group's state (the first case whose condition
holds, else the default) as an undelayed utility on the day. Its utility counts the
document states and facts its interest values as they stand (``live.Seat.ranking``).

Every move is an event labelled an assumption: a strategy is never a fact.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Literal

from pydantic import TypeAdapter

from negotiation.analysis.space import OutcomeSpace
from negotiation.analysis.utility import undelayed
from negotiation.behaviour.live import Seat
from negotiation.behaviour.strategies import (
    Move,
    MoveKind,
    Ranking,
    Strategy,
    View,
    time_fraction,
)
from negotiation.model.documents import option_text
from negotiation.model.errors import MoveError
from negotiation.model.events import Event
from negotiation.model.interests import Interest
from negotiation.model.positions import position_key
from negotiation.model.state import State
from negotiation.model.strategies import PartyStrategy
from negotiation.runtime.engine import Engine
from negotiation.teach.choices import move_text
from negotiation.teach.group import Offered, Scripted, Turn

Mode = Literal["seat", "strategy", "script"]
MODES: tuple[Mode, ...] = ("seat", "strategy", "script")


@cache
def _events() -> TypeAdapter[Event]:
    return TypeAdapter(Event)


def strategic_parties(engine: Engine) -> tuple[str, ...]:
    """The parties the scenario declares a usable strategy for (one with an interest in
    its document), in the scenario's party order."""
    usable = {x.party for x in engine.scenario.strategies if party_interest(engine, x) is not None}
    return tuple(p.id for p in engine.scenario.parties if p.id in usable)


def party_interest(engine: Engine, spec: PartyStrategy) -> Interest | None:
    """The interest a declared strategy bargains by (None: its deadline or its interest
    is missing)."""
    deadlines = {d.id for d in engine.scenario.deadlines}
    if spec.deadline not in deadlines:
        return None
    return next(
        (x for x in engine.scenario.interests
         if x.party == spec.party and x.document == spec.document),
        None,
    )  # fmt: skip


@dataclass(frozen=True)
class PartyTable:
    """One party's strategy on one document, and what it needs to move."""

    spec: PartyStrategy
    interest: Interest
    space: OutcomeSpace
    utility: Ranking
    strategy: Strategy
    seat: Seat  # the same side as a bargaining seat: its utility in the world as it stands

    @property
    def party(self) -> str:
        return self.spec.party

    @property
    def document(self) -> str:
        return self.spec.document

    def index(self, package: Iterable[tuple[str, str]]) -> int | None:
        """The outcome-space index of a package given as option texts (None: it names
        not every point, or an option outside the space)."""
        named = dict(package)
        found = []
        for point, options in zip(self.space.points, self.space.options, strict=True):
            text = named.get(point.id)
            k = next((i for i, o in enumerate(options) if option_text(o) == text), None)
            if k is None:
                return None
            found.append(k)
        return self.space.index(tuple(found))

    def view(self, engine: Engine, turn: Turn) -> View:
        mine = [o for o in turn.offers if o.document == self.document]
        sent = [self.index(o.package) for o in mine if o.by == self.party]
        received = [self.index(o.package) for o in mine if o.by != self.party]
        start = engine.start_date()
        due = turn.state.deadlines[self.spec.deadline].due or turn.day
        days = (turn.day - start).days
        utility = (self.seat.ranking(engine.turn_view(turn.state)) if self.seat.values_world
                   else self.utility)  # fmt: skip
        return View(
            utility=utility,
            time=time_fraction(start, turn.day, due),
            received=tuple(i for i in received if i is not None),
            sent=tuple(i for i in sent if i is not None),
            reservation=undelayed(batna(engine, self.interest, turn.state), self.interest.delay,
                                  days),
        )  # fmt: skip


def batna(engine: Engine, interest: Interest, state: State) -> float:
    """The interest's BATNA on a state: the first case whose condition holds, else the
    default."""
    return interest.reservation.value(lambda when: engine.evaluate(when, state))


def _settled(space: OutcomeSpace, state: State) -> bool:
    doc = state.documents[space.document]
    return all(p.id in doc.values for p in space.points)


def _walked(turn: Turn, party: str, document: str) -> bool:
    """Whether the party has left the document's table in this group: it made an offer
    there, and its stance on the document is now ``rejects`` (a walk-away's mark)."""
    stance = turn.state.positions.get(position_key(party, document))
    offered_before = any(o.by == party and o.document == document for o in turn.offers)
    return offered_before and stance is not None and stance.stance == "rejects"


class Strategic:
    """Counterparts by the instructor's choice: the parties in ``strategic`` follow
    their declared strategies at their tables and the script elsewhere; every other
    party no student plays follows the script."""

    def __init__(self, engine: Engine, strategic: Iterable[str], branch: str | None = None):
        wanted = tuple(dict.fromkeys(strategic))
        usable = strategic_parties(engine)
        unknown = [p for p in wanted if p not in usable]
        if unknown:
            raise MoveError(
                f"no declared strategy for {unknown[0]!r} (parties with one: "
                f"{', '.join(usable) or 'none'})"
            )
        self.engine = engine
        self.script = Scripted(engine, branch)
        self.tables: tuple[PartyTable, ...] = tuple(
            _table(engine, spec) for spec in engine.scenario.strategies if spec.party in wanted
        )
        self.held = {(t.party, t.document) for t in self.tables}

    def moves(self, turn: Turn) -> tuple[Event, ...]:
        out = [
            e for e in self.script.moves(turn)
            if not any((p, getattr(e, "document", None)) in self.held for p in e.by)
        ]  # fmt: skip
        for table in self.tables:
            if table.party in turn.students:
                continue
            event = self.answer(table, turn)
            if event is not None:
                out.append(event)
        return tuple(out)

    def answers(self, turn: Turn) -> tuple[Event, ...]:
        """The answers, at once and on the move's day, of the tables where a student's
        move has put another party's offer on the table (the script has nothing to add
        between two stops)."""
        out = []
        for table in self.tables:
            pending = turn.state.documents[table.document].offer
            if table.party in turn.students or pending is None or pending.by == table.party:
                continue
            event = self.answer(table, turn)
            if event is not None:
                out.append(event)
        return tuple(out)

    def answer(self, table: PartyTable, turn: Turn) -> Event | None:
        """The table's move on the turn's day, as an event (None: it waits)."""
        state = turn.state
        if _settled(table.space, state) or _walked(turn, table.party, table.document):
            return None
        pending = state.documents[table.document].offer
        if pending is not None and pending.by == table.party:
            return None
        rng = random.Random(f"{turn.day}|{table.party}|{table.document}")  # noqa: S311
        view = table.view(self.engine, turn)
        if pending is not None and table.index(pending.package.items()) is None:
            # an offer the strategy cannot value (some points left out): it counters
            view = View(view.utility, view.time, (), view.sent, view.reservation)
        move = table.strategy.move(view, rng)
        return _event(table, move, turn.day, pending is not None)


def _table(engine: Engine, spec: PartyStrategy) -> PartyTable:
    interest = party_interest(engine, spec)
    assert interest is not None  # strategic_parties checked it
    doc = next(d for d in engine.scenario.documents if d.id == spec.document)
    space = OutcomeSpace.of(doc)
    seat = Seat.of(engine, spec, interest, space)
    return PartyTable(spec, interest, space, seat.utility, seat.strategy, seat)


def _event(table: PartyTable, move: Move, day: dt.date, pending: bool) -> Event | None:
    assumption = (
        f"a move of {table.party}'s declared {table.strategy.kind} strategy: "
        "no source says it happened"
    )
    event = move_event(table.party, table.space, move, day, pending, assumption)
    if event is None:
        return None
    words = move_text(event)
    return event.model_copy(update={"summary": f"{words} (its {table.strategy.kind} strategy)"})


def move_event(
    party: str, space: OutcomeSpace, move: Move, day: dt.date, pending: bool,
    assumption: str | None = None,
) -> Event | None:
    """A bargaining move of ``party`` on the space's document as an offer-protocol event:
    an offer (a counter when another party's offer is ``pending``), an acceptance (None
    when nothing is pending), a walk-away."""
    data: dict[str, object] = {"date": day.isoformat(), "by": [party], "document": space.document}
    if assumption is not None:
        data["assumption"] = assumption
    if move.kind is MoveKind.accept:
        if not pending:
            return None
        data["kind"] = "accept_offer"
    elif move.kind is MoveKind.walk_away:
        data["kind"] = "walk_away"
    else:
        assert move.package is not None
        data["kind"] = "counter" if pending else "offer"
        data["package"] = space.describe(space.package(move.package))
    return _events().validate_python(data)


def counterparts_for(engine: Engine, modes: dict[str, Mode]) -> tuple[tuple[str, ...], Strategic]:
    """The seats and the counterparts of a group from the instructor's choice per party
    (a party not named follows the script)."""
    known = [p.id for p in engine.scenario.parties]
    for party, mode in modes.items():
        if party not in known:
            raise MoveError(f"unknown party {party!r} (parties: {', '.join(known)})")
        if mode not in MODES:
            raise MoveError(f"{party}: choose one of {', '.join(MODES)}, not {mode!r}")
    seats = tuple(p for p in known if modes.get(p) == "seat")
    strategic = tuple(p for p in known if modes.get(p) == "strategy")
    return seats, Strategic(engine, strategic)


__all__ = [
    "MODES",
    "Mode",
    "Offered",
    "PartyTable",
    "Strategic",
    "batna",
    "counterparts_for",
    "move_event",
    "party_interest",
    "strategic_parties",
]
