"""The calendar clock: deadline and rule infos compiled, deadline events (set, extend,
drop, enforce, waive), anchoring, activation, closing a day (cut-offs, expiry and
consequences), arriving on a day (windows opening), checkpoints (the days on which
something may happen without an event). See ``runtime.engine`` for the order within a
day. With a recorder, each of these writes its trace entry and the history the tuple
does not carry; without one (the search), nothing but the tuple changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from negotiation import conditions as cond
from negotiation.model.dates import FuzzyDate
from negotiation.model.deadlines import DeadlineKind, DeadlineStatus
from negotiation.model.events import (
    DropDeadline,
    EnforceDeadline,
    ExtendDeadline,
    SetDeadline,
    WaiveDeadline,
)
from negotiation.model.state import Extension
from negotiation.model.trace import Change
from negotiation.runtime.compiled._base import (
    CLOSED,
    DATE,
    DROPPED,
    INACTIVE,
    LIVE,
    MISSED,
    OPEN,
    PENDING,
    UNDATED,
    WAITING,
    Before,
    DeadlineInfo,
    DeadlineSlot,
    Op,
    RuleInfo,
    S,
    W,
    _ord,
)
from negotiation.runtime.compiled._parts import Parts
from negotiation.runtime.compiled._record import DeadlineHistory, History, Recorder, change

_DUE = (PENDING, OPEN)  # the statuses a due day ends (made once, not at every close)


def _day(ordinal: int | None) -> dt.date | None:
    return None if ordinal is None else dt.date.fromordinal(ordinal)


class Clock(Parts):
    """Deadlines over the tuple state's deadline slots."""

    def _compile_clock(self) -> None:
        program = self.program
        c = program.compiled
        self.deadlines: list[DeadlineInfo] = []
        for d in program.deadline_order:
            ext = d.conditional_extension
            self.deadlines.append(DeadlineInfo(
                slot=self.dl_slot[d.id],
                spec=d,
                window=d.kind is DeadlineKind.window,
                sunset=d.kind is DeadlineKind.sunset,
                milestone=d.kind is DeadlineKind.milestone,
                option=d.kind is DeadlineKind.option,
                requirement=self._pred_of(c.requirements.get(d.id)),
                anchor=self._pred_of(c.anchors.get(d.id)),
                anchor_event=d.anchor.event if d.anchor is not None else None,
                extension=self._pred_of(c.extensions.get(d.id)),
                cutoff=_ord(ext.cutoff.last_day) if ext is not None else None,
                extended_due=_ord(ext.extended_due.last_day) if ext is not None else None,
            ))
        self.dl_info = {i.spec.id: i for i in self.deadlines}
        self.cutoff_days = {i.cutoff for i in self.deadlines if i.cutoff is not None}
        """Days on which a conditional extension's cut-off closes (``close_day`` looks
        for one only then)."""
        self.anchored_on_events = {i.anchor_event for i in self.deadlines} - {None}
        for info in self.deadlines:
            consequence = info.spec.consequence
            info.effects.extend(self.op(e) for e in consequence.effects) if consequence else None
        self.rules = [
            RuleInfo(self.rule_slot[r.id], self.pred(c.rules[r.id]), r.mode == "each", r)
            for r in program.rule_order
        ]
        for rule, r in zip(self.rules, program.rule_order, strict=True):
            rule.effects = [self.op(e) for e in r.then]
        self._index_readers()
        self.has_rules = bool(self.rules)
        # wake-up dates of timed conditions (Clock.checkpoints)
        self.static_wake: set[int] = set()
        self.fact_wake: list[tuple[int, int]] = []
        for node in c.timed:
            for n in cond.walk(node):
                if isinstance(n, cond.DateCmp):
                    self.static_wake.update((n.day.toordinal(), n.day.toordinal() + 1))
                elif isinstance(n, cond.FactHeld):
                    self.fact_wake.append((self.fact_slot[n.fact], n.days))

    def _index_readers(self) -> None:
        """The slots settling reads (a write elsewhere leaves a settled state settled),
        and who reads each slot, so that settling looks only at what a change can
        affect."""
        program = self.program
        c = program.compiled
        reads: set[int] = set()
        self.deadline_readers: dict[int, list[int]] = {}
        for k, d in enumerate(program.deadline_order):
            mine = {self.dl_slot[d.id]}
            for node in (c.requirements.get(d.id), c.anchors.get(d.id)):
                if node is not None:
                    mine |= self._reads(node)
            if len(mine) > 1:
                reads |= mine
                for j in mine:
                    self.deadline_readers.setdefault(j, []).append(k)
        self.rule_readers: dict[int, list[int]] = {}
        for k, r in enumerate(program.rule_order):
            mine = self._reads(c.rules[r.id])
            reads |= mine
            for j in mine:
                self.rule_readers.setdefault(j, []).append(k)
        self.settle_reads = frozenset(reads)

    def _set_deadline_op(self, event: SetDeadline) -> Op:
        info = self.dl_info[event.deadline]
        spec = info.spec
        d_id = spec.id
        j = info.slot
        no_due = event.due is None and spec.due is None and spec.anchor is None
        due = event.due

        def blocked(w: W) -> bool:
            return w[j][0] not in (INACTIVE, DROPPED) or no_due

        def reasons(w: W) -> list[str]:
            out = []
            if w[j][0] not in (INACTIVE, DROPPED):
                out.append(f"{d_id} is already {w[j][0]}")
            if no_due:
                out.append(f"{d_id} has no due date: give one")
            return out

        def mutate(w: W) -> None:
            w[j] = self.activate(info, due)

        def describe(before: Before, after: W, h: History) -> tuple[list[Change], list[str]]:
            h.deadlines[d_id] = self.fresh_history(info, after)
            return [change(what=f"deadline {d_id}", before=before[j][0], after=after[j][0])], []

        return Op(blocked, mutate, event.id, frozenset({j}), reasons=reasons, describe=describe)

    def _deadline_op(
        self, event: ExtendDeadline | DropDeadline | EnforceDeadline | WaiveDeadline
    ) -> Op:
        info = self.dl_info[event.deadline]
        d_id = info.spec.id
        setter = info.spec.set_by
        others = not (setter in (None, "unknown") or not event.by or setter in event.by)
        verb = event.kind.split("_")[0]
        op = self._deadline_op_of(event, info)
        if not others:
            return op
        own = op.reasons
        op.reasons = lambda w: [f"only {setter}, who set {d_id}, can {verb} it", *own(w)]
        op.blocked = lambda w: True
        return op

    def _deadline_op_of(
        self, event: ExtendDeadline | DropDeadline | EnforceDeadline | WaiveDeadline,
        info: DeadlineInfo,
    ) -> Op:
        d_id = info.spec.id
        label = f"deadline {d_id}"
        j = info.slot
        if isinstance(event, ExtendDeadline):
            if event.condition is not None:
                return self.decided_extend_op(event, info)
            return self._extend_op(event, info)
        if isinstance(event, DropDeadline):

            def drop_blocked(w: W) -> bool:
                return w[j][0] not in LIVE and w[j][0] != MISSED

            def drop_reasons(w: W) -> list[str]:
                return [f"{d_id} is {w[j][0]}: nothing to drop"] if drop_blocked(w) else []

            nonbinding = event.nonbinding

            def drop(w: W) -> None:
                status, due, opens, binding, cut, dec = w[j]
                w[j] = (status if nonbinding else DROPPED, due, opens,
                        binding and not nonbinding, cut, dec)

            def dropped(before: Before, after: W, h: History) -> tuple[list[Change], list[str]]:
                if nonbinding:
                    return [change(what=f"{label} binding", before="yes", after="no")], []
                was = h.deadlines[d_id]
                h.deadlines[d_id] = DeadlineHistory(
                    was.anchor, was.extensions, dt.date.fromordinal(after[DATE])
                )
                return [change(what=label, before=before[j][0], after=DROPPED)], []

            return Op(drop_blocked, drop, event.id, frozenset({j}), reasons=drop_reasons,
                      describe=dropped)
        return self._settle_deadline_op(event, info)

    def _extend_op(self, event: ExtendDeadline, info: DeadlineInfo) -> Op:
        d_id = info.spec.id
        label = f"deadline {d_id}"
        j = info.slot
        to = event.to.last_day.toordinal()
        to_day = event.to.last_day
        by = tuple(event.by)

        def ext_blocked(w: W) -> bool:
            status, due = w[j][0], w[j][1]
            if status not in LIVE and status != MISSED:
                return True
            return due is not None and to <= due

        def ext_reasons(w: W) -> list[str]:
            status, due = w[j][0], w[j][1]
            if status not in LIVE and status != MISSED:
                return [f"{d_id} is {status}: only a pending or missed deadline can be "
                        "extended"]
            if due is not None and to <= due:
                return [f"extension to {to_day} is not after the current due date "
                        f"{_day(due)}"]
            return []

        def extend(w: W) -> None:
            status, _, opens, binding, cut, dec = w[j]
            w[j] = (PENDING if status == MISSED else status, to, opens, binding, cut, dec)

        def extended(before: Before, after: W, h: History) -> tuple[list[Change], list[str]]:
            status, due = before[j][0], before[j][1]
            day = after[DATE]
            record = Extension(
                on=dt.date.fromordinal(day), by=by, from_due=_day(due), to_due=to_day,
                after_expiry=status == MISSED or (due is not None and day > due),
                event=event.id,
            )
            was = h.deadlines[d_id]
            h.deadlines[d_id] = DeadlineHistory(was.anchor, (*was.extensions, record), None)
            changes = [change(what=f"{label} due", before=str(_day(due)), after=str(to_day))]
            if after[j][0] != status:
                changes.append(change(what=label, before=status, after=after[j][0]))
            return changes, []

        return Op(ext_blocked, extend, event.id, frozenset({j}), reasons=ext_reasons,
                  describe=extended)

    def _settle_deadline_op(self, event: EnforceDeadline | WaiveDeadline, info: DeadlineInfo) -> Op:
        j = info.slot
        d_id = info.spec.id
        enforced = isinstance(event, EnforceDeadline)
        no_consequence = enforced and info.spec.consequence is None
        new_status = DeadlineStatus.enforced.value if enforced else DeadlineStatus.waived.value
        done = "enforced" if enforced else "waived"

        def blocked(w: W) -> bool:
            return w[j][0] != MISSED or no_consequence

        def reasons(w: W) -> list[str]:
            if w[j][0] != MISSED:
                return [f"{d_id} is {w[j][0]}: only a missed deadline can be {done}"]
            if no_consequence:
                return [f"{d_id} has no consequence to enforce"]
            return []

        def mutate(w: W) -> None:
            _, due, opens, binding, cut, dec = w[j]
            w[j] = (new_status, due, opens, binding, cut, dec)

        def describe(before: Before, after: W, h: History) -> tuple[list[Change], list[str]]:
            was = h.deadlines[d_id]
            h.deadlines[d_id] = DeadlineHistory(
                was.anchor, was.extensions, dt.date.fromordinal(after[DATE])
            )
            return [change(what=f"deadline {d_id}", before=before[j][0], after=new_status)], []

        effects = info.effects if enforced else []  # filled in place by _compile_clock
        writes = None if enforced and info.spec.consequence else frozenset({j})
        return Op(blocked, mutate, event.id, writes, reasons=reasons, describe=describe,
                  effects=effects, cause=d_id)

    def fresh_history(self, d: DeadlineInfo, w: W) -> DeadlineHistory:
        """A deadline's history as it starts to run (anchored on a date: that date)."""
        anchor = d.spec.anchor
        if w[d.slot][0] != WAITING and anchor is not None and anchor.date is not None:
            return DeadlineHistory(anchor.date.sort_date)
        return DeadlineHistory()

    def _anchored(self, d: DeadlineInfo, anchor: int, binding: bool) -> DeadlineSlot:
        spec = d.spec
        if d.window:
            assert spec.earliest_days is not None
            assert spec.latest_days is not None
            latest, earliest = anchor + spec.latest_days, anchor + spec.earliest_days
            return (PENDING, latest, earliest, binding, False, None)
        return (PENDING, anchor + (spec.within_days or 0), None, binding, False, None)

    def anchor_now(
        self, w: W, d: DeadlineInfo, ds: DeadlineSlot, rec: Recorder | None = None
    ) -> DeadlineSlot:
        new = self._anchored(d, w[DATE], ds[3])
        if new[2] is not None and new[2] <= w[DATE]:
            new = (OPEN, new[1], new[2], new[3], False, None)
        w[d.slot] = new
        if rec is not None:
            spec = d.spec
            today = dt.date.fromordinal(w[DATE])
            rec.h.deadlines[spec.id] = DeadlineHistory(today)
            what = "window" if d.window else "deadline"
            opens, due = _day(new[2]), _day(new[1])
            span = f"opens {opens}, closes {due}" if opens else f"due {due}"
            rec.system(
                today, "window", spec.id, f"{what} {spec.id} anchored on {today}: {span}",
                [change(what=f"deadline {spec.id}", before="waiting", after=new[0])],
                attribution=spec.attribution, assumption=spec.assumption,
            )
        return new

    def activate(self, d: DeadlineInfo, due: FuzzyDate | None) -> DeadlineSlot:
        spec = d.spec
        if spec.anchor is not None:
            if spec.anchor.date is not None:
                return self._anchored(d, spec.anchor.date.sort_date.toordinal(), spec.binding)
            return (WAITING, None, None, spec.binding, False, None)
        when = due or spec.due
        day = _ord(when.last_day) if when is not None else None
        return (PENDING, day, None, spec.binding, False, None)

    def later_stops(self, s: Sequence[Any]) -> list[int]:
        """Days the clock stops on for what was decided to happen later: notified
        withdrawals taking effect, cut-offs of extensions decided later."""
        out = self.withdrawal_days(s)
        if self.decision_preds:  # else no extension waits for a decision
            for d in self.deadlines:
                dec = s[d.slot][5]
                if dec is not None:
                    out.append(dec[0])
        return out

    def close_day(self, w: W, rec: Recorder | None = None) -> None:
        date = w[DATE]
        cut: set[int] = set()
        if date in self.cutoff_days:
            for d in self.deadlines:
                if d.cutoff == date and not w[d.slot][4] and w[d.slot][0] in LIVE:
                    self.cutoff(w, d, rec)
                    cut.add(d.slot)
        if self.decision_preds:
            cut |= self.settle_decisions(w, rec)
        touched: set[int] | None = cut
        for d in self.deadlines:
            ds = w[d.slot]
            if ds[0] in _DUE and ds[1] == date:
                self.expire(w, d, ds, rec)
                if d.effects and w[d.slot][0] != MISSED:  # consequences: anything changed
                    touched = None
                elif touched is not None:
                    touched.add(d.slot)
        w[CLOSED] = True
        if touched is None or touched:  # no condition reads whether the day is closed
            self.settle(w, rec, touched)

    def cutoff(self, w: W, d: DeadlineInfo, rec: Recorder | None) -> None:
        """A conditional extension's cut-off day closes: the due date moves or stays."""
        assert d.extension is not None
        status, due, opens, binding, _, dec = w[d.slot]
        held = d.extension(w)
        w[d.slot] = (status, d.extended_due if held else due, opens, binding, True, dec)
        if rec is None:
            return
        spec = d.spec
        today = dt.date.fromordinal(w[DATE])
        if not held:
            node = self.program.compiled.extensions[spec.id]
            rec.system(
                today, "extension", spec.id,
                f"{spec.id}: the condition did not hold at the cut-off; due date stays "
                f"{_day(due)}",
                reasons=cond.explain(node, self.view(w)),
                attribution=spec.attribution, assumption=spec.assumption,
            )
            return
        new_due = _day(d.extended_due)
        assert new_due is not None
        record = Extension(
            on=today, by=(str(spec.set_by),) if spec.set_by else (), from_due=_day(due),
            to_due=new_due, conditional=True,
        )
        was = rec.h.deadlines[spec.id]
        rec.h.deadlines[spec.id] = DeadlineHistory(
            was.anchor, (*was.extensions, record), was.resolved_on
        )
        rec.system(
            today, "extension", spec.id,
            f"{spec.id}: the condition held at the cut-off; due date moves to {new_due}",
            [change(what=f"deadline {spec.id} due", before=str(_day(due)), after=str(new_due))],
            attribution=spec.attribution, assumption=spec.assumption,
        )

    def expire(self, w: W, d: DeadlineInfo, ds: DeadlineSlot, rec: Recorder | None) -> None:
        """The due day closes with the deadline still live."""
        if d.milestone:
            self.resolve(w, d, "reached", "milestone reached", rec)
            for effect in d.effects:
                self.apply_effect(w, effect, rec, d.spec.id)
            return
        if not d.sunset and d.requirement is not None and d.requirement(w):
            self.resolve(w, d, "met", "requirement met on the due day", rec)
            return
        consequence = d.spec.consequence
        binding = ds[3]
        automatic = d.sunset or (consequence is not None and consequence.mode == "automatic")
        if binding and automatic:
            note = "passed: consequence applied automatically" if consequence else "passed"
            self.resolve(w, d, "expired", note, rec, unmet=True)
            for effect in d.effects:
                self.apply_effect(w, effect, rec, d.spec.id)
            return
        if not binding:
            status, note = MISSED, "passed unmet; non-binding, so no consequence"
        elif d.option:
            status, note = "expired", "option lapsed unexercised"
        elif consequence is not None:
            status = MISSED
            note = "consequence threatened; the setter may enforce, waive or extend it"
        else:
            status, note = MISSED, "passed unmet"
        self.resolve(w, d, status, note, rec, unmet=True)

    def resolve(
        self, w: W, d: DeadlineInfo, status: str, note: str, rec: Recorder | None,
        unmet: bool = False,
    ) -> None:
        """A deadline ends (met, early, missed, expired) on the working list's day."""
        ds = w[d.slot]
        reasons: list[str] = []
        spec = d.spec
        node = self.program.compiled.requirements.get(spec.id)
        if rec is not None and unmet and not d.sunset and node is not None:
            reasons = cond.explain(node, self.view(w))  # as the due day closed
        w[d.slot] = (status, *ds[1:])
        if rec is None:
            return
        today = dt.date.fromordinal(w[DATE])
        was = rec.h.deadlines[spec.id]
        rec.h.deadlines[spec.id] = DeadlineHistory(was.anchor, was.extensions, today)
        rec.system(
            today, "deadline", spec.id, f"deadline {spec.id} {status}: {note}",
            [change(what=f"deadline {spec.id}", before=ds[0], after=status)],
            reasons=reasons, attribution=spec.attribution, assumption=spec.assumption,
        )

    def arrive(self, w: W, day: int, rec: Recorder | None = None) -> None:
        w[DATE] = day
        w[CLOSED] = False
        touched = {DATE} if DATE in self.settle_reads else set()
        touched |= self.withdrawals_due(w, day, rec)
        if w[self.talks_slot] and self.lift_exclusions(w, rec):
            touched.add(self.talks_slot)
        for d in self.deadlines:
            ds = w[d.slot]
            if ds[0] == PENDING and ds[2] is not None and ds[2] <= day:
                w[d.slot] = (OPEN, *ds[1:])
                touched.add(d.slot)
                if rec is not None:
                    spec = d.spec
                    rec.system(
                        dt.date.fromordinal(day), "window", spec.id,
                        f"window {spec.id} opens (closes {_day(ds[1])})",
                        [change(what=f"deadline {spec.id}", before="pending", after="open")],
                        attribution=spec.attribution, assumption=spec.assumption,
                    )
        if touched:
            self.settle(w, rec, touched)

    def advance(self, w: W, target: int, rec: Recorder | None = None) -> None:
        """Close the current day and every day on which something happens, up to
        ``target``, and arrive at ``target`` (not closed)."""
        while w[DATE] < target:
            if not w[CLOSED]:
                self.close_day(w, rec)
            self.arrive(w, self.next_stop(w, w[DATE], target), rec)

    def next_stop(self, s: Sequence[Any], date: int, goal: int) -> int:
        """The first checkpoint strictly between ``date`` and ``goal``, else ``goal``."""
        best = goal
        for d in self.deadlines:
            status, due, opens, _, cut, _ = s[d.slot]
            if status in LIVE:
                if due is not None and date < due < best:
                    best = due
                if opens is not None and date < opens < best:
                    best = opens
                if d.cutoff is not None and not cut and date < d.cutoff < best:
                    best = d.cutoff
        for x in self.static_wake:
            if date < x < best:
                best = x
        for x in self.later_stops(s):
            if date < x < best:
                best = x
        for j, days in self.fact_wake:
            since = s[j]
            if since > UNDATED:
                for x in (since + days, since + days + 1):
                    if date < x < best:
                        best = x
        return best

    def checkpoints(self, s: S) -> set[int]:
        out: set[int] = set(self.static_wake)
        out.update(self.later_stops(s))
        for d in self.deadlines:
            status, due, opens, _, cut, _ = s[d.slot]
            if status in LIVE:
                if due is not None:
                    out.add(due)
                if opens is not None:
                    out.add(opens)
                if d.cutoff is not None and not cut:
                    out.add(d.cutoff)
        for j, days in self.fact_wake:
            since = s[j]
            if since > UNDATED:
                out.add(since + days)
                out.add(since + days + 1)
        return out
