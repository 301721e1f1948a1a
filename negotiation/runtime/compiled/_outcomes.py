"""Invariant breaches and outcome labels of tuple states: the one definition of both.

``_found`` says which invariants a step breaks, as cheap descriptors; ``breaches`` (the
search's yes/no) stops at the first, and ``breach_list`` words every one (the reasons a
counterexample, a sample's violation or ``negotiation.testing`` shows). Declared
invariants are explained by ``conditions.explain`` over a ``TupleView``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from negotiation import conditions as cond
from negotiation.runtime.compiled._base import ACCEPTS, DATE, FIRST_DOC, INACTIVE, LIVE, ROOT, S
from negotiation.runtime.compiled._conditions import TupleView
from negotiation.runtime.compiled._search_parts import SearchParts
from negotiation.runtime.space import OPEN as OPEN_LABEL
from negotiation.runtime.space import InvariantBreach, agreed_on, points_known_part, withdrew

FINAL = "final_states_are_final"
SIGNED = "signed_only_with_acceptance"
CLOCK = "clock_never_goes_back"
DECLARED = ""

Found = tuple[str, int]
"""A breach before it is worded: the built-in invariant's name (``DECLARED`` for a
declared one) and the declared invariant's index or the document's slot."""


class Outcomes(SearchParts):
    """What a step breaks and what a terminal state is labelled."""

    def breaches(self, before: S | None, after: S) -> bool:
        """Whether the step from ``before`` (None: the start) to ``after`` breaks an
        invariant: a declared one that holds in ``after``'s timeline, or a built-in one."""
        return next(self._found(before, after), None) is not None

    def doc_breaches(self, before: S, after: S) -> bool:
        """Whether a document's change breaks a built-in invariant (the part of
        ``breaches`` the search runs when no invariant is declared). Most changes risk
        nothing (``_risk``): only where one does is ``_doc_found`` asked."""
        risky = self._risky
        for i in range(FIRST_DOC, self.doc_end):
            a, b = before[i], after[i]
            if a != b:
                kinds = risky.get((i, a, b))
                if kinds is None:
                    kinds = risky[(i, a, b)] = self._risk(i, a, b)
                if kinds:
                    return next(self._doc_found(before, after), None) is not None
        return False

    def breach_list(self, before: S | None, after: S) -> list[InvariantBreach]:
        """Every invariant the step breaks, with its reasons."""
        return [self._word(f, before, after) for f in self._found(before, after)]

    def _found(self, before: S | None, after: S) -> Iterator[Found]:
        root = after[ROOT]
        for k, (test, roots) in enumerate(self.invariants):
            if root in roots and not test(after):
                yield DECLARED, k
        if before is None:
            return
        if after[DATE] < before[DATE]:  # pragma: no cover - the clock never goes back
            yield CLOCK, -1
        yield from self._doc_found(before, after)

    def _doc_found(self, before: S, after: S) -> Iterator[Found]:
        risky = self._risky
        for i in range(FIRST_DOC, self.doc_end):
            a, b = before[i], after[i]
            if a == b:
                continue
            kinds = risky.get((i, a, b))
            if kinds is None:
                kinds = risky[(i, a, b)] = self._risk(i, a, b)
            for kind in kinds:
                if kind == FINAL:  # pragma: no cover - lifecycles never leave final states
                    yield FINAL, i
                elif self._missing(i, after):
                    yield SIGNED, i

    def _risk(self, i: int, a: int, b: int) -> tuple[str, ...]:
        """What a document's change from sub-state ``a`` to ``b`` may break."""
        old, new = self.subs.items[a], self.subs.items[b]
        kinds: list[str] = []
        if new.state != old.state and old.state in self.absorbing_by_slot[i]:
            kinds.append(FINAL)
        signer = any(p not in old.signed_by for p in new.signed_by)
        if signer or (new.state == "signed" and old.state != "signed"):
            kinds.append(SIGNED)
        return tuple(kinds)

    def _missing(self, i: int, after: S) -> list[str]:
        """The parties whose acceptance document slot ``i`` requires and who do not
        accept it in ``after``."""
        req = self.required_slots[i]
        if req is None:
            return []
        names = self.program.required[self.doc_ids[i - FIRST_DOC]] or ()
        return [p for p, j in zip(names, req, strict=True) if j < 0 or after[j] != ACCEPTS]

    def _word(self, found: Found, before: S | None, after: S) -> InvariantBreach:
        """A breach with its reasons (and, for a built-in one, a condition that fails)."""
        what, k = found
        if what == DECLARED:
            inv, test = self.space.invariants[k]
            return InvariantBreach(inv.id, False, tuple(cond.explain(test, TupleView(self, after))))
        assert before is not None
        if what == CLOCK:  # pragma: no cover - the clock never goes back
            days = (dt.date.fromordinal(before[DATE]), dt.date.fromordinal(after[DATE]))
            return InvariantBreach(CLOCK, True, (f"the date went from {days[0]} to {days[1]}",))
        doc = self.doc_ids[k - FIRST_DOC]
        old, new = self.subs.items[before[k]], self.subs.items[after[k]]
        if what == FINAL:  # pragma: no cover - lifecycles never leave final states
            why = f"{doc} left its final state {old.state} for {new.state}"
            return InvariantBreach(FINAL, True, (why,), f"{doc} is {old.state}")
        signer = next((p for p in new.signed_by if p not in old.signed_by), None)
        why = f"{doc} was signed while {', '.join(self._missing(k, after))} had not accepted it"
        acted = f"{signer} has signed {doc}" if signer else f"{doc} is signed"
        expect = f"not ({acted}) or all required parties accept {doc}"
        return InvariantBreach(SIGNED, True, (why,), expect)

    def outcome(self, s: S, stuck: str | None = None) -> str:
        """A terminal state's class: documents that moved, options agreed by an accepted
        offer, deadlines that resolved (``stuck: ...`` when the state is stuck)."""
        k = (s[FIRST_DOC : self.doc_end], s[self.dl_first : self.dl_end])
        label = self._outcomes.get(k)
        if label is None:
            names = self.subs.state
            docs = tuple(names[s[i]] for i in range(FIRST_DOC, self.doc_end))
            statuses = tuple(s[self.dl_slot[d]][0] for d in self.dl_ids)
            parts = [f"{d} {name}" for d, name, i in
                     zip(self.doc_ids, docs, range(FIRST_DOC, self.doc_end), strict=True)
                     if name != self.initial_names[i]]
            parts += [agreed_on(d, p, v)
                      for d, i in zip(self.doc_ids, range(FIRST_DOC, self.doc_end), strict=True)
                      for p, v in sorted(self.subs.items[s[i]].values)
                      if self.subs.points[s[i]].get(p) == "agreed"]
            parts += [points_known_part(d, len(self.subs.points[s[self.doc_slot[d]]]), total)
                      for d, (first, total) in self.space.known_points.items()
                      if len(self.subs.points[s[self.doc_slot[d]]]) != first]
            parts += [withdrew(d, x[0])
                      for d, i in zip(self.doc_ids, range(FIRST_DOC, self.doc_end), strict=True)
                      for x in self.subs.items[s[i]].parties if x[1] == "withdrawn"]
            parts += [f"{d} {status}" for d, status in zip(self.dl_ids, statuses, strict=True)
                      if status not in LIVE and status != INACTIVE]
            label = self._outcomes[k] = ", ".join(parts) or OPEN_LABEL
        return label if stuck is None else f"stuck: {label}"
