"""The calendar clock: deadlines falling due, windows opening, cut-offs, day closing.

Private to the engine; see the engine's docstring for the order within a day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from negotiation import conditions as cond
from negotiation.model.dates import FuzzyDate, add_days
from negotiation.model.deadlines import LIVE_STATUSES, Deadline, DeadlineKind, DeadlineStatus
from negotiation.model.state import DeadlineState, Extension
from negotiation.model.trace import Change
from negotiation.runtime.core import Core
from negotiation.runtime.work import ReadIndex, Work


class Clock:
    """Deadline semantics for one engine."""

    def __init__(self, engine: Core) -> None:
        self.engine = engine
        scenario = engine.scenario
        self.order: list[Deadline] = engine.program.deadline_order
        compiled = engine.compiled
        self.reads: dict[str, frozenset[str]] = {}
        for d in scenario.deadlines:
            keys = {f"deadline:{d.id}"}
            for node in (compiled.requirements.get(d.id), compiled.anchors.get(d.id)):
                if node is not None:
                    keys |= cond.reads(node)
            self.reads[d.id] = frozenset(keys)
        self.index = ReadIndex(self.reads)

    # -- activation ---------------------------------------------------------------------
    def initial(self, d: Deadline) -> DeadlineState:
        if not d.active:
            return DeadlineState(status=DeadlineStatus.inactive, binding=d.binding)
        return self.activate(d, None)

    def activate(self, d: Deadline, due: FuzzyDate | None) -> DeadlineState:
        """The runtime state of a deadline rule as it starts to run."""
        if d.anchor is not None:
            if d.anchor.date is not None:
                return self.anchored(d, d.anchor.date.sort_date, d.binding)
            return DeadlineState(status=DeadlineStatus.waiting, binding=d.binding)
        when = due or d.due
        return DeadlineState(
            status=DeadlineStatus.pending,
            due=when.last_day if when is not None else None,
            binding=d.binding,
        )

    def anchored(self, d: Deadline, anchor: dt.date, binding: bool) -> DeadlineState:
        if d.kind is DeadlineKind.window:
            if d.earliest_days is None or d.latest_days is None:  # pragma: no cover
                raise AssertionError("validated: a window has both day counts")
            return DeadlineState(
                status=DeadlineStatus.pending,
                anchor=anchor,
                opens=add_days(anchor, d.earliest_days),
                due=add_days(anchor, d.latest_days),
                binding=binding,
            )
        return DeadlineState(
            status=DeadlineStatus.pending,
            anchor=anchor,
            due=add_days(anchor, d.within_days or 0),
            binding=binding,
        )

    # -- moving the clock ------------------------------------------------------------------
    def advance(self, work: Work, target: dt.date) -> None:
        """Close the current day and every day on which something happens, up to
        ``target``, and arrive at ``target`` (not closed)."""
        while work.date < target:
            if not work.closed:
                self.close_day(work)
            upcoming = [d for d in self.checkpoints(work) if work.date < d < target]
            self.arrive(work, min(upcoming) if upcoming else target)

    def checkpoints(self, work: Work) -> set[dt.date]:
        """Days on which something may happen without an event."""
        out: set[dt.date] = set()
        for d in self.order:
            ds = work.deadlines[d.id]
            if ds.status not in LIVE_STATUSES:
                continue
            out.update(x for x in (ds.due, ds.opens) if x is not None)
            ext = d.conditional_extension
            if ext is not None and not ds.cutoff_done:
                out.add(ext.cutoff.last_day)
        view = self.engine.view(work)
        for node in self.engine.compiled.timed:
            out |= cond.wake_dates(node, view)
        return out

    def arrive(self, work: Work, day: dt.date) -> None:
        work.date = day
        work.closed = False
        work.touch("date")
        for d in self.order:
            ds = work.deadlines[d.id]
            if ds.status is DeadlineStatus.pending and ds.opens is not None and ds.opens <= day:
                work.deadlines[d.id] = ds.model_copy(update={"status": DeadlineStatus.open})
                work.touch(f"deadline:{d.id}")
                work.system(
                    "window",
                    d.id,
                    f"window {d.id} opens (closes {ds.due})",
                    [Change(what=f"deadline {d.id}", before="pending", after="open")],
                    attribution=d.attribution,
                    assumption=d.assumption,
                )
        self.engine.settle(work)

    def close_day(self, work: Work) -> None:
        for d in self.order:
            ext = d.conditional_extension
            ds = work.deadlines[d.id]
            if (
                ext is not None
                and not ds.cutoff_done
                and ds.status in LIVE_STATUSES
                and ext.cutoff.last_day == work.date
            ):
                self.cutoff(work, d, ds)
        for d in self.order:
            ds = work.deadlines[d.id]
            if ds.status in (DeadlineStatus.pending, DeadlineStatus.open) and ds.due == work.date:
                self.expire(work, d, ds)
        work.closed = True
        self.engine.settle(work)

    def cutoff(self, work: Work, d: Deadline, ds: DeadlineState) -> None:
        ext = d.conditional_extension
        if ext is None:  # pragma: no cover
            return
        node = self.engine.compiled.extensions[d.id]
        view = self.engine.view(work)
        if not cond.evaluate(node, view):
            work.deadlines[d.id] = ds.model_copy(update={"cutoff_done": True})
            work.touch(f"deadline:{d.id}")
            work.system(
                "extension",
                d.id,
                f"{d.id}: the condition did not hold at the cut-off; due date stays {ds.due}",
                reasons=cond.explain(node, view),
                attribution=d.attribution,
                assumption=d.assumption,
            )
            return
        new_due = ext.extended_due.last_day
        record = Extension(
            on=work.date,
            by=(str(d.set_by),) if d.set_by else (),
            from_due=ds.due,
            to_due=new_due,
            conditional=True,
        )
        work.touch(f"deadline:{d.id}")
        work.deadlines[d.id] = ds.model_copy(
            update={"due": new_due, "cutoff_done": True, "extensions": (*ds.extensions, record)}
        )
        work.system(
            "extension",
            d.id,
            f"{d.id}: the condition held at the cut-off; due date moves to {new_due}",
            [Change(what=f"deadline {d.id} due", before=str(ds.due), after=str(new_due))],
            attribution=d.attribution,
            assumption=d.assumption,
        )

    def expire(self, work: Work, d: Deadline, ds: DeadlineState) -> None:
        """The due day closes with the deadline still live."""
        reasons: list[str] = []
        node = self.engine.compiled.requirements.get(d.id)
        if d.kind is not DeadlineKind.sunset and node is not None:
            view = self.engine.view(work)
            if cond.evaluate(node, view):
                self.resolve(work, d, ds, DeadlineStatus.met, "requirement met on the due day")
                return
            reasons = cond.explain(node, view)
        consequence = d.consequence
        if not ds.binding:
            self.resolve(
                work,
                d,
                ds,
                DeadlineStatus.missed,
                "passed unmet; non-binding, so no consequence",
                reasons,
            )
        elif d.kind is DeadlineKind.sunset or (consequence and consequence.mode == "automatic"):
            note = "passed: consequence applied automatically" if consequence else "passed"
            self.resolve(work, d, ds, DeadlineStatus.expired, note, reasons)
            for effect in consequence.effects if consequence else []:
                self.engine.apply_effect(work, effect, cause=d.id)
        elif d.kind is DeadlineKind.option:
            self.resolve(work, d, ds, DeadlineStatus.expired, "option lapsed unexercised", reasons)
        elif consequence is not None:
            self.resolve(
                work,
                d,
                ds,
                DeadlineStatus.missed,
                "consequence threatened; the setter may enforce, waive or extend it",
                reasons,
            )
        else:
            self.resolve(work, d, ds, DeadlineStatus.missed, "passed unmet", reasons)

    def resolve(
        self,
        work: Work,
        d: Deadline,
        ds: DeadlineState,
        status: DeadlineStatus,
        note: str,
        reasons: Sequence[str] = (),
    ) -> None:
        work.deadlines[d.id] = ds.model_copy(update={"status": status, "resolved_on": work.date})
        work.touch(f"deadline:{d.id}")
        work.system(
            "deadline",
            d.id,
            f"deadline {d.id} {status.value}: {note}",
            [Change(what=f"deadline {d.id}", before=ds.status.value, after=status.value)],
            reasons=reasons,
            attribution=d.attribution,
            assumption=d.assumption,
        )

    # -- requirements met, windows anchored (part of settling) ------------------------------
    def update(self, work: Work, fired: list[str]) -> bool:
        """Anchor waiting deadlines whose condition now holds; resolve live ones whose
        requirement is met. A deadline is looked at only when something its conditions
        read, or the deadline itself, changed in this step (``Work.touched``): every state
        the engine hands out is settled, so an unchanged condition keeps its value."""
        changed = False
        view = self.engine.view(work)
        compiled = self.engine.compiled
        touched = work.touched
        looked_at = None if touched is None else self.index.affected(touched)
        if looked_at is not None and not looked_at:
            return False
        for d in self.order:
            if looked_at is not None and d.id not in looked_at:
                continue
            ds = work.deadlines[d.id]
            anchor = compiled.anchors.get(d.id)
            if (
                ds.status is DeadlineStatus.waiting
                and anchor is not None
                and cond.evaluate(anchor, view)
            ):
                ds = self.anchor_now(work, d, ds)
                fired.append(d.id)
                changed = True
            node = compiled.requirements.get(d.id)
            if (
                ds.status in (DeadlineStatus.pending, DeadlineStatus.open)
                and d.ends_early
                and node is not None
                and cond.evaluate(node, view)
            ):
                if d.kind is DeadlineKind.window and ds.status is DeadlineStatus.pending:
                    self.resolve(
                        work,
                        d,
                        ds,
                        DeadlineStatus.early,
                        f"requirement met before the window opened ({ds.opens})",
                    )
                else:
                    self.resolve(work, d, ds, DeadlineStatus.met, "requirement met")
                fired.append(d.id)
                changed = True
        return changed

    def on_event(self, work: Work, event_id: str) -> None:
        """Anchor the waiting deadlines that count from this event."""
        for d in self.order:
            ds = work.deadlines[d.id]
            if (
                ds.status is DeadlineStatus.waiting
                and d.anchor is not None
                and d.anchor.event == event_id
            ):
                self.anchor_now(work, d, ds)

    def anchor_now(self, work: Work, d: Deadline, ds: DeadlineState) -> DeadlineState:
        new = self.anchored(d, work.date, ds.binding)
        if new.opens is not None and new.opens <= work.date:
            new = new.model_copy(update={"status": DeadlineStatus.open})
        work.deadlines[d.id] = new
        work.touch(f"deadline:{d.id}")
        what = "window" if d.kind is DeadlineKind.window else "deadline"
        span = f"opens {new.opens}, closes {new.due}" if new.opens else f"due {new.due}"
        work.system(
            "window",
            d.id,
            f"{what} {d.id} anchored on {work.date}: {span}",
            [Change(what=f"deadline {d.id}", before="waiting", after=new.status.value)],
            attribution=d.attribution,
            assumption=d.assumption,
        )
        return new
