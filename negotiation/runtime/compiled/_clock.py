"""The clock and deadlines, mirroring ``_clock.Clock``: deadline infos and rule infos
compiled, deadline events (set, extend, drop, enforce, waive), anchoring, activation,
closing a day (cut-offs, expiry and consequences), arriving on a day, checkpoints."""

from __future__ import annotations

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
    DeadlineInfo,
    DeadlineSlot,
    Op,
    RuleInfo,
    S,
    W,
    _always,
    _nothing,
    _ord,
)
from negotiation.runtime.compiled._parts import Parts


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
                option=d.kind is DeadlineKind.option,
                requirement=self._pred_of(c.requirements.get(d.id)),
                anchor=self._pred_of(c.anchors.get(d.id)),
                anchor_event=d.anchor.event if d.anchor is not None else None,
                extension=self._pred_of(c.extensions.get(d.id)),
                cutoff=_ord(ext.cutoff.last_day) if ext is not None else None,
                extended_due=_ord(ext.extended_due.last_day) if ext is not None else None,
            ))
        self.dl_info = {i.spec.id: i for i in self.deadlines}
        self.anchored_on_events = {i.anchor_event for i in self.deadlines} - {None}
        for info in self.deadlines:
            consequence = info.spec.consequence
            info.effects = [self.op(e) for e in consequence.effects] if consequence else []
        self.rules = [
            RuleInfo(self.rule_slot[r.id], self.pred(c.rules[r.id]), r.mode == "each")
            for r in program.rule_order
        ]
        for rule, r in zip(self.rules, program.rule_order, strict=True):
            rule.effects = [self.op(e) for e in r.then]
        # the slots settling reads: a write elsewhere leaves a settled state settled
        reads: set[int] = set()
        for d in program.deadline_order:
            for node in (c.requirements.get(d.id), c.anchors.get(d.id)):
                if node is not None:
                    reads |= self._reads(node) | {self.dl_slot[d.id]}
        for r in program.rule_order:
            reads |= self._reads(c.rules[r.id])
        self.settle_reads = frozenset(reads)
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

    def _set_deadline_op(self, event: SetDeadline) -> Op:
        info = self.dl_info[event.deadline]
        spec = info.spec
        j = info.slot
        no_due = event.due is None and spec.due is None and spec.anchor is None
        due = event.due

        def blocked(w: W) -> bool:
            return w[j][0] not in (INACTIVE, DROPPED) or no_due

        def mutate(w: W) -> None:
            w[j] = self._activate(info, due)

        return Op(blocked, mutate, event.id, frozenset({j}))

    def _deadline_op(
        self, event: ExtendDeadline | DropDeadline | EnforceDeadline | WaiveDeadline
    ) -> Op:
        info = self.dl_info[event.deadline]
        j = info.slot
        setter = info.spec.set_by
        if not (setter in (None, "unknown") or not event.by or setter in event.by):
            return Op(_always, _nothing, event.id, frozenset())
        if isinstance(event, ExtendDeadline):
            to = event.to.last_day.toordinal()

            def ext_blocked(w: W) -> bool:
                status, due = w[j][0], w[j][1]
                if status not in LIVE and status != MISSED:
                    return True
                return due is not None and to <= due

            def extend(w: W) -> None:
                status, _, opens, binding, cut = w[j]
                w[j] = (PENDING if status == MISSED else status, to, opens, binding, cut)

            return Op(ext_blocked, extend, event.id, frozenset({j}))
        if isinstance(event, DropDeadline):

            def drop_blocked(w: W) -> bool:
                return w[j][0] not in LIVE and w[j][0] != MISSED

            nonbinding = event.nonbinding

            def drop(w: W) -> None:
                status, due, opens, binding, cut = w[j]
                w[j] = (status if nonbinding else DROPPED, due, opens,
                        binding and not nonbinding, cut)

            return Op(drop_blocked, drop, event.id, frozenset({j}))
        return self._settle_deadline_op(event, info)

    def _settle_deadline_op(self, event: EnforceDeadline | WaiveDeadline, info: DeadlineInfo) -> Op:
        j = info.slot
        enforced = isinstance(event, EnforceDeadline)
        no_consequence = enforced and info.spec.consequence is None
        new_status = DeadlineStatus.enforced.value if enforced else DeadlineStatus.waived.value

        def blocked(w: W) -> bool:
            return w[j][0] != MISSED or no_consequence

        def mutate(w: W) -> None:
            _, due, opens, binding, cut = w[j]
            w[j] = (new_status, due, opens, binding, cut)
            if enforced:
                for effect in info.effects:
                    self.apply_effect(w, effect)

        writes = None if enforced and info.spec.consequence else frozenset({j})
        return Op(blocked, mutate, event.id, writes)

    def _anchored(self, d: DeadlineInfo, anchor: int, binding: bool) -> DeadlineSlot:
        spec = d.spec
        if d.window:
            assert spec.earliest_days is not None
            assert spec.latest_days is not None
            latest, earliest = anchor + spec.latest_days, anchor + spec.earliest_days
            return (PENDING, latest, earliest, binding, False)
        return (PENDING, anchor + (spec.within_days or 0), None, binding, False)

    def anchor_now(self, w: W, d: DeadlineInfo, ds: DeadlineSlot) -> DeadlineSlot:
        new = self._anchored(d, w[DATE], ds[3])
        if new[2] is not None and new[2] <= w[DATE]:
            new = (OPEN, new[1], new[2], new[3], False)
        w[d.slot] = new
        return new

    def _activate(self, d: DeadlineInfo, due: FuzzyDate | None) -> DeadlineSlot:
        spec = d.spec
        if spec.anchor is not None:
            if spec.anchor.date is not None:
                return self._anchored(d, spec.anchor.date.sort_date.toordinal(), spec.binding)
            return (WAITING, None, None, spec.binding, False)
        when = due or spec.due
        day = _ord(when.last_day) if when is not None else None
        return (PENDING, day, None, spec.binding, False)

    def close_day(self, w: W) -> None:
        date = w[DATE]
        changed = False
        for d in self.deadlines:
            if d.cutoff == date and not w[d.slot][4] and w[d.slot][0] in LIVE:
                assert d.extension is not None
                status, due, opens, binding, _ = w[d.slot]
                if d.extension(w):
                    due = d.extended_due
                w[d.slot] = (status, due, opens, binding, True)
                changed = True
        for d in self.deadlines:
            ds = w[d.slot]
            if ds[0] in (PENDING, OPEN) and ds[1] == date:
                self.expire(w, d, ds)
                changed = True
        w[CLOSED] = True
        if changed:  # no condition reads whether the day is closed
            self.settle(w)

    def expire(self, w: W, d: DeadlineInfo, ds: DeadlineSlot) -> None:
        if not d.sunset and d.requirement is not None and d.requirement(w):
            w[d.slot] = ("met", ds[1], ds[2], ds[3], ds[4])
            return
        consequence = d.spec.consequence
        if ds[3] and (d.sunset or (consequence is not None and consequence.mode == "automatic")):
            w[d.slot] = ("expired", ds[1], ds[2], ds[3], ds[4])
            for effect in d.effects:
                self.apply_effect(w, effect)
            return
        status = "expired" if ds[3] and d.option else MISSED
        w[d.slot] = (status, ds[1], ds[2], ds[3], ds[4])

    def arrive(self, w: W, day: int) -> None:
        w[DATE] = day
        w[CLOSED] = False
        changed = DATE in self.settle_reads
        for d in self.deadlines:
            ds = w[d.slot]
            if ds[0] == PENDING and ds[2] is not None and ds[2] <= day:
                w[d.slot] = (OPEN, ds[1], ds[2], ds[3], ds[4])
                changed = True
        if changed:
            self.settle(w)

    def next_stop(self, s: S, date: int, goal: int) -> int:
        """The first checkpoint strictly between ``date`` and ``goal``, else ``goal``."""
        best = goal
        for d in self.deadlines:
            status, due, opens, _, cut = s[d.slot]
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
        for j, days in self.fact_wake:
            since = s[j]
            if since > UNDATED:
                for x in (since + days, since + days + 1):
                    if date < x < best:
                        best = x
        return best

    def checkpoints(self, s: S) -> set[int]:
        out: set[int] = set(self.static_wake)
        for d in self.deadlines:
            status, due, opens, _, cut = s[d.slot]
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
