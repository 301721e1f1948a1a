"""Failed ratification votes and referendums (``ratify`` with ``result: failed``): the
vote is recorded on the document (``failed``; read by ``ratification of DOC by PARTY
failed``) and the document does not move. The vote needs what a ratification needs: the
voters among the document's ratifiers, a text the lifecycle lets them ratify, and no
voter that has ratified already. Consequences are the scenario's: rules on the
condition, or a lifecycle of its own. A later ``ratify`` by the same voter clears the
failure (``_acts``)."""

from __future__ import annotations

from dataclasses import replace

from negotiation.model.events import Ratify
from negotiation.model.trace import Change
from negotiation.runtime.compiled._base import Before, Op, W
from negotiation.runtime.compiled._parts import Parts
from negotiation.runtime.compiled._record import History, change


class Votes(Parts):
    """``failed_vote_op``: a ratification vote that failed, compiled."""

    def failed_vote_op(self, event: Ratify) -> Op:
        doc = self.program.documents[event.document]
        doc_id = doc.id
        i = self.doc_slot[doc_id]
        subs = self.subs
        by = tuple(event.by)
        lc = self.lifecycles[doc.lifecycle]
        allowed = frozenset(s for (s, t) in lc.table if t == "ratify")
        static = [f"{who} is not among {doc_id}'s ratifiers ({', '.join(doc.ratification_by)})"
                  for who in by if doc.ratification_by and who not in doc.ratification_by]
        if not by:
            static.append("a vote needs who voted in 'by'")

        def blocked(w: W) -> bool:
            sub = subs.items[w[i]]
            return bool(static) or sub.state not in allowed or any(
                p in sub.ratified_by for p in by)

        def reasons(w: W) -> list[str]:
            sub = subs.items[w[i]]
            out = list(static)
            if sub.state not in allowed:
                out.append(f"{doc_id} is {sub.state}; a ratification vote needs it to be "
                           f"{' or '.join(sorted(allowed)) or 'in a state that can be ratified'}")
            out += [f"{p} has already ratified {doc_id}" for p in by if p in sub.ratified_by]
            return out

        memo: dict[int, int] = {}

        def mutate(w: W) -> None:
            new = memo.get(w[i])
            if new is None:
                s = subs.items[w[i]]
                failed = tuple(dict.fromkeys((*s.failed, *by)))
                new = memo[w[i]] = subs.intern(replace(s, failed=failed))
            w[i] = new

        notes = [f"vote: {event.vote_text()}"] if event.vote_text() else []
        label = f"document {doc_id} ratification failed"

        def describe(before: Before, after: W, h: History) -> tuple[list[Change], list[str]]:
            old, new = subs.items[before[i]].failed, subs.items[after[i]].failed
            if old == new:
                return [], list(notes)
            return [change(what=label, before=", ".join(old) or None,
                           after=", ".join(new))], list(notes)

        return Op(blocked, mutate, event.id, frozenset({i}), reasons=reasons, describe=describe)
