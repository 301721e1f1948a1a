"""The tuple state's layout (see the package docstring): slot indices of documents,
positions, relations, facts, deadlines and rules; interned document sub-states; and the
edges to ``State``: ``encode_state`` (a state to a working list and the history the list
does not carry) and ``decode_state`` (back).

Position slots cover every (party, target) pair the scenario's positions, events and
conditions name; an event from outside the scenario (a move a user types) that names
another pair gets a slot appended at the end (``ensure``), so ops compiled before keep
their slots. Relation bits are handed out the same way, in the one relation slot."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from negotiation import conditions as cond
from negotiation.model._base import construct
from negotiation.model.deadlines import DeadlineStatus
from negotiation.model.events import Accept, Event, Reject, SetRelation, StatePosition, WalkAway
from negotiation.model.parties import relation_key
from negotiation.model.positions import position_key
from negotiation.model.state import (
    DeadlineState,
    DocumentState,
    Exclusion,
    OfferState,
    PendingExtension,
    PositionState,
    RuleState,
    Standing,
    State,
)
from negotiation.model.vocabulary import scenario_events
from negotiation.runtime.compiled._base import (
    ABSENT,
    CLOSED,
    DATE,
    FIRST_DOC,
    UNDATED,
    UNKNOWN,
    Decided,
    NotCompilableError,
    W,
    _ord,
)
from negotiation.runtime.compiled._parts import Parts
from negotiation.runtime.compiled._record import DeadlineHistory, History
from negotiation.runtime.compiled._subs import Pending, Standings, Sub


def offer_state(
    pending: Pending, to: tuple[str, ...] = (), accepted: tuple[str, ...] = ()
) -> OfferState | None:
    """The ``State``'s offer of a sub-state's pending offer (and, for a single text put
    to named parties, who it is put to and who has accepted it)."""
    if pending is None:
        return None
    by, package = pending
    return construct(OfferState, {"by": by, "package": dict(package), "to": to,
                                  "accepted": accepted})


def standings(sub_parties: Standings) -> dict[str, Standing]:
    """The ``State``'s standings of a sub-state's."""
    return {
        p: construct(Standing, {"status": status, "since": dt.date.fromordinal(since),
                                "effective": _day(effective)})
        for p, status, since, effective in sub_parties
    }


def exclusions(talks: tuple[tuple[str, int, str | None], ...]) -> dict[str, Exclusion]:
    """The ``State``'s exclusions of the talks slot."""
    return {p: construct(Exclusion, {"since": dt.date.fromordinal(since), "until": until})
            for p, since, until in talks}


def decided_state(dec: Decided | None) -> PendingExtension | None:
    """The ``State``'s pending extension of a deadline slot's."""
    if dec is None:
        return None
    cutoff, condition, to, otherwise, by, event = dec
    return construct(PendingExtension, {
        "cutoff": dt.date.fromordinal(cutoff), "condition": condition,
        "to": dt.date.fromordinal(to), "otherwise": _day(otherwise), "by": by, "event": event,
    })


def decided_slot(pe: PendingExtension | None) -> Decided | None:
    """A deadline slot's pending extension of the ``State``'s."""
    if pe is None:
        return None
    return (pe.cutoff.toordinal(), pe.condition, pe.to.toordinal(), _ord(pe.otherwise),
            pe.by, pe.event)


def _day(ordinal: int | None) -> dt.date | None:
    return None if ordinal is None else dt.date.fromordinal(ordinal)


_NAMES_STANCES: dict[type, int] = {}
"""Per event class: 1 if its events take stances on their target, 2 on their document (a
walk-away), 0 if none (``isinstance`` on a pydantic class costs ~1.4 us; asked once)."""


def _names_stances(kind: type) -> int:
    got = _NAMES_STANCES.get(kind)
    if got is None:
        got = _NAMES_STANCES[kind] = (
            1 if issubclass(kind, Accept | Reject | StatePosition)
            else 2 if issubclass(kind, WalkAway) else 0
        )
    return got


def _stance_keys(event: Event) -> list[str]:
    which = _names_stances(type(event))
    if which == 0:
        return []
    fields = event.__dict__
    point = fields["point"] if which == 1 else None
    target = f"{fields['document']}.{point}" if point else fields["document"]
    return [position_key(party, target) for party in event.by]


MADE_MAX = 64
"""How many decoded states a layout remembers the encoding of (each keeps its state
alive; stepping on from one of the last few is the common case)."""


PARTS_MAX = 4096
"""How many decoded parts of states a layout keeps for sharing before it starts again."""


class Layout(Parts):
    """Slots, and encoding and decoding states."""

    def _layout(self, nodes: Iterable[cond.Node] = ()) -> None:
        """The slots; ``nodes`` are conditions beyond the scenario's own (a search's
        decision and invariant tests) whose stance and relation reads get slots too."""
        scenario, program = self.scenario, self.program
        docs = scenario.documents
        self.doc_ids = [d.id for d in docs]
        self.doc_slot = {d.id: FIRST_DOC + i for i, d in enumerate(docs)}
        self.doc_end = base = FIRST_DOC + len(docs)
        read = [*program.compiled.nodes(), *nodes]
        pos_keys = self._position_keys(read)
        self.pos_slot = {k: base + i for i, k in enumerate(pos_keys)}
        base += len(pos_keys)
        self.rel_slot = base
        base += 1
        self.rel_bit = {}
        for key in self._relation_keys(read):
            self.relation_bit(key)
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
        self.talks_slot = base + len(self.rule_ids)  # exclusions from the talks
        self.width = self.talks_slot + 1
        self._made: dict[int, tuple[State, tuple[Any, ...], History]] = {}
        self._part: dict[tuple[Any, ...], Any] = {}
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

    def _position_keys(self, nodes: list[cond.Node]) -> list[str]:
        keys: dict[str, None] = {}
        for p in self.scenario.positions:
            keys[position_key(p.party, p.on)] = None
        for e in scenario_events(self.scenario):
            for k in _stance_keys(e):
                keys[k] = None
        for dp in self.scenario.decisions:
            if dp.free:
                for party in dp.parties:
                    for d in self.scenario.documents:
                        keys[position_key(party, d.id)] = None
        for node in nodes:
            for n in cond.walk(node):
                if isinstance(n, cond.StanceIs):
                    keys[position_key(n.party, n.target)] = None
                elif isinstance(n, cond.AllAccept):
                    for party in self.program.required.get(n.document) or ():
                        keys[position_key(party, n.document)] = None
        return sorted(keys)

    def _relation_keys(self, nodes: list[cond.Node]) -> list[str]:
        keys: dict[str, None] = {r.key: None for r in self.scenario.relations}
        for e in scenario_events(self.scenario):
            if isinstance(e, SetRelation):
                keys[relation_key(e.source, e.relation, e.target)] = None
        for node in nodes:
            for n in cond.walk(node):
                if isinstance(n, cond.RelationHolds):
                    keys[relation_key(n.source, n.relation, n.target)] = None
        return sorted(keys)

    def relation_bit(self, key: str) -> int:
        """The bit of a relation in the relation slot (handed out on first use)."""
        bit = self.rel_bit.get(key)
        if bit is None:
            bit = self.rel_bit[key] = 1 << len(self.rel_bit)
        return bit

    def ensure(self, event: Event) -> None:
        """Give the positions an event names a slot (appended at the end)."""
        for key in _stance_keys(event):
            self._ensure_position(key)

    def _ensure_position(self, key: str) -> None:
        if key not in self.pos_slot:
            if not self.growable:
                raise NotCompilableError("a position outside the compiled slots")
            self.pos_slot[key] = self.width
            self.width += 1

    def points_tuple(self, items: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
        """A document's points as its sub-state holds them: sorted where states are
        merged (the search), else in the order they were first set (as ``State``)."""
        return tuple(sorted(items)) if self.sorted_points else tuple(items)

    def package_items(
        self, doc_id: str, items: Iterable[tuple[str, str]]
    ) -> tuple[tuple[str, str], ...]:
        """An offer's package as a sub-state holds it: in the document's order of points
        (a point it does not declare last, by name), so that equal packages are equal."""
        doc = self.program.documents[doc_id]
        rank = {p: k for k, p in enumerate(doc.point_ids())}
        return tuple(sorted(items, key=lambda kv: (rank.get(kv[0], len(rank)), kv[0])))

    def encode_state(self, st: State) -> tuple[W, History]:
        """A state as a working list (root, cursor and taken 0) and its history.

        A state this layout decoded lately is not encoded again: its list and history are
        remembered (``decode_state``), so stepping on from the state a step returned (as
        ``step``, ``play`` and the classroom do) costs no encoding. States are frozen, so
        the one remembered is the one asked for."""
        made = self._made.pop(id(st), None)
        if made is not None and made[0] is st and len(made[1]) == self.width:
            self._made[id(st)] = made  # the most recently used last
            return list(made[1]), self._as_encoded(made[1], made[2])
        h = History(step=st.step)
        for k in st.positions:
            self._ensure_position(k)
        w: W = [None] * self.width
        w[:FIRST_DOC] = [0, 0, 0, st.date.toordinal(), st.closed]
        for doc_id in self.doc_ids:
            d = st.documents[doc_id]
            visited = d.visited if self.visit_order else tuple(sorted(d.visited))
            w[self.doc_slot[doc_id]] = self.subs.intern(Sub(
                d.state, self.points_tuple(d.points.items()), d.signed_by, d.ratified_by,
                visited if self.carry_visited else (),
                self.points_tuple(d.values.items()),
                None if d.offer is None
                else (d.offer.by, self.package_items(doc_id, d.offer.package.items())),
                self.points_tuple(d.texts.items()),
                tuple(sorted((p, x.status, x.since.toordinal(), _ord(x.effective))
                             for p, x in d.parties.items())),
                d.failed_by,
                () if d.offer is None else tuple(sorted(d.offer.to)),
                () if d.offer is None else tuple(sorted(d.offer.accepted)),
            ))
            h.versions[doc_id] = d.version
        for k, p in st.positions.items():
            w[self.pos_slot[k]] = p.stance
            h.positions[k] = (p.since, p.conditions)
        mask = 0
        for k, since in st.relations.items():
            mask |= self.relation_bit(k)
            h.relations[k] = since
        w[self.rel_slot] = mask
        unknown = set(st.unknown_facts)
        for f, j in self.fact_slot.items():
            if f in unknown:
                w[j] = UNKNOWN
            elif f not in st.facts:
                w[j] = ABSENT
            else:
                since = st.facts[f]
                w[j] = UNDATED if since is None else since.toordinal()
        for d_id, j in self.dl_slot.items():
            ds = st.deadlines[d_id]
            w[j] = (ds.status.value, _ord(ds.due), _ord(ds.opens), ds.binding, ds.cutoff_done,
                    decided_slot(ds.decision))
            h.deadlines[d_id] = DeadlineHistory(ds.anchor, ds.extensions, ds.resolved_on)
        for r_id, j in self.rule_slot.items():
            rs = st.rules[r_id]
            w[j] = ((1 if rs.fired > 0 else 0) << 1) | (1 if rs.last else 0)
            h.fired[r_id] = rs.fired
        w[self.talks_slot] = tuple(sorted(
            (p, x.since.toordinal(), x.until) for p, x in st.excluded.items()
        ))
        self._remember(st, w, h.copy())  # the caller changes ``h``
        return w, h

    def decode_state(self, w: W, h: History) -> State:
        """The ``State`` of a working list and its history.

        Equal parts (a document's sub-state and version, a deadline's slot and history, a
        rule's count) decode to one shared frozen object, made once (``_part``)."""
        items, part = self.subs.items, self._part
        documents = {}
        for doc_id, i in zip(self.doc_ids, range(FIRST_DOC, self.doc_end), strict=True):
            key: tuple[Any, ...] = ("doc", i, w[i], h.versions.get(doc_id))
            doc = part.get(key)
            if doc is None:
                doc = part[key] = self._document(doc_id, items[w[i]], key[3])
            documents[doc_id] = doc
        positions = {}
        pos_slot = self.pos_slot
        for k, (since, conditions) in h.positions.items():
            stance = w[pos_slot[k]]
            if stance is not None:
                key = ("position", stance, since, conditions)
                ps = part.get(key)
                if ps is None:
                    ps = part[key] = construct(PositionState, {
                        "stance": stance, "since": since, "conditions": conditions})
                positions[k] = ps
        mask = w[self.rel_slot]
        relations = {k: since for k, since in h.relations.items() if mask & self.rel_bit[k]}
        facts = {
            f: None if w[j] == UNDATED else dt.date.fromordinal(w[j])
            for f, j in self.fact_slot.items()
            if w[j] > UNKNOWN and w[j] != ABSENT
        }
        unknown = tuple(f for f, j in self.fact_slot.items() if w[j] == UNKNOWN)
        deadlines = {}
        for d_id, j in self.dl_slot.items():
            dh = h.deadlines[d_id]
            key = ("deadline", j, w[j], dh.anchor, dh.extensions, dh.resolved_on)
            ds = part.get(key)
            if ds is None:
                ds = part[key] = self._deadline(w[j], dh)
            deadlines[d_id] = ds
        rules = {}
        for r, j in self.rule_slot.items():
            key = ("rule", h.fired.get(r, 0), bool(w[j] & 1))
            rs = part.get(key)
            if rs is None:
                rs = part[key] = construct(RuleState, {"fired": key[1], "last": key[2]})
            rules[r] = rs
        if len(part) > PARTS_MAX:
            part.clear()
        state = construct(State, {
            "date": dt.date.fromordinal(w[DATE]), "closed": w[CLOSED], "documents": documents,
            "positions": positions, "relations": relations, "facts": facts,
            "deadlines": deadlines, "rules": rules, "step": h.step,
            "excluded": exclusions(w[self.talks_slot]),
            "unknown_facts": unknown,
        })
        self._remember(state, w, h)  # nobody changes a history after decoding it
        return state

    def _remember(self, st: State, w: W, h: History) -> None:
        """Keep ``st``'s encoding (``encode_state``), the least recently used one out."""
        made = self._made
        if len(made) >= MADE_MAX:
            del made[next(iter(made))]
        made[id(st)] = (st, (0, 0, 0, *w[DATE:]), h)

    def _as_encoded(self, w: Sequence[Any], h: History) -> History:
        """A new history as ``encode_state`` gives it for the state of ``w`` and ``h``:
        only the positions and relations that hold, every rule's firing count."""
        pos_slot, rel_bit, mask = self.pos_slot, self.rel_bit, w[self.rel_slot]
        return History(
            h.step,
            {d: h.versions.get(d) for d in self.doc_ids},
            {k: v for k, v in h.positions.items() if w[pos_slot[k]] is not None},
            {k: v for k, v in h.relations.items() if mask & rel_bit[k]},
            {k: DeadlineHistory(v.anchor, v.extensions, v.resolved_on)
             for k, v in h.deadlines.items()},
            {r: h.fired.get(r, 0) for r in self.rule_ids},
            h.shared,
        )

    def _document(self, doc_id: str, sub: Sub, version: str | None) -> DocumentState:
        return construct(DocumentState, {
            "state": sub.state, "visited": sub.visited, "points": dict(sub.points),
            "signed_by": sub.signed_by, "ratified_by": sub.ratified_by,
            "version": version, "values": dict(sub.values),
            "offer": offer_state(sub.offer, sub.to, sub.accepted), "texts": dict(sub.texts),
            "points_total": self.program.documents[doc_id].points_total,
            "parties": standings(sub.parties),
            "failed_by": sub.failed,
        })

    @staticmethod
    def _deadline(slot: Any, dh: DeadlineHistory) -> DeadlineState:
        status, due, opens, binding, cut, dec = slot
        return construct(DeadlineState, {
            "status": DeadlineStatus(status),
            "due": None if due is None else dt.date.fromordinal(due),
            "opens": None if opens is None else dt.date.fromordinal(opens),
            "anchor": dh.anchor, "binding": binding, "extensions": dh.extensions,
            "resolved_on": dh.resolved_on, "cutoff_done": cut,
            "decision": decided_state(dec),
        })
