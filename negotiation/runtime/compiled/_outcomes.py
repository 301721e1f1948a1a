"""Invariant breaches (``Space.check``) and outcome labels (``Space.outcome``) of tuple
states."""

from __future__ import annotations

from negotiation.runtime.compiled._base import ACCEPTS, DATE, FIRST_DOC, INACTIVE, LIVE, ROOT, S
from negotiation.runtime.compiled._search_parts import SearchParts
from negotiation.runtime.space import OPEN as OPEN_LABEL
from negotiation.runtime.space import agreed_on


class Outcomes(SearchParts):
    """What a step breaks and what a terminal state is labelled."""

    def breaches(self, before: S | None, after: S) -> bool:
        """Whether ``Space.check(before, after)`` finds a breach."""
        root = after[ROOT]
        for test, roots in self.invariants:
            if root in roots and not test(after):
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
            parts += [agreed_on(d, p, v)
                      for d, i in zip(self.doc_ids, range(FIRST_DOC, self.doc_end), strict=True)
                      for p, v in sorted(self.subs.items[s[i]].values)
                      if self.subs.points[s[i]].get(p) == "agreed"]
            parts += [f"{d} {status}" for d, status in zip(self.dl_ids, statuses, strict=True)
                      if status not in LIVE and status != INACTIVE]
            label = self._outcomes[k] = ", ".join(parts) or OPEN_LABEL
        return label
