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
from dataclasses import dataclass

from negotiation import conditions as cond
from negotiation.model.errors import RuleLoopError
from negotiation.model.events import Event, describe
from negotiation.model.positions import position_key
from negotiation.model.rules import Rule
from negotiation.model.scenario import Branch, Expectation, Scenario, list_assumptions
from negotiation.model.state import DocumentState, PositionState, RuleState, State
from negotiation.model.trace import ExpectationResult, InvariantViolation, Trace, TraceEntry
from negotiation.runtime import collect
from negotiation.runtime.acts import Acts, doc_trigger
from negotiation.runtime.clock import Clock
from negotiation.runtime.program import MAX_SETTLE_STEPS, Program
from negotiation.runtime.work import View, Work

RUN_GC_EVENTS = 5000
"""How many events a run applies between two collector checkpoints (``runtime.collect``)."""



@dataclass(frozen=True)
class StepResult:
    """What applying one event gives: the new state, the event's own entry, and every
    entry written on the way (deadlines passed while the clock advanced, rules fired)."""

    state: State
    entry: TraceEntry
    entries: tuple[TraceEntry, ...]

    @property
    def blocked(self) -> bool:
        return self.entry.kind == "blocked"


class Engine:
    """Runs one scenario. Build once; ``apply`` and ``run`` are pure functions of states."""

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
        self.rule_index = program.rule_index
        self.clock = Clock(self)
        self.acts = Acts(self, self.clock)

    # -- conditions ------------------------------------------------------------------------
    def parse(self, text: str) -> cond.Node:
        """Parse a condition against this scenario's names."""
        return self.program.parse(text)

    def view(self, state: State | Work) -> View:
        """The condition language's view of a state."""
        return View(self.required, state)

    def evaluate(self, condition: str | cond.Node, state: State) -> bool:
        node = self.parse(condition) if isinstance(condition, str) else condition
        return cond.evaluate(node, self.view(state))

    def explain(self, condition: str | cond.Node, state: State) -> list[str]:
        """Why a condition is false in ``state`` (empty when it holds)."""
        node = self.parse(condition) if isinstance(condition, str) else condition
        return cond.explain(node, self.view(state))

    # -- the initial state -------------------------------------------------------------------
    def start_date(self) -> dt.date:
        return self.program.start_date()

    def initial_state(self, start: dt.date | None = None) -> State:
        """The state at the start of the scenario, before any event, rules settled."""
        s = self.scenario
        documents = {}
        for d in s.documents:
            initial = d.initial_state or self.lifecycles[d.lifecycle].spec.initial
            points = {} if d.points == "unknown" else {p.id: p.status.value for p in d.points}
            documents[d.id] = DocumentState(
                state=initial, visited=(initial,), points=points, version=d.version
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
            facts={f.id: (f.since.sort_date if f.since else None) for f in s.facts if f.initially},
            deadlines={d.id: self.clock.initial(d) for d in s.deadlines},
            rules={r.id: RuleState() for r in s.rules},
        )
        work = Work(state)
        work.touched = None  # nothing has been settled yet: look at every condition
        self.settle(work)
        work.finish()
        return work.freeze()

    # -- stepping ----------------------------------------------------------------------------
    def apply(self, state: State, event: Event) -> StepResult:
        """Advance the clock to the event's date, then apply the event.

        A blocked event changes nothing (beyond the clock advance) and its entry says
        why. The clock never goes back: an event dated before the state's date, or on a
        day already closed, is blocked.
        """
        work = Work(state)
        day = event.date.sort_date if event.date is not None else work.date
        late = None
        if day < work.date:
            late = f"dated {day}, before the current date {work.date}"
        elif day == work.date and work.closed:
            late = f"{day} has already been closed"
        if late is not None:
            entry = work.event_entry("blocked", event, reasons=(late,))
            return StepResult(state, entry, (entry,))
        self.clock.advance(work, day)
        entry = self.apply_effect(work, event, cause=None)
        index = work.entries.index(entry)
        entries = work.finish()
        return StepResult(work.freeze(), entries[index], entries)

    def advance(self, state: State, day: dt.date, close: bool = False) -> StepResult | None:
        """Move the clock to ``day`` (and close it if asked), firing what falls due.
        None when there is nothing to do (``day`` is past or already reached)."""
        if day < state.date or (day == state.date and (state.closed or not close)):
            return None
        work = Work(state)
        self.clock.advance(work, day)
        if close:
            self.clock.close_day(work)
        entries = work.finish()
        note = TraceEntry(
            seq=work.step,
            date=day,
            date_display=day.isoformat(),
            kind="skipped",
            summary="clock advanced",
        )
        return StepResult(work.freeze(), entries[-1] if entries else note, entries)

    def checkpoints(self, state: State) -> set[dt.date]:
        """Days on which something may happen without an event (due dates, window
        openings, cut-offs, dates in conditions): where ``advance`` stops on its way."""
        return self.clock.checkpoints(Work(state))

    def check(self, state: State, event: Event) -> list[str]:
        """Every reason the event would be blocked in ``state`` (empty: allowed)."""
        return self.acts.reasons(Work(state), event)

    def apply_effect(self, work: Work, event: Event, cause: str | None) -> TraceEntry:
        """Apply an event (or a rule's or consequence's effect) to a working state."""
        reasons = self.acts.reasons(work, event)
        if reasons:
            entry = work.event_entry("blocked", event, reasons=reasons, cause=cause)
            work.entries.append(entry)
            return entry
        index = len(work.entries)
        changes, notes = self.acts.mutate(work, event)
        entry = work.event_entry("event", event, changes, notes, cause=cause)
        work.entries.insert(index, entry)  # before what its consequences wrote
        if event.id is not None:
            self.clock.on_event(work, event.id)
        if cause is None:
            fired = self.settle(work)
            if fired:
                entry = entry.model_copy(update={"fired": tuple(fired)})
                work.entries[index] = entry
        return entry

    def guard_values(self, work: Work, document: str) -> list[bool]:
        """Truth values of the document lifecycle's transition guards, for the Machine."""
        doc = self.documents[document]
        view = self.view(work)
        return [cond.evaluate(n, view) for n in self.compiled.lifecycle_guards[doc.lifecycle]]

    def why_not_trigger(self, work: Work, doc_id: str, trigger: str) -> str:
        doc = self.documents[doc_id]
        lc = self.lifecycles[doc.lifecycle]
        current = work.documents[doc_id].state
        if trigger not in lc.triggers:
            return f"lifecycle {lc.spec.id} has no move {trigger!r}"
        if current in lc.absorbing:
            return f"{doc_id} is {current}, a final state"
        if (current, trigger) not in lc.table:
            allowed = sorted({s for (s, t) in lc.table if t == trigger})
            return f"{doc_id} is {current}; {trigger} needs it to be {' or '.join(allowed)}"
        view = self.view(work)
        guards = self.compiled.lifecycle_guards[doc.lifecycle]
        failing = [
            "; ".join(cond.explain(guards[i], view)) for i in lc.guard_indices(current, trigger)
        ]
        return f"{doc_id}: {trigger} is guarded: " + " / ".join(failing)

    # -- settling: deadlines met, windows anchored, reactive rules --------------------------------
    def settle(self, work: Work) -> list[str]:
        """Update deadlines and fire rules until nothing changes; ids of what fired."""
        fired: list[str] = []
        for _ in range(MAX_SETTLE_STEPS):
            changed = self.clock.update(work, fired)
            changed = self._fire_first_rule(work, fired) or changed
            if not changed:
                return fired
        raise RuleLoopError(
            f"reactive rules did not settle after {MAX_SETTLE_STEPS} steps on {work.date}; "
            f"last fired: {', '.join(fired[-6:])}",
            tuple(fired[-6:]),
            work.date,
        )

    def _fire_first_rule(self, work: Work, fired: list[str]) -> bool:
        """Evaluate every rule on the current state; fire the first (by priority, then
        declaration) whose condition has become true since it was last evaluated. Every
        other rule records the value it saw, except those also waiting to fire, which
        stay armed for the next step. So each rule sees every intermediate state."""
        view = self.view(work)
        chosen: Rule | None = None
        # a rule none of whose inputs changed in this step keeps its value, and at the
        # start of a step no rule is armed (settling ended with none): skip it
        touched = work.touched
        looked_at = None if touched is None else self.rule_index.affected(touched)
        for r in self.rule_order:
            if looked_at is not None and r.id not in looked_at:
                continue
            value = cond.evaluate(self.compiled.rules[r.id], view)
            rs = work.rules[r.id]
            armed = value and not rs.last and (r.mode == "each" or rs.fired == 0)
            if armed and chosen is None:
                chosen = r
            elif not armed and value != rs.last:
                work.rules[r.id] = rs.model_copy(update={"last": value})
        if chosen is None:
            return False
        rs = work.rules[chosen.id]
        work.rules[chosen.id] = RuleState(fired=rs.fired + 1, last=True)
        work.system(
            "rule",
            chosen.id,
            chosen.summary or f"rule {chosen.id}: {chosen.when}",
            reasons=(f"became true: {chosen.when}",),
            attribution=chosen.attribution,
            assumption=chosen.assumption,
        )
        for effect in chosen.then:
            self.apply_effect(work, effect, cause=chosen.id)
        fired.append(chosen.id)
        return True

    # -- runs ------------------------------------------------------------------------------------
    def branch(self, name: str) -> Branch:
        return self.program.branch(name)

    def timeline(self, branch: str | None = None) -> list[Event]:
        """The events of the base timeline or of a branch, in the engine's total order."""
        return self.program.timeline(branch)

    def horizon(self, branch: str | None = None) -> dt.date | None:
        """The last day a run covers (the branch's horizon overrides the scenario's)."""
        return self.program.horizon(branch)

    def run(self, branch: str | None = None, until: dt.date | None = None) -> Trace:
        """Run the base timeline (or a branch) to the horizon or ``until``, whichever is
        first, checking the expectations that belong to it."""
        limits = [d for d in (self.horizon(branch), until) if d is not None]
        stop = min(limits) if limits else None
        state = self.initial_state()
        start = state.date
        entries: list[TraceEntry] = []
        pending = sorted(
            (x for x in self.scenario.expect if x.branch == branch), key=lambda x: x.at.last_day
        )
        if stop is not None:
            pending = [x for x in pending if x.at.last_day <= stop]
        results: list[ExpectationResult] = []
        broken: dict[str, InvariantViolation] = {}

        def watch(st: State) -> None:
            for inv_id, node in self.compiled.invariants.items():
                if inv_id not in broken and not cond.evaluate(node, self.view(st)):
                    broken[inv_id] = InvariantViolation(
                        invariant=inv_id,
                        date=st.date,
                        seq=st.step,
                        condition=node.text,
                        reasons=tuple(self.explain(node, st)),
                    )

        def settle_expectations(before: dt.date, st: State) -> State:
            while pending and pending[0].at.last_day < before:
                x = pending.pop(0)
                step = self.advance(st, x.at.last_day, close=True)
                if step is not None:
                    st = step.state
                    entries.extend(step.entries)
                    watch(st)
                results.append(self._expectation(x, st))
            return st

        watch(state)

        # a run keeps every entry: where the process has paused the cyclic collector
        # (the CLI does; see runtime.collect), what survives is frozen every
        # RUN_GC_EVENTS events so that no later pass re-scans the growing trace
        for count, event in enumerate(self.timeline(branch), 1):
            day = event.date.sort_date if event.date else state.date
            if stop is not None and day > stop:
                entries.append(self._beyond(state, event))
                continue
            state = settle_expectations(day, state)
            step = self.apply(state, event)
            state = step.state
            entries.extend(step.entries)
            watch(state)
            if count % RUN_GC_EVENTS == 0:
                collect.checkpoint()
        end = stop if stop is not None else max([state.date] + [x.at.last_day for x in pending])
        state = settle_expectations(end + dt.timedelta(days=1), state)
        last = self.advance(state, end, close=True)
        if last is not None:
            state = last.state
            entries.extend(last.entries)
            watch(state)
        return Trace(
            scenario=self.scenario.id,
            branch=branch,
            start=start,
            horizon=stop,
            entries=tuple(entries),
            final=state,
            expectations=tuple(results),
            violations=tuple(broken.values()),
        )

    def _beyond(self, state: State, event: Event) -> TraceEntry:
        date = event.date.sort_date if event.date else state.date
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

    def _expectation(self, x: Expectation, state: State) -> ExpectationResult:
        node = self.parse(x.that)
        view = self.view(state)
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


__all__ = ["Engine", "StepResult", "doc_trigger"]
