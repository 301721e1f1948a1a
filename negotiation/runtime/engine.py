"""The engine: apply events under guards and deadline rules on a calendar clock.

Pure: it neither reads files nor prints nor reads the wall clock. The only time is the
scenario's calendar.

Order within a day (total and deterministic):

1. arriving at a day: windows whose opening day it is open; rules are settled;
2. the day's events, by (date, priority, sequence); after each event, deadline
   requirements and window anchors are updated and reactive rules are settled;
3. closing the day: conditional-extension cut-offs, then deadlines due that day by
   (priority, declaration order), then rules are settled again.

The clock jumps between days on which something can happen (events, due dates, window
openings, cut-offs, dates named in conditions, fact-duration thresholds), so a run is
finite. A due day counts as in time: a deadline due on the 27th is missed when the
27th closes. An imprecise event date is ordered at its earliest day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from negotiation import conditions as cond
from negotiation.model.events import Event, describe
from negotiation.model.positions import position_key
from negotiation.model.scenario import Branch, Expectation, Scenario, list_assumptions
from negotiation.model.state import DeadlineState, DocumentState, PositionState, RuleState, State
from negotiation.model.trace import (
    Entries,
    ExpectationResult,
    InvariantViolation,
    Trace,
    TraceEntry,
)
from negotiation.runtime import collect
from negotiation.runtime.compiled import History, Pending, Recorder, Runtime
from negotiation.runtime.compiled._base import CLOSED, DATE, Op, W
from negotiation.runtime.program import Program
from negotiation.runtime.turns import Turns, TurnView
from negotiation.runtime.view import StateView

RUN_GC_EVENTS = 5000
"""How many events a run applies between two collector checkpoints (``runtime.collect``)."""


def _day(ordinal: int | None) -> dt.date | None:
    return None if ordinal is None else dt.date.fromordinal(ordinal)


def _step(rt: Runtime, w: W, rec: Recorder, op: Op, day: dt.date) -> int:
    """Advance ``w`` to ``day`` and apply ``op``; the index of its entry."""
    rt.advance(w, day.toordinal(), rec)
    index = len(rec.entries)
    rt.apply_top(w, op, rec)
    return index


def _advance(rt: Runtime, w: W, rec: Recorder, day: dt.date, close: bool) -> None:
    """Advance ``w`` to ``day``, closing it if asked."""
    rt.advance(w, day.toordinal(), rec)
    if close:
        rt.close_day(w, rec)


@dataclass(frozen=True)
class StepResult:
    """What applying one event gives: the new state, the event's own entry, and every
    entry written on the way (deadlines passed while the clock advanced, rules fired)."""

    state: State
    entries: Sequence[TraceEntry]
    """Built when read (``model.trace.Entries``)."""
    index: int = -1
    """Where the event's own entry is among ``entries``."""
    note: TraceEntry | None = None
    """The entry when none was written (the clock advanced and nothing fell due)."""

    @property
    def entry(self) -> TraceEntry:
        """The event's own entry (built when asked)."""
        return self.note if self.note is not None else self.entries[self.index]

    @property
    def blocked(self) -> bool:
        return self.entry.kind == "blocked"


class Engine:
    """Runs one scenario. Build once; ``apply`` and ``run`` are pure functions of states.

    The semantics are the compiled runtime's (``runtime.compiled.Runtime``): a state is
    encoded into its working list and history, stepped with a recorder, and decoded
    into a ``State`` only for the caller."""

    def __init__(self, scenario: Scenario) -> None:
        self.program = program = Program(scenario)
        self.scenario = program.scenario
        self.vocabulary = program.vocabulary
        self.lifecycles = program.lifecycles
        self.documents = program.documents
        self.deadlines = program.deadlines
        self.required = program.required
        self.rule_order = program.rule_order
        self.compiled = program.compiled
        self.runtime = Runtime(program)
        nodes = self.compiled.invariants
        self.invariants = [
            (inv, nodes[inv.id], self.runtime.pred(nodes[inv.id]))
            for inv in self.scenario.invariants
        ]

    # -- conditions ------------------------------------------------------------------------
    def parse(self, text: str) -> cond.Node:
        """Parse a condition against this scenario's names."""
        return self.program.parse(text)

    def view(self, state: State) -> StateView:
        """The condition language's view of a state."""
        return StateView(self.required, state, self.scenario)

    def turn_view(self, state: State) -> TurnView:
        """A ``runtime.turns.TurnView`` of a state, for a party deciding its move."""
        w, _ = self.runtime.encode_state(state)
        return TurnView(self.runtime, w)

    def evaluate(self, condition: str | cond.Node, state: State) -> bool:
        """A condition's truth value in ``state``, by the runtime's compiled closure."""
        node = self.parse(condition) if isinstance(condition, str) else condition
        if cond.counts_firings(node):  # history, not state: read from the State itself
            return cond.evaluate(node, self.view(state))
        w, _ = self.runtime.encode_state(state)
        return bool(self.runtime.pred(node)(w))

    def explain(self, condition: str | cond.Node, state: State) -> list[str]:
        """Why a condition is false in ``state`` (empty when it holds)."""
        node = self.parse(condition) if isinstance(condition, str) else condition
        return cond.explain(node, self.view(state))

    # -- the initial state -------------------------------------------------------------------
    def start_date(self) -> dt.date:
        return self.program.start_date()

    def initial_state(self, start: dt.date | None = None) -> State:
        """The state at the start of the scenario, before any event, rules settled."""
        rt = self.runtime
        s = self.scenario
        documents = {}
        for d in s.documents:
            initial = d.initial_state or self.lifecycles[d.lifecycle].spec.initial
            points = {} if d.points == "unknown" else {p.id: p.status.value for p in d.points}
            documents[d.id] = DocumentState(
                state=initial, visited=(initial,), points=points, version=d.version,
                points_total=d.points_total,
            )
        deadlines = {}
        for dl in s.deadlines:
            info = rt.dl_info[dl.id]
            status, due, opens, binding, cut, _ = (
                rt.activate(info, None) if dl.active
                else ("inactive", None, None, dl.binding, False, None)
            )
            anchor = dl.anchor.date.sort_date if (
                dl.active and dl.anchor is not None and dl.anchor.date is not None
            ) else None
            deadlines[dl.id] = DeadlineState(
                status=status, due=_day(due), opens=_day(opens), anchor=anchor, binding=binding,
                cutoff_done=cut,
            )
        state = State(
            date=start or self.start_date(),
            documents=documents,
            positions={
                position_key(p.party, p.on): PositionState(
                    stance=p.stance.value,
                    since=p.since.sort_date if p.since else None,
                    conditions=tuple(p.conditions),
                )
                for p in s.positions
            },
            relations={r.key: (r.since.sort_date if r.since else None) for r in s.relations},
            facts={f.id: (f.since.sort_date if f.since else None) for f in s.facts
                   if f.initially is True},
            deadlines=deadlines,
            rules={r.id: RuleState() for r in s.rules},
            unknown_facts=tuple(f.id for f in s.facts if f.initially == "unknown"),
        )
        w, h = rt.encode_state(state)
        rec = Recorder(h)
        rt.settle(w, rec)  # nothing has been settled yet: every condition is looked at
        return rt.decode_state(w, h)

    # -- stepping ----------------------------------------------------------------------------
    def apply(self, state: State, event: Event) -> StepResult:
        """Advance the clock to the event's date, then apply the event.

        A blocked event changes nothing (beyond the clock advance) and its entry says
        why. The clock never goes back: an event dated before the state's date, or on a
        day already closed, is blocked.
        """
        rt = self.runtime
        day = event.date.sort_date if event.date is not None else state.date
        if day < state.date or (day == state.date and state.closed):
            entry = Recorder(History(step=state.step)).late(state.date, day, event)
            return StepResult(state, Entries((entry,)), 0)
        op = rt.op_of(event)
        w, h = rt.encode_state(state)
        rec = Recorder(h)
        index = _step(self.runtime, w, rec, op, day)
        return StepResult(rt.decode_state(w, h), Entries(rec.pending()), index)


    def advance(self, state: State, day: dt.date, close: bool = False) -> StepResult | None:
        """Move the clock to ``day`` (and close it if asked), firing what falls due.
        None when there is nothing to do (``day`` is past or already reached)."""
        if day < state.date or (day == state.date and (state.closed or not close)):
            return None
        rt = self.runtime
        w, h = rt.encode_state(state)
        rec = Recorder(h)
        _advance(self.runtime, w, rec, day, close)
        entries = Entries(rec.pending())
        note = None if entries else TraceEntry(
            seq=h.step,
            date=day,
            date_display=day.isoformat(),
            kind="skipped",
            summary="clock advanced",
        )
        return StepResult(rt.decode_state(w, h), entries, -1, note)


    def checkpoints(self, state: State) -> set[dt.date]:
        """Days on which something may happen without an event (due dates, window
        openings, cut-offs, dates in conditions): where ``advance`` stops on its way."""
        w, _ = self.runtime.encode_state(state)
        return {dt.date.fromordinal(d) for d in self.runtime.checkpoints(tuple(w))}

    def check(self, state: State, event: Event) -> list[str]:
        """Every reason the event would be blocked in ``state`` (empty: allowed)."""
        op = self.runtime.op_of(event)
        w, _ = self.runtime.encode_state(state)
        return op.reasons(w)

    # -- runs ------------------------------------------------------------------------------------
    def branch(self, name: str) -> Branch:
        return self.program.branch(name)

    def timeline(self, branch: str | None = None) -> list[Event]:
        """The events of the base timeline or of a branch, in the engine's total order."""
        return self.program.timeline(branch)

    def horizon(self, branch: str | None = None) -> dt.date | None:
        """The last day a run covers (the branch's horizon overrides the scenario's)."""
        return self.program.horizon(branch)

    def run(
        self,
        branch: str | None = None,
        until: dt.date | None = None,
        turns: Turns | None = None,
        *,
        events: Sequence[Event] | None = None,
    ) -> Trace:
        """Run the base timeline (or a branch) to the horizon or ``until``, whichever is
        first, checking the expectations that belong to it. ``turns``: parties that move
        inside the run (``runtime.turns``), each move applied after the day's events.
        ``events``: an alternative timeline of the branch, already in the order to apply
        it (days never going back), e.g. another order of events with overlapping
        imprecise dates."""
        limits = [d for d in (self.horizon(branch), until) if d is not None]
        stop = min(limits) if limits else None
        first = self.initial_state()
        pending = sorted(
            (x for x in self.scenario.expect if x.branch == branch), key=lambda x: x.at.last_day
        )
        if stop is not None:
            pending = [x for x in pending if x.at.last_day <= stop]
        run = _Run(self, first, pending, branch)
        run.watch()
        op_of = self.runtime.op_of
        # a run keeps every entry: where the process has paused the cyclic collector
        # (the CLI does; see runtime.collect), what survives is frozen every
        # RUN_GC_EVENTS events so that no later pass re-scans the growing trace
        timeline = self.timeline(branch) if events is None else events
        for count, event in enumerate(timeline, 1):
            day = event.date.sort_date if event.date else run.today
            if stop is not None and day > stop:
                run.entries.append(self._beyond(run.today, event))
                continue
            if turns is not None and not run.turns(turns, day, stop):
                turns = None
            run.expectations_before(day)
            run.apply(event, op_of(event), day)
            if count % RUN_GC_EVENTS == 0:
                collect.checkpoint()
        if turns is not None:
            run.turns(turns, None, stop)
        end = stop if stop is not None else max([run.today] + [x.at.last_day for x in pending])
        run.expectations_before(end + dt.timedelta(days=1))
        run.close(end)
        return Trace(
            scenario=self.scenario.id,
            branch=branch,
            start=first.date,
            horizon=stop,
            entries=Entries(run.entries),
            final=self.runtime.decode_state(run.w, run.h),
            expectations=tuple(run.results),
            violations=tuple(run.broken.values()),
        )

    def _beyond(self, today: dt.date, event: Event) -> TraceEntry:
        date = event.date.sort_date if event.date else today
        return TraceEntry(
            seq=0,
            date=date,
            date_display=event.date.display() if event.date else date.isoformat(),
            kind="beyond_horizon",
            ref=event.id,
            event_kind=event.kind,
            summary=event.summary or describe(event),
            by=tuple(event.by),
            attribution=event.attribution,
            reasons=("after the horizon: not run",),
        )

    def expectation(self, x: Expectation, w: W, h: History | None = None) -> ExpectationResult:
        """Whether an expectation holds in a working list (and the run's history: how
        often rules fired), and why not."""
        node = self.parse(x.that)
        view = self.runtime.view(w, h)
        return ExpectationResult(
            at=x.at.last_day,
            that=x.that,
            ok=cond.evaluate(node, view),
            summary=x.summary,
            reasons=tuple(cond.explain(node, view)),
        )

    def assumptions(self) -> list[tuple[str, str]]:
        """Every labelled assumption in the scenario: (where, what)."""
        return list_assumptions(self.scenario)


__all__ = ["Engine", "StepResult"]


class _Run:
    """One run in progress: the working list, its history, the entries so far, the
    expectations still to check, their results and the invariants broken."""

    def __init__(
        self, engine: Engine, first: State, pending: list[Expectation], branch: str | None
    ) -> None:
        self.engine = engine
        self.rt = engine.runtime
        self.w, self.h = self.rt.encode_state(first)
        self.entries: list[TraceEntry | Pending] = []
        """built when the trace is read (``model.trace.Entries``)"""
        self.pending = pending
        self.results: list[ExpectationResult] = []
        self.broken: dict[str, InvariantViolation] = {}
        self.invariants = [
            (inv.id, node, test) for inv, node, test in engine.invariants if inv.holds_in(branch)
        ]

    @property
    def today(self) -> dt.date:
        return dt.date.fromordinal(self.w[DATE])

    def watch(self) -> None:
        w = self.w
        for inv_id, node, test in self.invariants:
            if inv_id not in self.broken and not test(w):
                self.broken[inv_id] = InvariantViolation(
                    invariant=inv_id,
                    date=self.today,
                    seq=self.h.step,
                    condition=node.text,
                    reasons=tuple(cond.explain(node, self.rt.view(w))),
                )

    def _recorded(self, rec: Recorder) -> None:
        self.entries.extend(rec.pending())
        if self.invariants:
            self.watch()

    def _reached(self, day: dt.date) -> bool:
        """Whether the clock has passed ``day``, or closed it."""
        today = self.today
        return day < today or (day == today and bool(self.w[CLOSED]))

    def expectations_before(self, before: dt.date) -> None:
        """Check the expectations dated before ``before``, each at the close of its day."""
        while self.pending and self.pending[0].at.last_day < before:
            x = self.pending.pop(0)
            self.close(x.at.last_day)
            self.results.append(self.engine.expectation(x, self.w, self.h))

    def close(self, day: dt.date) -> None:
        """Move the clock to ``day`` and close it (nothing if it is already past)."""
        if not self._reached(day):
            rec = Recorder(self.h)
            _advance(self.rt, self.w, rec, day, close=True)
            self._recorded(rec)

    def turns(self, turns: Turns, before: dt.date | None, stop: dt.date | None) -> bool:
        """Take the turns due before ``before`` (all of them when None) and on or before
        ``stop``; False once the turns have ended."""
        op_of = self.rt.op_of
        while True:
            day = turns.next_day(TurnView(self.rt, self.w))
            if day is None:
                return False
            if (before is not None and day >= before) or (stop is not None and day > stop):
                return True
            self.expectations_before(day)
            if not self._reached(day):
                rec = Recorder(self.h)
                _advance(self.rt, self.w, rec, day, close=False)
                self._recorded(rec)
            event = turns.move(TurnView(self.rt, self.w))
            if event is None:
                return False
            count = len(self.entries)
            op = op_of(event)  # a move may name a position the layout had no slot for:
            if len(self.w) < self.rt.width:  # op_of appended it, with no stance yet
                self.w.extend([None] * (self.rt.width - len(self.w)))
            self.apply(event, op, day)
            entries = self.entries
            i = next(i for i in range(count, len(entries)) if entries[i].ref == event.id)
            entry = entries[i]
            if isinstance(entry, Pending):
                entry = entries[i] = entry.build()
            turns.seen(entry)

    def apply(self, event: Event, op: Op, day: dt.date) -> None:
        rec = Recorder(self.h)
        if self._reached(day):
            self.entries.append(rec.late(self.today, day, event))
            return
        _step(self.rt, self.w, rec, op, day)
        self._recorded(rec)
