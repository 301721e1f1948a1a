"""The state space that ``explore``, ``sample`` and ``testing`` walk. Private.

A node is ``(root, cursor, taken, state)``: which timeline (the base one or a branch),
how many of its scripted items (events and dated decision points) have been dealt with,
which ``when`` decision points have been taken (a bit mask), and the engine ``State``.
Equal nodes are merged by ``SpaceNode.key()``: the root, cursor and mask, and
``State.key()``, which hashes the date and whether the day is closed, the documents
(lifecycle state, point statuses, who signed, who ratified), positions (stance),
relations, facts (with the day each became true), deadlines (status, due day, opening
day, binding) and the memory of reactive rules; it leaves out the step counter, version
labels, position conditions and since-dates, and the history of extensions.

Steps (edges), computed by the compiled runtime's successor function
(``runtime.compiled._steps``; ``CompiledSpace.expansion`` gives them recorded, as
``Edge``s):

* ``event``: apply the next scripted event (a blocked one changes nothing);
* ``alt`` / ``move`` / ``pass``: an option of a decision point;
* ``close``: close the current day (deadlines due that day fire);
* ``arrive``: move the clock to the next day on which something can happen, or to the
  next scripted item, whichever is first.

This module holds what the search is over: the roots (the base timeline and branches,
with their agendas), the ``when`` decision points and invariants, nodes and edges, and the
built-in invariants' names. Which invariants a step breaks and a terminal state's label
are computed once, on tuple states, by ``compiled._outcomes``.

So deadline firings and window edges are states of their own, invariants are checked
there, and a ``when`` decision point that a deadline makes true is taken at once (the
next morning, if the day had closed). The walk ends at the close of the horizon (or of
the last scripted day when there is none): the space is finite.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from negotiation.model._base import construct
from negotiation.model.decisions import DecisionPoint
from negotiation.model.events import Event
from negotiation.model.scenario import Scenario
from negotiation.model.state import DeadlineState, DocumentState, PositionState, RuleState, State
from negotiation.model.trace import TraceEntry
from negotiation.runtime.compiled._base import Code
from negotiation.runtime.engine import Engine

"""How an edge was taken: ("event"|"close"|"arrive"|"pass", 0), ("alt"|"move", index)."""

BUILTIN_INVARIANTS: dict[str, str] = {
    "signed_only_with_acceptance": "at the moment a document is signed, every party "
    "whose acceptance it requires accepts it",
    "final_states_are_final": "a document in an absorbing (final) state never leaves it",
    "clock_never_goes_back": "the date never decreases",
}

OPEN = "open at the horizon"


def withdrew(doc_id: str, party: str) -> str:
    """The part of an outcome label for a party whose withdrawal from a document is
    effective."""
    return f"{party} withdrew from {doc_id}"


def agreed_on(document: str, point: str, value: str) -> str:
    """An outcome label's part for a point agreed on an option (by an accepted offer)."""
    return f"{document}.{point} agreed on {value}"


def known_points(scenario: Scenario) -> dict[str, tuple[int, int]]:
    """Documents with a ``points_total``: how many points are known at the start, and
    the total (an outcome names a document whose count of known points changed)."""
    out: dict[str, tuple[int, int]] = {}
    for d in scenario.documents:
        if d.points_total is not None:
            out[d.id] = (len(d.point_ids()), d.points_total)
    return out


def points_known_part(document: str, known: int, total: int) -> str:
    """An outcome label's part: ``plan 3 of 10 points known``."""
    return f"{document} {known} of {total} points known"



@dataclass(frozen=True, slots=True)
class SpaceNode:
    """A node of the explored space (see the module docstring); not a condition's
    syntax node (``negotiation.conditions.Node``)."""

    root: int
    cursor: int
    taken: int
    state: State

    def key(self) -> Hashable:
        return (self.root, self.cursor, self.taken, self.state.key())

    def digest(self) -> bytes:
        """A 16-byte digest of ``key()`` (its ``repr`` is canonical: tuples of strings,
        numbers, booleans, dates and None in a fixed order): what a search's seen-set
        stores. Bytes are small and the garbage collector does not track them."""
        return hashlib.blake2b(repr(self.key()).encode(), digest_size=16).digest()

    def pack(self) -> Packed:
        """The node as plain data (tuples, dicts, dates, strings), exact on every field
        of the state: cheap to send to another process and back (``unpack``)."""
        s = self.state
        return (
            self.root,
            self.cursor,
            self.taken,
            s.date,
            s.closed,
            s.step,
            {k: d.__dict__ for k, d in s.documents.items()},
            {k: p.__dict__ for k, p in s.positions.items()},
            s.relations,
            s.facts,
            {k: d.__dict__ for k, d in s.deadlines.items()},
            {k: r.__dict__ for k, r in s.rules.items()},
        )

    @staticmethod
    def unpack(data: Packed) -> SpaceNode:
        root, cursor, taken, date, closed, step, docs, positions, rel, facts, dls, rules = data
        state = construct(
            State,
            {
                "date": date,
                "closed": closed,
                "documents": {k: construct(DocumentState, v) for k, v in docs.items()},
                "positions": {k: construct(PositionState, v) for k, v in positions.items()},
                "relations": rel,
                "facts": facts,
                "deadlines": {k: construct(DeadlineState, v) for k, v in dls.items()},
                "rules": {k: construct(RuleState, v) for k, v in rules.items()},
                "step": step,
            },
        )
        return SpaceNode(root, cursor, taken, state)


Packed = tuple[Any, ...]
"""A node as plain data (``SpaceNode.pack``)."""

@dataclass(frozen=True, slots=True)
class Taken:
    """What a step did: its kind (event, close, arrive, pass, alt, move), its events and
    trace entries, and the decision, option and weight it stands for."""

    kind: str
    events: tuple[Event, ...] = ()
    entries: tuple[TraceEntry, ...] = ()
    decision: str | None = None
    option: str | None = None
    weight: float = 1.0


@dataclass(frozen=True, slots=True)
class Edge(Taken):
    """A recorded edge of the space: what it did, its code and the node it reaches."""

    code: Code = field(kw_only=True)
    node: SpaceNode = field(kw_only=True)

    @classmethod
    def of(cls, code: Code, node: SpaceNode, taken: Taken) -> Edge:
        return cls(**{f.name: getattr(taken, f.name) for f in fields(Taken)},
                   code=code, node=node)


@dataclass(frozen=True, slots=True)
class Expansion:
    edges: tuple[Edge, ...]
    stuck: str | None = None


@dataclass(frozen=True, slots=True)
class AgendaItem:
    day: dt.date
    event: Event | None = None
    decision: DecisionPoint | None = None


@dataclass(frozen=True, slots=True)
class Root:
    name: str | None
    agenda: tuple[AgendaItem, ...]
    end: dt.date


@dataclass(frozen=True, slots=True)
class InvariantBreach:
    """One invariant violated on one edge (or in a root state)."""

    invariant: str
    builtin: bool
    reasons: tuple[str, ...]
    expect: str | None = None
    """For a built-in invariant: a condition that fails in the breaking state."""


class Space:
    """Successors, invariants and outcomes of one scenario's timelines."""

    def __init__(self, scenario: Scenario, branches: Sequence[str | None] | None = None) -> None:
        self.scenario = scenario
        self.engine = engine = Engine(scenario)
        names = [None, *(b.id for b in scenario.branches)] if branches is None else branches
        self.roots = [self._root(name) for name in names]
        self.when = [(dp, engine.parse(dp.when)) for dp in scenario.decisions if dp.when]
        self.invariants = [(inv, engine.parse(inv.condition)) for inv in scenario.invariants]
        self.start = engine.initial_state()
        self.initial_docs = {k: d.state for k, d in self.start.documents.items()}
        self.known_points = known_points(scenario)
        self.absorbing = {
            d.id: engine.lifecycles[d.lifecycle].absorbing for d in scenario.documents
        }

    def _root(self, name: str | None) -> Root:
        engine = self.engine
        items = [
            (e.date.sort_date if e.date else dt.date.min, e.priority, 0, i,
             AgendaItem(dt.date.min, e))
            for i, e in enumerate(engine.timeline(name))
        ]
        items += [
            (dp.at.sort_date, dp.priority, 1, i, AgendaItem(dt.date.min, None, dp))
            for i, dp in enumerate(engine.scenario.decisions)
            if dp.at is not None
        ]
        items.sort(key=lambda t: t[:4])
        agenda = [AgendaItem(t[0], t[4].event, t[4].decision) for t in items]
        horizon = engine.horizon(name)
        start = engine.initial_state().date
        end = horizon or max([start, *(i.day for i in agenda)])
        return Root(name, tuple(i for i in agenda if i.day <= end), end)

    def initial(self) -> list[SpaceNode]:
        return [SpaceNode(i, 0, 0, self.start) for i in range(len(self.roots))]
