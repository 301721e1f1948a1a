"""Applying ops and settling: an event checked and applied, its consequences, the
deadlines it anchors; then deadline updates and at most one reactive rule per round
until nothing changes (see ``runtime.engine`` for the order within a day).

With a recorder, an applied event's entry comes before what its consequences wrote, a
blocked one's entry says why, and a top-level event's entry lists what settling moved
(``fired``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from negotiation import conditions as cond
from negotiation.model.errors import RuleLoopError
from negotiation.runtime.compiled._base import (
    CLOSED,
    DATE,
    OPEN,
    PENDING,
    WAITING,
    Op,
    RuleInfo,
    W,
    _RuleLoopError,
)
from negotiation.runtime.compiled._parts import Parts
from negotiation.runtime.compiled._record import Recorder
from negotiation.runtime.program import MAX_SETTLE_STEPS


class Settle(Parts):
    """Applying ops and settling a working list."""

    def _new_op(self, op: Op) -> None:
        """Keep a new op; once the clock is compiled, mark whether settling after it can
        change anything."""
        if self._settle_known:
            self._mark(op)
        else:
            self._ops.append(op)

    def _mark(self, op: Op) -> None:
        anchors = op.event_id is not None and op.event_id in self.anchored_on_events
        op.settles = op.writes is None or bool(op.writes & self.settle_reads) or anchors
        op.plain = op.writes is not None and not op.effects and not anchors
        op.touched = None if op.writes is None or op.effects or anchors else set(op.writes)

    def _finish_ops(self) -> None:
        """Mark the ops compiled so far; ops compiled later are marked as they come."""
        for op in self._ops:
            self._mark(op)
        self._ops.clear()
        self._settle_known = True

    def skipped(self, w: W, op: Op, rec: Recorder | None, cause: str | None) -> bool:
        """Whether the event's ``if`` fails or its ``unless`` holds: then it is skipped
        (neither applied nor refused), and its entry says why."""
        failing = [only for only in op.only if only.test(w) != only.holds]
        if not failing:
            return False
        if rec is not None:
            assert op.event is not None
            view = self.view(w)
            reasons = [
                f"if {only.node.text}: no ({'; '.join(cond.explain(only.node, view))})"
                if only.holds else f"unless {only.node.text}: it holds"
                for only in failing
            ]
            rec.entries.append(rec.event(
                dt.date.fromordinal(w[DATE]), "skipped", op.event, reasons=reasons, cause=cause
            ))
        return True

    def apply_top(self, w: W, op: Op, rec: Recorder | None = None) -> bool:
        """Apply an event dated on the working list's day, then settle; False when it is
        blocked (then only its entry, saying why, is recorded). An event skipped by its
        ``if`` or ``unless`` is not blocked: True, and nothing changes."""
        if op.only and not w[CLOSED] and self.skipped(w, op, rec, None):
            return True
        if w[CLOSED] or op.blocked(w):
            if rec is not None:
                self._blocked(w, op, rec, None)
            return False
        if rec is None:
            if op.plain:
                op.mutate(w)
            else:
                self.perform(w, op, None, None)
            if op.settles:
                self.settle(w, None, self.touched_by(op))
            return True
        index = self.perform(w, op, rec, None)
        fired = self.settle(w, rec, self.touched_by(op)) if op.settles else None
        if fired:
            rec.entries[index].fired = tuple(fired)
        return True

    def apply_effect(self, w: W, op: Op, rec: Recorder | None, cause: str | None) -> None:
        """Apply a rule's or a consequence's effect (no settling of its own)."""
        if op.only and self.skipped(w, op, rec, cause):
            return
        if op.blocked(w):
            if rec is not None:
                self._blocked(w, op, rec, cause)
            return
        self.perform(w, op, rec, cause)

    def _blocked(self, w: W, op: Op, rec: Recorder, cause: str | None) -> None:
        assert op.event is not None
        rec.entries.append(rec.event(
            dt.date.fromordinal(w[DATE]), "blocked", op.event, reasons=op.reasons(w), cause=cause
        ))

    def perform(self, w: W, op: Op, rec: Recorder | None, cause: str | None) -> int:
        """Apply an allowed op, its consequences, and anchor what counts from it; with a
        recorder, the index of its entry (placed before its consequences' entries)."""
        if rec is None:
            op.mutate(w)
            for effect in op.effects:
                self.apply_effect(w, effect, None, op.cause)
            if op.event_id is not None and op.event_id in self.anchored_on_events:
                self.on_event(w, op.event_id)
            return -1
        assert op.event is not None
        writes = op.writes
        before: dict[int, Any] = (
            dict(enumerate(w)) if writes is None else {j: w[j] for j in writes}
        )
        before[DATE] = w[DATE]
        index = len(rec.entries)
        op.mutate(w)
        changes, notes = op.describe(before, w, rec.h)
        for effect in op.effects:
            self.apply_effect(w, effect, rec, op.cause)
        rec.entries.insert(index, rec.event(
            dt.date.fromordinal(w[DATE]), "event", op.event, changes, notes, cause
        ))
        if op.event_id is not None and op.event_id in self.anchored_on_events:
            self.on_event(w, op.event_id, rec)
        return index

    def touched_by(self, op: Op) -> set[int] | None:
        """The slots an applied op may have changed (None: any, through its effects or
        the deadlines it anchors): what settling after it looks at."""
        return op.touched

    def settle(
        self, w: W, rec: Recorder | None = None, touched: set[int] | None = None
    ) -> list[str]:
        """Update deadlines and fire rules until nothing changes; the ids of what fired
        (deadlines anchored or met, rules). ``touched``: the slots changed since the
        list was last settled (None: look at everything); a deadline or rule none of
        whose inputs is among them keeps its value, so it is not looked at."""
        fired: list[str] = []
        has_rules = self.has_rules
        t = self.talks_slot
        for _ in range(MAX_SETTLE_STEPS):
            changed = self.update(w, rec, fired, touched)
            if w[t] and self.until_preds and self.lift_exclusions(w, rec):
                changed = True
                if touched is not None:
                    touched.add(t)
            if has_rules:
                rule = self.fire_rule(w, rec, fired, touched)
                if rule is not None:
                    changed = True
                    if touched is not None:
                        for effect in rule.effects:
                            more = self.touched_by(effect)
                            if more is None:
                                touched = None
                                break
                            touched |= more
            if not changed:
                return fired
        if rec is None:
            raise _RuleLoopError
        day = dt.date.fromordinal(w[DATE])
        raise RuleLoopError(
            f"reactive rules did not settle after {MAX_SETTLE_STEPS} steps on {day}; "
            f"last fired: {', '.join(fired[-6:])}",
            tuple(fired[-6:]),
            day,
        )

    def update(
        self, w: W, rec: Recorder | None, fired: list[str], touched: set[int] | None
    ) -> bool:
        """Anchor waiting deadlines whose condition now holds; resolve live ones whose
        requirement is met (only those that read a touched slot, if ``touched``; the
        slots of those that change join it)."""
        changed = False
        if touched is None:
            infos = self.deadlines
        else:
            readers = self.deadline_readers
            picked = {k for j in touched for k in readers.get(j, ())}
            if not picked:
                return False
            infos = [self.deadlines[k] for k in sorted(picked)]
        for d in infos:
            ds = w[d.slot]
            status = ds[0]
            if status == WAITING and d.anchor is not None and d.anchor(w):
                ds = self.anchor_now(w, d, ds, rec)
                status = ds[0]
                fired.append(d.spec.id)
                changed = True
            if (
                status in (PENDING, OPEN)
                and d.requirement is not None
                and d.spec.ends_early
                and d.requirement(w)
            ):
                if d.window and status == PENDING:
                    opens = dt.date.fromordinal(ds[2])
                    note = f"requirement met before the window opened ({opens})"
                    self.resolve(w, d, "early", note, rec)
                else:
                    self.resolve(w, d, "met", "requirement met", rec)
                fired.append(d.spec.id)
                changed = True
            if changed and touched is not None:
                touched.add(d.slot)
        return changed

    def fire_rule(
        self, w: W, rec: Recorder | None, fired: list[str], touched: set[int] | None
    ) -> RuleInfo | None:
        """Evaluate the rules (those that read a touched slot, if ``touched``); fire the
        first (by priority, then declaration) whose condition has become true since it
        was last evaluated. Every other rule records the value it saw, except those also
        waiting to fire, which stay armed for the next round. So each rule sees every
        intermediate state. The rule fired, if one did."""
        if touched is None:
            rules = self.rules
        else:
            readers = self.rule_readers
            picked = {k for j in touched for k in readers.get(j, ())}
            if not picked:
                return None
            rules = [self.rules[k] for k in sorted(picked)]
        chosen: RuleInfo | None = None
        for r in rules:
            value = bool(r.test(w))
            rs = w[r.slot]
            last = bool(rs & 1)
            was_fired = rs >> 1
            armed = value and not last and (r.each or not was_fired)
            if armed and chosen is None:
                chosen = r
            elif not armed and value != last:
                w[r.slot] = (was_fired << 1) | value
        if chosen is None:
            return None
        w[chosen.slot] = 3
        if touched is not None:
            touched.add(chosen.slot)  # read by rules on "rule R has fired"
        rule = chosen.spec
        if rec is not None:
            rec.h.fired[rule.id] = rec.h.fired.get(rule.id, 0) + 1
            rec.system(
                dt.date.fromordinal(w[DATE]), "rule", rule.id,
                rule.summary or f"rule {rule.id}: {rule.when}",
                reasons=(f"became true: {rule.when}",),
                attribution=rule.attribution, assumption=rule.assumption,
            )
        for effect in chosen.effects:
            self.apply_effect(w, effect, rec, rule.id)
        fired.append(rule.id)
        return chosen

    def on_event(self, w: W, event_id: str, rec: Recorder | None = None) -> None:
        """Anchor the waiting deadlines that count from this event."""
        for d in self.deadlines:
            if w[d.slot][0] == WAITING and d.anchor_event == event_id:
                self.anchor_now(w, d, w[d.slot], rec)
