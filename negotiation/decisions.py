"""Decision points: where a scenario forks into alternative moves.

A decision point is taken once, either on a date (``at``, ordered with the timeline's
events by (date, priority), after the events of the same date and priority) or the first
time a condition holds (``when``, checked in every state the explorer or sampler
reaches). At a decision point the scenario offers

* ``alternatives``: named moves, each a list of events (empty: nothing happens), with an
  optional ``probability``; a probability is an assumption and is listed as one unless
  the alternative carries its own ``assumption`` text; and/or
* ``free: true`` with ``parties``: every legal move of those parties (see
  ``legal_moves``), plus passing when ``allow_pass`` (the default).

Events of an alternative carry no date: they happen on the day the decision is taken.
A decision whose ``when`` first holds at the close of a day is taken the next morning.
An alternative whose events are blocked is not an option; a decision with no option is
a stuck state (``negotiation explore`` reports it).

Sampling weights: a labelled alternative weighs its probability; what is left of 1 is
shared equally by the unlabelled options (unlabelled alternatives, every free move, the
pass). Options that turn out blocked are dropped and the rest renormalised.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import Field, model_validator

from ._base import Frozen, Id, Ref
from .attribution import Attribution
from .dates import FuzzyDate
from .deadlines import LIVE_STATUSES, DeadlineStatus
from .documents import Document
from .events import (
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
from .positions import Stance
from .state import State

if TYPE_CHECKING:
    from .engine import Engine
    from .scenario import Scenario

PROBABILITY_SLACK = 1e-9


class Alternative(Frozen):
    """One option at a decision point: its events happen together, in order."""

    id: Id
    summary: str | None = None
    events: list[Event] = []
    probability: float | None = Field(default=None, ge=0.0, le=1.0)
    assumption: str | None = None
    attribution: Attribution | None = None


class DecisionPoint(Frozen):
    """Where the scenario forks. Exactly one of ``at`` / ``when``."""

    id: Id
    summary: str | None = None
    at: FuzzyDate | None = None
    when: str | None = None
    priority: int = 0
    alternatives: list[Alternative] = []
    parties: list[Ref] = []
    free: bool = False
    allow_pass: bool = True
    assumption: str | None = None
    attribution: Attribution | None = None

    @model_validator(mode="after")
    def _shape(self) -> DecisionPoint:
        if (self.at is None) == (self.when is None):
            raise ValueError("a decision point needs exactly one of 'at' or 'when'")
        if self.free and not self.parties:
            raise ValueError("a free decision point needs 'parties' (who may move)")
        if self.parties and not self.free:
            raise ValueError("'parties' only applies with 'free: true'")
        if not self.free and not self.alternatives:
            raise ValueError("a decision point needs 'alternatives' or 'free: true'")
        labelled = [a.probability for a in self.alternatives if a.probability is not None]
        total = sum(labelled)
        if total > 1 + PROBABILITY_SLACK:
            raise ValueError(f"the alternatives' probabilities add up to {total:g}, more than 1")
        everything_labelled = len(labelled) == len(self.alternatives) and not self.free
        if everything_labelled and abs(total - 1) > 1e-6:
            raise ValueError(
                f"every alternative has a probability but they add up to {total:g}, not 1"
            )
        return self


def option_weights(decision: DecisionPoint, free_moves: int) -> list[float]:
    """Sampling weights of the options, in order: alternatives, free moves, the pass."""
    options = list(decision.alternatives)
    unlabelled = sum(1 for a in options if a.probability is None)
    extra = free_moves + (1 if decision.free and decision.allow_pass else 0)
    rest = max(0.0, 1.0 - sum(a.probability or 0.0 for a in options))
    share = rest / (unlabelled + extra) if unlabelled + extra else 0.0
    weights = [a.probability if a.probability is not None else share for a in options]
    return weights + [share] * extra


def decision_assumptions(scenario: Scenario) -> list[tuple[str, str]]:
    """Every assumption of the decision points, with where it stands; a probability
    without its own assumption text is listed as assumed."""
    out: list[tuple[str, str]] = []
    for dp in scenario.decisions:
        if dp.assumption:
            out.append((f"decision {dp.id}", dp.assumption))
        for alt in dp.alternatives:
            where = f"decision {dp.id} alternative {alt.id}"
            if alt.assumption:
                out.append((where, alt.assumption))
            elif alt.probability is not None:
                out.append((where, f"probability {alt.probability:g} (assumed)"))
    return out


# -- legal moves ---------------------------------------------------------------------


@dataclass(frozen=True)
class Moves:
    """The moves some parties could make in a state: the legal ones, in a fixed order,
    and the blocked candidates with every reason the engine gives."""

    legal: tuple[Event, ...]
    blocked: tuple[tuple[Event, tuple[str, ...]], ...]


_STANCES = (Stance.supports, Stance.supports_with_conditions, Stance.opposes, Stance.undecided)


def _bodies(engine: Engine, party: str) -> list[str]:
    for p in engine.scenario.parties:
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
    actors = [party, *_bodies(engine, party)]
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
