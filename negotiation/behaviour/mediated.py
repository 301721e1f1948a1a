"""Mediated single-text rounds inside the engine's run: a mediator drafts one text, the
parties accept or reject it, the mediator revises it.

``Mediation`` is a ``runtime.turns.Turns``, beside ``live.Bargaining`` (alternating
offers). Round ``k`` falls on ``start + k * days_per_round``, after that day's own
events. In each round the mediator puts its text to every party (an ``offer`` with
``to``: the parties, in the scenario's order of their strategies), then each party
answers it in that order (``accept_offer``, ``reject_offer`` or ``walk_away``). The
runtime agrees the text when every party it is put to has accepted it as it stands
(``runtime/compiled/_offers``): an agreement is a text every party accepted on that day.
A draft the engine refuses (the mediator is excluded from the talks, the document is in
a final state) is recorded with the engine's reasons and that round has no answers; the
rounds go on. A walk-away ends the rounds; so does the deadline: when the next round's day is after
the earliest due date of the mediator's and the parties' deadlines (as they stand before
that day, extensions included), each party then gets its BATNA.

**The parties' answers** are their declared strategies' moves (``strategies``): a party
sees the mediator's texts so far as the offers it received and the packages it would
have offered instead as its own; its strategy's acceptance (AC_next: a text worth at
least what it would offer now, and at least its BATNA) accepts the text, its offer
rejects it (the offer is recorded as what the party would have preferred), its
walk-away walks away. A time-dependent party's target falls with its time, so a text it
rejects early it may accept later.

**The mediator's rule (a modelling assumption).** The procedure is the one-text
procedure Roger Fisher proposed and the United States used at Camp David in 1978, as
Howard Raiffa describes it in "The Art and Science of Negotiation" (1982): the mediator
does not ask the parties for concessions but drafts a single text, asks each for its
criticisms, and redrafts, over and over, until it judges the text cannot be improved and
asks for a yes or no. Raiffa's analytic mediator also hears each side's interests in
confidence. Our rule, in our own words, is a simple reading of that:

* The mediator knows the parties' assumed utilities (the scenario's interests).
* The mediator knows the parties' assumed utilities and BATNAs (the scenario's
  interests); a party's surplus is its utility of a text less its BATNA.
* First draft: the ``draft`` its strategy declares, else the package whose worst-off
  party is best off (the highest least surplus over the parties; ties: the highest
  total, then the first in the outcome space's order).
* Revision: a rejection says "not this text". The mediator turns to the rejecting party
  the current text serves least (the lowest surplus; ties: the first in order). From the
  current text it considers the texts one step away (one point moved to the next option
  up or down its list) that it has not drafted before and that gain that party
  something. It keeps to those that leave every party that accepted the current text at
  least as well off, when there are any (it costs an accepting party only when it cannot
  be avoided); among them it takes the one that gains that party most (ties: the most
  for the other rejecting parties, then the least cost to the accepting ones, then the
  first in the outcome space's order). When no text gains that party anything, it puts
  the same text again: the parties' time moves on and their targets with it.

The rule is deterministic; the parties' strategies draw from one ``random.Random(seed)``
in turn order (only the ``random`` kind draws), so a seed gives a byte-identical trace.
Every rule comes from the scenario: the mediator's strategy (``kind: mediator``), the
parties' strategies and interests, the deadlines.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from pydantic import TypeAdapter

from negotiation.analysis.bargaining import EPS
from negotiation.analysis.space import OutcomeSpace
from negotiation.behaviour.live import Seat
from negotiation.behaviour.protocol import (
    MAX_ROUNDS,
    BargainingOutcome,
    BargainingTurn,
    Ending,
    Transcript,
)
from negotiation.behaviour.strategies import Move, MoveKind, Ranking, View, time_fraction
from negotiation.model.dates import FuzzyDate
from negotiation.model.events import Event
from negotiation.model.trace import TraceEntry
from negotiation.runtime.turns import TurnView


@cache
def _events() -> TypeAdapter[Event]:
    return TypeAdapter(Event)


def first_draft(
    space: OutcomeSpace, rankings: Sequence[Ranking], batnas: Sequence[float]
) -> int:
    """The package whose worst-off party is best off, counted above its BATNA (ties: the
    highest total, then the first in the space's order)."""
    best: tuple[float, float, int] | None = None
    for k in range(space.size):
        values = [r(k) - b for r, b in zip(rankings, batnas, strict=True)]
        key = (min(values), sum(values), -k)
        if best is None or key > best:
            best = key
    assert best is not None
    return -best[2]


def neighbours(space: OutcomeSpace, package: int) -> list[int]:
    """The texts one step away: one point moved to the next option up or down its list
    (in the space's order)."""
    at = space.package(package)
    out = []
    for j, options in enumerate(space.options):
        for step in (-1, 1):
            i = at[j] + step
            if 0 <= i < len(options):
                out.append(space.index((*at[:j], i, *at[j + 1 :])))
    return sorted(out)


def revise(
    space: OutcomeSpace, current: int, rankings: Sequence[Ranking], batnas: Sequence[float],
    accepted: Sequence[bool], drafted: set[int],
) -> int:
    """The mediator's next text (see the module docstring): ``accepted[i]`` says whether
    party ``i`` accepted ``current``."""
    base = [r(current) for r in rankings]
    rejecting = [i for i, ok in enumerate(accepted) if not ok]
    if not rejecting:
        return current
    # the rejecting party the text serves least, above its BATNA (ties: the first)
    focus = min(rejecting, key=lambda i: (base[i] - batnas[i], i))
    gaining = [n for n in neighbours(space, current)
               if n not in drafted and rankings[focus](n) > base[focus] + EPS]
    keeping = [
        n for n in gaining
        if all(not ok or r(n) >= b - EPS
               for r, b, ok in zip(rankings, base, accepted, strict=True))
    ]  # fmt: skip
    best: tuple[float, float, float, int] | None = None
    for n in keeping or gaining:
        deltas = [r(n) - b for r, b in zip(rankings, base, strict=True)]
        others = sum(deltas[i] for i in rejecting if i != focus)
        cost = sum(d for d, ok in zip(deltas, accepted, strict=True) if ok)
        key = (deltas[focus], others, cost, -n)
        if best is None or key > best:
            best = key
    return current if best is None else -best[3]


@dataclass
class Mediation:
    """Single-text rounds between a mediator and the parties (see the module docstring)."""

    mediator: str
    deadline: str  # the mediator's: it ends the rounds
    seats: tuple[Seat, ...]
    space: OutcomeSpace
    start: dt.date
    days_per_round: int = 1
    seed: int = 0
    prefix: str = "mediate"
    draft: int | None = None  # the declared first draft, as a package index
    rng: random.Random = field(init=False)
    round: int = 0
    position: int = 0  # 0: the mediator drafts; i: party i - 1 answers
    text: int | None = None
    drafted: set[int] = field(default_factory=set)
    drafts: list[int] = field(default_factory=list)
    proposals: list[list[int]] = field(default_factory=list)
    answers: list[bool] = field(default_factory=list)
    turns: list[BargainingTurn] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    outcome: BargainingOutcome | None = None
    _last: tuple[dt.date, float, Move, int | None] | None = None
    _view: TurnView | None = None

    def __post_init__(self) -> None:
        if self.days_per_round < 1:
            raise ValueError(f"days_per_round must be 1 or more, got {self.days_per_round}")
        parties = [s.party for s in self.seats]
        if len(parties) < 2 or len(set(parties)) != len(parties):
            raise ValueError(f"mediated rounds need two or more distinct parties, got {parties}")
        if self.mediator in parties:
            raise ValueError(f"the mediator {self.mediator!r} cannot be a party too")
        self.rng = random.Random(self.seed)  # noqa: S311 - reproducible simulation
        self.proposals = [[] for _ in self.seats]

    @property
    def document(self) -> str:
        return self.space.document

    @property
    def parties(self) -> tuple[str, ...]:
        return tuple(s.party for s in self.seats)

    def _day(self) -> dt.date:
        return self.start + dt.timedelta(days=self.round * self.days_per_round)

    def _dues(self, view: TurnView) -> list[dt.date]:
        names = [self.deadline, *(s.deadline for s in self.seats)]
        return [d for d in (view.due(n) for n in names) if d is not None]

    def _all(self, package: int, day: dt.date) -> tuple[float, ...]:
        return tuple(s.worth(package, day, self._view) for s in self.seats)

    def _end(self, how: Ending, day: dt.date, package: int | None, view: TurnView) -> None:
        dues = self._dues(view)
        closes = min(dues) if dues else day
        utilities = (self._all(package, day) if package is not None
                     else tuple(s.batna(view) for s in self.seats))
        k = None if how == "deadline" else self.round
        self.outcome = BargainingOutcome(
            how, package, k, day, time_fraction(self.start, day, closes), utilities, closes
        )

    def horizon(self, view: TurnView) -> None:
        """End rounds that the run's horizon cut short, as at the deadline."""
        if self.outcome is None:
            self._view = view
            day = min([view.today, *self._dues(view)])
            self._end("deadline", max(self.start, day), None, view)

    def decide(self, seat: Seat, view: TurnView, strategy_view: View) -> Move | None:
        """A party's answer: its strategy's move (a subclass may ask someone; None
        stops)."""
        return seat.strategy.move(strategy_view, self.rng)

    def _rankings(self, view: TurnView) -> list[Ranking]:
        return [s.ranking(view) for s in self.seats]

    def draft_text(self, view: TurnView) -> tuple[int, str] | None:
        """The mediator's text this round and whose it is, in words: its declared rule's
        (a subclass may ask someone; None stops)."""
        rankings = self._rankings(view)
        batnas = [s.batna(view) for s in self.seats]
        if self.text is None:
            text = (self.draft if self.draft is not None
                    else first_draft(self.space, rankings, batnas))
        else:
            text = revise(self.space, self.text, rankings, batnas, self.answers, self.drafted)
        return text, (f"a draft by {self.mediator}'s declared mediator rule, simulated with "
                      f"seed {self.seed}")

    # -- runtime.turns.Turns ----------------------------------------------------------------
    def next_day(self, view: TurnView) -> dt.date | None:
        if self.outcome is not None:
            return None
        if self.position:
            return view.today  # the parties answer on the day of the text
        if self.round >= MAX_ROUNDS:
            raise ValueError(
                f"no end after {MAX_ROUNDS:,} rounds: does a deadline move without end?"
            )
        day = self._day()
        dues = self._dues(view)
        if dues and day > min(dues):
            self._view = view
            self._end("deadline", max(self.start, min(dues)), None, view)
            return None
        return day

    def move(self, view: TurnView) -> Event | None:
        day = view.today
        self._view = view
        data: dict[str, object] = {
            "id": f"{self.prefix}_{len(self.events) + 1}",
            "date": FuzzyDate.of(day),
            "document": self.document,
        }
        if self.position == 0:
            drafted = self.draft_text(view)
            if drafted is None:
                return None
            text, why = drafted
            move = Move.offer(text)
            data.update(kind="offer", by=[self.mediator], to=list(self.parties),
                        package=self.space.describe(self.space.package(text)),
                        assumption=f"{why}: no source says it happened")
            time = time_fraction(self.start, day, min(self._dues(view) or [day]))
            self._last = (day, time, move, text)
        else:
            seat = self.seats[self.position - 1]
            mine = self.proposals[self.position - 1]
            sv = seat.view(view, self.start, tuple(self.drafts), tuple(mine))
            found = self.decide(seat, view, sv)
            if found is None:
                return None
            chosen = found
            if chosen.kind is MoveKind.accept:
                data["kind"] = "accept_offer"
                move = chosen
            elif chosen.kind in (MoveKind.offer, MoveKind.reject):
                data["kind"] = "reject_offer"
                move = Move(MoveKind.reject, chosen.package)
            else:
                data["kind"] = "walk_away"
                move = chosen
            data.update(by=[seat.party], assumption=f"an answer of {seat.party}'s declared "
                        f"strategy, simulated with seed {self.seed}: no source says it "
                        "happened")  # fmt: skip
            self._last = (day, sv.time, move, self.text)
        event = _events().validate_python(data)
        self.events.append(event)
        return event

    def seen(self, entry: TraceEntry) -> None:
        assert self._last is not None
        assert self._view is not None
        day, time, move, package = self._last
        who = self.mediator if self.position == 0 else self.seats[self.position - 1].party
        utilities = None if package is None else self._all(package, day)
        refused = entry.kind != "event"
        self.turns.append(BargainingTurn(self.round, day, who, time, move, utilities,
                               refused=tuple(entry.reasons) if refused else ()))
        if refused:
            if self.position == 0:  # no text on the table this round: nothing to answer
                self.round += 1
                return
            self.answers.append(False)  # a refused answer accepts nothing
        elif self.position == 0:
            assert package is not None
            self.text = package
            self.drafted.add(package)
            self.drafts.append(package)
            self.answers = []
        elif move.kind is MoveKind.walk_away:
            self._end("walk_away", day, None, self._view)
            return
        else:
            self.answers.append(move.kind is MoveKind.accept)
            if move.kind is MoveKind.reject and move.package is not None:
                self.proposals[self.position - 1].append(move.package)
        self.position += 1
        if self.position > len(self.seats):
            self.position = 0
            if all(self.answers):
                self._end("accept", day, self.text, self._view)
            else:
                self.round += 1

    def transcript(self) -> Transcript:
        assert self.outcome is not None
        return Transcript(self.parties, self.seed, self.start, self.days_per_round,
                          tuple(self.turns), self.outcome)


__all__ = ["Mediation", "first_draft", "neighbours", "revise"]
