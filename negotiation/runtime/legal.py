"""Legal moves: what some parties could do in a state, in a fixed order, and the
candidates the engine blocks with every reason it gives. Free decision points offer
these moves (``negotiation.model.decisions``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from negotiation.model.dates import FuzzyDate
from negotiation.model.deadlines import LIVE_STATUSES, DeadlineStatus
from negotiation.model.documents import Document
from negotiation.model.events import (
    Accept,
    Breach,
    Derive,
    DropDeadline,
    EnforceDeadline,
    Event,
    Propose,
    Ratify,
    Reject,
    Revise,
    SetDeadline,
    Sign,
    StatePosition,
    SubmitComments,
    Supersede,
    Transition,
    WaiveDeadline,
    Withdraw,
)
from negotiation.model.positions import Stance
from negotiation.model.scenario import Scenario
from negotiation.model.state import State
from negotiation.runtime.engine import Engine

# -- legal moves ---------------------------------------------------------------------


@dataclass(frozen=True)
class Moves:
    """The moves some parties could make in a state: the legal ones, in a fixed order,
    and the blocked candidates with every reason the engine gives."""

    legal: tuple[Event, ...]
    blocked: tuple[tuple[Event, tuple[str, ...]], ...]


_STANCES = (Stance.supports, Stance.supports_with_conditions, Stance.opposes, Stance.undecided)


def _bodies(scenario: Scenario, party: str) -> list[str]:
    for p in scenario.parties:
        if p.id == party:
            return [f"{p.id}.{b.id}" for b in p.bodies]
    return []


def _trigger_moves(
    doc: Document, trigger: str, actors: Sequence[str], day: FuzzyDate
) -> list[Event]:
    """The events that fire ``trigger`` on ``doc``, one per actor that may fire it."""
    party = actors[0]
    base = {"date": day, "by": [party], "document": doc.id}
    simple: dict[str, type[Event]] = {
        "propose": Propose,
        "revise": Revise,
        "submit_comments": SubmitComments,
        "sign": Sign,
        "withdraw": Withdraw,
        "supersede": Supersede,
        "breach": Breach,
    }
    if trigger in simple:
        return [simple[trigger].model_validate(base)]
    if trigger == "derive":
        if doc.derived_from is None:
            return []
        return [Derive(date=day, by=[party], document=doc.id, source=doc.derived_from)]
    if trigger == "ratify":
        who = [a for a in actors if a in doc.ratification_by] if doc.ratification_by else [party]
        return [Ratify(date=day, by=[a], document=doc.id) for a in who]
    return [Transition(date=day, by=[party], document=doc.id, trigger=trigger)]


def _document_moves(engine: Engine, state: State, party: str, day: FuzzyDate) -> Iterable[Event]:
    actors = [party, *_bodies(engine.scenario, party)]
    for doc in engine.scenario.documents:
        current = state.documents[doc.id].state
        lifecycle = engine.lifecycles[doc.lifecycle]
        for trigger in lifecycle.available(current):
            yield from _trigger_moves(doc, trigger, actors, day)
        if current in lifecycle.absorbing:
            continue
        stance = state.stance(party, doc.id)
        if stance != Stance.accepts:
            yield Accept(date=day, by=[party], document=doc.id)
        if stance != Stance.rejects:
            yield Reject(date=day, by=[party], document=doc.id)
        for s in _STANCES:
            if stance != s:
                yield StatePosition(date=day, by=[party], document=doc.id, stance=s)


def _deadline_moves(engine: Engine, state: State, party: str, day: FuzzyDate) -> Iterable[Event]:
    for d in engine.scenario.deadlines:
        if d.set_by != party:
            continue
        status = state.deadlines[d.id].status
        if status is DeadlineStatus.missed:
            if d.consequence is not None:
                yield EnforceDeadline(date=day, by=[party], deadline=d.id)
            yield WaiveDeadline(date=day, by=[party], deadline=d.id)
        if status in LIVE_STATUSES or status is DeadlineStatus.missed:
            yield DropDeadline(date=day, by=[party], deadline=d.id)
        if status in (DeadlineStatus.inactive, DeadlineStatus.dropped):
            yield SetDeadline(date=day, by=[party], deadline=d.id)


def candidate_moves(engine: Engine, state: State, parties: Iterable[str]) -> list[Event]:
    """Every move the parties might make in ``state``, before the engine's checks:
    lifecycle triggers available from each document's state (by the party, or by its
    bodies for a ratification), stances on documents that are not in a final state
    (accept, reject, support, support with conditions, oppose, undecided; a stance the
    party already holds is left out), and the acts of a deadline's setter (enforce or
    waive a missed deadline, drop a live or missed one, set an inactive one). Extensions
    need a date and are left to alternatives. Dated on the state's day."""
    day = FuzzyDate.of(state.date)
    out: list[Event] = []
    for party in parties:
        out.extend(_document_moves(engine, state, party, day))
        out.extend(_deadline_moves(engine, state, party, day))
    return out


def legal_moves(engine: Engine, state: State, parties: Iterable[str] | None = None) -> Moves:
    """The candidate moves of ``parties`` (default: every party), split by ``Engine.check``
    into the legal ones and the blocked ones with their reasons."""
    who = [p.id for p in engine.scenario.parties] if parties is None else list(parties)
    legal: list[Event] = []
    blocked: list[tuple[Event, tuple[str, ...]]] = []
    for event in candidate_moves(engine, state, who):
        reasons = engine.check(state, event)
        if reasons:
            blocked.append((event, tuple(reasons)))
        else:
            legal.append(event)
    return Moves(tuple(legal), tuple(blocked))
