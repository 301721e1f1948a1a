"""Extensions decided later: an ``extend_deadline`` with a ``condition`` and a ``cutoff``
("to A if CONDITION holds on the cut-off, else to B") attaches a pending decision to the
deadline's slot on the day it is taken; the due date does not move then. When the cut-off
day closes (before the deadlines due that day expire), the clock settles it: the due date
moves to ``to`` if the condition holds, else to ``otherwise`` (or stays), a missed
deadline becomes pending again as with any extension, and the entry says which branch and
why. A deadline that ended (met, dropped, ...) before the cut-off keeps its end; the
decision lapses and the entry says so."""

from __future__ import annotations

import datetime as dt

from negotiation import conditions as cond
from negotiation.model.events import ExtendDeadline
from negotiation.model.state import Extension
from negotiation.model.trace import Change
from negotiation.runtime.compiled._base import (
    DATE,
    LIVE,
    MISSED,
    PENDING,
    Before,
    DeadlineInfo,
    Decided,
    Op,
    Pred,
    W,
    _ord,
)
from negotiation.runtime.compiled._parts import Parts
from negotiation.runtime.compiled._record import DeadlineHistory, History, Recorder, change


def _day(ordinal: int | None) -> dt.date | None:
    return None if ordinal is None else dt.date.fromordinal(ordinal)


class DecidedLater(Parts):
    """Conditional extensions attached by an event, settled by the clock."""

    def _decision_test(self, text: str) -> tuple[Pred, cond.Node]:
        found = self.decision_preds.get(text)
        if found is None:
            node = self.program.parse(text)
            found = self.decision_preds[text] = (self.pred(node), node)
        return found

    def decided_extend_op(self, event: ExtendDeadline, info: DeadlineInfo) -> Op:
        """The op of an extension decided later: it attaches the decision."""
        assert event.condition is not None
        assert event.cutoff is not None
        d_id, j = info.spec.id, info.slot
        self._decision_test(event.condition)
        to = event.to.last_day.toordinal()
        cutoff = event.cutoff.last_day.toordinal()
        otherwise = _ord(event.otherwise.last_day) if event.otherwise is not None else None
        decided: Decided = (cutoff, event.condition, to, otherwise, tuple(event.by), event.id)

        def problems(w: W) -> list[str]:
            status, due, dec = w[j][0], w[j][1], w[j][5]
            out = []
            if status not in LIVE and status != MISSED:
                out.append(f"{d_id} is {status}: only a pending or missed deadline can be "
                           "extended")
            for day, what in ((to, "extension"), (otherwise, "alternative")):
                if day is not None and due is not None and day <= due:
                    out.append(f"{what} to {_day(day)} is not after the current due date "
                               f"{_day(due)}")
            if cutoff < w[DATE]:
                out.append(f"the cut-off {_day(cutoff)} is before the decision is taken")
            if dec is not None:
                out.append(f"{d_id} already has an extension to be decided on {_day(dec[0])}")
            return out

        def blocked(w: W) -> bool:
            return bool(problems(w))

        def attach(w: W) -> None:
            w[j] = (*w[j][:5], decided)

        other = "its due date as it is" if otherwise is None else str(_day(otherwise))

        def describe(before: Before, after: W, h: History) -> tuple[list[Change], list[str]]:
            return (
                [change(what=f"deadline {d_id} extension", before=None,
                        after=f"to {_day(to)} if {event.condition} holds on "
                              f"{_day(cutoff)}, else to {other}")],
                [f"decided on {_day(cutoff)}; the due date stays {_day(after[j][1])} until then"],
            )

        return Op(blocked, attach, event.id, frozenset({j}), reasons=problems,
                  describe=describe)

    def settle_decisions(self, w: W, rec: Recorder | None) -> set[int]:
        """Settle the decisions whose cut-off is today (as the day closes); the slots
        changed."""
        date = w[DATE]
        touched: set[int] = set()
        for d in self.deadlines:
            dec = w[d.slot][5]
            if dec is not None and dec[0] == date:
                self._settle_one(w, d, dec, rec)
                touched.add(d.slot)
        return touched

    def _settle_one(self, w: W, d: DeadlineInfo, dec: Decided, rec: Recorder | None) -> None:
        cutoff, text, to, otherwise, by, event_id = dec
        test, node = self._decision_test(text)
        status, due, opens, binding, cut, _ = w[d.slot]
        live = status in LIVE or status == MISSED
        held = test(w)
        new_due = (to if held else otherwise) if live else None
        if new_due is not None:
            w[d.slot] = (PENDING if status == MISSED else status, new_due, opens, binding, cut,
                         None)
        else:
            w[d.slot] = (status, due, opens, binding, cut, None)
        if rec is None:
            return
        spec = d.spec
        today = dt.date.fromordinal(cutoff)
        if not live:
            rec.system(today, "extension", spec.id,
                       f"{spec.id}: the extension decided on {today} lapses: the deadline is "
                       f"already {status}")
            return
        branch = f"{text} holds" if held else f"{text} does not hold"
        reasons = [f"held: {text}"] if held else cond.explain(node, self.view(w))
        changes = []
        if new_due is None:
            summary = f"{spec.id}: {branch} on the cut-off; the due date stays {_day(due)}"
        else:
            summary = f"{spec.id}: {branch} on the cut-off; the due date moves to {_day(new_due)}"
            changes.append(change(what=f"deadline {spec.id} due", before=str(_day(due)),
                                  after=str(_day(new_due))))
            if status == MISSED:
                changes.append(change(what=f"deadline {spec.id}", before=MISSED, after=PENDING))
            was = rec.h.deadlines[spec.id]
            moved = _day(new_due)
            assert moved is not None
            record = Extension(on=today, by=by, from_due=_day(due), to_due=moved,
                               after_expiry=status == MISSED, conditional=True, event=event_id)
            rec.h.deadlines[spec.id] = DeadlineHistory(
                was.anchor, (*was.extensions, record), None if status == MISSED
                else was.resolved_on)
        changes.append(change(what=f"deadline {spec.id} extension", before="to be decided",
                              after="decided"))
        rec.system(today, "extension", spec.id, summary, changes, reasons=reasons,
                   attribution=spec.attribution, assumption=spec.assumption)
