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
27th closes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from . import conditions as cond
from .dates import FuzzyDate, add_days
from .deadlines import LIVE_STATUSES, Deadline, DeadlineKind, DeadlineStatus
from .documents import Document
from .errors import RuleLoopError, ScenarioError
from .events import DOCUMENT_TRIGGERS, Event
from .lifecycles import Lifecycle
from .parties import relation_key
from .positions import position_key
from .rules import Rule
from .scenario import Branch, Scenario
from .state import DeadlineState, DocumentState, Extension, PositionState, RuleState, State
from .trace import Change, ExpectationResult, Trace, TraceEntry
from .validate import check_scenario
from .vocabulary import ScenarioVocabulary

MAX_SETTLE_PASSES = 100
"""Rule passes within one settle before the engine reports a rule loop."""

_STANCE_TRIGGER = {"accept": "accepts", "reject": "rejects"}


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


class _Work:
    """A mutable copy of a State used while one step is computed."""

    def __init__(self, s: State) -> None:
        self.date = s.date
        self.closed = s.closed
        self.documents = dict(s.documents)
        self.positions = dict(s.positions)
        self.relations = dict(s.relations)
        self.facts = dict(s.facts)
        self.deadlines = dict(s.deadlines)
        self.rules = dict(s.rules)
        self.step = s.step
        self.entries: list[TraceEntry] = []

    def finish(self) -> tuple[TraceEntry, ...]:
        """Number the entries written in this step, in order, after the state's last."""
        base = self.step - len(self.entries)
        self.entries = [
            e.model_copy(update={"seq": base + i + 1}) for i, e in enumerate(self.entries)
        ]
        return tuple(self.entries)

    def freeze(self) -> State:
        return State.model_construct(
            date=self.date,
            closed=self.closed,
            documents=self.documents,
            positions=self.positions,
            relations=self.relations,
            facts=self.facts,
            deadlines=self.deadlines,
            rules=self.rules,
            step=self.step,
        )


class _View:
    """``conditions.Facts`` over a working state."""

    def __init__(self, engine: Engine, work: _Work | State) -> None:
        self.engine = engine
        self.work = work

    @property
    def today(self) -> dt.date:
        return self.work.date

    def document_state(self, document: str) -> str:
        return self.work.documents[document].state

    def document_visited(self, document: str) -> tuple[str, ...]:
        return self.work.documents[document].visited

    def point_status(self, document: str, point: str) -> str:
        return self.work.documents[document].points.get(point, "open")

    def stance(self, party: str, target: str) -> str:
        pos = self.work.positions.get(position_key(party, target))
        return pos.stance if pos is not None else "unknown"

    def relation(self, source: str, relation: str, target: str) -> bool:
        return relation_key(source, relation, target) in self.work.relations

    def fact_since(self, fact: str) -> dt.date | None | bool:
        if fact not in self.work.facts:
            return False
        return self.work.facts[fact]

    def deadline_status(self, deadline: str) -> str:
        return self.work.deadlines[deadline].status.value

    def signed_by(self, document: str) -> tuple[str, ...]:
        return self.work.documents[document].signed_by

    def ratified_by(self, document: str) -> tuple[str, ...]:
        return self.work.documents[document].ratified_by

    def required_parties(self, document: str) -> list[str] | None:
        req = self.engine.documents[document].requires_acceptance
        return None if req == "unknown" else list(req)


@dataclass
class _Compiled:
    """Conditions of the scenario, parsed once."""

    rules: dict[str, cond.Node] = field(default_factory=dict)
    requirements: dict[str, cond.Node] = field(default_factory=dict)
    anchors: dict[str, cond.Node] = field(default_factory=dict)
    extensions: dict[str, cond.Node] = field(default_factory=dict)
    guards: dict[str, list[tuple[tuple[str, ...], cond.Node, str]]] = field(default_factory=dict)
    lifecycle_guards: dict[str, list[cond.Node]] = field(default_factory=dict)


class Engine:
    """Runs one scenario. Build once; ``apply`` and ``run`` are pure functions of states."""

    def __init__(self, scenario: Scenario) -> None:
        problems = check_scenario(scenario)
        if problems:
            raise ScenarioError(problems)
        self.scenario = scenario
        self.vocabulary = ScenarioVocabulary(scenario)
        self.lifecycles = {k: Lifecycle(v) for k, v in self.vocabulary.lifecycle_specs.items()}
        self.documents: dict[str, Document] = {d.id: d for d in scenario.documents}
        self.deadlines: dict[str, Deadline] = {d.id: d for d in scenario.deadlines}
        self._deadline_order = sorted(
            scenario.deadlines, key=lambda d: (d.priority, scenario.deadlines.index(d))
        )
        self._rule_order: list[Rule] = sorted(
            scenario.rules, key=lambda r: (r.priority, scenario.rules.index(r))
        )
        self.setters = {d.id: d.set_by for d in scenario.deadlines}
        self.compiled = self._compile()

    # -- compilation -------------------------------------------------------------------
    def parse(self, text: str) -> cond.Node:
        """Parse a condition against this scenario's names."""
        return cond.parse(text, self.vocabulary)

    def _compile(self) -> _Compiled:
        c = _Compiled()
        for r in self.scenario.rules:
            c.rules[r.id] = self.parse(r.when)
        for d in self.scenario.deadlines:
            if d.requirement is not None:
                c.requirements[d.id] = self.parse(d.requirement)
            if d.anchor is not None and d.anchor.condition is not None:
                c.anchors[d.id] = self.parse(d.anchor.condition)
            if d.conditional_extension is not None:
                c.extensions[d.id] = self.parse(d.conditional_extension.condition)
        for doc in self.scenario.documents:
            c.guards[doc.id] = [
                (tuple(g.triggers), self.parse(g.condition), g.reason or g.condition)
                for g in doc.depends_on
            ]
        for lc_id, lc in self.lifecycles.items():
            c.lifecycle_guards[lc_id] = [self.parse(g) for g in lc.guards]
        return c

    # -- initial state -----------------------------------------------------------------
    def start_date(self) -> dt.date:
        if self.scenario.start is not None:
            return self.scenario.start.sort_date
        dates = [e.date.sort_date for e in self.scenario.timeline if e.date is not None]
        return min(dates) if dates else dt.date(2000, 1, 1)

    def initial_state(self, start: dt.date | None = None) -> State:
        """The state at the start of the scenario, before any event, rules settled."""
        day = start or self.start_date()
        docs = {}
        for d in self.scenario.documents:
            lc = self.lifecycles[d.lifecycle]
            initial = d.initial_state or lc.spec.initial
            points = {} if d.points == "unknown" else {p.id: p.status.value for p in d.points}
            docs[d.id] = DocumentState(
                state=initial, visited=(initial,), points=points, version=d.version
            )
        positions = {
            position_key(p.party, p.on): PositionState(
                stance=p.stance.value,
                since=p.since.sort_date if p.since else None,
                conditions=tuple(p.conditions),
            )
            for p in self.scenario.positions
        }
        relations = {
            r.key: (r.since.sort_date if r.since else None) for r in self.scenario.relations
        }
        facts = {
            f.id: (f.since.sort_date if f.since else None)
            for f in self.scenario.facts
            if f.initially
        }
        deadlines = {d.id: self._initial_deadline(d) for d in self.scenario.deadlines}
        rules = {r.id: RuleState() for r in self.scenario.rules}
        work = _Work(
            State(
                date=day,
                documents=docs,
                positions=positions,
                relations=relations,
                facts=facts,
                deadlines=deadlines,
                rules=rules,
            )
        )
        self._settle(work, cause=None)
        return work.freeze()

    def _initial_deadline(self, d: Deadline) -> DeadlineState:
        if not d.active:
            return DeadlineState(status=DeadlineStatus.inactive, binding=d.binding)
        return self._activate(d, d.due, d.binding)

    def _activate(self, d: Deadline, due: FuzzyDate | None, binding: bool) -> DeadlineState:
        if d.anchor is not None:
            if d.anchor.date is not None:
                return self._anchored(d, d.anchor.date.sort_date, binding)
            return DeadlineState(status=DeadlineStatus.waiting, binding=binding)
        return DeadlineState(
            status=DeadlineStatus.pending,
            due=due.last_day if due is not None else None,
            binding=binding,
        )

    def _anchored(self, d: Deadline, anchor: dt.date, binding: bool) -> DeadlineState:
        if d.kind is DeadlineKind.window:
            assert d.earliest_days is not None and d.latest_days is not None
            return DeadlineState(
                status=DeadlineStatus.pending,
                anchor=anchor,
                opens=add_days(anchor, d.earliest_days),
                due=add_days(anchor, d.latest_days),
                binding=binding,
            )
        assert d.within_days is not None
        return DeadlineState(
            status=DeadlineStatus.pending,
            anchor=anchor,
            due=add_days(anchor, d.within_days),
            binding=binding,
        )

    # -- evaluation --------------------------------------------------------------------
    def evaluate(self, condition: str | cond.Node, state: State) -> bool:
        node = self.parse(condition) if isinstance(condition, str) else condition
        return cond.evaluate(node, _View(self, state))

    def explain(self, condition: str | cond.Node, state: State) -> list[str]:
        node = self.parse(condition) if isinstance(condition, str) else condition
        return cond.explain(node, _View(self, state))

    # -- the public step -----------------------------------------------------------------
    def apply(self, state: State, event: Event) -> StepResult:
        """Advance the clock to the event's date, then apply the event.

        A blocked event changes nothing (beyond the clock advance) and its entry says
        why; the clock never goes back: an event dated before the state's date is
        blocked.
        """
        work = _Work(state)
        day = event.date.sort_date if event.date is not None else work.date
        if day < work.date:
            entry = self._entry(
                work,
                "blocked",
                event,
                reasons=(f"dated {day}, before the current date {work.date}",),
            )
            return StepResult(state, entry, (entry,))
        if day == work.date and work.closed:
            entry = self._entry(
                work, "blocked", event, reasons=(f"{day} has already been closed",)
            )
            return StepResult(state, entry, (entry,))
        self._advance(work, day)
        entry = self._apply_event(work, event, cause=None)
        index = work.entries.index(entry)
        entries = work.finish()
        return StepResult(work.freeze(), entries[index], entries)

    def advance(self, state: State, day: dt.date, close: bool = False) -> StepResult | None:
        """Move the clock to ``day`` (and close it if asked), firing what falls due."""
        if day < state.date or (day == state.date and (state.closed or not close)):
            return None
        work = _Work(state)
        self._advance(work, day)
        if close:
            self._close_day(work)
        entries = work.finish()
        marker = entries[-1] if entries else None
        if marker is None:
            return StepResult(work.freeze(), self._note(work, day), ())
        return StepResult(work.freeze(), marker, entries)

    def _note(self, work: _Work, day: dt.date) -> TraceEntry:
        return TraceEntry(
            seq=work.step, date=day, date_display=day.isoformat(), kind="skipped",
            summary="clock advanced",
        )

    def check(self, state: State, event: Event) -> list[str]:
        """Every reason the event would be blocked in ``state`` (empty: allowed)."""
        return self._reasons(_Work(state), event)

    # -- the clock -----------------------------------------------------------------------
    def _advance(self, work: _Work, target: dt.date) -> None:
        while work.date < target:
            if not work.closed:
                self._close_day(work)
            upcoming = [d for d in self._checkpoints(work) if work.date < d < target]
            self._arrive(work, min(upcoming) if upcoming else target)

    def _checkpoints(self, work: _Work) -> set[dt.date]:
        out: set[dt.date] = set()
        for d_id, ds in work.deadlines.items():
            if ds.status in LIVE_STATUSES:
                if ds.due is not None:
                    out.add(ds.due)
                if ds.opens is not None:
                    out.add(ds.opens)
                spec = self.deadlines[d_id]
                ext = spec.conditional_extension
                if ext is not None and not ds.cutoff_done:
                    out.add(ext.cutoff.last_day)
        view = _View(self, work)
        nodes: Iterable[cond.Node] = (
            list(self.compiled.rules.values())
            + list(self.compiled.anchors.values())
            + list(self.compiled.requirements.values())
        )
        for node in nodes:
            out |= cond.wake_dates(node, view)
        return out

    def _arrive(self, work: _Work, day: dt.date) -> None:
        work.date = day
        work.closed = False
        for d in self._deadline_order:
            ds = work.deadlines[d.id]
            if ds.status is DeadlineStatus.pending and ds.opens is not None and ds.opens <= day:
                work.deadlines[d.id] = ds.model_copy(update={"status": DeadlineStatus.open})
                self._system(
                    work, "window", d.id, f"window {d.id} opens (closes {ds.due})",
                    [Change(what=f"deadline {d.id}", before="pending", after="open")],
                )
        self._settle(work, cause=None)

    def _close_day(self, work: _Work) -> None:
        day = work.date
        for d in self._deadline_order:
            ds = work.deadlines[d.id]
            ext = d.conditional_extension
            if (
                ext is not None
                and not ds.cutoff_done
                and ds.status in LIVE_STATUSES
                and ext.cutoff.last_day == day
            ):
                ok = cond.evaluate(self.compiled.extensions[d.id], _View(self, work))
                if ok:
                    new_due = ext.extended_due.last_day
                    record = Extension(
                        on=day, by=(str(d.set_by),) if d.set_by else (), from_due=ds.due,
                        to_due=new_due, conditional=True,
                    )
                    work.deadlines[d.id] = ds.model_copy(
                        update={"due": new_due, "cutoff_done": True,
                                "extensions": (*ds.extensions, record)}
                    )
                    self._system(
                        work, "extension", d.id,
                        f"{d.id}: condition held at the cut-off, due date moves to {new_due}",
                        [Change(what=f"deadline {d.id} due", before=str(ds.due),
                                after=str(new_due))],
                    )
                else:
                    work.deadlines[d.id] = ds.model_copy(update={"cutoff_done": True})
                    reasons = tuple(cond.explain(self.compiled.extensions[d.id],
                                                 _View(self, work)))
                    self._system(
                        work, "extension", d.id,
                        f"{d.id}: condition did not hold at the cut-off; due date stays {ds.due}",
                        [], reasons=reasons,
                    )
        for d in self._deadline_order:
            ds = work.deadlines[d.id]
            if ds.status in (DeadlineStatus.pending, DeadlineStatus.open) and ds.due == day:
                self._expire(work, d, ds)
        work.closed = True
        self._settle(work, cause=None)

    def _expire(self, work: _Work, d: Deadline, ds: DeadlineState) -> None:
        if d.kind is not DeadlineKind.sunset and d.id in self.compiled.requirements:
            node = self.compiled.requirements[d.id]
            view = _View(self, work)
            if cond.evaluate(node, view):
                self._resolve(work, d, ds, DeadlineStatus.met, "requirement met on the due day")
                return
            reasons = tuple(cond.explain(node, view))
        else:
            reasons = ()
        if not ds.binding:
            self._resolve(work, d, ds, DeadlineStatus.missed,
                          "passed unmet; non-binding, so no consequence", reasons)
            return
        consequence = d.consequence
        if d.kind is DeadlineKind.sunset or (
            consequence is not None and consequence.mode == "automatic"
        ):
            self._resolve(work, d, ds, DeadlineStatus.expired,
                          "passed: consequence applied automatically" if consequence
                          else "passed", reasons)
            if consequence is not None:
                for effect in consequence.effects:
                    self._apply_event(work, effect, cause=d.id)
            return
        if d.kind is DeadlineKind.option:
            self._resolve(work, d, ds, DeadlineStatus.expired, "option lapsed unexercised",
                          reasons)
            return
        note = (
            "missed: consequence threatened; the setter may enforce, waive or extend it"
            if consequence is not None
            else "missed"
        )
        self._resolve(work, d, ds, DeadlineStatus.missed, note, reasons)

    def _resolve(
        self,
        work: _Work,
        d: Deadline,
        ds: DeadlineState,
        status: DeadlineStatus,
        note: str,
        reasons: Sequence[str] = (),
    ) -> None:
        work.deadlines[d.id] = ds.model_copy(update={"status": status, "resolved_on": work.date})
        self._system(
            work, "deadline", d.id, f"deadline {d.id} {status.value}: {note}",
            [Change(what=f"deadline {d.id}", before=ds.status.value, after=status.value)],
            reasons=tuple(reasons),
        )

    # -- settling: deadlines met, windows anchored, reactive rules -------------------------
    def _settle(self, work: _Work, cause: str | None) -> list[str]:
        fired: list[str] = []
        for _ in range(MAX_SETTLE_PASSES):
            changed = self._update_deadlines(work, fired)
            changed = self._run_rules(work, fired) or changed
            if not changed:
                return fired
        raise RuleLoopError(
            f"reactive rules did not settle after {MAX_SETTLE_PASSES} passes on {work.date}; "
            f"last fired: {', '.join(fired[-5:])}"
        )

    def _update_deadlines(self, work: _Work, fired: list[str]) -> bool:
        changed = False
        view = _View(self, work)
        for d in self._deadline_order:
            ds = work.deadlines[d.id]
            if ds.status is DeadlineStatus.waiting:
                if cond.evaluate(self.compiled.anchors[d.id], view):
                    new = self._anchored(d, work.date, ds.binding)
                    work.deadlines[d.id] = new
                    what = "window" if d.kind is DeadlineKind.window else "deadline"
                    span = (f"opens {new.opens}, closes {new.due}" if new.opens
                            else f"due {new.due}")
                    self._system(
                        work, "window", d.id, f"{what} {d.id} anchored on {work.date}: {span}",
                        [Change(what=f"deadline {d.id}", before="waiting", after="pending")],
                    )
                    fired.append(d.id)
                    changed = True
                    ds = new
                    if ds.opens is not None and ds.opens <= work.date:
                        work.deadlines[d.id] = ds = ds.model_copy(
                            update={"status": DeadlineStatus.open}
                        )
            if (
                ds.status in (DeadlineStatus.pending, DeadlineStatus.open)
                and d.ends_early
                and d.id in self.compiled.requirements
                and cond.evaluate(self.compiled.requirements[d.id], view)
            ):
                early = d.kind is DeadlineKind.window and ds.status is DeadlineStatus.pending
                if early:
                    self._resolve(work, d, ds, DeadlineStatus.early,
                                  f"requirement met before the window opened ({ds.opens})")
                else:
                    self._resolve(work, d, ds, DeadlineStatus.met, "requirement met")
                fired.append(d.id)
                changed = True
        return changed

    def _run_rules(self, work: _Work, fired: list[str]) -> bool:
        changed = False
        for r in self._rule_order:
            value = cond.evaluate(self.compiled.rules[r.id], _View(self, work))
            rs = work.rules[r.id]
            if value and not rs.last and (r.mode == "each" or rs.fired == 0):
                work.rules[r.id] = RuleState(fired=rs.fired + 1, last=True)
                self._system(
                    work, "rule", r.id, r.summary or f"rule {r.id}: {r.when}", [],
                    reasons=(f"became true: {r.when}",), assumption=r.assumption,
                )
                for effect in r.then:
                    self._apply_event(work, effect, cause=r.id)
                fired.append(r.id)
                changed = True
            elif value != rs.last:
                work.rules[r.id] = rs.model_copy(update={"last": value})
        return changed

    # -- entries -------------------------------------------------------------------------
    def _system(
        self,
        work: _Work,
        kind: str,
        ref: str,
        summary: str,
        changes: list[Change],
        reasons: tuple[str, ...] = (),
        assumption: str | None = None,
    ) -> None:
        work.step += 1
        spec = self.deadlines.get(ref)
        work.entries.append(
            TraceEntry(
                seq=work.step,
                date=work.date,
                date_display=work.date.isoformat(),
                kind=kind,  # type: ignore[arg-type]
                ref=ref,
                summary=summary,
                changes=tuple(changes),
                reasons=reasons,
                attribution=spec.attribution if spec is not None else None,
                assumption=assumption or (spec.assumption if spec is not None else None),
            )
        )

    def _entry(
        self,
        work: _Work,
        kind: str,
        event: Event,
        changes: Sequence[Change] = (),
        reasons: Sequence[str] = (),
        fired: Sequence[str] = (),
        cause: str | None = None,
    ) -> TraceEntry:
        work.step += 1
        date_display = event.date.display() if event.date is not None else work.date.isoformat()
        return TraceEntry(
            seq=work.step,
            date=work.date,
            date_display=date_display,
            kind=kind,  # type: ignore[arg-type]
            ref=event.id,
            event_kind=event.kind,
            summary=event.summary or describe(event),
            by=tuple(event.by),
            attribution=event.attribution,
            assumption=event.assumption,
            changes=tuple(changes),
            reasons=tuple(reasons),
            fired=tuple(fired),
            cause=cause,
        )

    # -- events ----------------------------------------------------------------------------
    def _apply_event(self, work: _Work, event: Event, cause: str | None) -> TraceEntry:
        reasons = self._reasons(work, event)
        if reasons:
            entry = self._entry(work, "blocked", event, reasons=reasons, cause=cause)
            work.entries.append(entry)
            return entry
        index = len(work.entries)
        changes, notes = self._mutate(work, event)
        entry = self._entry(work, "event", event, changes, notes, cause=cause)
        work.entries.insert(index, entry)  # before what its consequences wrote
        if cause is None:
            fired = self._settle(work, cause=event.id)
            if fired:
                entry = entry.model_copy(update={"fired": tuple(fired)})
                work.entries[index] = entry
        return entry

    def _doc_trigger(self, event: Event) -> tuple[str, str] | None:
        if event.kind in DOCUMENT_TRIGGERS:
            return event.document, DOCUMENT_TRIGGERS[event.kind]  # type: ignore[union-attr]
        if event.kind == "transition":
            return event.document, event.trigger
        return None

    def _guard_values(self, work: _Work, document: str) -> list[bool]:
        doc = self.documents[document]
        view = _View(self, work)
        return [cond.evaluate(n, view) for n in self.compiled.lifecycle_guards[doc.lifecycle]]

    def _reasons(self, work: _Work, event: Event) -> list[str]:  # noqa: C901, PLR0915
        reasons: list[str] = []
        view = _View(self, work)
        doc_trigger = self._doc_trigger(event)
        if doc_trigger is not None:
            doc_id, trigger = doc_trigger
            doc = self.documents[doc_id]
            lc = self.lifecycles[doc.lifecycle]
            current = work.documents[doc_id].state
            ratify_pending = event.kind == "ratify" and self._ratification_incomplete(work, event)
            if event.kind == "ratify" and doc.ratification_by:
                for who in event.by:
                    if who not in doc.ratification_by:
                        reasons.append(f"{who} is not among {doc_id}'s ratifiers "
                                       f"({', '.join(doc.ratification_by)})")
            if ratify_pending:
                if current != "signed" and lc.fire(current, trigger,
                                                   self._guard_values(work, doc_id)) is None:
                    reasons.append(f"{doc_id} is {current}: it cannot be ratified from there")
            elif lc.fire(current, trigger, self._guard_values(work, doc_id)) is None:
                reasons.append(self._why_not_trigger(work, doc_id, trigger))
            for triggers, node, text in self.compiled.guards[doc_id]:
                if trigger in triggers and not cond.evaluate(node, view):
                    detail = "; ".join(cond.explain(node, view))
                    reasons.append(f"{doc_id} depends on: {text} ({detail})")
            if event.kind == "sign":
                reasons += self._sign_reasons(work, doc)
            if event.kind == "derive" and doc.derived_from not in (None, event.source):
                reasons.append(f"{doc_id} is declared as derived from {doc.derived_from}, "
                               f"not {event.source}")
        elif event.kind in ("accept", "reject", "state_position"):
            doc = self.documents[event.document]
            current = work.documents[doc.id].state
            if current in self.lifecycles[doc.lifecycle].absorbing:
                reasons.append(f"{doc.id} is {current}: no stance can be taken on it any more")
            position_lc = self.lifecycles["position"]
            target = f"{doc.id}.{event.point}" if event.point else doc.id
            trigger = (event.stance.value if event.kind == "state_position"
                       else _STANCE_TRIGGER[event.kind])
            if not event.by:
                reasons.append(f"{event.kind} needs the party taking the stance in 'by'")
            for party in event.by:
                stance = view.stance(party, target)
                if position_lc.fire(stance, trigger) is None:
                    reasons.append(f"{party}'s stance on {target} cannot go from {stance} "
                                   f"to {trigger}")
        elif event.kind in ("extend_deadline", "drop_deadline", "enforce_deadline",
                            "waive_deadline", "set_deadline"):
            reasons += self._deadline_reasons(work, event)
        elif event.kind == "commitment":
            for d_id in event.opens:
                status = work.deadlines[d_id].status
                if status not in (DeadlineStatus.inactive,):
                    reasons.append(f"{d_id} is already {status.value}")
        return reasons

    def _why_not_trigger(self, work: _Work, doc_id: str, trigger: str) -> str:
        doc = self.documents[doc_id]
        lc = self.lifecycles[doc.lifecycle]
        current = work.documents[doc_id].state
        if trigger not in lc.triggers:
            return f"lifecycle {lc.spec.id} has no move {trigger!r}"
        if current in lc.absorbing:
            return f"{doc_id} is {current}, a final state"
        if (current, trigger) not in lc.table:
            allowed = [s for (s, t) in lc.table if t == trigger]
            return f"{doc_id} is {current}; {trigger} needs it to be {' or '.join(allowed)}"
        view = _View(self, work)
        failing = [
            "; ".join(cond.explain(lc_guard, view))
            for i, lc_guard in enumerate(self.compiled.lifecycle_guards[doc.lifecycle])
            if i in lc.guard_indices(current, trigger)
        ]
        return f"{doc_id}: {trigger} is guarded: " + " / ".join(failing)

    def _sign_reasons(self, work: _Work, doc: Document) -> list[str]:
        if doc.requires_acceptance == "unknown":
            return []
        view = _View(self, work)
        return [
            f"{party} has not accepted {doc.id} (stance: {view.stance(party, doc.id)})"
            for party in doc.requires_acceptance
            if view.stance(party, doc.id) != "accepts"
        ]

    def _ratification_incomplete(self, work: _Work, event: Event) -> bool:
        doc = self.documents[event.document]  # type: ignore[union-attr]
        if not doc.ratification_by:
            return False
        done = set(work.documents[doc.id].ratified_by) | set(event.by)
        return not set(doc.ratification_by) <= done

    def _deadline_reasons(self, work: _Work, event: Event) -> list[str]:
        d_id: str = event.deadline  # type: ignore[union-attr]
        ds = work.deadlines[d_id]
        setter = self.setters[d_id]
        reasons: list[str] = []
        if (
            event.kind != "set_deadline"
            and setter not in (None, "unknown")
            and event.by
            and setter not in event.by
        ):
            reasons.append(f"only {setter}, who set {d_id}, can {event.kind.split('_')[0]} it")
        if event.kind == "set_deadline":
            if ds.status not in (DeadlineStatus.inactive, DeadlineStatus.dropped):
                reasons.append(f"{d_id} is already {ds.status.value}")
            if event.due is None and self.deadlines[d_id].due is None and (
                self.deadlines[d_id].anchor is None
            ):
                reasons.append(f"{d_id} has no due date: give one")
        elif event.kind == "extend_deadline":
            if ds.status not in (*LIVE_STATUSES, DeadlineStatus.missed):
                reasons.append(f"{d_id} is {ds.status.value}: only a pending or missed "
                               "deadline can be extended")
            elif ds.due is not None and event.to.last_day <= ds.due:
                reasons.append(f"extension to {event.to.last_day} is not after the current "
                               f"due date {ds.due}")
        elif event.kind == "drop_deadline":
            if ds.status not in (*LIVE_STATUSES, DeadlineStatus.missed):
                reasons.append(f"{d_id} is {ds.status.value}: nothing to drop")
        elif ds.status is not DeadlineStatus.missed:
            reasons.append(f"{d_id} is {ds.status.value}: only a missed deadline can be "
                           f"{'enforced' if event.kind == 'enforce_deadline' else 'waived'}")
        elif event.kind == "enforce_deadline" and self.deadlines[d_id].consequence is None:
            reasons.append(f"{d_id} has no consequence to enforce")
        return reasons

    def _mutate(self, work: _Work, event: Event) -> tuple[list[Change], list[str]]:  # noqa: C901, PLR0912, PLR0915
        changes: list[Change] = []
        notes: list[str] = []
        kind = event.kind
        doc_trigger = self._doc_trigger(event)
        if doc_trigger is not None:
            doc_id, trigger = doc_trigger
            ds = work.documents[doc_id]
            doc = self.documents[doc_id]
            update: dict[str, object] = {}
            if kind == "sign":
                update["signed_by"] = tuple(dict.fromkeys((*ds.signed_by, *event.by)))
                if doc.requires_acceptance == "unknown":
                    notes.append(f"the parties whose acceptance {doc_id} requires are unknown: "
                                 "not checked")
            if kind == "ratify":
                update["ratified_by"] = tuple(dict.fromkeys((*ds.ratified_by, *event.by)))
                changes.append(Change(what=f"document {doc_id} ratified by",
                                      before=", ".join(ds.ratified_by) or None,
                                      after=", ".join(update["ratified_by"])))  # type: ignore[arg-type]
            if kind == "revise":
                if event.version is not None:
                    update["version"] = event.version
                if event.points:
                    points = dict(ds.points)
                    for p, status in event.points.items():
                        changes.append(Change(what=f"point {doc_id}.{p}", before=points.get(p),
                                              after=status.value))
                        points[p] = status.value
                    update["points"] = points
            advance = not (kind == "ratify" and self._ratification_incomplete(work, event))
            if advance:
                dest = self.lifecycles[doc.lifecycle].fire(
                    ds.state, trigger, self._guard_values(work, doc_id)
                )
                assert dest is not None
                if dest != ds.state:
                    changes.insert(0, Change(what=f"document {doc_id}", before=ds.state,
                                             after=dest))
                update["state"] = dest
                if dest not in ds.visited:
                    update["visited"] = (*ds.visited, dest)
            work.documents[doc_id] = ds.model_copy(update=update)
            if kind == "supersede" and event.replacement:
                notes.append(f"replaced by {event.replacement}")
        elif kind in ("accept", "reject", "state_position"):
            target = f"{event.document}.{event.point}" if event.point else event.document
            stance = (event.stance.value if kind == "state_position"
                      else _STANCE_TRIGGER[kind])
            for party in event.by:
                key = position_key(party, target)
                old = work.positions.get(key)
                before = old.stance if old else "unknown"
                conditions = tuple(getattr(event, "conditions", ()))
                work.positions[key] = PositionState(stance=stance, since=work.date,
                                                    conditions=conditions)
                if before != stance:
                    changes.append(Change(what=f"position {party} on {target}", before=before,
                                          after=stance))
        elif kind == "set_point":
            ds = work.documents[event.document]
            points = dict(ds.points)
            changes.append(Change(what=f"point {event.document}.{event.point}",
                                  before=points.get(event.point, "open"),
                                  after=event.status.value))
            points[event.point] = event.status.value
            work.documents[event.document] = ds.model_copy(update={"points": points})
        elif kind == "set_fact":
            if event.fact not in work.facts:
                work.facts[event.fact] = work.date
                changes.append(Change(what=f"fact {event.fact}", before="false", after="true"))
        elif kind == "clear_fact":
            if event.fact in work.facts:
                del work.facts[event.fact]
                changes.append(Change(what=f"fact {event.fact}", before="true", after="false"))
        elif kind == "set_relation":
            key = relation_key(event.source, event.relation, event.target)
            label = f"relation {event.source} {event.relation.value} {event.target}"
            if event.active and key not in work.relations:
                work.relations[key] = work.date
                changes.append(Change(what=label, before="no", after="yes"))
            elif not event.active and key in work.relations:
                del work.relations[key]
                changes.append(Change(what=label, before="yes", after="no"))
        elif kind == "commitment":
            for d_id in event.opens:
                spec = self.deadlines[d_id]
                new = self._activate(spec, spec.due, spec.binding)
                work.deadlines[d_id] = new
                changes.append(Change(what=f"deadline {d_id}", before="inactive",
                                      after=new.status.value))
        elif kind in ("set_deadline", "extend_deadline", "drop_deadline", "enforce_deadline",
                      "waive_deadline"):
            changes += self._mutate_deadline(work, event)
        return changes, notes

    def _mutate_deadline(self, work: _Work, event: Event) -> list[Change]:
        d_id: str = event.deadline  # type: ignore[union-attr]
        ds = work.deadlines[d_id]
        spec = self.deadlines[d_id]
        label = f"deadline {d_id}"
        if event.kind == "set_deadline":
            new = self._activate(spec, event.due or spec.due, spec.binding)
            work.deadlines[d_id] = new
            return [Change(what=label, before=ds.status.value, after=new.status.value)]
        if event.kind == "extend_deadline":
            to = event.to.last_day
            record = Extension(
                on=work.date, by=tuple(event.by), from_due=ds.due, to_due=to,
                after_expiry=ds.status is DeadlineStatus.missed or (
                    ds.due is not None and work.date > ds.due),
                event=event.id,
            )
            status = DeadlineStatus.pending if ds.status is DeadlineStatus.missed else ds.status
            work.deadlines[d_id] = ds.model_copy(update={
                "due": to, "status": status, "resolved_on": None,
                "extensions": (*ds.extensions, record),
            })
            out = [Change(what=f"{label} due", before=str(ds.due), after=str(to))]
            if status != ds.status:
                out.append(Change(what=label, before=ds.status.value, after=status.value))
            return out
        if event.kind == "drop_deadline":
            if event.nonbinding:
                work.deadlines[d_id] = ds.model_copy(update={"binding": False})
                return [Change(what=f"{label} binding", before="yes", after="no")]
            work.deadlines[d_id] = ds.model_copy(update={"status": DeadlineStatus.dropped,
                                                         "resolved_on": work.date})
            return [Change(what=label, before=ds.status.value, after="dropped")]
        status = (DeadlineStatus.enforced if event.kind == "enforce_deadline"
                  else DeadlineStatus.waived)
        work.deadlines[d_id] = ds.model_copy(update={"status": status, "resolved_on": work.date})
        out = [Change(what=label, before=ds.status.value, after=status.value)]
        if status is DeadlineStatus.enforced and spec.consequence is not None:
            for effect in spec.consequence.effects:
                self._apply_event(work, effect, cause=d_id)
        return out

    # -- runs ------------------------------------------------------------------------------
    def timeline(self, branch: str | None = None) -> list[Event]:
        """The events of the base timeline or of a branch, in the engine's total order."""
        events = list(self.scenario.timeline)
        if branch is not None:
            b = self.branch(branch)
            if b.after is not None:
                cut = b.after.sort_date
                events = [e for e in events if e.date is not None and e.date.sort_date <= cut]
            removed = set(b.remove)
            events = [e for e in events if e.id not in removed] + list(b.add)
        order = {id(e): i for i, e in enumerate(events)}
        return sorted(
            events,
            key=lambda e: (e.date.sort_date if e.date else dt.date.min, e.priority, order[id(e)]),
        )

    def branch(self, name: str) -> Branch:
        for b in self.scenario.branches:
            if b.id == name:
                return b
        known = ", ".join(b.id for b in self.scenario.branches) or "none"
        raise ScenarioError.single(f"unknown branch {name!r} (branches: {known})")

    def horizon(self, branch: str | None = None) -> dt.date | None:
        if branch is not None and self.branch(branch).horizon is not None:
            h = self.branch(branch).horizon
            return h.last_day if h else None
        return self.scenario.horizon.last_day if self.scenario.horizon else None

    def run(self, branch: str | None = None, until: dt.date | None = None) -> Trace:
        """Run the base timeline (or a branch) up to the horizon or ``until``."""
        horizon = self.horizon(branch)
        stop = min(d for d in (horizon, until) if d is not None) if (horizon or until) else None
        state = self.initial_state()
        start = state.date
        entries: list[TraceEntry] = []
        expectations = sorted(
            (x for x in self.scenario.expect if x.branch == branch),
            key=lambda x: x.at.last_day,
        )
        results: list[ExpectationResult] = []
        pending_x = list(expectations)

        def check_until(day: dt.date, st: State) -> State:
            while pending_x and pending_x[0].at.last_day < day:
                x = pending_x.pop(0)
                if stop is not None and x.at.last_day > stop:
                    continue
                step = self.advance(st, x.at.last_day, close=True)
                if step is not None:
                    st = step.state
                    entries.extend(step.entries)
                results.append(self._expectation(x, st))
            return st

        for event in self.timeline(branch):
            day = event.date.sort_date if event.date else state.date
            if stop is not None and day > stop:
                entries.append(self._beyond(state, event, len(entries)))
                continue
            state = check_until(day, state)
            step = self.apply(state, event)
            state = step.state
            entries.extend(step.entries)
        end = stop
        if end is None:
            end = max([state.date] + [x.at.last_day for x in pending_x])
        state = check_until(end + dt.timedelta(days=1), state)
        step = self.advance(state, end, close=True)
        if step is not None:
            state = step.state
            entries.extend(step.entries)
        return Trace(
            scenario=self.scenario.id,
            branch=branch,
            start=start,
            horizon=stop,
            entries=tuple(entries),
            final=state,
            expectations=tuple(results),
        )

    def _beyond(self, state: State, event: Event, index: int) -> TraceEntry:
        assert event.date is not None
        return TraceEntry(
            seq=state.step + index + 1, date=event.date.sort_date,
            date_display=event.date.display(), kind="beyond_horizon", ref=event.id,
            event_kind=event.kind, summary=event.summary or describe(event),
            by=tuple(event.by), attribution=event.attribution,
            reasons=("after the horizon: not run",),
        )

    def _expectation(self, x: object, state: State) -> ExpectationResult:
        from .scenario import Expectation

        assert isinstance(x, Expectation)
        node = self.parse(x.that)
        ok = cond.evaluate(node, _View(self, state))
        return ExpectationResult(
            at=x.at.last_day, that=x.that, ok=ok, summary=x.summary,
            reasons=tuple(cond.explain(node, _View(self, state))),
        )

    def assumptions(self) -> list[tuple[str, str]]:
        """Every labelled assumption: (where, what)."""
        return list_assumptions(self.scenario)


def describe(event: Event) -> str:
    """A plain one-line description of an event, for trace lines without a summary."""
    who = ", ".join(event.by) or "someone"
    target = getattr(event, "document", None) or getattr(event, "deadline", None) or getattr(
        event, "fact", None
    )
    verb = event.kind.replace("_", " ")
    if event.kind == "set_relation":
        state = "starts" if event.active else "ends"
        return f"relation {event.source} {event.relation.value} {event.target} {state}"
    if event.kind == "state_position":
        return f"{who}: {event.stance.value} on {target}"
    if event.kind == "extend_deadline":
        return f"{who} extends {target} to {event.to.display()}"
    if event.kind == "meet":
        return f"meeting of {', '.join(event.attendees) or who}"
    return f"{who}: {verb} {target}" if target else f"{who}: {verb}"


def list_assumptions(scenario: Scenario) -> list[tuple[str, str]]:
    """Every ``assumption`` in a scenario, with where it stands."""
    out: list[tuple[str, str]] = [("scenario", a) for a in scenario.assumptions]

    def visit(where: str, obj: object) -> None:
        text = getattr(obj, "assumption", None)
        if isinstance(text, str):
            out.append((where, text))

    for d in scenario.documents:
        for g in d.depends_on:
            visit(f"document {d.id} guard", g)
    for lc in scenario.lifecycles:
        for t in lc.transitions:
            visit(f"lifecycle {lc.id} {t.trigger}", t)
    for p in scenario.positions:
        visit(f"position {p.party} on {p.on}", p)
    for r in scenario.relations:
        visit(f"relation {r.key}", r)
    for f in scenario.facts:
        visit(f"fact {f.id}", f)
    for dl in scenario.deadlines:
        visit(f"deadline {dl.id}", dl)
    for rule in scenario.rules:
        visit(f"rule {rule.id}", rule)
    for i, e in enumerate(scenario.timeline):
        visit(f"event {e.id or i}", e)
    for b in scenario.branches:
        visit(f"branch {b.id}", b)
        if b.probability is not None and b.assumption is None:
            out.append((f"branch {b.id}", f"probability {b.probability} (assumed)"))
        for e in b.add:
            visit(f"branch {b.id} event {e.id}", e)
    return out
