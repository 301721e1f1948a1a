"""Who takes part: a party's standing in a document (joined, leaving, suspended,
withdrawn) in the document's sub-state, and exclusions from the talks in the talks slot.

Events: ``join`` (the parties in ``by`` become parties), ``leave`` (they withdraw, at
once or, with ``effective_after_days`` / ``effective``, on that day: the clock makes a
notified withdrawal effective when it arrives there), ``suspend`` and ``readmit`` (a
party to a document), ``exclude`` and ``readmit`` without a document (the talks; an
``until`` condition lifts the exclusion as soon as it holds, whenever the state settles).

Who participates initially is ``conditions.standing_of``: a party the document requires
the acceptance of, or one that signed it. A suspended or withdrawn party cannot sign,
ratify, accept or make offers on that document; an excluded party cannot propose,
revise, comment, take a stance, sign, ratify, join or make offers anywhere (``gate``).
The document's own state is untouched by all of this: it stays in force for the
others."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from negotiation import conditions as cond
from negotiation.model.events import (
    PARTICIPATION_KINDS,
    Event,
    Exclude,
    Join,
    Leave,
    Readmit,
    Suspend,
)
from negotiation.model.trace import Change
from negotiation.model.vocabulary import scenario_events
from negotiation.runtime.compiled._base import DATE, Before, Describe, Op, Pred, W, _ord
from negotiation.runtime.compiled._parts import Parts
from negotiation.runtime.compiled._record import History, Recorder, change
from negotiation.runtime.compiled._subs import Standings

DOC_GATED = frozenset({"sign", "ratify", "accept", "offer", "counter", "accept_offer"})
"""What a party suspended from, or withdrawn from, a document cannot do on it."""
TALKS_GATED = DOC_GATED | {"propose", "revise", "submit_comments", "state_position",
                           "reject", "reject_offer", "join", "walk_away"}
"""What a party excluded from the talks cannot do."""
_WORDS = {"party": "party", "leaving": "leaving", "suspended": "suspended",
          "withdrawn": "withdrawn", "none": "not a party"}


def _day(ordinal: int) -> dt.date:
    return dt.date.fromordinal(ordinal)


def _with(parties: Standings, party: str, entry: tuple[str, int, int | None] | None) -> Standings:
    """``parties`` with ``party``'s entry replaced (None: removed), sorted by party."""
    rest = [x for x in parties if x[0] != party]
    if entry is not None:
        rest.append((party, *entry))
    return tuple(sorted(rest))


def _problem(
    kind: str, status: str, party: str, doc_id: str, state: str, absorbing: frozenset[str],
    fixed: int | None, today: int,
) -> str | None:
    """Why a party's join, leave, suspend or readmit is refused (None: it is not)."""
    if kind == "join":
        if state in absorbing:
            return f"{doc_id} is {state}, a final state: no one can join it"
        if status in cond.PARTICIPATING or status == "suspended":
            return f"{party} is already a party to {doc_id} ({_WORDS[status]})"
        return None
    if kind == "leave":
        if status == "leaving":
            return f"{party} has already given notice of withdrawal from {doc_id}"
        if status not in ("party", "suspended"):
            return f"{party} is not a party to {doc_id} ({_WORDS[status]})"
        if fixed is not None and fixed <= today:
            return f"the withdrawal must take effect after the notice ({_day(fixed)})"
        return None
    if kind == "suspend":
        if status not in cond.PARTICIPATING:
            return f"{party} does not participate in {doc_id} ({_WORDS[status]})"
        return None
    if status not in ("suspended", "withdrawn", "leaving"):  # readmit
        return f"{party} is not suspended from or withdrawn from {doc_id} ({_WORDS[status]})"
    return None


class Participants(Parts):
    """Participation events, the gate on other events, and the clock's part."""

    def _compile_participation(self) -> None:
        """Whether the scenario changes participation (then events are gated), and the
        ``until`` conditions of its exclusions (settling reads them)."""
        events = scenario_events(self.scenario)
        self.participation_used = any(e.kind in PARTICIPATION_KINDS for e in events)
        self.until_preds: dict[str, tuple[Pred, cond.Node]] = {}
        self.leaves_later = False
        for e in events:
            if isinstance(e, Exclude) and e.until is not None:
                self._until(e.until)

    def _participation_reads(self) -> None:
        """Settling reads what the ``until`` conditions read (after the clock's index)."""
        reads: set[int] = set()
        for _, node in self.until_preds.values():
            reads |= self._reads(node)
            self._until_wakes(node)
        if reads:
            self.settle_reads = self.settle_reads | reads | {self.talks_slot}

    def _until(self, text: str) -> tuple[Pred, cond.Node]:
        found = self.until_preds.get(text)
        if found is None:
            node = self.program.parse(text)
            found = self.until_preds[text] = (self.pred(node), node)
            if hasattr(self, "static_wake"):  # compiled after the clock (a move's op)
                self._until_wakes(node)
        return found

    def _until_wakes(self, node: cond.Node) -> None:
        """The clock stops on the days an ``until`` condition may turn true with the date
        alone, so that an exclusion ends on its day, not at the next stop after it."""
        for n in cond.walk(node):
            if isinstance(n, cond.DateCmp):
                self.static_wake.update((n.day.toordinal(), n.day.toordinal() + 1))
            elif isinstance(n, cond.FactHeld):
                self.fact_wake.append((self.fact_slot[n.fact], n.days))

    def participation_op(self, event: Event) -> Op:
        """The op of a join, leave, suspend, readmit or exclude."""
        if not self.participation_used:
            self.participation_used = True
            self._op_memo.clear()  # ops compiled before are not gated
        if isinstance(event, Exclude):
            return self._exclude_op(event)
        if isinstance(event, Readmit) and event.document is None:
            return self._readmit_talks_op(event)
        assert isinstance(event, Join | Leave | Suspend | Readmit)
        return self._standing_op(event)

    # -- documents ----------------------------------------------------------------------

    def _standing_op(self, event: Join | Leave | Suspend | Readmit) -> Op:
        doc_id = event.document
        assert doc_id is not None
        i = self.doc_slot[doc_id]
        subs = self.subs
        absorbing = self.absorbing[doc_id]
        who = list(event.by) if isinstance(event, Join | Leave) else [event.party]
        kind = event.kind
        delay: int | None = None
        fixed: int | None = None
        if isinstance(event, Leave):
            delay = event.effective_after_days
            fixed = _ord(event.effective.last_day) if event.effective is not None else None
            if delay is not None or fixed is not None:
                self.leaves_later = True

        def problem(w: W, party: str) -> str | None:
            return _problem(kind, self.standing(w, party, doc_id), party, doc_id,
                            subs.state[w[i]], absorbing, fixed, w[DATE])

        def blocked(w: W) -> bool:
            return not who or any(problem(w, p) is not None for p in who)

        def reasons(w: W) -> list[str]:
            out = [] if who else [f"{kind} needs the party in 'by'"]
            for p in who:
                text = problem(w, p)
                if text is not None:
                    out.append(text)
            return out

        def target(today: int) -> tuple[str, int, int | None]:
            if kind == "leave":
                if delay is not None:
                    return ("leaving", today, today + delay)
                if fixed is not None:
                    return ("leaving", today, fixed)
                return ("withdrawn", today, None)
            return ({"join": "party", "suspend": "suspended", "readmit": "party"}[kind],
                    today, None)

        def mutate(w: W) -> None:
            sub = subs.items[w[i]]
            parties = sub.parties
            entry = target(w[DATE])
            for p in who:
                parties = _with(parties, p, entry)
            w[i] = subs.intern(replace(sub, parties=parties))

        describe = self._standing_describe(who, doc_id, i)
        return Op(blocked, mutate, event.id, frozenset({i}), reasons=reasons, describe=describe)

    def _standing_describe(self, who: list[str], doc_id: str, i: int) -> Describe:
        """A standing event's changes (each party's standing) and notes (the day a
        notified withdrawal takes effect; the document stays as it is for the others)."""
        subs = self.subs

        def describe(before: Before, after: W, h: History) -> tuple[list[Change], list[str]]:
            changes = []
            notes = []
            state = subs.state[after[i]]
            for p in who:
                was = self.standing([*after[:i], before[i], *after[i + 1:]], p, doc_id)
                now = self.standing(after, p, doc_id)
                changes.append(change(what=f"{p} in {doc_id}", before=_WORDS[was],
                                      after=_WORDS[now]))
                if now == "leaving":
                    effective = {x[0]: x[3] for x in subs.items[after[i]].parties}[p]
                    assert effective is not None
                    notes.append(f"{p}'s withdrawal from {doc_id} takes effect on "
                                 f"{_day(effective)}; {doc_id} stays {state} for the others")
                elif now == "withdrawn":
                    notes.append(f"{doc_id} stays {state} for the others")
            return changes, notes

        return describe

    # -- the talks ----------------------------------------------------------------------

    def _exclude_op(self, event: Exclude) -> Op:
        t = self.talks_slot
        party, until = event.party, event.until
        if until is not None:
            self._until(until)

        def blocked(w: W) -> bool:
            return any(x[0] == party for x in w[t])

        def reasons(w: W) -> list[str]:
            return [cond.exclusion_text(party, self.view(w))] if blocked(w) else []

        def mutate(w: W) -> None:
            w[t] = tuple(sorted((*w[t], (party, w[DATE], until))))

        def describe(before: Before, after: W, h: History) -> tuple[list[Change], list[str]]:
            notes = [f"until {until}"] if until is not None else []
            return [change(what=f"{party} in the talks", before="taking part",
                           after="excluded")], notes

        return Op(blocked, mutate, event.id, frozenset({t}), reasons=reasons, describe=describe)

    def _readmit_talks_op(self, event: Readmit) -> Op:
        t = self.talks_slot
        party = event.party

        def blocked(w: W) -> bool:
            return all(x[0] != party for x in w[t])

        def reasons(w: W) -> list[str]:
            return [f"{party} is not excluded from talks"] if blocked(w) else []

        def mutate(w: W) -> None:
            w[t] = tuple(x for x in w[t] if x[0] != party)

        def describe(before: Before, after: W, h: History) -> tuple[list[Change], list[str]]:
            return [change(what=f"{party} in the talks", before="excluded",
                           after="taking part")], []

        return Op(blocked, mutate, event.id, frozenset({t}), reasons=reasons, describe=describe)

    # -- the gate on other events -------------------------------------------------------

    def gate(self, event: Event, op: Op) -> Op:
        """``op`` refused, besides its own reasons, where a party in ``by`` is excluded
        from the talks or suspended from or withdrawn from the event's document."""
        kind = event.kind
        if not self.participation_used or kind not in TALKS_GATED or not event.by:
            return op
        parties = list(dict.fromkeys(p.split(".", 1)[0] for p in event.by))
        doc_id = event.__dict__.get("document")
        on_doc = kind in DOC_GATED and isinstance(doc_id, str) and doc_id in self.doc_slot
        t = self.talks_slot
        i = self.doc_slot[doc_id] if on_doc and isinstance(doc_id, str) else -1
        items = self.subs.items
        inner_blocked, inner_reasons = op.blocked, op.reasons

        def barred(w: W, party: str) -> bool:
            if w[t] and any(x[0] == party for x in w[t]):
                return True
            if on_doc:
                for p, status, _, _ in items[w[i]].parties:
                    if p == party and status in ("suspended", "withdrawn"):
                        return True
            return False

        def blocked(w: W) -> bool:
            return any(barred(w, p) for p in parties) or inner_blocked(w)

        def reasons(w: W) -> list[str]:
            out = []
            view = self.view(w)
            for p in parties:
                if w[t] and any(x[0] == p for x in w[t]):
                    out.append(f"{cond.exclusion_text(p, view)}: it cannot "
                               f"{kind.replace('_', ' ')}")
                if on_doc and isinstance(doc_id, str):
                    status, text = cond.party_standing(view, p, doc_id)
                    if status in ("suspended", "withdrawn"):
                        out.append(f"{text}: it cannot {kind.replace('_', ' ')} {doc_id}")
            return out + inner_reasons(w)

        return Op(blocked, op.mutate, op.event_id, op.writes, op.settles, False, op.event,
                  reasons, op.describe, op.effects, op.cause, op.only)

    # -- the clock's part ---------------------------------------------------------------

    def withdrawals_due(self, w: W, day: int, rec: Recorder | None) -> set[int]:
        """Make the notified withdrawals whose day has come effective; the slots changed."""
        touched: set[int] = set()
        if not self.leaves_later:
            return touched
        subs = self.subs
        for doc_id, i in self.doc_slot.items():
            sub = subs.items[w[i]]
            due = [x for x in sub.parties if x[1] == "leaving" and x[3] is not None
                   and x[3] <= day]
            if not due:
                continue
            parties = sub.parties
            for p, _, _, effective in due:
                assert effective is not None
                parties = _with(parties, p, ("withdrawn", effective, None))
            w[i] = subs.intern(replace(sub, parties=parties))
            touched.add(i)
            if rec is not None:
                for p, _, since, effective in due:
                    assert effective is not None
                    rec.system(
                        _day(day), "participation", doc_id,
                        f"{p}'s withdrawal from {doc_id} takes effect (notice given on "
                        f"{_day(since)}); {doc_id} stays {sub.state} for the others",
                        [change(what=f"{p} in {doc_id}", before="leaving", after="withdrawn")],
                    )
        return touched

    def withdrawal_days(self, s: Sequence[Any]) -> list[int]:
        """The days notified withdrawals take effect (the clock stops on them)."""
        if not self.leaves_later:
            return []
        items = self.subs.items
        return [x[3] for i in self.doc_slot.values() for x in items[s[i]].parties
                if x[1] == "leaving" and x[3] is not None]

    def lift_exclusions(self, w: W, rec: Recorder | None) -> bool:
        """End the exclusions whose ``until`` holds; whether one ended."""
        t = self.talks_slot
        ending = [x for x in w[t] if x[2] is not None and self._until(x[2])[0](w)]
        if not ending:
            return False
        w[t] = tuple(x for x in w[t] if x not in ending)
        if rec is not None:
            for party, since, until in ending:
                rec.system(
                    _day(w[DATE]), "participation", party,
                    f"{party} is readmitted to the talks: {until} holds (excluded since "
                    f"{_day(since)})",
                    [change(what=f"{party} in the talks", before="excluded",
                            after="taking part")],
                    reasons=(f"became true: {until}",),
                )
        return True
