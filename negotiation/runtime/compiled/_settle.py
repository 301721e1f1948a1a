"""Rules and settling, mirroring ``Engine.apply``, ``Engine.apply_effect`` and
``Engine.settle`` (deadline updates, then at most one reactive rule per round)."""

from __future__ import annotations

from negotiation.runtime.compiled._base import (
    CLOSED,
    OPEN,
    PENDING,
    WAITING,
    Op,
    RuleInfo,
    W,
    _RuleLoopError,
)
from negotiation.runtime.compiled._parts import Parts
from negotiation.runtime.program import MAX_SETTLE_STEPS


class Settle(Parts):
    """Applying ops and settling a working list."""

    def _finish_ops(self) -> None:
        """Mark the ops after which settling cannot change anything."""
        for op in self._ops:
            op.settles = (
                op.writes is None
                or bool(op.writes & self.settle_reads)
                or (op.event_id is not None and op.event_id in self.anchored_on_events)
            )

    def apply_top(self, w: W, op: Op) -> bool:
        """``Engine.apply`` of an event dated on the state's day; False when blocked."""
        if w[CLOSED] or op.blocked(w):
            return False
        op.mutate(w)
        if op.event_id is not None:
            self.on_event(w, op.event_id)
        if op.settles:
            self.settle(w)
        return True

    def apply_effect(self, w: W, op: Op) -> None:
        """``Engine.apply_effect`` with a cause (a rule's or a consequence's effect)."""
        if op.blocked(w):
            return
        op.mutate(w)
        if op.event_id is not None:
            self.on_event(w, op.event_id)

    def settle(self, w: W) -> None:
        has_rules = self.has_rules
        for _ in range(MAX_SETTLE_STEPS):
            changed = self.update(w)
            if has_rules:
                changed = self.fire_rule(w) or changed
            if not changed:
                return
        raise _RuleLoopError

    def update(self, w: W) -> bool:
        changed = False
        for d in self.deadlines:
            ds = w[d.slot]
            status = ds[0]
            if status == WAITING and d.anchor is not None and d.anchor(w):
                ds = self.anchor_now(w, d, ds)
                status = ds[0]
                changed = True
            if (
                status in (PENDING, OPEN)
                and d.requirement is not None
                and d.spec.ends_early
                and d.requirement(w)
            ):
                new = "early" if d.window and status == PENDING else "met"
                w[d.slot] = (new, ds[1], ds[2], ds[3], ds[4])
                changed = True
        return changed

    def fire_rule(self, w: W) -> bool:
        chosen: RuleInfo | None = None
        for r in self.rules:
            value = bool(r.test(w))
            rs = w[r.slot]
            last = bool(rs & 1)
            fired = rs >> 1
            armed = value and not last and (r.each or not fired)
            if armed and chosen is None:
                chosen = r
            elif not armed and value != last:
                w[r.slot] = (fired << 1) | value
        if chosen is None:
            return False
        w[chosen.slot] = 3
        for effect in chosen.effects:
            self.apply_effect(w, effect)
        return True

    def on_event(self, w: W, event_id: str) -> None:
        for d in self.deadlines:
            if w[d.slot][0] == WAITING and d.anchor_event == event_id:
                self.anchor_now(w, d, w[d.slot])
