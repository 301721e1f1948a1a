"""The tuple state's layout (see the package docstring): slot indices of documents,
positions, relations, facts, deadlines and rules; interned document sub-states; and the
edges to the engine: ``encode`` (an engine node to a tuple), ``decode`` (back) and
``key`` (what the search merges on)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable

from negotiation import conditions as cond
from negotiation.model.deadlines import DeadlineStatus
from negotiation.model.events import Accept, Event, Reject, SetRelation, StatePosition
from negotiation.model.parties import relation_key
from negotiation.model.positions import position_key
from negotiation.model.state import DeadlineState, DocumentState, PositionState, RuleState, State
from negotiation.runtime.compiled._base import (
    ABSENT,
    CLOSED,
    CURSOR,
    DATE,
    FIRST_DOC,
    ROOT,
    TAKEN,
    UNDATED,
    NotCompilableError,
    S,
    W,
    _ord,
)
from negotiation.runtime.compiled._parts import Parts
from negotiation.runtime.compiled._subs import Sub
from negotiation.runtime.space import SpaceNode


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



class Layout(Parts):
    """Slots, and encoding and decoding engine nodes."""

    def _layout(self) -> None:
        scenario, program = self.scenario, self.program
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
            for lc_id, nodes in program.compiled.lifecycle_guards.items()
        }
        self.absorbing = {d.id: self.lifecycles[d.lifecycle].absorbing for d in docs}
        self.absorbing_by_slot = [frozenset[str]()] * FIRST_DOC + [
            self.absorbing[d] for d in self.doc_ids
        ]
        self.required_slots: dict[int, list[int] | None] = {}
        for d in docs:
            req = program.required[d.id]
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
        c = self.program.compiled
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

    def key(self, s: S) -> Hashable:
        """What the search merges on: the state, without visited when the engine's key
        leaves it out."""
        if not self.project:
            return s
        keys = self.subs.key
        end = self.doc_end
        return (*s[:FIRST_DOC], *(keys[x] for x in s[FIRST_DOC:end]), *s[end:])

    def encode(self, node: SpaceNode) -> S:
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

    def decode(self, s: S) -> SpaceNode:
        """The engine node of a tuple (exact on everything ``SpaceNode.key()`` hashes)."""
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
        return SpaceNode(s[ROOT], s[CURSOR], s[TAKEN], state)
