"""Invariant breaches and outcome labels of tuple states: the one definition of both.

``_found`` says which invariants a step breaks, as cheap descriptors; ``breaches`` (the
search's yes/no) stops at the first, and ``breach_list`` words every one (the reasons a
counterexample, a sample's violation or ``negotiation.testing`` shows). Declared
invariants are explained by ``conditions.explain`` over a ``TupleView``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from operator import itemgetter

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
        nothing (``risks``): only where one does is ``_doc_found`` asked."""
        lo, hi = FIRST_DOC, self.doc_end
        return self.risks(before[lo:hi], after[lo:hi]) and next(
            self._doc_found(before, after), None) is not None

    def moved_breaches(self, before: S, after: S, docs: S, moved: S) -> bool:
        """``doc_breaches`` as the searches ask it, for a step whose document slots went
        from ``docs`` to ``moved`` (they differ): asked exactly only where the change
        ``risks`` a built-in invariant (kept per pair: a space has few)."""
        return self.risks(docs, moved) and self.doc_breaches(before, after)

    def risks(self, docs: tuple[int, ...], after: tuple[int, ...]) -> bool:
        """Whether documents going from sub-states ``docs`` to ``after`` (the document
        slots of a step) may break a built-in invariant; the search asks
        ``doc_breaches`` only then. Kept per pair (``risky_steps``): a space has few."""
        table = self.risky_steps.get(docs)
        if table is None:
            table = self.risky_steps[docs] = {}
        risky = table.get(after)
        if risky is None:
            risky = table[after] = any(
                self._kinds(i, a, b)
                for i, a, b in zip(range(FIRST_DOC, self.doc_end), docs, after, strict=True)
                if a != b
            )
        return risky

    def _kinds(self, i: int, a: int, b: int) -> tuple[str, ...]:
        """``_risk`` of slot ``i``'s change from ``a`` to ``b``, kept."""
        kinds = self._risky.get((i, a, b))
        if kinds is None:
            kinds = self._risky[(i, a, b)] = self._risk(i, a, b)
        return kinds

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
        for i in range(FIRST_DOC, self.doc_end):
            a, b = before[i], after[i]
            if a == b:
                continue
            for kind in self._kinds(i, a, b):
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
        label = self.outcome_of(self.end_key(s))
        return label if stuck is None else f"stuck: {label}"

    def _end_key(self) -> Callable[[S], tuple[S, S]]:
        """``end_key`` (what a terminal state's outcome label reads: its document and
        deadline slots), as one C call (``itemgetter`` of two slices), made once."""
        return itemgetter(slice(FIRST_DOC, self.doc_end), slice(self.dl_first, self.dl_end))

    def outcome_of(self, k: tuple[S, S]) -> str:
        """The outcome label of a terminal state whose document slots and deadline slots
        are ``k`` (what a label reads: the search counts terminal states by it and
        labels each once)."""
        label = self._outcomes.get(k)
        if label is None:
            label = self._outcomes[k] = self._label(*k)
        return label

    def _label(self, docs: S, deadlines: S) -> str:
        items, points, names = self.subs.items, self.subs.points, self.subs.state
        slots = range(FIRST_DOC, self.doc_end)
        at = {d: docs[i - FIRST_DOC] for d, i in self.doc_slot.items()}
        statuses = [deadlines[self.dl_slot[d] - self.dl_first][0] for d in self.dl_ids]
        parts = [f"{d} {names[x]}" for d, x, i in zip(self.doc_ids, docs, slots, strict=True)
                 if names[x] != self.initial_names[i]]
        parts += [agreed_on(d, p, v)
                  for d, x in zip(self.doc_ids, docs, strict=True)
                  for p, v in sorted(items[x].values)
                  if points[x].get(p) == "agreed"]
        parts += [points_known_part(d, len(points[at[d]]), total)
                  for d, (first, total) in self.space.known_points.items()
                  if len(points[at[d]]) != first]
        parts += [withdrew(d, x[0])
                  for d, s in zip(self.doc_ids, docs, strict=True)
                  for x in items[s].parties if x[1] == "withdrawn"]
        parts += [f"{d} {status}" for d, status in zip(self.dl_ids, statuses, strict=True)
                  if status not in LIVE and status != INACTIVE]
        return ", ".join(parts) or OPEN_LABEL
