"""What each event kind requires and what it changes: events on documents, stances,
points, facts, relations and commitments compiled to ops (deadline events are
``_clock``'s, offer-protocol events ``_offers``'). Each op has ``blocked`` (the check),
``reasons`` (why it is blocked, computed only when asked), ``mutate`` (the change) and
``describe`` (its trace entry's changes and notes, read from the working list before and
after the change).

Document events fire the lifecycle trigger of the same name (the table of the shared
``transitions`` Machine, the authority on legal moves); stance events follow the
position lifecycle."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable
from typing import Any

from negotiation import conditions as cond
from negotiation.model.documents import Document
from negotiation.model.events import (
    DOCUMENT_TRIGGERS,
    PARTICIPATION_KINDS,
    Accept,
    AcceptOffer,
    AmendPoint,
    ClearFact,
    Commitment,
    Counter,
    Derive,
    DropDeadline,
    EnforceDeadline,
    Event,
    ExtendDeadline,
    Meet,
    Offer,
    PublishPoints,
    Ratify,
    Reject,
    RejectOffer,
    RemovePoint,
    Request,
    Revise,
    SetDeadline,
    SetFact,
    SetPoint,
    SetRelation,
    Sign,
    Statement,
    StatePosition,
    Supersede,
    Transition,
    UnknownFact,
    WaiveDeadline,
    WalkAway,
)
from negotiation.model.parties import relation_key
from negotiation.model.positions import position_key
from negotiation.model.trace import Change
from negotiation.runtime.compiled._base import (
    ABSENT,
    ACCEPTS,
    DATE,
    INACTIVE,
    UNDATED,
    UNKNOWN,
    Before,
    Describe,
    NotCompilableError,
    Only,
    Op,
    Pred,
    W,
    _never,
    _nothing,
)
from negotiation.runtime.compiled._offers import offer_text
from negotiation.runtime.compiled._parts import Parts
from negotiation.runtime.compiled._record import History, change
from negotiation.runtime.compiled._subs import Sub
from negotiation.runtime.lifecycles import Lifecycle

_UNREAD = frozenset({"id", "date", "summary", "attribution", "assumption"})
"""Event fields no compiled op reads (an extension's entry names its event: its id is
read)."""


_PLAIN = frozenset({str, int, float, bool, type(None)})


def _frozen(value: Any) -> Hashable:
    kind = type(value)
    if kind in _PLAIN:
        plain: Hashable = value
        return plain
    if kind is list or kind is tuple:
        items = tuple(value)
        try:
            hash(items)  # strings, mostly (who acts, attendees): as they are
        except TypeError:
            return tuple(_frozen(v) for v in value)
        return items
    if kind is dict:
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    frozen: Hashable = value  # enums, frozen models (hashed below)
    return frozen


_READ: dict[type, tuple[str, ...]] = {}
"""Per event class, the fields its op may read (every field but ``_UNREAD``'s)."""


def _read_fields(kind: type) -> tuple[str, ...]:
    names = _READ.get(kind)
    if names is None:
        skip = _UNREAD - {"id"} if kind is ExtendDeadline else _UNREAD
        model_fields: dict[str, Any] = getattr(kind, "model_fields", {})
        names = _READ[kind] = tuple(k for k in model_fields if k not in skip)
    return names


def _semantic_key(event: Event) -> Hashable | None:
    """What an event's op depends on; None when it cannot be told (not hashable)."""
    kind = type(event)
    d = event.__dict__
    try:
        key = (kind, tuple(
            v if type(v) in _PLAIN else _frozen(v)
            for v in map(d.get, _read_fields(kind))
        ))
        hash(key)
    except TypeError:
        return None
    return key


IN_FORCE = "in_force"
"""The lifecycle state that the ratification gate guards."""

_STANCE = (Accept, Reject, StatePosition)
_DEADLINE = (ExtendDeadline, DropDeadline, EnforceDeadline, WaiveDeadline)
_FACT = (SetFact, ClearFact, UnknownFact)
_NOTHING = (Statement, Request)
_OFFERS = (Offer, Counter, AcceptOffer, RejectOffer, WalkAway)


class Acts(Parts):
    """``op``: one event compiled (deadline events are ``Clock``'s)."""

    def op(self, event: Event) -> Op:
        """Compile one event. Events that differ only in what no op reads (id, date,
        summary, attribution, assumption) share the compiled closures: a long timeline
        repeats the same moves on other days."""
        key = _semantic_key(event)
        base = None if key is None else self._op_memo.get(key)
        if base is None:
            if isinstance(event, Ratify) and event.result == "failed":
                base = self.gate(event, self.failed_vote_op(event))
            else:
                base = self.gate(event, self.participation_op(event)
                                 if event.kind in PARTICIPATION_KINDS else self._op(event))
            base.only = self._only(event)
            if key is not None:
                self._op_memo[key] = base
        compiled = Op(base.blocked, base.mutate, event.id, base.writes, True,
                      base.legal_as_candidate, event, base.reasons, base.describe,
                      base.effects, base.cause, base.only, sets=base.sets)
        self._new_op(compiled)
        return compiled

    def _only(self, event: Event) -> tuple[Only, ...]:
        """The event's ``if`` and ``unless`` conditions, compiled."""
        out = []
        for text, holds in ((event.if_, True), (event.unless, False)):
            if text is not None:
                node = self.program.parse(text)
                out.append(Only(self.pred(node), node, holds))
        return tuple(out)

    def _op(self, event: Event) -> Op:
        if isinstance(event, Transition):
            return self._doc_op(event, event.document, event.trigger)
        trigger = DOCUMENT_TRIGGERS.get(event.kind)
        document = event.__dict__.get("document")
        if trigger is not None and isinstance(document, str):
            return self._doc_op(event, document, trigger)
        if isinstance(event, _STANCE):
            return self._stance_op(event)
        if isinstance(event, SetDeadline):
            return self._set_deadline_op(event)
        if isinstance(event, _DEADLINE):
            return self._deadline_op(event)
        if isinstance(event, SetPoint | PublishPoints | AmendPoint | RemovePoint):
            return self._points_op(event)
        if isinstance(event, _OFFERS):
            return self.offer_op(event)
        if isinstance(event, _FACT):
            return self._fact_op(event)
        if isinstance(event, SetRelation):
            return self._relation_op(event)
        if isinstance(event, Commitment):
            return self._commitment_op(event)
        if isinstance(event, Meet):
            notes = meeting_notes(event)

            def noted(before: Before, after: W, h: History) -> tuple[list[Change], list[str]]:
                return [], list(notes)

            return Op(_never, _nothing, event.id, describe=noted)
        if isinstance(event, _NOTHING):
            return Op(_never, _nothing, event.id)
        raise NotCompilableError(f"event kind {event.kind}")  # pragma: no cover

    def _doc_op(self, event: Event, doc_id: str, trigger: str) -> Op:
        doc: Document = self.program.documents[doc_id]
        i = self.doc_slot[doc_id]
        cached = self._doc_parts.get((doc_id, trigger))
        if cached is None:
            cached = self._doc_parts[(doc_id, trigger)] = (
                self._dest(doc, trigger),
                [(self.pred(n), n, text) for triggers, n, text in
                 self.program.compiled.guards[doc_id] if trigger in triggers],
            )
        dest, guards = cached
        lc_guards = self.lc_guards[doc.lifecycle]
        names = self.subs.state
        checks: list[Pred] = [g for g, _, _ in guards]
        if isinstance(event, Sign) and doc.requires_acceptance != "unknown":
            checks += [self._stance_is(p, doc_id, ACCEPTS) for p in doc.requires_acceptance]
        static: list[str] = []
        if isinstance(event, Ratify) and doc.ratification_by:
            static += [
                f"{who} is not among {doc_id}'s ratifiers ({', '.join(doc.ratification_by)})"
                for who in event.by if who not in doc.ratification_by
            ]
        derived = ""
        if isinstance(event, Derive) and doc.derived_from not in (None, event.source):
            derived = f"{doc_id} is declared as derived from {doc.derived_from}, not {event.source}"
        static_bad = bool(static or derived)

        gate = self._ratification_gate(doc)

        def blocked(w: W) -> bool:
            if static_bad:
                return True
            gv = tuple(g(w) for g in lc_guards) if lc_guards else ()
            to = dest(names[w[i]], gv)
            if to is None or (gate is not None and to == IN_FORCE and gate(w)):
                return True
            return not all(c(w) for c in checks)

        reasons = self._doc_reasons(event, doc, trigger, guards, static, derived)
        describe = self._doc_describe(event, doc, i)
        successor = self._doc_successor(event, doc, dest)
        simple = not lc_guards and not checks and not static_bad and gate is None
        if not lc_guards:
            plain: dict[int, int] = {}

            def step(x: int) -> int:
                new = plain.get(x)
                if new is None:
                    new = plain[x] = successor(x, ())
                return new

            def mutate_plain(w: W) -> None:
                w[i] = step(w[i])

            return Op(blocked, mutate_plain, event.id, frozenset({i}), legal_as_candidate=simple,
                      reasons=reasons, describe=describe, sets=(i, step))
        memo: dict[tuple[int, tuple[bool, ...]], int] = {}

        def mutate(w: W) -> None:
            gv = tuple(g(w) for g in lc_guards)
            k = (w[i], gv)
            new = memo.get(k)
            if new is None:
                new = memo[k] = successor(w[i], gv)
            w[i] = new

        return Op(blocked, mutate, event.id, frozenset({i}), reasons=reasons, describe=describe)

    def _doc_reasons(
        self, event: Event, doc: Document, trigger: str,
        guards: list[tuple[Pred, cond.Node, str]], static: list[str], derived: str,
    ) -> Callable[[W], list[str]]:
        """Why a document event is blocked (``blocked`` is the same checks, as booleans)."""
        doc_id = doc.id
        i = self.doc_slot[doc_id]
        dest = self._doc_parts[(doc_id, trigger)][0]
        lc_guards = self.lc_guards[doc.lifecycle]
        names = self.subs.state
        required = (
            list(doc.requires_acceptance)
            if isinstance(event, Sign) and doc.requires_acceptance != "unknown" else []
        )

        gate = self._ratification_gate(doc)
        items = self.subs.items

        def reasons(w: W) -> list[str]:
            out = list(static)
            gv = tuple(g(w) for g in lc_guards) if lc_guards else ()
            to = dest(names[w[i]], gv)
            if to is None:
                out.append(self.why_not_trigger(w, doc_id, trigger))
            elif gate is not None and to == IN_FORCE and gate(w):
                done = items[w[i]].ratified_by
                shortfall = self.threshold_of(doc_id)
                if shortfall is not None:
                    out.append(f"{doc_id} cannot enter into force before its threshold is "
                               f"met: {'; '.join(shortfall(done))}")
                else:
                    missing = [p for p in doc.ratification_by if p not in done]
                    out.append(f"{doc_id} cannot enter into force before it is ratified; not "
                               f"yet ratified by: {', '.join(missing)}")
            view = self.view(w)
            for test, node, text in guards:
                if not test(w):
                    detail = "; ".join(cond.explain(node, view))
                    out.append(f"{doc_id} depends on: {text} ({detail})")
            out += [
                f"{party} has not accepted {doc_id} (stance: {view.stance(party, doc_id)})"
                for party in required
                if view.stance(party, doc_id) != ACCEPTS
            ]
            if derived:
                out.append(derived)
            return out

        return reasons

    def _ratification_gate(self, doc: Document) -> Pred | None:
        """True while a document with ratifiers, not opted out, lacks a ratification
        (then it cannot enter into force); None for a document without the gate. With an
        ``entry_into_force`` threshold: true while the threshold is not met."""
        if doc.in_force_before_ratification is not None:
            return None
        i = self.doc_slot[doc.id]
        items = self.subs.items
        shortfall = self.threshold_of(doc.id)
        if shortfall is not None:
            return lambda w: bool(shortfall(items[w[i]].ratified_by))
        if not doc.ratification_by:
            return None
        needed = frozenset(doc.ratification_by)
        return lambda w: not needed <= set(items[w[i]].ratified_by)

    def why_not_trigger(self, w: W, doc_id: str, trigger: str) -> str:
        """Why a document's lifecycle refuses a trigger in ``w``."""
        doc = self.program.documents[doc_id]
        lc = self.lifecycles[doc.lifecycle]
        current = self.subs.state[w[self.doc_slot[doc_id]]]
        if trigger not in lc.triggers:
            return f"lifecycle {lc.spec.id} has no move {trigger!r}"
        if current in lc.absorbing:
            return f"{doc_id} is {current}, a final state"
        if (current, trigger) not in lc.table:
            allowed = sorted({s for (s, t) in lc.table if t == trigger})
            return f"{doc_id} is {current}; {trigger} needs it to be {' or '.join(allowed)}"
        view = self.view(w)
        guards = self.program.compiled.lifecycle_guards[doc.lifecycle]
        failing = [
            "; ".join(cond.explain(guards[k], view)) for k in lc.guard_indices(current, trigger)
        ]
        return f"{doc_id}: {trigger} is guarded: " + " / ".join(failing)

    def _doc_describe(self, event: Event, doc: Document, i: int) -> Describe:
        """The changes and notes of a document event's entry."""
        doc_id = doc.id
        items = self.subs.items
        notes: list[str] = []
        if isinstance(event, Sign) and doc.requires_acceptance == "unknown":
            notes.append(f"the parties whose acceptance {doc_id} requires are unknown: not checked")
        if isinstance(event, Supersede) and event.replacement:
            notes.append(f"replaced by {event.replacement}")
        is_ratify = isinstance(event, Ratify)
        if isinstance(event, Ratify) and event.vote_text():
            notes.append(f"vote: {event.vote_text()}")
        version = event.version if isinstance(event, Revise) else None
        revised = dict(event.points) if isinstance(event, Revise) and event.points else {}

        def describe(before: Before, after: W, h: History) -> tuple[list[Change], list[str]]:
            old, new = items[before[i]], items[after[i]]
            changes: list[Change] = []
            if old.state != new.state:
                changes.append(change(what=f"document {doc_id}", before=old.state, after=new.state))
            if old.offer != new.offer:
                changes.append(change(what=f"offer on {doc_id}", before=offer_text(old.offer),
                                      after=None))
            if is_ratify:
                changes.append(Change(
                    what=f"document {doc_id} ratified by",
                    before=", ".join(old.ratified_by) or None,
                    after=", ".join(new.ratified_by),
                ))
                if old.failed != new.failed:
                    changes.append(change(what=f"document {doc_id} ratification failed",
                                          before=", ".join(old.failed),
                                          after=", ".join(new.failed) or None))
            if version is not None:
                h.versions[doc_id] = version
            if revised:
                was = dict(old.points)
                for p, status in revised.items():
                    earlier = was.get(p, "open")
                    if earlier != status.value:  # a revision that keeps a status changes nothing
                        changes.append(
                            change(what=f"point {doc_id}.{p}", before=earlier, after=status.value)
                        )
            return changes, list(notes)

        return describe

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
        """The document sub-state after the event."""
        subs = self.subs
        by = tuple(event.by)
        is_sign, is_ratify = isinstance(event, Sign), isinstance(event, Ratify)
        ratifiers = set(doc.ratification_by)
        points_update: dict[str, str] = {}
        if isinstance(event, Revise) and event.points:
            points_update = {p: s.value for p, s in event.points.items()}
        carry, ordered = self.carry_visited, self.visit_order
        order = self.points_tuple
        final = self.absorbing[doc.id]

        def successor(sub_id: int, gv: tuple[bool, ...]) -> int:
            sub = subs.items[sub_id]
            signed, ratified, points = sub.signed_by, sub.ratified_by, sub.points
            if is_sign:
                signed = tuple(dict.fromkeys((*signed, *by)))
            partial = False
            failed = sub.failed
            if is_ratify:
                done = set(ratified) | set(by)
                ratified = tuple(dict.fromkeys((*ratified, *by)))
                partial = bool(ratifiers) and not ratifiers <= done
                failed = tuple(p for p in failed if p not in done)
            if points_update:
                points = order({**dict(points), **points_update}.items())
            state, visited = sub.state, sub.visited
            if not partial:
                moved = dest(state, gv)
                assert moved is not None
                state = moved
                if carry and state not in visited:
                    visited = (*visited, state) if ordered else tuple(sorted((*visited, state)))
            offer = None if state in final else sub.offer  # a final text takes no offer
            return subs.intern(
                Sub(state, points, signed, ratified, visited, sub.values, offer, sub.texts,
                    sub.parties, failed, *((sub.to, sub.accepted) if offer else ()))
            )

        return successor

    def _points_op(self, event: SetPoint | PublishPoints | AmendPoint | RemovePoint) -> Op:
        """A point's status (``set_point``), or which points are known and their text
        (``_publish``)."""
        if isinstance(event, SetPoint):
            return self._point_op(event)
        return self.point_text_op(event)

    def _point_op(self, event: SetPoint) -> Op:
        i = self.doc_slot[event.document]
        subs = self.subs
        point, status = event.point, event.status.value
        order = self.points_tuple
        memo: dict[int, int] = {}

        def mutate(w: W) -> None:
            new = memo.get(w[i])
            if new is None:
                sub = subs.items[w[i]]
                pts = order({**dict(sub.points), point: status}.items())
                new = memo[w[i]] = subs.intern(
                    Sub(sub.state, pts, sub.signed_by, sub.ratified_by, sub.visited,
                        sub.values, sub.offer, sub.texts, sub.parties,
                        sub.failed, sub.to, sub.accepted)
                )
            w[i] = new

        label = f"point {event.document}.{point}"

        def describe(before: Before, after: W, h: History) -> tuple[list[Change], list[str]]:
            was = subs.points[before[i]].get(point, "open")
            return [change(what=label, before=was, after=status)], []

        return Op(_never, mutate, event.id, frozenset({i}), describe=describe)

    def _fact_op(self, event: SetFact | ClearFact | UnknownFact) -> Op:
        """A fact set true (since today, unless it already was), false, or unknown."""
        j = self.fact_slot[event.fact]
        label = f"fact {event.fact}"

        def word(v: int) -> str:
            return "false" if v == ABSENT else "unknown" if v == UNKNOWN else "true"

        if isinstance(event, SetFact):

            def set_fact(w: W) -> None:
                if w[j] < UNDATED:  # false or unknown
                    w[j] = w[DATE]

            def became_true(before: Before, after: W, h: History) -> tuple[list[Change], list[str]]:
                if before[j] >= UNDATED:
                    return [], []
                return [change(what=label, before=word(before[j]), after="true")], []

            return Op(_never, set_fact, event.id, frozenset({j}), describe=became_true)
        if isinstance(event, UnknownFact) and event.fact not in self.program.unknowable_facts:
            raise NotCompilableError(f"fact {event.fact} made unknown from outside the scenario")
        to = UNKNOWN if isinstance(event, UnknownFact) else ABSENT

        def set_to(w: W) -> None:
            w[j] = to

        def became(before: Before, after: W, h: History) -> tuple[list[Change], list[str]]:
            if before[j] == to:
                return [], []
            return [change(what=label, before=word(before[j]), after=word(to))], []

        return Op(_never, set_to, event.id, frozenset({j}), describe=became)

    def _relation_op(self, event: SetRelation) -> Op:
        key = relation_key(event.source, event.relation, event.target)
        bit = self.relation_bit(key)
        r = self.rel_slot
        label = f"relation {event.source} {event.relation.value} {event.target}"
        if event.active:

            def relate(w: W) -> None:
                w[r] |= bit

            def related(before: Before, after: W, h: History) -> tuple[list[Change], list[str]]:
                if before[r] & bit:
                    return [], []
                h.relations[key] = dt.date.fromordinal(after[DATE])
                return [change(what=label, before="no", after="yes")], []

            return Op(_never, relate, event.id, frozenset({r}), describe=related)

        def unrelate(w: W) -> None:
            w[r] &= ~bit

        def unrelated(before: Before, after: W, h: History) -> tuple[list[Change], list[str]]:
            if not before[r] & bit:
                return [], []
            h.relations.pop(key, None)
            return [change(what=label, before="yes", after="no")], []

        return Op(_never, unrelate, event.id, frozenset({r}), describe=unrelated)

    def _commitment_op(self, event: Commitment) -> Op:
        infos = [self.dl_info[d] for d in event.opens]

        def blocked(w: W) -> bool:
            return any(w[i.slot][0] != INACTIVE for i in infos)

        def reasons(w: W) -> list[str]:
            return [f"{i.spec.id} is already {w[i.slot][0]}" for i in infos
                    if w[i.slot][0] != INACTIVE]

        def commit(w: W) -> None:
            for i in infos:
                w[i.slot] = self.activate(i, None)

        def describe(before: Before, after: W, h: History) -> tuple[list[Change], list[str]]:
            changes = []
            for i in infos:
                h.deadlines[i.spec.id] = self.fresh_history(i, after)
                changes.append(change(what=f"deadline {i.spec.id}", before="inactive",
                                      after=after[i.slot][0]))
            return changes, []

        return Op(blocked, commit, event.id, frozenset(i.slot for i in infos),
                  reasons=reasons, describe=describe)

    def _stance_op(self, event: Accept | Reject | StatePosition) -> Op:
        doc = self.program.documents[event.document]
        i = self.doc_slot[doc.id]
        absorbing = self.absorbing[doc.id]
        target = f"{event.document}.{event.point}" if event.point else event.document
        if isinstance(event, Accept):
            stance = "accepts"
        elif isinstance(event, Reject):
            stance = "rejects"
        else:
            stance = event.stance.value
        names = self.subs.state
        keys = [position_key(p, target) for p in event.by]
        slots = [self.pos_slot[k] for k in keys]
        no_by = not event.by
        allowed = self._stance_allowed(stance)

        def blocked(w: W) -> bool:
            if no_by or names[w[i]] in absorbing:
                return True
            for j in slots:
                now = w[j]
                if not allowed.get("unknown" if now is None else now, False):
                    return True
            return False

        reasons = self._stance_reasons(event, doc.id, target, stance, slots, allowed)
        describe = self._stance_describe(event, target, stance, keys, slots)

        if len(slots) == 1:
            (only,) = slots

            def mutate_one(w: W) -> None:
                w[only] = stance

            def step(x: object) -> str:
                return stance

            return Op(blocked, mutate_one, event.id, frozenset(slots),
                      legal_as_candidate=all(allowed.values()), reasons=reasons,
                      describe=describe, sets=(only, step))

        def mutate(w: W) -> None:
            for j in slots:
                w[j] = stance

        return Op(blocked, mutate, event.id, frozenset(slots), reasons=reasons, describe=describe)


    def _stance_allowed(self, stance: str) -> dict[str, bool]:
        """From which stances the position lifecycle allows ``stance`` (asked without
        guard values), once per stance."""
        found = self._allowed.get(stance)
        if found is None:
            plc = self.lifecycles["position"]
            found = self._allowed[stance] = {
                s: plc.fire(s, stance) is not None for s in plc.spec.states
            }
        return found

    def _stance_reasons(
        self, event: Accept | Reject | StatePosition, doc_id: str, target: str, stance: str,
        slots: list[int], allowed: dict[str, bool],
    ) -> Callable[[W], list[str]]:
        i = self.doc_slot[doc_id]
        absorbing = self.absorbing[doc_id]
        names = self.subs.state

        def reasons(w: W) -> list[str]:
            out = []
            current = names[w[i]]
            if current in absorbing:
                out.append(f"{doc_id} is {current}: no stance can be taken on it any more")
            if not event.by:
                out.append(f"{event.kind} needs the party taking the stance in 'by'")
            for party, j in zip(event.by, slots, strict=True):
                now = "unknown" if w[j] is None else w[j]
                if not allowed.get(now, False):
                    out.append(f"{party}'s stance on {target} cannot go from {now} to {stance}")
            return out

        return reasons

    def _stance_describe(
        self, event: Accept | Reject | StatePosition, target: str, stance: str,
        keys: list[str], slots: list[int],
    ) -> Describe:
        conditions = tuple(event.conditions) if isinstance(event, StatePosition) else ()

        def describe(before: Before, after: W, h: History) -> tuple[list[Change], list[str]]:
            day = dt.date.fromordinal(after[DATE])
            changes = []
            for party, key, j in zip(event.by, keys, slots, strict=True):
                h.positions[key] = (day, conditions)
                was = "unknown" if before[j] is None else before[j]
                if was != stance:
                    changes.append(
                        change(what=f"position {party} on {target}", before=was, after=stance)
                    )
            return changes, []

        return describe


def meeting_notes(event: Meet) -> list[str]:
    """What a meeting's trace entry notes: who attended, who was absent, what was
    discussed (each only when the scenario says it)."""
    notes = []
    if event.attendees:
        notes.append(f"attended: {', '.join(event.attendees)}")
    if event.absent:
        notes.append(f"absent: {', '.join(event.absent)}")
    if event.documents:
        notes.append(f"discussed: {', '.join(event.documents)}")
    return notes
