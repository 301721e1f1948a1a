"""Conditions compiled to closures over slot indices (no syntax tree at run time), and
``TupleView``: the condition language's ``Facts`` over a working list, so that
``conditions.explain`` says why a condition is false without building a ``State``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from negotiation import conditions as cond
from negotiation.model.documents import ratified_count, ratified_share, threshold_shortfall
from negotiation.model.parties import relation_key
from negotiation.model.positions import position_key
from negotiation.runtime.compiled._base import (
    ABSENT,
    ACCEPTS,
    DATE,
    UNDATED,
    UNKNOWN,
    NotCompilableError,
    Pred,
    _never,
)
from negotiation.runtime.compiled._parts import Parts
from negotiation.runtime.compiled._record import History

_COMPARE: dict[str, Callable[[int, int], bool]] = {
    "before": lambda a, b: a < b,
    "after": lambda a, b: a > b,
    "on": lambda a, b: a == b,
    "on or after": lambda a, b: a >= b,
    "on or before": lambda a, b: a <= b,
}
"""The date comparisons of the condition language, over day ordinals."""


class Conditions(Parts):
    """``pred``: a condition's truth value over a tuple state or working list."""

    def view(self, w: Sequence[Any], h: History | None = None) -> cond.Facts:
        """The condition language's view of a working list (for explanations); with
        the run's history, it knows how often each rule fired."""
        return TupleView(self, w, h)

    def _pred_of(self, node: cond.Node | None) -> Pred | None:
        return None if node is None else self.pred(node)

    def pred(self, node: cond.Node) -> Pred:
        """A closure over a state (tuple or working list): whether the node holds (true,
        not unknown). A node that reads a fact the scenario can make unknown is computed
        in three-valued logic (``pred3``); any other in two."""
        if self.may_be_unknown(node):
            three = self.pred3(node)
            return lambda w: three(w) is True
        return self._pred2(node)

    def may_be_unknown(self, node: cond.Node) -> bool:
        """Whether a node reads a fact that can be unknown."""
        maybe = self.program.unknowable_facts
        return bool(maybe) and any(
            isinstance(n, cond.FactHolds | cond.FactHeld) and n.fact in maybe
            for n in cond.walk(node)
        )

    def pred3(self, node: cond.Node) -> Callable[[Any], bool | None]:
        """The node's value in Kleene's three-valued logic (None: unknown), the closure
        form of ``conditions.value``."""
        if not self.may_be_unknown(node):
            two = self._pred2(node)
            return lambda w: bool(two(w))
        if isinstance(node, cond.Not):
            inner = self.pred3(node.operand)
            return lambda w: cond.kleene_not(inner(w))
        if isinstance(node, cond.And | cond.Or):
            parts = [self.pred3(n) for n in node.operands]
            combine = cond.kleene_and if isinstance(node, cond.And) else cond.kleene_or
            return lambda w: combine(p(w) for p in parts)
        assert isinstance(node, cond.FactHolds | cond.FactHeld)
        j = self.fact_slot[node.fact]
        two = self._pred2(node)
        return lambda w: None if w[j] == UNKNOWN else bool(two(w))

    def _pred2(self, node: cond.Node) -> Pred:
        """Two-valued: for nodes that read no fact that can be unknown (or a fact that is
        not unknown now)."""
        if isinstance(node, cond.Const):
            value = node.value
            return lambda w: value
        if isinstance(node, cond.Not):
            inner = self._pred2(node.operand)
            return lambda w: not inner(w)
        if isinstance(node, cond.And | cond.Or):
            parts = [self._pred2(n) for n in node.operands]
            if isinstance(node, cond.And):
                if len(parts) == 2:
                    a, b = parts
                    return lambda w: a(w) and b(w)
                return lambda w: all(p(w) for p in parts)
            if len(parts) == 2:
                a, b = parts
                return lambda w: a(w) or b(w)
            return lambda w: any(p(w) for p in parts)
        if isinstance(node, cond.FactHolds | cond.FactHeld | cond.DeadlineIs | cond.DeadlineDue
                      | cond.DateCmp | cond.FactUnknown):
            return self._pred_calendar(node)
        if isinstance(node, cond.Participation | cond.Excluded):
            return self._pred_participation(node)
        if isinstance(node, cond.RuleFired | cond.DeadlineFired):
            return self._pred_fired(node)
        return self._pred_document(node)

    def _pred_participation(self, node: cond.Participation | cond.Excluded) -> Pred:
        if isinstance(node, cond.Excluded):
            t, who = self.talks_slot, node.party
            return lambda w: any(x[0] == who for x in w[t])
        party, doc_id, status = node.party, node.document, node.status
        if status == "participates":
            return lambda w: self.standing(w, party, doc_id) in cond.PARTICIPATING
        return lambda w: self.standing(w, party, doc_id) == status

    def _pred_document(self, node: cond.Node) -> Pred:
        subs = self.subs
        pts = subs.points
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
            return lambda w: pts[w[i]].get(point, "open") == status
        if isinstance(node, cond.PointValue):
            i = self.doc_slot[node.document]
            items = subs.items
            want = (node.point, node.value)
            return lambda w: want in items[w[i]].values and pts[w[i]].get(want[0]) == "agreed"
        if isinstance(node, cond.OfferPending):
            i = self.doc_slot[node.document]
            items = subs.items
            return lambda w: items[w[i]].offer is not None
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
        if isinstance(node, cond.VoteFailed | cond.RatifiedCount | cond.RatifiedWeight
                      | cond.ThresholdMet):
            return self._pred_vote(node)
        if isinstance(node, cond.AllAccept):
            req = self.program.required.get(node.document)
            if req is None:
                return _never
            tests = [self._stance_is(p, node.document, ACCEPTS) for p in req]
            return lambda w: all(t(w) for t in tests)
        raise NotCompilableError(f"condition {node.text!r}")

    def _pred_vote(
        self, node: cond.VoteFailed | cond.RatifiedCount | cond.RatifiedWeight | cond.ThresholdMet
    ) -> Pred:
        """Failed votes, ratification counts, weights and thresholds: a function of the
        document's sub-state alone, memoised per sub-state."""
        i = self.doc_slot[node.document]
        items = self.subs.items
        test: Callable[[Any], bool]
        if isinstance(node, cond.VoteFailed):
            party = node.party
            return lambda w: party in items[w[i]].failed
        if isinstance(node, cond.RatifiedCount):
            among = None if node.among is None else list(node.among)
            k = node.at_least

            def test(sub: Any) -> bool:
                return ratified_count(sub.ratified_by, among) >= k
        elif isinstance(node, cond.RatifiedWeight):
            weights = self.scenario.weights.get(node.weight, {})
            op, share = node.op, node.share

            def test(sub: Any) -> bool:
                return cond.share_holds(op, ratified_share(sub.ratified_by, weights), share)
        else:
            shortfall = self.threshold_of(node.document)
            if shortfall is None:
                return _never

            def test(sub: Any) -> bool:
                return not shortfall(sub.ratified_by)
        memo: dict[int, bool] = {}

        def pred(w: Any) -> bool:
            found = memo.get(w[i])
            if found is None:
                found = memo[w[i]] = test(items[w[i]])
            return found

        return pred

    def _pred_fired(self, node: cond.RuleFired | cond.DeadlineFired) -> Pred:
        """Whether a rule has fired (the state's bit), whether a deadline has resolved.
        How often a rule fired is history, not state: no closure (``expect`` only)."""
        if isinstance(node, cond.DeadlineFired):
            j = self.dl_slot[node.deadline]
            fired = cond.FIRED_STATUSES
            return lambda w: w[j][0] in fired
        if node.times is not None:
            raise NotCompilableError(f"condition {node.text!r} counts firings (expect only)")
        k = self.rule_slot[node.rule]
        return lambda w: w[k] >> 1 > 0

    def threshold_of(self, doc_id: str) -> Callable[[tuple[str, ...]], list[str]] | None:
        """What a document's entry-into-force threshold lacks, given who has ratified
        (None: it declares none)."""
        doc = self.program.documents[doc_id]
        spec = doc.entry_into_force
        if spec is None:
            return None
        weights = {} if spec.weight is None else self.scenario.weights.get(spec.weight, {})
        ratifiers = list(doc.ratification_by)
        return lambda ratified: threshold_shortfall(spec, ratifiers, ratified, weights)

    def _pred_calendar(self, node: cond.Node) -> Pred:
        if isinstance(node, cond.FactHolds):
            j = self.fact_slot[node.fact]
            want = node.value
            return lambda w: (w[j] != ABSENT) == want
        if isinstance(node, cond.FactUnknown):
            j = self.fact_slot[node.fact]
            return lambda w: w[j] == UNKNOWN
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
        if isinstance(node, cond.DeadlineDue):
            j = self.dl_slot[node.deadline]
            target = node.day.toordinal()
            cmp_days = _COMPARE[node.op]
            return lambda w: w[j][1] is not None and cmp_days(w[j][1], target)
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

    def standing(self, w: Sequence[Any], party: str, doc_id: str) -> str:
        """A party's standing in a document (``conditions.standing_of``)."""
        sub = self.subs.items[w[self.doc_slot[doc_id]]]
        for p, status, _, _ in sub.parties:
            if p == party:
                return str(status)
        return cond.standing_of(None, party, self.program.required.get(doc_id), sub.signed_by)

    def _stance_is(self, party: str, target: str, stance: str) -> Pred:
        j = self.pos_slot.get(position_key(party, target))
        if j is None:
            value = stance == "unknown"
            return lambda w: value
        if stance == "unknown":
            return lambda w: w[j] is None or w[j] == "unknown"
        return lambda w: bool(w[j] == stance)

    def _reads(self, node: cond.Node) -> set[int]:
        """The slots a condition reads."""
        out: set[int] = set()
        for n in cond.walk(node):
            if isinstance(n, cond.DocState | cond.PointIs | cond.HasActed | cond.PointValue
                          | cond.OfferPending | cond.Participation | cond.VoteFailed
                          | cond.RatifiedCount | cond.RatifiedWeight | cond.ThresholdMet):
                out.add(self.doc_slot[n.document])
            elif isinstance(n, cond.StanceIs):
                out.add(self.pos_slot.get(position_key(n.party, n.target), -1))
            elif isinstance(n, cond.AllAccept):
                out |= {self.pos_slot.get(position_key(p, n.document), -1)
                        for p in self.program.required.get(n.document) or ()}
            elif isinstance(n, cond.RelationHolds):
                out.add(self.rel_slot)
            elif isinstance(n, cond.Excluded):
                out.add(self.talks_slot)
            elif isinstance(n, cond.FactHolds | cond.FactHeld | cond.FactUnknown):
                out.add(self.fact_slot[n.fact])
            elif isinstance(n, cond.DeadlineIs | cond.DeadlineDue | cond.DeadlineFired):
                out.add(self.dl_slot[n.deadline])
            elif isinstance(n, cond.RuleFired):
                out.add(self.rule_slot[n.rule])
            if isinstance(n, cond.FactHeld | cond.DateCmp):
                out.add(DATE)
        return out


class TupleView:
    """``conditions.Facts`` over a working list of a runtime."""

    def __init__(self, rt: Parts, w: Sequence[Any], h: History | None = None) -> None:
        self.rt = rt
        self.w = w
        self.h = h

    @property
    def today(self) -> dt.date:
        return dt.date.fromordinal(self.w[DATE])

    def _sub(self, document: str) -> Any:
        return self.rt.subs.items[self.w[self.rt.doc_slot[document]]]

    def document_state(self, document: str) -> str:
        return str(self._sub(document).state)

    def document_visited(self, document: str) -> tuple[str, ...]:
        return tuple(self._sub(document).visited)

    def point_status(self, document: str, point: str) -> str:
        return str(self.rt.subs.points[self.w[self.rt.doc_slot[document]]].get(point, "open"))

    def point_value(self, document: str, point: str) -> str | None:
        return dict(self._sub(document).values).get(point)

    def offer_by(self, document: str) -> str | None:
        offer = self._sub(document).offer
        return None if offer is None else str(offer[0])

    def stance(self, party: str, target: str) -> str:
        j = self.rt.pos_slot.get(position_key(party, target))
        value = None if j is None else self.w[j]
        return "unknown" if value is None else str(value)

    def relation(self, source: str, relation: str, target: str) -> bool:
        bit = self.rt.rel_bit.get(relation_key(source, relation, target), 0)
        return bool(self.w[self.rt.rel_slot] & bit)

    def fact_since(self, fact: str) -> dt.date | bool | None:
        value = self.w[self.rt.fact_slot[fact]]
        if value in (ABSENT, UNKNOWN):
            return False
        return None if value == UNDATED else dt.date.fromordinal(value)

    def deadline_due(self, deadline: str) -> dt.date | None:
        due = self.w[self.rt.dl_slot[deadline]][1]
        return None if due is None else dt.date.fromordinal(due)

    def deadline_status(self, deadline: str) -> str:
        return str(self.w[self.rt.dl_slot[deadline]][0])

    def signed_by(self, document: str) -> tuple[str, ...]:
        return tuple(self._sub(document).signed_by)

    def ratified_by(self, document: str) -> tuple[str, ...]:
        return tuple(self._sub(document).ratified_by)

    def required_parties(self, document: str) -> list[str] | None:
        return self.rt.program.required.get(document)

    def standing(
        self, party: str, document: str
    ) -> tuple[str, dt.date, dt.date | None] | None:
        for p, status, since, effective in self._sub(document).parties:
            if p == party:
                return (str(status), dt.date.fromordinal(since),
                        None if effective is None else dt.date.fromordinal(effective))
        return None

    def excluded(self, party: str) -> tuple[dt.date, str | None] | None:
        for p, since, until in self.w[self.rt.talks_slot]:
            if p == party:
                return dt.date.fromordinal(since), until
        return None

    def failed_by(self, document: str) -> tuple[str, ...]:
        return tuple(self._sub(document).failed)

    def fact_unknown(self, fact: str) -> bool:
        return bool(self.w[self.rt.fact_slot[fact]] == UNKNOWN)

    def rule_fired(self, rule: str) -> int:
        if self.h is not None:
            return self.h.fired.get(rule, 0)
        return int(self.w[self.rt.rule_slot[rule]] >> 1 > 0)

    def weight(self, name: str) -> dict[str, float]:
        return dict(self.rt.scenario.weights.get(name, {}))

    def threshold_shortfall(self, document: str) -> list[str] | None:
        shortfall = self.rt.threshold_of(document)
        return None if shortfall is None else list(shortfall(self._sub(document).ratified_by))
