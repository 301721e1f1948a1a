"""A compiled state space: the explorer's space (``_space.Space``) over plain tuples.

``compile_space(space)`` turns a scenario whose conditions and effects it understands
into a tuple state and a successor function that mirror ``Space.expand`` step for step
(the same steps: the next scripted event, an option of a decision point, closing a day,
moving the clock to the next checkpoint; the same edge codes, in the same order). It
returns None for anything outside that subset, and the explorer then uses the engine.

The tuple state (``S``), slot by slot::

    root, cursor, taken, date (day ordinal), closed,
    one interned document sub-state id per document   (lifecycle state, points,
                                                        signed by, ratified by, visited)
    one stance per (party, target) slot                (None: no position recorded)
    one bit mask of the relations that hold
    one day ordinal per fact                           (ABSENT: false; UNDATED: true
                                                        since an unknown day)
    one (status, due, opens, binding, cut-off passed) per deadline
    one int per rule                                   (2 * fired at least once + last)

It carries exactly what ``Node.key()`` hashes (``State.key()`` plus root, cursor and
mask), so equal tuples are equal nodes and vice versa; what the key leaves out and the
semantics never read (step counter, versions, since-days of stances and relations,
extension history, anchors and resolution days) is not carried. How
``DocumentState.visited`` is hashed is read from ``State.key()`` itself: as a set (the
tuple carries it sorted), in visiting order (carried in order), or not at all (then it
is carried only if a condition reads it, ``has reached``, and ``CompiledSpace.key``
projects it away so that states are merged as the engine's explorer merges them).

Conditions are compiled to closures over slot indices (no syntax tree at run time);
lifecycle moves come from ``Lifecycle.table``; deadline semantics (pending, open, met,
early, missed, expired; automatic and threatened consequences; windows, anchors by date,
condition or event; extensions, conditional extensions) and reactive rules mirror
``_clock.Clock``, ``_acts.Acts`` and ``Engine.settle``. Engine ``State``s are built only
at the edges (``decode``): for outcome labels' reasons, invariant explanations, stuck
reasons and counterexample paths, which the explorer replays through the engine.
"""

from __future__ import annotations

import datetime as dt
import gc
import time
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import conditions as cond
from ._space import OPEN as OPEN_LABEL
from ._space import Code, Node, Root, Space
from .dates import FuzzyDate
from .deadlines import Deadline, DeadlineKind, DeadlineStatus
from .decisions import DecisionPoint, _bodies, _trigger_moves
from .documents import Document
from .engine import MAX_SETTLE_STEPS
from .events import (
    DOCUMENT_TRIGGERS,
    Accept,
    ClearFact,
    Commitment,
    Derive,
    DropDeadline,
    EnforceDeadline,
    Event,
    ExtendDeadline,
    Meet,
    Ratify,
    Reject,
    Request,
    Revise,
    SetDeadline,
    SetFact,
    SetPoint,
    SetRelation,
    Sign,
    Statement,
    StatePosition,
    Transition,
    WaiveDeadline,
)
from .lifecycles import Lifecycle
from .parties import relation_key
from .positions import Stance, position_key
from .state import DeadlineState, DocumentState, PositionState, RuleState, State

if TYPE_CHECKING:
    from .explore import _Search

S = tuple[Any, ...]
W = list[Any]
Pred = Callable[[Sequence[Any]], bool]
Children = list[tuple[Code, S]]
DeadlineSlot = tuple[str, int | None, int | None, bool, bool]

ROOT, CURSOR, TAKEN, DATE, CLOSED, FIRST_DOC = 0, 1, 2, 3, 4, 5
ABSENT = -1
UNDATED = 0

PENDING = DeadlineStatus.pending.value
OPEN = DeadlineStatus.open.value
WAITING = DeadlineStatus.waiting.value
INACTIVE = DeadlineStatus.inactive.value
MISSED = DeadlineStatus.missed.value
DROPPED = DeadlineStatus.dropped.value
LIVE = frozenset({WAITING, PENDING, OPEN})
ACCEPTS = Stance.accepts.value
STANCE_MOVES = (Stance.supports, Stance.supports_with_conditions, Stance.opposes,
                Stance.undecided)

_ORIGIN = FuzzyDate.of(dt.date(2000, 1, 1))  # placeholder date of free moves compiled once
_MOVE_CODES: list[Code] = []


def _move_codes(n: int) -> list[Code]:
    """The codes ("move", 0), ..., ("move", n - 1), made once."""
    while len(_MOVE_CODES) < n:
        _MOVE_CODES.append(("move", len(_MOVE_CODES)))
    return _MOVE_CODES


class NotCompilableError(Exception):
    """The scenario uses something the compiled space does not mirror."""


class _RuleLoopError(Exception):
    """Rules did not settle (the engine raises RuleLoopError: the node is stuck)."""


# -- document sub-states -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sub:
    state: str
    points: tuple[tuple[str, str], ...]  # sorted (point, status) items
    signed_by: tuple[str, ...]
    ratified_by: tuple[str, ...]
    visited: tuple[str, ...]  # () when visited is not carried


class Subs:
    """Interned document sub-states: a sub-state is an int in the tuple state."""

    def __init__(self) -> None:
        self.items: list[Sub] = []
        self.ids: dict[Sub, int] = {}
        self.state: list[str] = []
        self.points: list[dict[str, str]] = []
        self.key: list[int] = []  # id of the same sub-state without visited

    def intern(self, sub: Sub) -> int:
        found = self.ids.get(sub)
        if found is not None:
            return found
        index = len(self.items)
        self.items.append(sub)
        self.ids[sub] = index
        self.state.append(sub.state)
        self.points.append(dict(sub.points))
        self.key.append(index)
        if sub.visited:
            bare = Sub(sub.state, sub.points, sub.signed_by, sub.ratified_by, ())
            self.key[index] = self.intern(bare)
        return index


# -- compiled pieces --------------------------------------------------------------------------


@dataclass(slots=True)
class Op:
    """One event, compiled: ``blocked(w)`` says whether the engine would block it;
    ``mutate(w)`` changes the working list as ``Acts.mutate`` changes a ``Work``;
    ``writes`` are the slots it may change (None: any, through nested effects)."""

    blocked: Callable[[W], bool]
    mutate: Callable[[W], None]
    event_id: str | None = None
    writes: frozenset[int] | None = frozenset()
    settles: bool = True  # whether settling after it can change anything (set later)
    legal_as_candidate: bool = False
    """Never blocked where ``candidate_moves`` offers it (an unguarded lifecycle move
    offered only from states the table allows; a stance any stance may follow)."""


@dataclass(slots=True)
class DeadlineInfo:
    slot: int
    spec: Deadline
    window: bool
    sunset: bool
    option: bool
    requirement: Pred | None
    anchor: Pred | None
    anchor_event: str | None
    extension: Pred | None
    cutoff: int | None
    extended_due: int | None
    effects: list[Op] = field(default_factory=list)


@dataclass(slots=True)
class RuleInfo:
    slot: int
    test: Pred
    each: bool
    effects: list[Op] = field(default_factory=list)


@dataclass(slots=True)
class DocMoves:
    """One party's candidate moves on one document."""

    slot: int
    doc_id: str
    absorbing: frozenset[str]
    by_state: dict[str, list[Op]]
    stance_slot: int
    stances: list[tuple[str, Op]]


@dataclass(slots=True)
class DeadlineMoves:
    """A deadline setter's candidate moves."""

    slot: int
    enforce: Op | None
    waive: Op
    drop: Op
    set: Op


@dataclass(slots=True)
class Decision:
    alternatives: list[list[Op]]
    free: list[tuple[list[DocMoves], list[DeadlineMoves]]]
    is_free: bool
    allow_pass: bool


@dataclass(slots=True)
class Item:
    day: int  # the agenda day (ordinal; 0 for an undated event)
    event_day: int | None  # the event's own day (None: undated, applies when met)
    op: Op | None = None
    decision: Decision | None = None


@dataclass(slots=True)
class RootInfo:
    agenda: list[Item]
    end: int


def _ord(day: dt.date | None) -> int | None:
    return day.toordinal() if day is not None else None


def _never(w: Sequence[Any]) -> bool:
    return False


def _always(w: W) -> bool:
    return True


def _nothing(w: W) -> None:
    return None


def _visited_in_key(start: State) -> tuple[bool, bool]:
    """Whether ``State.key()`` hashes ``DocumentState.visited``, and whether it hashes
    the order of the visits too (read from the key itself, so that the compiled space
    merges states exactly as the engine's explorer does)."""
    if not start.documents:
        return False, False
    doc_id, ds = next(iter(start.documents.items()))

    def key(visited: tuple[str, ...]) -> Hashable:
        other = ds.model_copy(update={"visited": visited})
        return start.model_copy(update={"documents": {**start.documents, doc_id: other}}).key()

    hashed = key((*ds.visited, "~a")) != key(ds.visited)
    ordered = key((*ds.visited, "~a", "~b")) != key((*ds.visited, "~b", "~a"))
    return hashed, hashed and ordered


# -- the compiled space ------------------------------------------------------------------------


class CompiledSpace:
    """Successors, invariants and outcomes of ``space`` over tuple states."""

    def __init__(self, space: Space) -> None:
        self.space = space
        self.engine = space.engine
        self.scenario = space.scenario
        self.lifecycles = self.engine.lifecycles
        self.subs = Subs()
        self._ops: list[Op] = []
        self._party_moves: dict[str, tuple[list[DocMoves], list[DeadlineMoves]]] = {}
        self.max_moves = 0  # a bound on the candidate moves of any free decision
        in_key, ordered = _visited_in_key(space.start)
        self.visit_order = ordered  # else visited is carried as a sorted tuple (a set)
        self.carry_visited = in_key or self._reads_visited()
        self.project = self.carry_visited and not in_key
        self._relevant = {
            lc_id: {k: tuple(lc.guard_indices(*k)) for k in lc.table}
            for lc_id, lc in self.lifecycles.items()
        }
        self._layout()
        self._compile_clock()
        self.when = [(1 << i, self.pred(test), self.decision(dp))
                     for i, (dp, test) in enumerate(space.when)]
        self.roots = [self._root(r) for r in space.roots]
        self.invariants = [self.pred(test) for _, test in space.invariants]
        self._finish_ops()
        self._outcomes: dict[Hashable, str] = {}
        self._risky: dict[tuple[int, int, int], str] = {}

    # -- slots -------------------------------------------------------------------------------
    def _layout(self) -> None:
        scenario, engine = self.scenario, self.engine
        docs = scenario.documents
        self.doc_ids = [d.id for d in docs]
        self.doc_slot = {d.id: FIRST_DOC + i for i, d in enumerate(docs)}
        self.doc_end = base = FIRST_DOC + len(docs)
        pos_keys = self._position_keys()
        self.pos_slot = {k: base + i for i, k in enumerate(pos_keys)}
        base += len(pos_keys)
        self.rel_slot = base
        base += 1
        self.rel_bit = {k: 1 << i for i, k in enumerate(self._relation_keys())}
        self.fact_ids = [f.id for f in scenario.facts]
        self.fact_slot = {f: base + i for i, f in enumerate(self.fact_ids)}
        base += len(self.fact_ids)
        self.dl_ids = [d.id for d in scenario.deadlines]
        self.dl_slot = {d: base + i for i, d in enumerate(self.dl_ids)}
        self.dl_first = base
        base += len(self.dl_ids)
        self.dl_end = base
        self.rule_ids = [r.id for r in scenario.rules]
        self.rule_slot = {r: base + i for i, r in enumerate(self.rule_ids)}
        self.width = base + len(self.rule_ids)
        self.lc_guards = {
            lc_id: [self.pred(n) for n in nodes]
            for lc_id, nodes in engine.compiled.lifecycle_guards.items()
        }
        self.absorbing = {d.id: self.lifecycles[d.lifecycle].absorbing for d in docs}
        self.absorbing_by_slot = [frozenset[str]()] * FIRST_DOC + [
            self.absorbing[d] for d in self.doc_ids
        ]
        self.required_slots: dict[int, list[int] | None] = {}
        for d in docs:
            req = engine.required[d.id]
            self.required_slots[self.doc_slot[d.id]] = (
                None if req is None
                else [self.pos_slot.get(position_key(p, d.id), -1) for p in req]
            )
        self.initial_names = {self.doc_slot[k]: v for k, v in self.space.initial_docs.items()}

    def _all_events(self) -> list[Event]:
        s = self.scenario
        out: list[Event] = list(s.timeline)
        for b in s.branches:
            out.extend(b.add)
        for r in s.rules:
            out.extend(r.then)
        for d in s.deadlines:
            if d.consequence is not None:
                out.extend(d.consequence.effects)
        for dp in s.decisions:
            for alt in dp.alternatives:
                out.extend(alt.events)
        return out

    def _reads_visited(self) -> bool:
        c = self.engine.compiled
        nodes = [*c.rules.values(), *c.requirements.values(), *c.anchors.values(),
                 *c.extensions.values(), *c.invariants.values()]
        nodes += [n for guards in c.guards.values() for _, n, _ in guards]
        nodes += [n for guards in c.lifecycle_guards.values() for n in guards]
        nodes += [test for _, test in self.space.when]
        nodes += [test for _, test in self.space.invariants]
        return any(
            isinstance(n, cond.DocState) and n.reached for node in nodes for n in cond.walk(node)
        )

    def _position_keys(self) -> list[str]:
        keys: dict[str, None] = {}
        for p in self.scenario.positions:
            keys[position_key(p.party, p.on)] = None
        for e in self._all_events():
            if isinstance(e, Accept | Reject | StatePosition):
                target = f"{e.document}.{e.point}" if e.point else e.document
                for party in e.by:
                    keys[position_key(party, target)] = None
        for dp in self.scenario.decisions:
            if dp.free:
                for party in dp.parties:
                    for d in self.scenario.documents:
                        keys[position_key(party, d.id)] = None
        return sorted(keys)

    def _relation_keys(self) -> list[str]:
        keys: dict[str, None] = {r.key: None for r in self.scenario.relations}
        for e in self._all_events():
            if isinstance(e, SetRelation):
                keys[relation_key(e.source, e.relation, e.target)] = None
        return sorted(keys)

    def _compile_clock(self) -> None:
        engine = self.engine
        c = engine.compiled
        self.deadlines: list[DeadlineInfo] = []
        for d in engine.clock.order:
            ext = d.conditional_extension
            self.deadlines.append(DeadlineInfo(
                slot=self.dl_slot[d.id],
                spec=d,
                window=d.kind is DeadlineKind.window,
                sunset=d.kind is DeadlineKind.sunset,
                option=d.kind is DeadlineKind.option,
                requirement=self._pred_of(c.requirements.get(d.id)),
                anchor=self._pred_of(c.anchors.get(d.id)),
                anchor_event=d.anchor.event if d.anchor is not None else None,
                extension=self._pred_of(c.extensions.get(d.id)),
                cutoff=_ord(ext.cutoff.last_day) if ext is not None else None,
                extended_due=_ord(ext.extended_due.last_day) if ext is not None else None,
            ))
        self.dl_info = {i.spec.id: i for i in self.deadlines}
        self.anchored_on_events = {i.anchor_event for i in self.deadlines} - {None}
        for info in self.deadlines:
            consequence = info.spec.consequence
            info.effects = [self.op(e) for e in consequence.effects] if consequence else []
        self.rules = [
            RuleInfo(self.rule_slot[r.id], self.pred(c.rules[r.id]), r.mode == "each")
            for r in engine.rule_order
        ]
        for rule, r in zip(self.rules, engine.rule_order, strict=True):
            rule.effects = [self.op(e) for e in r.then]
        # the slots settling reads: a write elsewhere leaves a settled state settled
        reads: set[int] = set()
        for d in engine.clock.order:
            for node in (c.requirements.get(d.id), c.anchors.get(d.id)):
                if node is not None:
                    reads |= self._reads(node) | {self.dl_slot[d.id]}
        for r in engine.rule_order:
            reads |= self._reads(c.rules[r.id])
        self.settle_reads = frozenset(reads)
        self.has_rules = bool(self.rules)
        # wake-up dates of timed conditions (Clock.checkpoints)
        self.static_wake: set[int] = set()
        self.fact_wake: list[tuple[int, int]] = []
        for node in c.timed:
            for n in cond.walk(node):
                if isinstance(n, cond.DateCmp):
                    self.static_wake.update((n.day.toordinal(), n.day.toordinal() + 1))
                elif isinstance(n, cond.FactHeld):
                    self.fact_wake.append((self.fact_slot[n.fact], n.days))

    def _reads(self, node: cond.Node) -> set[int]:
        """The slots a condition reads."""
        out: set[int] = set()
        for n in cond.walk(node):
            if isinstance(n, cond.DocState | cond.PointIs | cond.HasActed):
                out.add(self.doc_slot[n.document])
            elif isinstance(n, cond.StanceIs):
                out.add(self.pos_slot.get(position_key(n.party, n.target), -1))
            elif isinstance(n, cond.AllAccept):
                out |= {self.pos_slot.get(position_key(p, n.document), -1)
                        for p in self.engine.required.get(n.document) or ()}
            elif isinstance(n, cond.RelationHolds):
                out.add(self.rel_slot)
            elif isinstance(n, cond.FactHolds | cond.FactHeld):
                out.add(self.fact_slot[n.fact])
            elif isinstance(n, cond.DeadlineIs):
                out.add(self.dl_slot[n.deadline])
            if isinstance(n, cond.FactHeld | cond.DateCmp):
                out.add(DATE)
        return out

    def _root(self, root: Root) -> RootInfo:
        agenda: list[Item] = []
        for it in root.agenda:
            day = it.day.toordinal() if it.day != dt.date.min else 0
            if it.decision is not None:
                agenda.append(Item(day, day, decision=self.decision(it.decision)))
            else:
                ev = it.event
                assert ev is not None
                event_day = ev.date.sort_date.toordinal() if ev.date is not None else None
                agenda.append(Item(day, event_day, op=self.op(ev)))
        return RootInfo(agenda, root.end.toordinal())

    def _finish_ops(self) -> None:
        """Mark the ops after which settling cannot change anything."""
        for op in self._ops:
            op.settles = (
                op.writes is None
                or bool(op.writes & self.settle_reads)
                or (op.event_id is not None and op.event_id in self.anchored_on_events)
            )

    # -- conditions -------------------------------------------------------------------------
    def _pred_of(self, node: cond.Node | None) -> Pred | None:
        return None if node is None else self.pred(node)

    def pred(self, node: cond.Node) -> Pred:
        """A closure over a state (tuple or working list) with the node's truth value."""
        if isinstance(node, cond.Const):
            value = node.value
            return lambda w: value
        if isinstance(node, cond.Not):
            inner = self.pred(node.operand)
            return lambda w: not inner(w)
        if isinstance(node, cond.And | cond.Or):
            parts = [self.pred(n) for n in node.operands]
            if isinstance(node, cond.And):
                if len(parts) == 2:
                    a, b = parts
                    return lambda w: a(w) and b(w)
                return lambda w: all(p(w) for p in parts)
            if len(parts) == 2:
                a, b = parts
                return lambda w: a(w) or b(w)
            return lambda w: any(p(w) for p in parts)
        if isinstance(node, cond.FactHolds | cond.FactHeld | cond.DeadlineIs | cond.DateCmp):
            return self._pred_calendar(node)
        return self._pred_document(node)

    def _pred_document(self, node: cond.Node) -> Pred:
        subs = self.subs
        if isinstance(node, cond.DocState):
            i = self.doc_slot[node.document]
            target = node.state
            if node.reached:
                items = subs.items
                return lambda w: target in items[w[i]].visited
            names = subs.state
            return lambda w: names[w[i]] == target
        if isinstance(node, cond.PointIs):
            i = self.doc_slot[node.document]
            point, status = node.point, node.status
            pts = subs.points
            return lambda w: pts[w[i]].get(point, "open") == status
        if isinstance(node, cond.StanceIs):
            return self._stance_is(node.party, node.target, node.stance)
        if isinstance(node, cond.RelationHolds):
            bit = self.rel_bit.get(relation_key(node.source, node.relation, node.target), 0)
            r = self.rel_slot
            return lambda w: bool(w[r] & bit)
        if isinstance(node, cond.HasActed):
            i = self.doc_slot[node.document]
            party = node.party
            items = subs.items
            if node.act == "signed":
                return lambda w: party in items[w[i]].signed_by
            return lambda w: party in items[w[i]].ratified_by
        if isinstance(node, cond.AllAccept):
            req = self.engine.required.get(node.document)
            if req is None:
                return _never
            tests = [self._stance_is(p, node.document, ACCEPTS) for p in req]
            return lambda w: all(t(w) for t in tests)
        raise NotCompilableError(f"condition {node.text!r}")

    def _pred_calendar(self, node: cond.Node) -> Pred:
        if isinstance(node, cond.FactHolds):
            j = self.fact_slot[node.fact]
            want = node.value
            return lambda w: (w[j] != ABSENT) == want
        if isinstance(node, cond.FactHeld):
            j = self.fact_slot[node.fact]
            days = node.days
            compare: Callable[[int], bool] = {
                "at least": lambda n: n >= days,
                "more than": lambda n: n > days,
                "less than": lambda n: n < days,
            }[node.op]
            return lambda w: w[j] > UNDATED and compare(w[DATE] - w[j])
        if isinstance(node, cond.DeadlineIs):
            j = self.dl_slot[node.deadline]
            status = node.status
            return lambda w: bool(w[j][0] == status)
        if isinstance(node, cond.DateCmp):
            day = node.day.toordinal()
            cmp: dict[str, Pred] = {
                "before": lambda w: w[DATE] < day,
                "after": lambda w: w[DATE] > day,
                "on": lambda w: w[DATE] == day,
                "on or after": lambda w: w[DATE] >= day,
                "on or before": lambda w: w[DATE] <= day,
            }
            return cmp[node.op]
        raise NotCompilableError(f"condition {node.text!r}")  # pragma: no cover

    def _stance_is(self, party: str, target: str, stance: str) -> Pred:
        j = self.pos_slot.get(position_key(party, target))
        if j is None:
            value = stance == "unknown"
            return lambda w: value
        if stance == "unknown":
            return lambda w: w[j] is None or w[j] == "unknown"
        return lambda w: bool(w[j] == stance)

    # -- events -----------------------------------------------------------------------------
    def op(self, event: Event) -> Op:
        """Compile one event (blocked and mutate mirror ``Acts.reasons``/``Acts.mutate``)."""
        compiled = self._op(event)
        self._ops.append(compiled)
        return compiled

    def _op(self, event: Event) -> Op:
        if isinstance(event, Transition):
            return self._doc_op(event, event.document, event.trigger)
        trigger = DOCUMENT_TRIGGERS.get(event.kind)
        document = event.__dict__.get("document")
        if trigger is not None and isinstance(document, str):
            return self._doc_op(event, document, trigger)
        if isinstance(event, Accept | Reject | StatePosition):
            return self._stance_op(event)
        if isinstance(event, SetDeadline):
            return self._set_deadline_op(event)
        if isinstance(event, ExtendDeadline | DropDeadline | EnforceDeadline | WaiveDeadline):
            return self._deadline_op(event)
        if isinstance(event, SetPoint):
            return self._point_op(event)
        if isinstance(event, SetFact | ClearFact):
            return self._fact_op(event)
        if isinstance(event, SetRelation):
            return self._relation_op(event)
        if isinstance(event, Commitment):
            return self._commitment_op(event)
        if isinstance(event, Meet | Statement | Request):
            return Op(_never, _nothing, event.id)
        raise NotCompilableError(f"event kind {event.kind}")  # pragma: no cover

    def _doc_op(self, event: Event, doc_id: str, trigger: str) -> Op:
        doc: Document = self.engine.documents[doc_id]
        i = self.doc_slot[doc_id]
        dest = self._dest(doc, trigger)
        lc_guards = self.lc_guards[doc.lifecycle]
        names = self.subs.state
        checks: list[Pred] = [self.pred(n) for triggers, n, _ in
                              self.engine.compiled.guards[doc_id] if trigger in triggers]
        if isinstance(event, Sign) and doc.requires_acceptance != "unknown":
            checks += [self._stance_is(p, doc_id, ACCEPTS) for p in doc.requires_acceptance]
        static_bad = (
            isinstance(event, Ratify) and bool(doc.ratification_by)
            and any(who not in doc.ratification_by for who in event.by)
        ) or (isinstance(event, Derive) and doc.derived_from not in (None, event.source))

        def blocked(w: W) -> bool:
            if static_bad:
                return True
            gv = tuple(g(w) for g in lc_guards) if lc_guards else ()
            if dest(names[w[i]], gv) is None:
                return True
            return not all(c(w) for c in checks)

        successor = self._doc_successor(event, doc, dest)
        simple = not lc_guards and not checks and not static_bad
        if not lc_guards:
            plain: dict[int, int] = {}

            def mutate_plain(w: W) -> None:
                new = plain.get(w[i])
                if new is None:
                    new = plain[w[i]] = successor(w[i], ())
                w[i] = new

            return Op(blocked, mutate_plain, event.id, frozenset({i}), legal_as_candidate=simple)
        memo: dict[tuple[int, tuple[bool, ...]], int] = {}

        def mutate(w: W) -> None:
            gv = tuple(g(w) for g in lc_guards)
            k = (w[i], gv)
            new = memo.get(k)
            if new is None:
                new = memo[k] = successor(w[i], gv)
            w[i] = new

        return Op(blocked, mutate, event.id, frozenset({i}))

    def _dest(self, doc: Document, trigger: str) -> Callable[[str, tuple[bool, ...]], str | None]:
        """``Lifecycle.fire`` for one trigger, from the table."""
        lc: Lifecycle = self.lifecycles[doc.lifecycle]
        table = lc.table
        relevant = self._relevant[doc.lifecycle]

        def dest(state: str, gv: tuple[bool, ...]) -> str | None:
            outcomes = table.get((state, trigger))
            if outcomes is None:
                return None
            rel = relevant[(state, trigger)]
            return outcomes.get(tuple(gv[k] if k < len(gv) else False for k in rel))

        return dest

    def _doc_successor(
        self, event: Event, doc: Document, dest: Callable[[str, tuple[bool, ...]], str | None]
    ) -> Callable[[int, tuple[bool, ...]], int]:
        """The document sub-state after the event (``Acts.mutate_document``)."""
        subs = self.subs
        by = tuple(event.by)
        is_sign, is_ratify = isinstance(event, Sign), isinstance(event, Ratify)
        ratifiers = set(doc.ratification_by)
        points_update: dict[str, str] = {}
        if isinstance(event, Revise) and event.points:
            points_update = {p: s.value for p, s in event.points.items()}
        carry, ordered = self.carry_visited, self.visit_order

        def successor(sub_id: int, gv: tuple[bool, ...]) -> int:
            sub = subs.items[sub_id]
            signed, ratified, points = sub.signed_by, sub.ratified_by, sub.points
            if is_sign:
                signed = tuple(dict.fromkeys((*signed, *by)))
            partial = False
            if is_ratify:
                done = set(ratified) | set(by)
                ratified = tuple(dict.fromkeys((*ratified, *by)))
                partial = bool(ratifiers) and not ratifiers <= done
            if points_update:
                points = tuple(sorted({**dict(points), **points_update}.items()))
            state, visited = sub.state, sub.visited
            if not partial:
                moved = dest(state, gv)
                assert moved is not None
                state = moved
                if carry and state not in visited:
                    visited = (*visited, state) if ordered else tuple(sorted((*visited, state)))
            return subs.intern(Sub(state, points, signed, ratified, visited))

        return successor

    def _point_op(self, event: SetPoint) -> Op:
        i = self.doc_slot[event.document]
        subs = self.subs
        point, status = event.point, event.status.value
        memo: dict[int, int] = {}

        def mutate(w: W) -> None:
            new = memo.get(w[i])
            if new is None:
                sub = subs.items[w[i]]
                pts = tuple(sorted({**dict(sub.points), point: status}.items()))
                new = memo[w[i]] = subs.intern(
                    Sub(sub.state, pts, sub.signed_by, sub.ratified_by, sub.visited)
                )
            w[i] = new

        return Op(_never, mutate, event.id, frozenset({i}))

    def _fact_op(self, event: SetFact | ClearFact) -> Op:
        j = self.fact_slot[event.fact]
        if isinstance(event, SetFact):

            def set_fact(w: W) -> None:
                if w[j] == ABSENT:
                    w[j] = w[DATE]

            return Op(_never, set_fact, event.id, frozenset({j}))

        def clear_fact(w: W) -> None:
            w[j] = ABSENT

        return Op(_never, clear_fact, event.id, frozenset({j}))

    def _relation_op(self, event: SetRelation) -> Op:
        bit = self.rel_bit[relation_key(event.source, event.relation, event.target)]
        r = self.rel_slot
        if event.active:

            def relate(w: W) -> None:
                w[r] |= bit

            return Op(_never, relate, event.id, frozenset({r}))

        def unrelate(w: W) -> None:
            w[r] &= ~bit

        return Op(_never, unrelate, event.id, frozenset({r}))

    def _commitment_op(self, event: Commitment) -> Op:
        infos = [self.dl_info[d] for d in event.opens]

        def blocked(w: W) -> bool:
            return any(w[i.slot][0] != INACTIVE for i in infos)

        def commit(w: W) -> None:
            for i in infos:
                w[i.slot] = self._activate(i, None)

        return Op(blocked, commit, event.id, frozenset(i.slot for i in infos))

    def _stance_op(self, event: Accept | Reject | StatePosition) -> Op:
        doc = self.engine.documents[event.document]
        i = self.doc_slot[doc.id]
        absorbing = self.absorbing[doc.id]
        target = f"{event.document}.{event.point}" if event.point else event.document
        if isinstance(event, Accept):
            stance = "accepts"
        elif isinstance(event, Reject):
            stance = "rejects"
        else:
            stance = event.stance.value
        plc = self.lifecycles["position"]
        names = self.subs.state
        slots = [self.pos_slot[position_key(p, target)] for p in event.by]
        no_by = not event.by
        # Acts.stance_reasons asks the position lifecycle without guard values
        allowed = {s: plc.fire(s, stance) is not None for s in plc.spec.states}

        def blocked(w: W) -> bool:
            if no_by or names[w[i]] in absorbing:
                return True
            for j in slots:
                now = w[j]
                if not allowed.get("unknown" if now is None else now, False):
                    return True
            return False

        if len(slots) == 1:
            (only,) = slots

            def mutate_one(w: W) -> None:
                w[only] = stance

            return Op(blocked, mutate_one, event.id, frozenset(slots),
                      legal_as_candidate=all(allowed.values()))

        def mutate(w: W) -> None:
            for j in slots:
                w[j] = stance

        return Op(blocked, mutate, event.id, frozenset(slots))

    def _set_deadline_op(self, event: SetDeadline) -> Op:
        info = self.dl_info[event.deadline]
        spec = info.spec
        j = info.slot
        no_due = event.due is None and spec.due is None and spec.anchor is None
        due = event.due

        def blocked(w: W) -> bool:
            return w[j][0] not in (INACTIVE, DROPPED) or no_due

        def mutate(w: W) -> None:
            w[j] = self._activate(info, due)

        return Op(blocked, mutate, event.id, frozenset({j}))

    def _deadline_op(
        self, event: ExtendDeadline | DropDeadline | EnforceDeadline | WaiveDeadline
    ) -> Op:
        info = self.dl_info[event.deadline]
        j = info.slot
        setter = info.spec.set_by
        if not (setter in (None, "unknown") or not event.by or setter in event.by):
            return Op(_always, _nothing, event.id, frozenset())
        if isinstance(event, ExtendDeadline):
            to = event.to.last_day.toordinal()

            def ext_blocked(w: W) -> bool:
                status, due = w[j][0], w[j][1]
                if status not in LIVE and status != MISSED:
                    return True
                return due is not None and to <= due

            def extend(w: W) -> None:
                status, _, opens, binding, cut = w[j]
                w[j] = (PENDING if status == MISSED else status, to, opens, binding, cut)

            return Op(ext_blocked, extend, event.id, frozenset({j}))
        if isinstance(event, DropDeadline):

            def drop_blocked(w: W) -> bool:
                return w[j][0] not in LIVE and w[j][0] != MISSED

            nonbinding = event.nonbinding

            def drop(w: W) -> None:
                status, due, opens, binding, cut = w[j]
                w[j] = (status if nonbinding else DROPPED, due, opens,
                        binding and not nonbinding, cut)

            return Op(drop_blocked, drop, event.id, frozenset({j}))
        return self._settle_deadline_op(event, info)

    def _settle_deadline_op(self, event: EnforceDeadline | WaiveDeadline, info: DeadlineInfo) -> Op:
        j = info.slot
        enforced = isinstance(event, EnforceDeadline)
        no_consequence = enforced and info.spec.consequence is None
        new_status = DeadlineStatus.enforced.value if enforced else DeadlineStatus.waived.value

        def blocked(w: W) -> bool:
            return w[j][0] != MISSED or no_consequence

        def mutate(w: W) -> None:
            _, due, opens, binding, cut = w[j]
            w[j] = (new_status, due, opens, binding, cut)
            if enforced:
                for effect in info.effects:
                    self.apply_effect(w, effect)

        writes = None if enforced and info.spec.consequence else frozenset({j})
        return Op(blocked, mutate, event.id, writes)

    # -- free decisions ---------------------------------------------------------------------
    def decision(self, dp: DecisionPoint) -> Decision:
        alternatives = [[self.op(e) for e in alt.events] for alt in dp.alternatives]
        free: list[tuple[list[DocMoves], list[DeadlineMoves]]] = []
        if dp.free:
            for party in dp.parties:
                if party not in self._party_moves:
                    self._party_moves[party] = (self._doc_moves(party),
                                                self._deadline_moves(party))
                free.append(self._party_moves[party])
        bound = sum(
            max(len(v) for v in m.by_state.values()) + len(m.stances)
            for doc_moves, _ in free for m in doc_moves
        ) + sum(4 * len(dl_moves) for _, dl_moves in free)
        self.max_moves = max(self.max_moves, bound)
        return Decision(alternatives, free, dp.free, dp.free and dp.allow_pass)

    def _doc_moves(self, party: str) -> list[DocMoves]:
        actors = [party, *_bodies(self.engine, party)]
        out: list[DocMoves] = []
        for doc in self.scenario.documents:
            lc = self.lifecycles[doc.lifecycle]
            per_trigger = {
                t: [self.op(e) for e in _trigger_moves(doc, t, actors, _ORIGIN)]
                for t in lc.triggers
            }
            by_state = {
                s: [op for t in lc.available(s) for op in per_trigger[t]] for s in lc.spec.states
            }
            stances: list[tuple[str, Op]] = [
                ("accepts", self.op(Accept(date=_ORIGIN, by=[party], document=doc.id))),
                ("rejects", self.op(Reject(date=_ORIGIN, by=[party], document=doc.id))),
            ]
            stances += [
                (s.value, self.op(StatePosition(date=_ORIGIN, by=[party], document=doc.id,
                                                stance=s)))
                for s in STANCE_MOVES
            ]
            out.append(DocMoves(self.doc_slot[doc.id], doc.id, lc.absorbing, by_state,
                                self.pos_slot[position_key(party, doc.id)], stances))
        return out

    def _deadline_moves(self, party: str) -> list[DeadlineMoves]:
        out: list[DeadlineMoves] = []
        for d in self.scenario.deadlines:
            if d.set_by != party:
                continue
            enforce = EnforceDeadline(date=_ORIGIN, by=[party], deadline=d.id)
            out.append(DeadlineMoves(
                self.dl_slot[d.id],
                self.op(enforce) if d.consequence is not None else None,
                self.op(WaiveDeadline(date=_ORIGIN, by=[party], deadline=d.id)),
                self.op(DropDeadline(date=_ORIGIN, by=[party], deadline=d.id)),
                self.op(SetDeadline(date=_ORIGIN, by=[party], deadline=d.id)),
            ))
        return out

    def _free_moves(self, s: S, dec: Decision) -> list[Op]:
        """The candidate moves of ``decisions.candidate_moves``, in its order (unchecked)."""
        names = self.subs.state
        out: list[Op] = []
        for doc_moves, dl_moves in dec.free:
            for m in doc_moves:
                current = names[s[m.slot]]
                out += m.by_state[current]
                if current in m.absorbing:
                    continue
                stance = s[m.stance_slot]
                if stance is None:
                    stance = "unknown"
                out += [op for value, op in m.stances if value != stance]
            for d in dl_moves:
                status = s[d.slot][0]
                if status == MISSED:
                    if d.enforce is not None:
                        out.append(d.enforce)
                    out.append(d.waive)
                if status in LIVE or status == MISSED:
                    out.append(d.drop)
                if status in (INACTIVE, DROPPED):
                    out.append(d.set)
        return out

    # -- the engine's step, mirrored ----------------------------------------------------------
    def apply_top(self, w: W, op: Op) -> bool:
        """``Engine.apply`` of an event dated on the state's day; False when blocked."""
        if w[CLOSED] or op.blocked(w):
            return False
        op.mutate(w)
        if op.event_id is not None:
            self.on_event(w, op.event_id)
        if op.settles:
            self.settle(w)
        return True

    def apply_effect(self, w: W, op: Op) -> None:
        """``Engine.apply_effect`` with a cause (a rule's or a consequence's effect)."""
        if op.blocked(w):
            return
        op.mutate(w)
        if op.event_id is not None:
            self.on_event(w, op.event_id)

    def settle(self, w: W) -> None:
        has_rules = self.has_rules
        for _ in range(MAX_SETTLE_STEPS):
            changed = self.update(w)
            if has_rules:
                changed = self.fire_rule(w) or changed
            if not changed:
                return
        raise _RuleLoopError

    def update(self, w: W) -> bool:
        changed = False
        for d in self.deadlines:
            ds = w[d.slot]
            status = ds[0]
            if status == WAITING and d.anchor is not None and d.anchor(w):
                ds = self.anchor_now(w, d, ds)
                status = ds[0]
                changed = True
            if (
                status in (PENDING, OPEN)
                and d.requirement is not None
                and d.spec.ends_early
                and d.requirement(w)
            ):
                new = "early" if d.window and status == PENDING else "met"
                w[d.slot] = (new, ds[1], ds[2], ds[3], ds[4])
                changed = True
        return changed

    def fire_rule(self, w: W) -> bool:
        chosen: RuleInfo | None = None
        for r in self.rules:
            value = bool(r.test(w))
            rs = w[r.slot]
            last = bool(rs & 1)
            fired = rs >> 1
            armed = value and not last and (r.each or not fired)
            if armed and chosen is None:
                chosen = r
            elif not armed and value != last:
                w[r.slot] = (fired << 1) | value
        if chosen is None:
            return False
        w[chosen.slot] = 3
        for effect in chosen.effects:
            self.apply_effect(w, effect)
        return True

    def on_event(self, w: W, event_id: str) -> None:
        for d in self.deadlines:
            if w[d.slot][0] == WAITING and d.anchor_event == event_id:
                self.anchor_now(w, d, w[d.slot])

    def _anchored(self, d: DeadlineInfo, anchor: int, binding: bool) -> DeadlineSlot:
        spec = d.spec
        if d.window:
            assert spec.earliest_days is not None
            assert spec.latest_days is not None
            latest, earliest = anchor + spec.latest_days, anchor + spec.earliest_days
            return (PENDING, latest, earliest, binding, False)
        return (PENDING, anchor + (spec.within_days or 0), None, binding, False)

    def anchor_now(self, w: W, d: DeadlineInfo, ds: DeadlineSlot) -> DeadlineSlot:
        new = self._anchored(d, w[DATE], ds[3])
        if new[2] is not None and new[2] <= w[DATE]:
            new = (OPEN, new[1], new[2], new[3], False)
        w[d.slot] = new
        return new

    def _activate(self, d: DeadlineInfo, due: FuzzyDate | None) -> DeadlineSlot:
        spec = d.spec
        if spec.anchor is not None:
            if spec.anchor.date is not None:
                return self._anchored(d, spec.anchor.date.sort_date.toordinal(), spec.binding)
            return (WAITING, None, None, spec.binding, False)
        when = due or spec.due
        day = _ord(when.last_day) if when is not None else None
        return (PENDING, day, None, spec.binding, False)

    def close_day(self, w: W) -> None:
        date = w[DATE]
        changed = False
        for d in self.deadlines:
            if d.cutoff == date and not w[d.slot][4] and w[d.slot][0] in LIVE:
                assert d.extension is not None
                status, due, opens, binding, _ = w[d.slot]
                if d.extension(w):
                    due = d.extended_due
                w[d.slot] = (status, due, opens, binding, True)
                changed = True
        for d in self.deadlines:
            ds = w[d.slot]
            if ds[0] in (PENDING, OPEN) and ds[1] == date:
                self.expire(w, d, ds)
                changed = True
        w[CLOSED] = True
        if changed:  # no condition reads whether the day is closed
            self.settle(w)

    def expire(self, w: W, d: DeadlineInfo, ds: DeadlineSlot) -> None:
        if not d.sunset and d.requirement is not None and d.requirement(w):
            w[d.slot] = ("met", ds[1], ds[2], ds[3], ds[4])
            return
        consequence = d.spec.consequence
        if ds[3] and (d.sunset or (consequence is not None and consequence.mode == "automatic")):
            w[d.slot] = ("expired", ds[1], ds[2], ds[3], ds[4])
            for effect in d.effects:
                self.apply_effect(w, effect)
            return
        status = "expired" if ds[3] and d.option else MISSED
        w[d.slot] = (status, ds[1], ds[2], ds[3], ds[4])

    def arrive(self, w: W, day: int) -> None:
        w[DATE] = day
        w[CLOSED] = False
        changed = DATE in self.settle_reads
        for d in self.deadlines:
            ds = w[d.slot]
            if ds[0] == PENDING and ds[2] is not None and ds[2] <= day:
                w[d.slot] = (OPEN, ds[1], ds[2], ds[3], ds[4])
                changed = True
        if changed:
            self.settle(w)

    def next_stop(self, s: S, date: int, goal: int) -> int:
        """The first checkpoint strictly between ``date`` and ``goal``, else ``goal``."""
        best = goal
        for d in self.deadlines:
            status, due, opens, _, cut = s[d.slot]
            if status in LIVE:
                if due is not None and date < due < best:
                    best = due
                if opens is not None and date < opens < best:
                    best = opens
                if d.cutoff is not None and not cut and date < d.cutoff < best:
                    best = d.cutoff
        for x in self.static_wake:
            if date < x < best:
                best = x
        for j, days in self.fact_wake:
            since = s[j]
            if since > UNDATED:
                for x in (since + days, since + days + 1):
                    if date < x < best:
                        best = x
        return best

    def checkpoints(self, s: S) -> set[int]:
        out: set[int] = set(self.static_wake)
        for d in self.deadlines:
            status, due, opens, _, cut = s[d.slot]
            if status in LIVE:
                if due is not None:
                    out.add(due)
                if opens is not None:
                    out.add(opens)
                if d.cutoff is not None and not cut:
                    out.add(d.cutoff)
        for j, days in self.fact_wake:
            since = s[j]
            if since > UNDATED:
                out.add(since + days)
                out.add(since + days + 1)
        return out

    # -- the space's steps, mirrored ------------------------------------------------------------
    def expand(self, s: S) -> tuple[Children, bool]:
        """(children with their codes, stuck?) as ``Space.expand``; no children and not
        stuck: the node is terminal."""
        try:
            return self.expand_settled(s)
        except _RuleLoopError:
            return [], True

    def expand_settled(self, s: S) -> tuple[Children, bool]:
        """``expand``, raising ``_RuleLoopError`` where rules do not settle."""
        date, closed = s[DATE], s[CLOSED]
        root = self.roots[s[ROOT]]
        for bit, test, dec in self.when:
            if not s[TAKEN] & bit and test(s):
                if not closed:
                    return self._decide(s, dec, s[CURSOR], s[TAKEN] | bit)
                if date < root.end:
                    return [self._arrive(s, date + 1)], False
                break
        cursor = s[CURSOR]
        item = root.agenda[cursor] if cursor < len(root.agenda) else None
        if item is not None and (date > item.day or (date == item.day and not closed)):
            if item.decision is not None:
                return self._decide(s, item.decision, cursor + 1, s[TAKEN])
            assert item.op is not None
            w = list(s)
            w[CURSOR] = cursor + 1
            day = item.event_day if item.event_day is not None else date
            if not (day < date or (day == date and closed)):
                self.apply_top(w, item.op)
            return [(("event", 0), tuple(w))], False
        goal = item.day if item is not None else root.end
        if date < goal and closed:
            return [self._arrive(s, self.next_stop(s, date, goal))], False
        if not closed:
            w = list(s)
            self.close_day(w)
            return [(("close", 0), tuple(w))], False
        return [], False

    def _arrive(self, s: S, day: int) -> tuple[Code, S]:
        w = list(s)
        self.arrive(w, day)
        return ("arrive", 0), tuple(w)

    def _decide(self, s: S, dec: Decision, cursor: int, taken: int) -> tuple[Children, bool]:
        edges: Children = []
        base = list(s)
        base[CURSOR] = cursor
        base[TAKEN] = taken
        for k, ops in enumerate(dec.alternatives):
            w = base.copy()
            if all(self.apply_top(w, op) for op in ops):
                edges.append((("alt", k), tuple(w)))
        if dec.is_free:
            k = 0
            closed = s[CLOSED]
            settle = self.settle
            codes = _move_codes(self.max_moves)
            for op in self._free_moves(s, dec):
                if not op.legal_as_candidate and op.blocked(base):
                    continue
                if not closed:  # a legal move on a closed day is blocked as late
                    w = base.copy()
                    op.mutate(w)
                    if op.settles:
                        settle(w)
                    edges.append((codes[k], tuple(w)))
                k += 1
        if dec.allow_pass:
            edges.append((("pass", 0), tuple(base)))
        return edges, not edges

    # -- invariants, outcomes, keys, decoding ---------------------------------------------------
    def breaches(self, before: S | None, after: S) -> bool:
        """Whether ``Space.check(before, after)`` finds a breach."""
        for test in self.invariants:
            if not test(after):
                return True
        if before is None:
            return False
        if after[DATE] < before[DATE]:  # pragma: no cover - the clock never goes back
            return True
        return self.doc_breaches(before, after)

    def doc_breaches(self, before: S, after: S) -> bool:
        """Whether a document's change breaks a built-in invariant."""
        risky = self._risky
        for i in range(FIRST_DOC, self.doc_end):
            a, b = before[i], after[i]
            if a == b:
                continue
            kind = risky.get((i, a, b))
            if kind is None:
                kind = risky[(i, a, b)] = self._risk(i, a, b)
            if kind == "final":  # pragma: no cover - lifecycles never leave absorbing states
                return True
            if kind == "signed":
                req = self.required_slots[i]
                if req is not None and any(j < 0 or after[j] != ACCEPTS for j in req):
                    return True
        return False

    def _risk(self, i: int, a: int, b: int) -> str:
        """What a document's change from sub-state ``a`` to ``b`` may break."""
        old, new = self.subs.items[a], self.subs.items[b]
        if new.state != old.state and old.state in self.absorbing_by_slot[i]:
            return "final"
        signer = any(p not in old.signed_by for p in new.signed_by)
        if signer or (new.state == "signed" and old.state != "signed"):
            return "signed"
        return ""


    def outcome(self, s: S) -> str:
        """``Space.outcome`` of a terminal node."""
        k = (s[FIRST_DOC : self.doc_end], s[self.dl_first : self.dl_end])
        label = self._outcomes.get(k)
        if label is None:
            names = self.subs.state
            docs = tuple(names[s[i]] for i in range(FIRST_DOC, self.doc_end))
            statuses = tuple(s[self.dl_slot[d]][0] for d in self.dl_ids)
            parts = [f"{d} {name}" for d, name, i in
                     zip(self.doc_ids, docs, range(FIRST_DOC, self.doc_end), strict=True)
                     if name != self.initial_names[i]]
            parts += [f"{d} {status}" for d, status in zip(self.dl_ids, statuses, strict=True)
                      if status not in LIVE and status != INACTIVE]
            label = self._outcomes[k] = ", ".join(parts) or OPEN_LABEL
        return label

    def key(self, s: S) -> Hashable:
        """What the search merges on: the state, without visited when the engine's key
        leaves it out."""
        if not self.project:
            return s
        keys = self.subs.key
        end = self.doc_end
        return (*s[:FIRST_DOC], *(keys[x] for x in s[FIRST_DOC:end]), *s[end:])

    def encode(self, node: Node) -> S:
        """The tuple of an engine node."""
        st = node.state
        w: W = [node.root, node.cursor, node.taken, st.date.toordinal(), st.closed]
        for doc_id in self.doc_ids:
            d = st.documents[doc_id]
            visited = d.visited if self.visit_order else tuple(sorted(d.visited))
            w.append(self.subs.intern(Sub(
                d.state, tuple(sorted(d.points.items())), d.signed_by, d.ratified_by,
                visited if self.carry_visited else (),
            )))
        if not set(st.positions) <= set(self.pos_slot) or not set(st.relations) <= set(
            self.rel_bit
        ):
            raise NotCompilableError("a position or relation outside the compiled slots")
        for k in self.pos_slot:
            p = st.positions.get(k)
            w.append(None if p is None else p.stance)
        w.append(sum(self.rel_bit[k] for k in st.relations))
        for f in self.fact_ids:
            if f not in st.facts:
                w.append(ABSENT)
            else:
                since = st.facts[f]
                w.append(UNDATED if since is None else since.toordinal())
        for d_id in self.dl_ids:
            ds = st.deadlines[d_id]
            w.append((ds.status.value, _ord(ds.due), _ord(ds.opens), ds.binding, ds.cutoff_done))
        for r_id in self.rule_ids:
            rs = st.rules[r_id]
            w.append(((1 if rs.fired > 0 else 0) << 1) | (1 if rs.last else 0))
        return tuple(w)

    def decode(self, s: S) -> Node:
        """The engine node of a tuple (exact on everything ``Node.key()`` hashes)."""
        start = self.space.start
        documents = {}
        for doc_id, i in zip(self.doc_ids, range(FIRST_DOC, self.doc_end), strict=True):
            sub = self.subs.items[s[i]]
            first = start.documents[doc_id]
            documents[doc_id] = DocumentState.model_construct(
                state=sub.state,
                visited=sub.visited if self.carry_visited else first.visited,
                points=dict(sub.points),
                signed_by=sub.signed_by,
                ratified_by=sub.ratified_by,
                version=first.version,
            )
        positions = {
            k: PositionState.model_construct(stance=s[j], since=None, conditions=())
            for k, j in self.pos_slot.items()
            if s[j] is not None
        }
        relations = {k: start.relations.get(k) for k, bit in self.rel_bit.items()
                     if s[self.rel_slot] & bit}
        facts = {
            f: None if s[j] == UNDATED else dt.date.fromordinal(s[j])
            for f, j in self.fact_slot.items()
            if s[j] != ABSENT
        }
        deadlines = {}
        for d_id, j in self.dl_slot.items():
            status, due, opens, binding, cut = s[j]
            deadlines[d_id] = DeadlineState.model_construct(
                status=DeadlineStatus(status),
                due=None if due is None else dt.date.fromordinal(due),
                opens=None if opens is None else dt.date.fromordinal(opens),
                anchor=None, binding=binding, extensions=(), resolved_on=None,
                cutoff_done=cut,
            )
        rules = {r: RuleState.model_construct(fired=s[j] >> 1, last=bool(s[j] & 1))
                 for r, j in self.rule_slot.items()}
        state = State.model_construct(
            date=dt.date.fromordinal(s[DATE]), closed=s[CLOSED], documents=documents,
            positions=positions, relations=relations, facts=facts, deadlines=deadlines,
            rules=rules, step=0,
        )
        return Node(s[ROOT], s[CURSOR], s[TAKEN], state)


def compile_space(space: Space) -> CompiledSpace | None:
    """The compiled space of ``space``, or None when the scenario is outside the subset."""
    try:
        compiled = CompiledSpace(space)
        for node in space.initial():
            compiled.encode(node)
    except NotCompilableError:
        return None
    return compiled


# -- the search -------------------------------------------------------------------------------

Tick = Callable[[int, float], None]
"""Progress: (frontier size, elapsed seconds), once per chunk of the frontier."""


def search_compiled(
    space: Space,
    search: _Search,
    *,
    max_states: int,
    max_depth: int | None,
    max_seconds: float | None,
    chunk: int,
    tick: Tick | None,
) -> tuple[str | None, float] | None:
    """Run ``explore``'s breadth-first search over the compiled space, filling ``search``
    exactly as the engine-driven search does (same states in the same order, codes,
    parents, transitions, outcomes, first breach of each invariant, stuck nodes).
    Returns (why it stopped, elapsed seconds), or None if the scenario does not compile.
    """
    started = time.perf_counter()
    compiled = compile_space(space)
    if compiled is None:
        return None
    walk = _Walk(compiled, search, max_states, max_seconds, chunk, tick, started)
    # a level's new states get consecutive indices: a frontier is its first index and
    # its states
    frontier: list[S] = []
    for node in space.initial():
        s = compiled.encode(node)
        index = search.add(compiled.key(s), -1, None, node.root)
        if index is not None:
            assert index == len(frontier)
            search.breach(index, None, space.check(None, node.state))
            frontier.append(s)
    first = 0
    stopped: str | None = None
    # The search makes no reference cycles (tuples of ints and strings, lists freed by
    # reference counting), so the cyclic collector would only re-scan the growing
    # seen-set: about a quarter of the time on the benchmark family. It is paused for
    # the search and restored as it was.
    collecting = gc.isenabled()
    gc.disable()
    try:
        depth = 0
        while frontier and stopped is None:
            if max_depth is not None and depth >= max_depth:
                search.cut = len(frontier)
                stopped = "max_depth"
                break
            search.depth = depth
            first, frontier, stopped = walk.level(first, frontier)
            if frontier:
                depth += 1
        search.depth = depth
    except KeyboardInterrupt:
        stopped = "interrupted"
    finally:
        if collecting:
            gc.enable()
    return stopped, time.perf_counter() - started


class _Walk:
    """One breadth-first search over a compiled space (``explore._level``, mirrored)."""

    def __init__(
        self,
        compiled: CompiledSpace,
        search: _Search,
        max_states: int,
        max_seconds: float | None,
        chunk: int,
        tick: Tick | None,
        started: float,
    ) -> None:
        self.compiled = compiled
        self.search = search
        self.max_states = max_states
        self.max_seconds = max_seconds
        self.chunk = chunk
        self.tick = tick
        self.started = started
        self.checks = len(compiled.invariants) + 3  # declared and built-in invariants

    def level(self, first: int, frontier: list[S]) -> tuple[int, list[S], str | None]:
        """Expand a level (its states numbered from ``first``): the next level's first
        index and states, and why the search stops, if it does."""
        size = max(1, min(self.chunk, len(frontier)))
        out: list[S] = []
        following = len(self.search.parent)
        for start in range(0, len(frontier), size):
            if self._chunk(first + start, frontier[start : start + size], out):
                return following, out, "max_states"
            elapsed = time.perf_counter() - self.started
            if self.tick is not None:
                self.tick(len(out), elapsed)
            if self.max_seconds is not None and elapsed > self.max_seconds:
                return following, out, "time"
        return following, out, None

    def _chunk(self, first: int, part: list[S], out: list[S]) -> bool:
        """Expand ``part``; True when ``max_states`` is reached."""
        compiled, search = self.compiled, self.search
        expand, breaches, outcome = compiled.expand_settled, compiled.breaches, compiled.outcome
        outcomes = search.outcomes
        keyf = compiled.key if compiled.project else None
        seen, parent, codes, roots = search.seen, search.parent, search.code, search.root
        max_states = self.max_states
        # a step can break an invariant only where a declared one is false or a
        # document changed (``breaches`` says exactly when ``Space.check`` finds one)
        lo, hi, always = FIRST_DOC, compiled.doc_end, bool(compiled.invariants)
        doc_breaches = compiled.doc_breaches
        transitions = 0
        n = len(parent)
        try:
            for index, s in enumerate(part, first):
                try:
                    children, stuck = expand(s)
                except _RuleLoopError:
                    children, stuck = [], True
                if not children:
                    if stuck:
                        self._stuck(index, s)
                    else:
                        label = outcome(s)
                        outcomes[label] = outcomes.get(label, 0) + 1
                    continue
                root = roots[index]
                docs = s[lo:hi]
                for code, child in children:
                    transitions += 1
                    if (
                        (always and breaches(s, child))
                        or (docs != child[lo:hi] and doc_breaches(s, child))
                    ):
                        self._breach(index, code, s, child)
                    if seen.setdefault(child if keyf is None else keyf(child), n) != n:
                        continue
                    out.append(child)
                    n += 1
                    parent.append(index)
                    codes.append(code)
                    roots.append(root)
                    if n >= max_states:
                        return True
            return False
        finally:
            search.transitions += transitions

    def _stuck(self, index: int, s: S) -> None:
        """A stuck node: its reason and outcome as the engine words them."""
        search, compiled = self.search, self.compiled
        node = compiled.decode(s)
        reason = compiled.space.expand(node).stuck
        assert reason is not None, "the compiled space and the engine disagree"
        label = compiled.space.outcome(node, reason)
        search.stuck_count += 1
        if len(search.stuck) < 10:
            search.stuck.append((index, reason))
        search.outcomes[label] = search.outcomes.get(label, 0) + 1

    def _breach(self, index: int, code: Code, before: S, after: S) -> None:
        """The engine's breaches of this step, recorded as ``explore`` records them."""
        if len(self.search.found) >= self.checks:
            return
        compiled = self.compiled
        old, new = compiled.decode(before).state, compiled.decode(after).state
        self.search.breach(index, code, compiled.space.check(old, new))


__all__ = ["CompiledSpace", "NotCompilableError", "compile_space", "search_compiled"]
