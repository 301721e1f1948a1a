"""Decisions and the successor function, written once: the next scripted event, an
option of a decision point, closing a day, moving the clock to the next checkpoint
(``successors``). The search runs it without a recorder (``expand``); paths shown to a user,
stuck reasons and ``negotiation.testing`` run it with one (``expand_traced``), which also
says what each edge did. ``choose`` draws one successor (``sample``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from negotiation.model.dates import FuzzyDate
from negotiation.model.decisions import DecisionPoint, option_weights
from negotiation.model.errors import RuleLoopError
from negotiation.model.events import (
    Accept,
    DropDeadline,
    EnforceDeadline,
    Event,
    Reject,
    SetDeadline,
    StatePosition,
    WaiveDeadline,
)
from negotiation.model.positions import position_key
from negotiation.runtime.compiled._base import (
    _ORIGIN,
    CLOSED,
    CURSOR,
    DATE,
    DROPPED,
    INACTIVE,
    LIVE,
    MISSED,
    ROOT,
    STANCE_MOVES,
    TAKEN,
    Candidate,
    Children,
    Code,
    DeadlineMoves,
    Decision,
    DocMoves,
    Item,
    Op,
    Pick,
    RootInfo,
    S,
    W,
    _move_codes,
    _RuleLoopError,
)
from negotiation.runtime.compiled._record import History, Recorder
from negotiation.runtime.compiled._search_parts import SearchParts
from negotiation.runtime.legal import _bodies, _trigger_moves
from negotiation.runtime.space import Root, Taken


@dataclass(frozen=True, slots=True)
class Traced(Taken):
    """What a recorded step did, and the child's history."""

    history: History = field(kw_only=True)


TracedChild = tuple[Code, S, Traced | None]


def _traced(rec: Recorder | None, kind: str, events: tuple[Event, ...] = ()) -> Traced | None:
    if rec is None:
        return None
    return Traced(kind, events, rec.finish(), history=rec.h)


def _labelled(edges: list[TracedChild], dp: DecisionPoint, moves: int) -> list[TracedChild]:
    """Decision edges with their decision, option and weight."""
    weights = option_weights(dp, moves)
    out: list[TracedChild] = []
    for code, child, tr in edges:
        assert tr is not None
        kind, k = code
        option: str | None
        if kind == "alt":
            option, weight = dp.alternatives[k].id, weights[k]
        elif kind == "move":
            option, weight = tr.option, weights[len(dp.alternatives) + k]
        else:
            option, weight = "pass", weights[-1]
        out.append((code, child, replace(tr, decision=dp.id, option=option, weight=weight)))
    return out


class Steps(SearchParts):
    """Decision points compiled, and a tuple state's children."""

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
        return Decision(dp, alternatives, free, dp.free, dp.free and dp.allow_pass)

    def _doc_moves(self, party: str) -> list[DocMoves]:
        actors = [party, *_bodies(self.scenario, party)]
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
        return [op for op, _, _ in self._candidates(s, dec)]

    def _candidates(self, s: S, dec: Decision) -> list[Candidate]:
        """``_free_moves``, each with the slot and value it sets when that is all
        performing it does (``Candidate``)."""
        out: list[Candidate] = []
        for doc_moves, dl_moves in dec.free:
            for m in doc_moves:
                # a document's moves depend on its sub-state and the party's stance only:
                # kept per pair (a space has few)
                key = (s[m.slot], s[m.stance_slot])
                found = m.kept.get(key)
                if found is None:
                    found = m.kept[key] = self._doc_candidates(m, *key)
                out += found
            for d in dl_moves:
                status = s[d.slot][0]
                if status == MISSED:
                    if d.enforce is not None:
                        out.append((d.enforce, -1, None))
                    out.append((d.waive, -1, None))
                if status in LIVE or status == MISSED:
                    out.append((d.drop, -1, None))
                if status in (INACTIVE, DROPPED):
                    out.append((d.set, -1, None))
        return out

    def _doc_candidates(self, m: DocMoves, x: int, stance: str | None) -> list[Candidate]:
        """A party's candidate moves on a document in sub-state ``x``, its stance
        ``stance``; what a move sets is computed here, once per pair, where performing it
        only sets one of these two slots (from its value here)."""
        current = self.subs.state[x]
        ops = m.by_state[current]
        if current not in m.absorbing:
            unknown = "unknown" if stance is None else stance
            ops = [*ops, *(op for value, op in m.stances if value != unknown)]
        before = {m.slot: x, m.stance_slot: stance}
        out: list[Candidate] = []
        for op in ops:
            sets = op.sets
            if (sets is None or sets[0] not in before or not op.plain or op.settles
                    or not op.legal_as_candidate):
                out.append((op, -1, None))
            else:
                out.append((op, sets[0], sets[1](before[sets[0]])))
        return out

    def expand(self, s: S) -> tuple[Children, bool]:
        """(children with their codes, stuck?); no children and not stuck: the node is
        terminal."""
        children, stuck = self.expand_settled(s)
        return [(code, child) for code, child, _ in children], stuck

    def expand_settled(self, s: S) -> tuple[list[TracedChild], bool]:
        """``expand`` with each child as ``successors`` gives it (its third part None:
        nothing recorded)."""
        children, stuck = self.successors(s, None)
        return children, stuck is not None

    def expand_traced(self, s: S, h: History) -> tuple[list[TracedChild], str | None]:
        """``expand`` with what each edge did (its events, trace entries, decision and
        option, weight, and the child's history), and why a stuck node is stuck."""
        try:
            return self.successors(s, h)
        except RuleLoopError as e:
            return [], f"the engine stopped: {e}"

    def successors(self, s: S, h: History | None) -> tuple[list[TracedChild], str | None]:
        """The successors of ``s`` (the next scripted event, an option of a decision
        point, closing a day, moving the clock to the next checkpoint), recorded when
        ``h`` is given; and why the node is stuck (a reason only when recorded; unrecorded,
        a node whose rules do not settle is stuck with reason "")."""
        try:
            date, closed = s[DATE], s[CLOSED]
            root = self.roots[s[ROOT]]
            if self.when:
                for bit, test, dec in self.when:
                    if not s[TAKEN] & bit and test(s):
                        if not closed:
                            return self._decide(s, dec, s[CURSOR], s[TAKEN] | bit, h)
                        if date < root.end:
                            return [self._arrive(s, date + 1, h)], None
                        break
            cursor = s[CURSOR]
            agenda = root.agenda
            if cursor < len(agenda):
                item = agenda[cursor]
                goal = item.day
                if date > goal or (date == goal and not closed):
                    if item.decision is not None:
                        return self._decide(s, item.decision, cursor + 1, s[TAKEN], h)
                    assert item.op is not None
                    return [self._event(s, item.op, item.event_day, h)], None
            else:
                goal = root.end
            if not closed:
                w = list(s)
                if h is None:
                    self.close_day(w, None)
                    return [(("close", 0), tuple(w), None)], None
                rec = Recorder(h.copy())
                self.close_day(w, rec)
                return [(("close", 0), tuple(w), _traced(rec, "close"))], None
            if date < goal:
                return [self._arrive(s, self.next_stop(s, date, goal), h)], None
            return [], None
        except _RuleLoopError:  # unrecorded, rules that do not settle: stuck
            return [], ""

    def _event(self, s: S, op: Op, event_day: int | None, h: History | None) -> TracedChild:
        """The next scripted event applied (refused as late on a day already closed)."""
        date = s[DATE]
        w = list(s)
        w[CURSOR] += 1
        day = event_day if event_day is not None else date
        rec = None if h is None else Recorder(h.copy())
        if day < date or (day == date and s[CLOSED]):
            if rec is None:
                return ("event", 0), tuple(w), None
            assert op.event is not None
            entry = rec.late(dt.date.fromordinal(date), dt.date.fromordinal(day), op.event)
            return ("event", 0), tuple(w), Traced("event", (), (entry,), history=rec.h)
        self.apply_top(w, op, rec)
        if rec is None:
            return ("event", 0), tuple(w), None
        # the event's own entry comes first: applied, blocked or skipped by if/unless
        applied = bool(rec.entries) and rec.entries[0].kind == "event"
        events = (op.event,) if applied and op.event is not None else ()
        return ("event", 0), tuple(w), _traced(rec, "event", events)

    def _arrive(self, s: S, day: int, h: History | None) -> TracedChild:
        w = list(s)
        if h is None:
            self.arrive(w, day, None)
            return ("arrive", 0), tuple(w), None
        rec = Recorder(h.copy())
        self.arrive(w, day, rec)
        return ("arrive", 0), tuple(w), _traced(rec, "arrive")

    def _decide(
        self, s: S, dec: Decision, cursor: int, taken: int, h: History | None
    ) -> tuple[list[TracedChild], str | None]:
        edges: list[TracedChild] = []
        base = list(s)
        base[CURSOR] = cursor
        base[TAKEN] = taken
        dp = dec.spec
        dated = None if h is None else FuzzyDate.of(dt.date.fromordinal(s[DATE]))
        blocked: list[str] = []
        for k, compiled in enumerate(dec.alternatives):
            w = base.copy()
            rec = None if h is None else Recorder(h.copy())
            ops = compiled if rec is None else [  # recorded: its events dated on the day
                self.op(e.model_copy(update={"date": dated})) for e in dp.alternatives[k].events
            ]
            if all(self.apply_top(w, op, rec) for op in ops):
                events = tuple(op.event for op in ops if op.event is not None)
                edges.append((("alt", k), tuple(w), _traced(rec, "alt", events)))
            elif rec is not None:
                why = "; ".join(rec.entries[-1].reasons)
                blocked.append(f"{dp.alternatives[k].id}: {why}")
        moves = self._free_edges(s, dec, base, h, dated, edges) if dec.is_free else 0
        if dec.allow_pass:
            passed = None if h is None else Traced("pass", history=h)
            edges.append((("pass", 0), tuple(base), passed))
        if h is not None:
            edges = _labelled(edges, dp, moves)
        if edges:
            return edges, None
        day = dt.date.fromordinal(s[DATE])
        why = "; ".join(blocked) or "no legal move"
        return [], f"decision {dp.id} on {day}: no option ({why})" if h is not None else ""

    def _free_edges(
        self, s: S, dec: Decision, base: W, h: History | None, dated: FuzzyDate | None,
        edges: list[TracedChild],
    ) -> int:
        """Add the edges of the legal free moves of ``dec`` from ``base`` (none on a
        closed day: a legal move is blocked there as late); how many moves are legal."""
        moves = 0
        closed = s[CLOSED]
        codes = _move_codes(self.max_moves)
        for op, slot, value in self._candidates(s, dec):
            if not op.legal_as_candidate and op.blocked(base):
                continue
            if not closed:
                w = base.copy()
                if h is not None:
                    assert op.event is not None
                    move = self.op(op.event.model_copy(update={"date": dated}))
                    rec = Recorder(h.copy())
                    self.apply_top(w, move, rec)
                    assert move.event is not None
                    edges.append((codes[moves], tuple(w), _traced(rec, "move", (move.event,))))
                elif slot >= 0:  # all performing it does, computed once (``_doc_candidates``)
                    # from ``s``'s slots: ``base`` differs from ``s`` only in cursor and taken
                    w[slot] = value
                    edges.append((codes[moves], tuple(w), None))
                else:
                    if op.plain:
                        op.mutate(w)
                    else:
                        self.perform(w, op, None, None)
                    if op.settles:
                        self.settle(w, None, op.touched)
                    edges.append((codes[moves], tuple(w), None))
            moves += 1
        return moves

    # -- one successor drawn (``sample``) ------------------------------------------------
    def choose(self, s: S, pick: Pick) -> tuple[S | None, bool]:
        """One successor of ``s`` drawn by its weight, as from ``expand(s)``: (the child,
        stuck?); no child and not stuck: ``s`` is terminal.

        At a decision only the drawn option is applied: ``pick(weights)`` draws an index;
        an option that turns out blocked is dropped and the rest drawn from again, which
        is drawing from the options that are not blocked, renormalised. When every option
        weighs the same (a free decision without labelled probabilities), the legal moves
        are not counted first: the draw is among the candidate moves, and one that is
        blocked is drawn again like a blocked option."""
        try:
            return self._choose(s, pick)
        except _RuleLoopError:
            return None, True

    def _choose(self, s: S, pick: Pick) -> tuple[S | None, bool]:
        date, closed = s[DATE], s[CLOSED]
        root = self.roots[s[ROOT]]
        due = next(((bit, dec) for bit, test, dec in self.when
                    if not s[TAKEN] & bit and test(s)), None)
        if due is not None and not closed:
            return self._draw(s, due[1], s[CURSOR], s[TAKEN] | due[0], pick)
        if due is None or date >= root.end:
            cursor = s[CURSOR]
            item = root.agenda[cursor] if cursor < len(root.agenda) else None
            if (
                item is not None
                and item.decision is not None
                and (date > item.day or (date == item.day and not closed))
            ):
                return self._draw(s, item.decision, cursor + 1, s[TAKEN], pick)
        # no decision to draw from here: the one successor ``expand`` gives
        children, stuck = self.expand_settled(s)
        return (children[0][1] if children else None), stuck

    def _draw(
        self, s: S, dec: Decision, cursor: int, taken: int, pick: Pick
    ) -> tuple[S | None, bool]:
        """The state after one option of ``dec``, drawn with ``pick`` (see ``choose``)."""
        base = list(s)
        base[CURSOR] = cursor
        base[TAKEN] = taken
        dp = dec.spec
        alternatives = len(dec.alternatives)
        uniform = (
            dec.is_free and not s[CLOSED] and all(a.probability is None for a in dp.alternatives)
        )
        moves: list[Op] = []
        if uniform:  # every option weighs the same: draw among the candidates, legal or not
            moves = self._free_moves(s, dec)
            weights = [1.0] * (alternatives + len(moves) + (1 if dp.allow_pass else 0))
        else:
            if dec.is_free:
                moves = [op for op in self._free_moves(s, dec)
                         if op.legal_as_candidate or not op.blocked(base)]
            weights = option_weights(dp, len(moves))
        options = list(range(len(weights)))  # alternatives, then free moves, then the pass
        while options:
            i = options[pick([weights[o] for o in options]) if len(options) > 1 else 0]
            if i >= alternatives + len(moves):
                return tuple(base), False
            w = base.copy()
            if i < alternatives:
                applied = all(self.apply_top(w, op) for op in dec.alternatives[i])
            else:
                applied = self.apply_top(w, moves[i - alternatives])
            if applied:
                return tuple(w), False
            options.remove(i)
        return None, True
