"""Bargaining against a responsive party: the student takes one side of a document's
table; the other side answers by the strategy the scenario declares for it.

The bargaining runs inside the engine's run of the timeline (``behaviour.live``): at the
student's turn the session builds a ``Menu`` from the engine's state and hands it to
``ask`` (the caller's: the CLI reads a line), whose ``Move`` the runtime applies like any
other; the other side's turns are its strategy's ``next_move``. ``ask`` returning None
stops the session.

The menu, in plain words, with the student's own utility beside each entry (as an
agreement on the day, its BATNA for walking away), in a stable order: the responses
first (accept the offer on the table, walk away), then the offers, best for the student
first (equal ones by the order of the outcome space), ``PAGE`` at a time with ``more``
for the rest.

At the end, ``comparison`` sets the student's outcome beside the declared strategies'
own run (the same rounds and seed) and beside the recorded timeline's document.

``tables`` names the documents a party can bargain on (``play --as PARTY`` bargains by
default where there is one); ``turn_state`` is the state a saved session records at a
turn: the timeline with the moves made so far, run to the close of the turn's day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, overload

from negotiation.analysis.space import OutcomeSpace
from negotiation.behaviour.live import Bargaining, LiveRun, PackageIndex, Seat, run_bargaining
from negotiation.behaviour.mediated import Mediation
from negotiation.behaviour.protocol import BargainingOutcome
from negotiation.behaviour.scenario import (
    Table,
    documents_with_strategies,
    draft_of,
    move_prefix,
    simulate,
)
from negotiation.behaviour.strategies import Move, MoveKind, View
from negotiation.model.errors import AnalysisError
from negotiation.model.events import Event
from negotiation.model.state import State
from negotiation.model.strategies import StrategyKind
from negotiation.runtime.engine import Engine
from negotiation.runtime.turns import TurnView
from negotiation.teach.choices import ChoiceCache, move_text
from negotiation.teach.counterparts import move_event, party_interest, strategic_parties

PAGE = 12
"""Offers listed at a time (the menu stays within a screen)."""


@dataclass(frozen=True)
class MenuEntry:
    """One entry of the menu: its words, the student's utility, the move."""

    words: str
    utility: float
    move: Move


@dataclass(frozen=True)
class Menu:
    """What the student may do at a turn: responses, then offers by the student's
    utility (best first)."""

    day: dt.date
    party: str
    table: str | None  # the offer on the table, in words
    batna: float
    responses: tuple[MenuEntry, ...]
    offers: Sequence[MenuEntry]  # best for the student first (``MenuOffers``: made when read)
    moves: tuple[Event, ...] = ()  # the moves made so far, both sides', as events

    def page(self, number: int) -> tuple[MenuEntry, ...]:
        """The offers of page ``number`` (from 0)."""
        return tuple(self.offers[number * PAGE : (number + 1) * PAGE])

    def text(self, number: int = 0) -> str:
        """The menu as lines: responses, then a page of offers, numbered 1, 2, ..."""
        lines = [f"{self.day}: your turn ({self.party}); your BATNA {self.batna:.3f}"]
        lines.append(f"  on the table: {self.table}" if self.table else "  nothing on the table")
        shown = [*self.responses, *self.page(number)]
        if self.responses:
            lines.append("  respond:")
        for k, c in enumerate(shown, 1):
            if k == len(self.responses) + 1:
                lines.append(f"  offer (page {number + 1} of {self.pages}, best for you first):")
            lines.append(f"  {k:>3}. {c.words:<40} your utility {c.utility:.3f}")
        return "\n".join(lines + self._footer(number, "offer"))

    def _footer(self, number: int, noun: str) -> list[str]:
        """The lines after page ``number``: how many ``noun``s more, how to answer."""
        more = len(self.offers) - (number + 1) * PAGE
        lines = [f"  ... {more} more {noun}(s): 'more' for the next page"] if more > 0 else []
        return [*lines, "  answer with a number, 'more', 'back' (first page) or 'quit'"]

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.offers) // PAGE))

    def choose(self, number: int, page: int) -> MenuEntry | None:
        shown = [*self.responses, *self.page(page)]
        return shown[number - 1] if 1 <= number <= len(shown) else None

    def named(self, words: str) -> MenuEntry | None:
        """The entry with these words (a saved answer), on any page."""
        return next((c for c in (*self.responses, *self.offers) if c.words == words), None)


Ask = Callable[[Menu], Move | None]


@dataclass
class _Asking:
    """The ``student``'s seat asks (``ask``, shown its ``menu``) instead of following a
    strategy; mixed in before the protocol's class, whose ``decide`` the other seats
    keep."""

    student: str = ""
    ask: Ask | None = None
    stopped: bool = False

    def menu(self, seat: Seat, view: TurnView) -> Menu:
        raise NotImplementedError

    def decide(self, seat: Seat, view: TurnView, strategy_view: View) -> Move | None:
        if seat.party != self.student:
            protocol: Any = super()
            decided: Move | None = protocol.decide(seat, view, strategy_view)
            return decided
        assert self.ask is not None
        chosen = self.ask(self.menu(seat, view))
        self.stopped = chosen is None
        return chosen


@dataclass
class _Student(_Asking, Bargaining):
    """A bargaining whose ``student`` seat asks instead of following a strategy."""

    def menu(self, seat: Seat, view: TurnView) -> Menu:
        assert self._packages is not None
        them = self.seats[1 - self.round % 2].party
        return build_menu(seat, view, self._packages, them, tuple(self.events))


def build_menu(
    seat: Seat, view: TurnView, packages: PackageIndex, them: str | None,
    moves: tuple[Event, ...] = (),
) -> Menu:
    """The seat's menu on the view's day: accept ``them``'s offer if it is on the table
    (None: whoever else made the offer on the table), walk away, then every package of
    the space as an offer, best for the seat first (equal ones in the space's order)."""
    space = packages.space
    day = view.today
    ranking = seat.ranking(view)
    pending = view.offer(space.document)
    responses = []
    table = None
    if pending is not None and pending[0] == (them or pending[0]) and pending[0] != seat.party:
        them = pending[0]
        table = f"{them}: " + ", ".join(f"{p} {v}" for p, v in pending[1])
        found = packages.index(pending[1])
        if found is not None:
            responses.append(MenuEntry(f"accept {them}'s offer", seat.worth(found, day, view),
                                    Move.accept()))  # fmt: skip
    batna = seat.batna(view)
    responses.append(MenuEntry("walk away (no agreement)", batna, Move.walk_away()))
    offers = MenuOffers(ranking.best_first, space, lambda i: seat.worth(i, day, view))
    return Menu(day, seat.party, table, batna, tuple(responses), offers, moves)


class MenuOffers(Sequence[MenuEntry]):
    """A menu's offers in their order, each entry made when it is read: a space may
    have thousands of packages, and a page shows ``PAGE``."""

    def __init__(
        self, order: tuple[int, ...], space: OutcomeSpace, worth: Callable[[int], float],
        words: Callable[[int], str] | None = None,
    ) -> None:
        self._order, self._space, self._worth = order, space, worth
        self._words = words or (lambda i: "offer " + package_words(space, i))

    def __len__(self) -> int:
        return len(self._order)

    def _choice(self, i: int) -> MenuEntry:
        return MenuEntry(self._words(i), self._worth(i), Move.offer(i))

    @overload
    def __getitem__(self, k: int) -> MenuEntry: ...
    @overload
    def __getitem__(self, k: slice) -> tuple[MenuEntry, ...]: ...
    def __getitem__(self, k: int | slice) -> MenuEntry | tuple[MenuEntry, ...]:
        if isinstance(k, slice):
            return tuple(self._choice(i) for i in self._order[k])
        return self._choice(self._order[k])


@dataclass(frozen=True)
class TableMenu:
    """A classroom seat's menu at one document's table, with each entry's move in the
    move grammar (``words``), for the student page."""

    document: str
    menu: Menu
    packages: PackageIndex

    def words(self, choice: MenuEntry) -> str | None:
        """The entry as a move a seat may post (None: an acceptance with nothing to
        accept)."""
        event = move_event(self.menu.party, self.packages.space, choice.move, self.menu.day,
                           self.menu.table is not None)  # fmt: skip
        return None if event is None else move_text(event)


Tables = dict[str, tuple[tuple[Seat, PackageIndex], ...]]
"""Per party, its seats at the tables the scenario declares a usable strategy of it for."""


def _tables(engine: Engine, cache: ChoiceCache | None) -> Tables:
    """The engine's ``Tables``, kept by ``cache`` (the groups' choice cache) when given."""
    if cache is not None:
        if cache.engine is not engine:
            raise ValueError("the choice cache is kept for another engine")
        if cache.tables is not None:
            kept: Tables = cache.tables
            return kept
    usable = set(strategic_parties(engine))
    out: dict[str, list[tuple[Seat, PackageIndex]]] = {}
    for spec in engine.scenario.strategies:
        interest = party_interest(engine, spec)
        if spec.party not in usable or interest is None:
            continue
        doc = next(d for d in engine.scenario.documents if d.id == spec.document)
        space = OutcomeSpace.of(doc)
        out.setdefault(spec.party, []).append((Seat.of(engine, spec, interest, space),
                                               PackageIndex(space)))  # fmt: skip
    found = {party: tuple(seats) for party, seats in out.items()}
    if cache is not None:
        cache.tables = found
    return found


def table_menus(
    engine: Engine, state: State, party: str, cache: ChoiceCache | None = None
) -> tuple[TableMenu, ...]:
    """The menus of a party at each of its tables on the state's day (the documents the
    scenario declares a strategy of it for; none for a party without), in the
    scenario's order of strategies: the menu ``play --bargain`` shows, the offer on the
    table being anyone else's. ``cache``: the groups' choice cache of ``engine``, which
    keeps the seats at the tables (made in ~20 ms on labour-contract-2026-strategies)."""
    seats = _tables(engine, cache).get(party, ())
    if not seats:
        return ()
    view = engine.turn_view(state)
    return tuple(TableMenu(seat.document, build_menu(seat, view, packages, None), packages)
                 for seat, packages in seats)  # fmt: skip


@dataclass
class _MediatedStudent(_Asking, Mediation):
    """Mediated rounds in which the ``student`` answers the mediator's texts."""

    def menu(self, seat: Seat, view: TurnView) -> Menu:
        day = view.today
        assert self.text is not None
        words = package_words(self.space, self.text)
        worth = seat.worth(self.text, day, view)
        batna = seat.batna(view)
        responses = (
            MenuEntry(f"accept {self.mediator}'s text", worth, Move.accept()),
            MenuEntry(f"reject {self.mediator}'s text (it may revise it)", worth,
                   Move(MoveKind.reject)),
            MenuEntry("walk away (no agreement)", batna, Move.walk_away()),
        )  # fmt: skip
        return Menu(day, seat.party, f"{self.mediator}'s text: {words}", batna, responses, (),
                    tuple(self.events))


def package_words(space: OutcomeSpace, package: int) -> str:
    """A package in words: each point and its option."""
    return ", ".join(f"{p} {v}" for p, v in space.labels(space.package(package)).items())


@dataclass(frozen=True)
class MediatorMenu(Menu):
    """The mediator's menu (a student plays the mediator): every text it may put to the
    parties, the text whose worst-off party is best off first (its surplus over its
    BATNA; ties: the highest total, then the space's order), each with every party's
    utility; and how the parties answered the last text."""

    parties: tuple[str, ...] = ()

    def text(self, number: int = 0) -> str:
        lines = [f"{self.day}: your turn ({self.party}, the mediator): put one text to "
                 f"{', '.join(self.parties)}"]  # fmt: skip
        lines.append(f"  {self.table}" if self.table else "  no text yet: the first draft")
        lines.append(f"  texts (page {number + 1} of {self.pages}; the worst-off party's "
                     "utility over its BATNA, then every party's utility):")  # fmt: skip
        for k, c in enumerate(self.page(number), 1):
            lines.append(f"  {k:>3}. {c.words}  worst-off {c.utility:+.3f}")
        return "\n".join(lines + self._footer(number, "text"))


def mediator_menu(session: Mediation, view: TurnView) -> MediatorMenu:
    """The student mediator's menu on the view's day (see ``MediatorMenu``)."""
    space, seats = session.space, session.seats
    rankings = [s.ranking(view) for s in seats]
    batnas = [s.batna(view) for s in seats]

    def surplus(k: int) -> float:
        return min(r(k) - b for r, b in zip(rankings, batnas, strict=True))

    order = tuple(sorted(range(space.size), key=lambda k: (
        -surplus(k), -sum(r(k) for r in rankings), k)))

    def words(k: int) -> str:
        each = ", ".join(f"{s.party} {r(k):.3f}" for s, r in zip(seats, rankings, strict=True))
        return f"text {package_words(space, k)} ({each})"

    table = None
    if session.text is not None:
        said = ", ".join(f"{s.party} {'accepted' if ok else 'rejected'}"
                         for s, ok in zip(seats, session.answers, strict=False))
        table = f"your last text: {package_words(space, session.text)}; {said or 'no answer'}"
    return MediatorMenu(view.today, session.mediator, table, 0.0, (),
                        MenuOffers(order, space, surplus, words), tuple(session.events),
                        parties=session.parties)


@dataclass
class _StudentMediator(Mediation):
    """Mediated rounds in which the student drafts the texts (plays the mediator); the
    parties answer by their declared strategies."""

    ask: Ask | None = None
    stopped: bool = False

    def draft_text(self, view: TurnView) -> tuple[int, str] | None:
        assert self.ask is not None
        chosen = self.ask(mediator_menu(self, view))
        self.stopped = chosen is None
        if chosen is None or chosen.package is None:
            return None
        return chosen.package, f"a draft by the student playing {self.mediator}"


@dataclass(frozen=True)
class Played:
    """A finished (or stopped) bargaining with the student on one side."""

    party: str
    document: str
    space: OutcomeSpace
    run: LiveRun
    stopped: bool
    strategies: BargainingOutcome
    recorded: str


def play_bargain(
    engine: Engine, party: str, ask: Ask, document: str | None = None, *,
    days_per_round: int = 1, seed: int = 0, branch: str | None = None,
) -> Played:
    """Bargain as ``party`` on ``document`` against the other side's declared strategy;
    or, on a mediated document, answer the mediator's texts as one of the parties, or
    draft them as the mediator (the parties answer by their declared strategies)."""
    table = Table.of(engine, document, branch=branch)
    parties = [s.party for s in table.specs]
    mediator = None if table.mediator is None else table.mediator.party
    if party not in parties and party != mediator:
        raise AnalysisError(
            f"{party!r} has no declared strategy on {table.document!r}; the sides are "
            f"{', '.join(parties)}" + (f", and {mediator} mediates" if mediator else "")
        )
    seats = table.seats(engine)
    prefix = move_prefix(engine.scenario, table.document)
    session: _Student | _MediatedStudent | _StudentMediator
    if table.mediator is not None and party == mediator:
        session = _StudentMediator(
            table.mediator.party, table.mediator.deadline, seats, table.space, table.start,
            days_per_round, seed, prefix, ask=ask,
        )  # fmt: skip
    elif table.mediator is not None:
        session = _MediatedStudent(
            table.mediator.party, table.mediator.deadline, seats, table.space, table.start,
            days_per_round, seed, prefix, draft_of(table.mediator, table.space),
            student=party, ask=ask,
        )  # fmt: skip
    else:
        session = _Student((seats[0], seats[1]), table.space, table.start, days_per_round,
                           seed, prefix, student=party, ask=ask)  # fmt: skip
    run = run_bargaining(engine, session, branch)
    theirs = simulate(engine, table.document, days_per_round=days_per_round, seed=seed,
                      branch=branch).transcript.outcome  # fmt: skip
    final = engine.run(branch).final.documents[table.document]
    recorded = (", ".join(f"{p} {v}" for p, v in final.values.items()) if final.values
                else f"no agreed values on {table.document} (it ends {final.state})")
    return Played(party, table.document, table.space, run, session.stopped, theirs, recorded)


def tables(engine: Engine, party: str) -> list[str]:
    """The documents on which ``party`` and one other party have declared strategies
    (where ``party`` can bargain against the other side's), or on which a mediator's
    strategy is declared and ``party`` is the mediator or one of the two or more parties
    it puts its texts to; in the scenario's order."""
    out = []
    for document in documents_with_strategies(engine):
        specs = [x for x in engine.scenario.strategies if x.document == document]
        mediators = [x.party for x in specs if x.kind is StrategyKind.mediator]
        sides = [x.party for x in specs if x.kind is not StrategyKind.mediator]
        if mediators:
            if (len(mediators) == 1 and party in (*sides, mediators[0]) and len(sides) >= 2
                    and len(set(sides)) == len(sides) and mediators[0] not in sides):
                out.append(document)
        elif len(sides) == 2 and party in sides and sides[0] != sides[1]:
            out.append(document)
    return out


def mediates(engine: Engine, party: str, document: str) -> bool:
    """Whether the scenario declares ``party``'s mediator strategy on ``document``."""
    return any(x.party == party and x.document == document
               and x.kind is StrategyKind.mediator for x in engine.scenario.strategies)


def turn_state(engine: Engine, menu: Menu, branch: str | None = None) -> State:
    """The state at a turn, as a saved session records it: the timeline (or ``branch``)
    with the moves made so far, each after its day's own events, run to the close of
    the turn's day."""
    moves = list(menu.moves)
    merged: list[Event] = []
    for event in engine.timeline(branch):
        day = event.date.sort_date if event.date is not None else None
        while moves and day is not None and moves[0].date is not None and (
            moves[0].date.sort_date < day
        ):
            merged.append(moves.pop(0))
        merged.append(event)
    return engine.run(branch, until=menu.day, events=[*merged, *moves]).final


def comparison(played: Played) -> str:
    """The student's outcome beside the strategies' and the record's."""
    if played.party not in played.run.transcript.parties:
        return _mediated_comparison(played)
    me = played.run.transcript.parties.index(played.party)

    def said(o: BargainingOutcome) -> str:
        if o.package is not None:
            words = ", ".join(f"{p} {v}" for p, v in
                              played.space.labels(played.space.package(o.package)).items())
            return f"agreed {words} on {o.day}, your utility {o.utilities[me]:.3f}"
        how = "a walk-away" if o.ended_by == "walk_away" else "the deadline"
        return f"no agreement ({how}, {o.day}), your BATNA {o.utilities[me]:.3f}"

    o = played.run.transcript.outcome
    lines = [
        f"You ({played.party}): {said(o)}",
        f"The declared strategies, on the same rounds: {said(played.strategies)}",
        f"The recorded timeline: {played.recorded}",
    ]
    return "\n".join(lines)


def _mediated_comparison(played: Played) -> str:
    """The student mediator's outcome (every party's utility) beside the declared
    mediator rule's and the record's."""
    parties = played.run.transcript.parties

    def said(o: BargainingOutcome) -> str:
        each = ", ".join(f"{p} {u:.3f}" for p, u in zip(parties, o.utilities, strict=True))
        if o.package is not None:
            return f"agreed {package_words(played.space, o.package)} on {o.day} ({each})"
        how = "a walk-away" if o.ended_by == "walk_away" else "the deadline"
        return f"no agreement ({how}, {o.day}); the parties' BATNAs {each}"

    return "\n".join([
        f"You (mediating as {played.party}): {said(played.run.transcript.outcome)}",
        f"The declared mediator rule, on the same rounds: {said(played.strategies)}",
        f"The recorded timeline: {played.recorded}",
    ])


__all__ = [
    "PAGE",
    "MediatorMenu",
    "Menu",
    "MenuEntry",
    "Played",
    "TableMenu",
    "build_menu",
    "comparison",
    "mediates",
    "mediator_menu",
    "package_words",
    "play_bargain",
    "table_menus",
    "tables",
    "turn_state",
]  # fmt: skip
