"""The table a scenario sets: two parties' declared strategies on one document.

``Table.of(engine, document)`` finds the two strategies the scenario declares for the
document and builds each side from the scenario alone: its utility over the document's
outcome space (its interest), its BATNA on a day (the interest's default, or the first
case whose condition holds on the state at the close of that day on the scenario's
timeline), its cost of delay counted from the scenario's start, and its due date on a
day (its strategy's deadline as due on the state at the close of that day, extensions
included); ``Table.seats`` gives the same sides as they read the engine's state inside
a run (``live.Seat``). ``simulate`` runs alternating offers between them inside the
engine's run of the timeline: every move an offer event the engine applies, every view
read from the engine's state at the turn (``live``).

A document on which the scenario declares a ``mediator`` strategy is bargained by
mediated single-text rounds instead (``mediated``): the mediator drafts, the two or more
parties whose strategies name the document answer; ``Table.rounds`` gives the protocol
the scenario picks.

Names a strategy gives (its party, document and deadline) are checked here, with a
clear ``AnalysisError``; a scenario file with a wrong name still loads.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from negotiation.analysis.space import OutcomeSpace
from negotiation.analysis.utility import PartyUtility
from negotiation.behaviour.live import Bargaining, PackageIndex, Rounds, Seat, run_bargaining
from negotiation.behaviour.mediated import Mediation
from negotiation.behaviour.protocol import Side, Transcript
from negotiation.behaviour.strategies import Ranking, Strategy, from_spec
from negotiation.model.documents import option_text
from negotiation.model.errors import AnalysisError, did_you_mean
from negotiation.model.events import Event
from negotiation.model.interests import Interest
from negotiation.model.scenario import Scenario
from negotiation.model.state import State
from negotiation.model.strategies import PartyStrategy, StrategyKind
from negotiation.model.trace import Trace
from negotiation.runtime.engine import Engine


def documents_with_strategies(engine: Engine) -> list[str]:
    """The documents some strategy bargains over, in the scenario's order."""
    named = {x.document for x in engine.scenario.strategies}
    return [d.id for d in engine.scenario.documents if d.id in named]


def _document(engine: Engine, document: str | None) -> str:
    scenario = engine.scenario
    named = documents_with_strategies(engine)
    if not scenario.strategies:
        raise AnalysisError(
            f"scenario {scenario.id!r} declares no strategies: simulate needs two parties' "
            "strategies on a document (see docs/writing-scenarios.md)"
        )
    if document is None:
        if len(named) != 1:
            raise AnalysisError(f"name a document: strategies bargain over {', '.join(named)}")
        return named[0]
    if document not in named:
        known = [d.id for d in scenario.documents]
        if document in known:
            raise AnalysisError(
                f"no strategy bargains over document {document!r}; documents with "
                f"strategies: {', '.join(named) or 'none'}"
            )
        raise AnalysisError(f"unknown document {document!r}{did_you_mean(document, known)}")
    return document


def _check(engine: Engine, spec: PartyStrategy) -> Interest:
    """The strategy's interest, once its names are checked."""
    scenario = engine.scenario
    where = f"the strategy of {spec.party} in {spec.document}"
    deadlines = [d.id for d in scenario.deadlines]
    if spec.deadline not in deadlines:
        raise AnalysisError(
            f"{where} names unknown deadline {spec.deadline!r}"
            f"{did_you_mean(spec.deadline, deadlines)}"
        )
    for x in scenario.interests:
        if x.party == spec.party and x.document == spec.document:
            return x
    raise AnalysisError(
        f"{where}: no interest of {spec.party} in {spec.document} says what its options are "
        "worth to it; declare one under interests"
    )


def _mediator(engine: Engine, specs: list[PartyStrategy]) -> PartyStrategy | None:
    """The document's mediator strategy (at most one), its deadline checked."""
    found = [x for x in specs if x.kind is StrategyKind.mediator]
    if not found:
        return None
    document = found[0].document
    if len(found) > 1:
        raise AnalysisError(f"{document!r} has {len(found)} mediators "
                            f"({', '.join(x.party for x in found)}); one drafts the text")
    spec = found[0]
    deadlines = [d.id for d in engine.scenario.deadlines]
    if spec.deadline not in deadlines:
        raise AnalysisError(
            f"the mediator strategy of {spec.party} in {document} names unknown deadline "
            f"{spec.deadline!r}{did_you_mean(spec.deadline, deadlines)}"
        )
    return spec


def draft_of(spec: PartyStrategy, space: OutcomeSpace) -> int | None:
    """The mediator's declared first draft as a package of the space."""
    if spec.draft is None:
        return None
    items = tuple((p, option_text(v)) for p, v in spec.draft.items())
    found = PackageIndex(space).index(items)
    if found is None:
        raise AnalysisError(
            f"the first draft of {spec.party}'s mediator strategy in {spec.document} is not "
            f"a package of it: give each of {', '.join(space.point_ids)} one of its options"
        )
    return found


@dataclass(frozen=True)
class Table:
    """The sides, each with its declared strategy, on one document: two for alternating
    offers; two or more, and the ``mediator``, for mediated single-text rounds."""

    document: str
    space: OutcomeSpace
    specs: tuple[PartyStrategy, ...]
    sides: tuple[Side, ...]
    start: dt.date
    mediator: PartyStrategy | None = None

    @classmethod
    def of(
        cls,
        engine: Engine,
        document: str | None = None,
        *,
        first: str | None = None,
        branch: str | None = None,
    ) -> Table:
        """The table of ``document`` (the one document strategies name by default);
        ``first`` opens (by default the party whose strategy the scenario lists first)."""
        document = _document(engine, document)
        specs = [x for x in engine.scenario.strategies if x.document == document]
        mediator = _mediator(engine, specs)
        if mediator is not None:
            return cls._mediated(engine, document, specs, mediator, first, branch)
        parties = [x.party for x in specs]
        if len(specs) != 2 or parties[0] == parties[1]:
            raise AnalysisError(
                f"simulate needs the strategies of exactly two parties on {document!r}; "
                f"the scenario gives {len(specs)} ({', '.join(parties)})"
            )
        if first is not None:
            if first not in parties:
                raise AnalysisError(
                    f"no strategy of {first!r} on {document!r}{did_you_mean(first, parties)} "
                    f"(the sides are {parties[0]} and {parties[1]})"
                )
            if first != parties[0]:
                specs.reverse()
        doc = next(d for d in engine.scenario.documents if d.id == document)
        space = OutcomeSpace.of(doc)
        origin = engine.start_date()
        states = _States(engine, branch)
        sides = tuple(_side(engine, spec, space, states, origin) for spec in specs)
        return cls(document, space, (specs[0], specs[1]), (sides[0], sides[1]), origin)

    @classmethod
    def _mediated(
        cls, engine: Engine, document: str, specs: list[PartyStrategy],
        mediator: PartyStrategy, first: str | None, branch: str | None,
    ) -> Table:
        parties = [x for x in specs if x is not mediator]
        names = [x.party for x in parties]
        if len(names) < 2 or len(set(names)) != len(names) or mediator.party in names:
            raise AnalysisError(
                f"mediated rounds on {document!r} need the strategies of two or more other "
                f"parties beside the mediator {mediator.party}, each once; the scenario "
                f"gives {len(names)} ({', '.join(names) or 'none'})"
            )
        if first is not None:
            raise AnalysisError(
                f"{document!r} is bargained by mediated rounds: {mediator.party} drafts "
                "first, so --first does not apply"
            )
        doc = next(d for d in engine.scenario.documents if d.id == document)
        space = OutcomeSpace.of(doc)
        draft_of(mediator, space)
        origin = engine.start_date()
        states = _States(engine, branch)
        sides = tuple(_side(engine, spec, space, states, origin) for spec in parties)
        return cls(document, space, tuple(parties), sides, origin, mediator)

    def seats(
        self, engine: Engine, strategies: dict[str, Strategy] | None = None
    ) -> tuple[Seat, ...]:
        """The sides as they read the engine inside a run (``live.Seat``), with
        ``strategies`` (party -> strategy) in place of the declared ones."""
        chosen = strategies or {}
        return tuple(
            Seat.of(engine, spec, _check(engine, spec), self.space, chosen.get(spec.party))
            for spec in self.specs
        )

    def rounds(
        self, engine: Engine, *, start: dt.date | None = None, days_per_round: int = 1,
        seed: int = 0, strategies: dict[str, Strategy] | None = None,
    ) -> Rounds:
        """The protocol the scenario picks for this table: mediated rounds when it declares
        a mediator on the document, else alternating offers."""
        seats = self.seats(engine, strategies)
        begin = start or self.start
        prefix = move_prefix(engine.scenario, self.document)
        if self.mediator is not None:
            return Mediation(self.mediator.party, self.mediator.deadline, seats, self.space,
                             begin, days_per_round, seed, prefix,
                             draft_of(self.mediator, self.space))  # fmt: skip
        return Bargaining((seats[0], seats[1]), self.space, begin, days_per_round, seed,
                          prefix)  # fmt: skip


class _States:
    """The state at the close of each day on the scenario's timeline, computed once."""

    def __init__(self, engine: Engine, branch: str | None) -> None:
        self.engine = engine
        self.branch = branch
        self.cache: dict[dt.date, State] = {}

    def __call__(self, day: dt.date) -> State:
        found = self.cache.get(day)
        if found is None:
            found = self.engine.run(self.branch, until=day).final
            self.cache[day] = found
        return found


def _side(
    engine: Engine,
    spec: PartyStrategy,
    space: OutcomeSpace,
    states: _States,
    origin: dt.date,
) -> Side:
    interest = _check(engine, spec)
    utility = Ranking.of(PartyUtility.of(interest, space).every())
    reservation = interest.reservation
    conditions = {c.when: engine.parse(c.when) for c in reservation.cases}

    def batna(day: dt.date) -> float:
        if not conditions:
            return reservation.default
        state = states(day)
        return reservation.value(lambda when: engine.evaluate(conditions[when], state))

    def due(day: dt.date) -> dt.date:
        found = states(day).deadlines[spec.deadline].due
        if found is None:
            raise AnalysisError(
                f"deadline {spec.deadline!r}, which ends {spec.party}'s time, has no due "
                f"date on {day}"
            )
        return found

    return Side(
        party=spec.party,
        strategy=from_spec(spec),
        utility=utility,
        due=due,
        batna=batna,
        delay=interest.delay,
        origin=origin,
    )


@dataclass(frozen=True)
class Simulation:
    """A bargaining run: the table, the transcript of its turns, the events the moves
    became and the engine's trace of the timeline with them."""

    table: Table
    transcript: Transcript
    events: tuple[Event, ...] = ()
    trace: Trace | None = None


def move_prefix(scenario: Scenario, document: str) -> str:
    """``bargain_DOCUMENT``, lengthened until no event id of the scenario starts so."""
    taken = {e.id for e in scenario.timeline if e.id} | {
        e.id for b in scenario.branches for e in b.add if e.id
    }
    prefix = f"bargain_{document}"
    while any(i.startswith(prefix) for i in taken):
        prefix += "_"
    return prefix


def simulate(
    engine: Engine,
    document: str | None = None,
    *,
    first: str | None = None,
    start: dt.date | None = None,
    days_per_round: int = 1,
    seed: int = 0,
    branch: str | None = None,
    strategies: dict[str, Strategy] | None = None,
) -> Simulation:
    """The protocol the scenario picks (``Table.rounds``) between the strategies it
    declares on a document: alternating offers, or mediated single-text rounds, from
    ``start`` (the scenario's start by default), inside the engine's run of the
    timeline (or ``branch``): every move an event the engine applies (``live``).
    ``strategies``: party -> a strategy that replaces the one the scenario declares."""
    table = Table.of(engine, document, first=first, branch=branch)
    begin = start or table.start
    if begin < table.start:
        raise AnalysisError(f"{begin} is before the scenario starts ({table.start})")
    rounds = table.rounds(engine, start=begin, days_per_round=days_per_round, seed=seed,
                          strategies=strategies)  # fmt: skip
    run = run_bargaining(engine, rounds, branch)
    return Simulation(table, run.transcript, run.events, run.trace)


__all__ = [
    "Simulation",
    "Table",
    "documents_with_strategies",
    "draft_of",
    "move_prefix",
    "simulate",
]
