"""Events on documents, stances, points, facts, relations and commitments, compiled to
ops whose ``blocked`` and ``mutate`` mirror ``Acts.reasons`` and ``Acts.mutate``."""

from __future__ import annotations

from collections.abc import Callable

from negotiation.model.documents import Document
from negotiation.model.events import (
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
from negotiation.model.parties import relation_key
from negotiation.model.positions import position_key
from negotiation.runtime.compiled._base import (
    ABSENT,
    ACCEPTS,
    DATE,
    INACTIVE,
    NotCompilableError,
    Op,
    Pred,
    W,
    _never,
    _nothing,
)
from negotiation.runtime.compiled._parts import Parts
from negotiation.runtime.compiled._subs import Sub
from negotiation.runtime.lifecycles import Lifecycle


class Acts(Parts):
    """``op``: one event compiled (deadline events are ``Clock``'s)."""

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
        doc: Document = self.program.documents[doc_id]
        i = self.doc_slot[doc_id]
        dest = self._dest(doc, trigger)
        lc_guards = self.lc_guards[doc.lifecycle]
        names = self.subs.state
        checks: list[Pred] = [self.pred(n) for triggers, n, _ in
                              self.program.compiled.guards[doc_id] if trigger in triggers]
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
