"""What each event kind requires (``reasons``) and what it changes (``mutate``).

Private to the engine. Document events fire the lifecycle trigger of the same name on
the shared ``transitions`` Machine (the authority on legal moves); stance events fire
the position lifecycle; deadline events act on the deadline's runtime state.
"""

from __future__ import annotations

from negotiation import conditions as cond
from negotiation.model._base import construct
from negotiation.model.deadlines import LIVE_STATUSES, DeadlineStatus
from negotiation.model.documents import Document
from negotiation.model.events import (
    DOCUMENT_TRIGGERS,
    Accept,
    ClearFact,
    Commitment,
    Derive,
    DropDeadline,
    EnforceDeadline,
    Event,
    ExtendDeadline,
    Meet,
    Ratify,
    Reject,
    Revise,
    SetDeadline,
    SetFact,
    SetPoint,
    SetRelation,
    Sign,
    StatePosition,
    Supersede,
    Transition,
    WaiveDeadline,
)
from negotiation.model.parties import relation_key
from negotiation.model.positions import position_key
from negotiation.model.state import DocumentState, Extension, PositionState
from negotiation.model.trace import Change
from negotiation.runtime.clock import Clock
from negotiation.runtime.core import Core
from negotiation.runtime.work import View, Work

StanceEvent = Accept | Reject | StatePosition
DeadlineEvent = SetDeadline | ExtendDeadline | DropDeadline | EnforceDeadline | WaiveDeadline


def doc_trigger(event: Event) -> tuple[str, str] | None:
    """The (document, lifecycle trigger) an event fires, if it is a document event."""
    if isinstance(event, Transition):
        return event.document, event.trigger
    trigger = DOCUMENT_TRIGGERS.get(event.kind)
    document = getattr(event, "document", None)
    if trigger is not None and isinstance(document, str):
        return document, trigger
    return None


def meeting_notes(event: Meet) -> list[str]:
    """What a meeting's trace entry notes: who attended, who was absent, what was
    discussed (each only when the scenario says it)."""
    notes = []
    if event.attendees:
        notes.append(f"attended: {', '.join(event.attendees)}")
    if event.absent:
        notes.append(f"absent: {', '.join(event.absent)}")
    if event.documents:
        notes.append(f"discussed: {', '.join(event.documents)}")
    return notes


def stance_of(event: StanceEvent) -> str:
    if isinstance(event, Accept):
        return "accepts"
    if isinstance(event, Reject):
        return "rejects"
    return event.stance.value


def target_of(event: StanceEvent) -> str:
    return f"{event.document}.{event.point}" if event.point else event.document


class Acts:
    """Event semantics for one engine."""

    def __init__(self, engine: Core, clock: Clock) -> None:
        self.engine = engine
        self.clock = clock

    def view(self, work: Work) -> View:
        return self.engine.view(work)

    # -- reasons ------------------------------------------------------------------------
    def reasons(self, work: Work, event: Event) -> list[str]:
        """Every reason the event cannot happen now (empty: it can)."""
        found = doc_trigger(event)
        if found is not None:
            return self.document_reasons(work, event, *found)
        if isinstance(event, Accept | Reject | StatePosition):
            return self.stance_reasons(work, event)
        if isinstance(
            event, SetDeadline | ExtendDeadline | DropDeadline | EnforceDeadline | WaiveDeadline
        ):
            return self.deadline_reasons(work, event)
        if isinstance(event, Commitment):
            return [
                f"{d} is already {work.deadlines[d].status.value}"
                for d in event.opens
                if work.deadlines[d].status is not DeadlineStatus.inactive
            ]
        return []

    def document_reasons(self, work: Work, event: Event, doc_id: str, trigger: str) -> list[str]:
        engine = self.engine
        doc = engine.documents[doc_id]
        lifecycle = engine.lifecycles[doc.lifecycle]
        current = work.documents[doc_id].state
        reasons: list[str] = []
        if isinstance(event, Ratify) and doc.ratification_by:
            reasons += [
                f"{who} is not among {doc_id}'s ratifiers ({', '.join(doc.ratification_by)})"
                for who in event.by
                if who not in doc.ratification_by
            ]
        # a partial ratification is recorded without moving the document, but only
        # where the full one could happen
        if lifecycle.fire(current, trigger, engine.guard_values(work, doc_id)) is None:
            reasons.append(engine.why_not_trigger(work, doc_id, trigger))
        view = self.view(work)
        for triggers, node, text in engine.compiled.guards[doc_id]:
            if trigger in triggers and not cond.evaluate(node, view):
                detail = "; ".join(cond.explain(node, view))
                reasons.append(f"{doc_id} depends on: {text} ({detail})")
        if isinstance(event, Sign):
            reasons += self.sign_reasons(work, doc)
        if isinstance(event, Derive) and doc.derived_from not in (None, event.source):
            reasons.append(
                f"{doc_id} is declared as derived from {doc.derived_from}, not {event.source}"
            )
        return reasons

    def sign_reasons(self, work: Work, doc: Document) -> list[str]:
        if doc.requires_acceptance == "unknown":
            return []
        view = self.view(work)
        return [
            f"{party} has not accepted {doc.id} (stance: {view.stance(party, doc.id)})"
            for party in doc.requires_acceptance
            if view.stance(party, doc.id) != "accepts"
        ]

    def ratification_incomplete(self, work: Work, event: Ratify) -> bool:
        doc = self.engine.documents[event.document]
        if not doc.ratification_by:
            return False
        done = set(work.documents[doc.id].ratified_by) | set(event.by)
        return not set(doc.ratification_by) <= done

    def stance_reasons(self, work: Work, event: StanceEvent) -> list[str]:
        engine = self.engine
        doc = engine.documents[event.document]
        current = work.documents[doc.id].state
        reasons: list[str] = []
        if current in engine.lifecycles[doc.lifecycle].absorbing:
            reasons.append(f"{doc.id} is {current}: no stance can be taken on it any more")
        if not event.by:
            reasons.append(f"{event.kind} needs the party taking the stance in 'by'")
        target, trigger = target_of(event), stance_of(event)
        view = self.view(work)
        position_lifecycle = engine.lifecycles["position"]
        for party in event.by:
            stance = view.stance(party, target)
            if position_lifecycle.fire(stance, trigger) is None:
                reasons.append(f"{party}'s stance on {target} cannot go from {stance} to {trigger}")
        return reasons

    def deadline_reasons(self, work: Work, event: DeadlineEvent) -> list[str]:
        d_id = event.deadline
        ds = work.deadlines[d_id]
        spec = self.engine.deadlines[d_id]
        setter = spec.set_by
        reasons: list[str] = []
        acts_for_setter = setter in (None, "unknown") or not event.by or setter in event.by
        if not isinstance(event, SetDeadline) and not acts_for_setter:
            verb = event.kind.split("_")[0]
            reasons.append(f"only {setter}, who set {d_id}, can {verb} it")
        if isinstance(event, SetDeadline):
            if ds.status not in (DeadlineStatus.inactive, DeadlineStatus.dropped):
                reasons.append(f"{d_id} is already {ds.status.value}")
            if event.due is None and spec.due is None and spec.anchor is None:
                reasons.append(f"{d_id} has no due date: give one")
        elif isinstance(event, ExtendDeadline):
            if ds.status not in (*LIVE_STATUSES, DeadlineStatus.missed):
                reasons.append(
                    f"{d_id} is {ds.status.value}: only a pending or missed deadline can be "
                    "extended"
                )
            elif ds.due is not None and event.to.last_day <= ds.due:
                reasons.append(
                    f"extension to {event.to.last_day} is not after the current due date {ds.due}"
                )
        elif isinstance(event, DropDeadline):
            if ds.status not in (*LIVE_STATUSES, DeadlineStatus.missed):
                reasons.append(f"{d_id} is {ds.status.value}: nothing to drop")
        elif ds.status is not DeadlineStatus.missed:
            done = "enforced" if isinstance(event, EnforceDeadline) else "waived"
            reasons.append(f"{d_id} is {ds.status.value}: only a missed deadline can be {done}")
        elif isinstance(event, EnforceDeadline) and spec.consequence is None:
            reasons.append(f"{d_id} has no consequence to enforce")
        return reasons

    # -- mutations -----------------------------------------------------------------------
    def mutate(self, work: Work, event: Event) -> tuple[list[Change], list[str]]:
        """Apply an allowed event; return what changed and notes for the trace."""
        found = doc_trigger(event)
        if found is not None:
            return self.mutate_document(work, event, *found)
        if isinstance(event, Accept | Reject | StatePosition):
            return self.mutate_stance(work, event), []
        if isinstance(
            event, SetDeadline | ExtendDeadline | DropDeadline | EnforceDeadline | WaiveDeadline
        ):
            return self.mutate_deadline(work, event), []
        if isinstance(event, SetPoint):
            ds = work.documents[event.document]
            before = ds.points.get(event.point, "open")
            work.touch(f"doc:{event.document}")
            work.documents[event.document] = ds.model_copy(
                update={"points": {**ds.points, event.point: event.status.value}}
            )
            label = f"point {event.document}.{event.point}"
            return [Change(what=label, before=before, after=event.status.value)], []
        if isinstance(event, SetFact | ClearFact):
            return self.mutate_fact(work, event), []
        if isinstance(event, SetRelation):
            return self.mutate_relation(work, event), []
        if isinstance(event, Commitment):
            changes = []
            for d_id in event.opens:
                new = self.clock.activate(self.engine.deadlines[d_id], None)
                work.deadlines[d_id] = new
                work.touch(f"deadline:{d_id}")
                changes.append(
                    Change(what=f"deadline {d_id}", before="inactive", after=new.status.value)
                )
            return changes, []
        if isinstance(event, Meet):
            return [], meeting_notes(event)
        return [], []  # statement, request: recorded, change nothing

    def mutate_document(
        self, work: Work, event: Event, doc_id: str, trigger: str
    ) -> tuple[list[Change], list[str]]:
        engine = self.engine
        ds = work.documents[doc_id]
        doc = engine.documents[doc_id]
        changes: list[Change] = []
        notes: list[str] = []
        update: dict[str, object] = {}
        if isinstance(event, Sign):
            update["signed_by"] = tuple(dict.fromkeys((*ds.signed_by, *event.by)))
            if doc.requires_acceptance == "unknown":
                notes.append(
                    f"the parties whose acceptance {doc_id} requires are unknown: not checked"
                )
        partial = False
        if isinstance(event, Ratify):
            ratified = tuple(dict.fromkeys((*ds.ratified_by, *event.by)))
            update["ratified_by"] = ratified
            changes.append(
                Change(
                    what=f"document {doc_id} ratified by",
                    before=", ".join(ds.ratified_by) or None,
                    after=", ".join(ratified),
                )
            )
            partial = self.ratification_incomplete(work, event)
        if isinstance(event, Revise):
            if event.version is not None:
                update["version"] = event.version
            if event.points:
                for p, status in event.points.items():
                    before = ds.points.get(p, "open")
                    if before != status.value:  # a revision that keeps a status changes nothing
                        changes.append(
                            Change(what=f"point {doc_id}.{p}", before=before, after=status.value)
                        )
                update["points"] = {**ds.points, **{p: s.value for p, s in event.points.items()}}
        if isinstance(event, Supersede) and event.replacement:
            notes.append(f"replaced by {event.replacement}")
        if not partial:
            dest = engine.lifecycles[doc.lifecycle].fire(
                ds.state, trigger, engine.guard_values(work, doc_id)
            )
            if dest is None:  # pragma: no cover - reasons() ruled this out
                raise AssertionError(f"{trigger} not allowed from {ds.state}")
            if dest != ds.state:
                changes.insert(0, Change(what=f"document {doc_id}", before=ds.state, after=dest))
            update["state"] = dest
            if dest not in ds.visited:
                update["visited"] = (*ds.visited, dest)
        work.documents[doc_id] = construct(DocumentState, {**ds.__dict__, **update})
        work.touch(f"doc:{doc_id}")
        return changes, notes

    def mutate_stance(self, work: Work, event: StanceEvent) -> list[Change]:
        target, stance = target_of(event), stance_of(event)
        conditions = tuple(event.conditions) if isinstance(event, StatePosition) else ()
        changes = []
        for party in event.by:
            key = position_key(party, target)
            old = work.positions.get(key)
            before = old.stance if old else "unknown"
            work.touch(f"stance:{event.document}")
            work.positions[key] = PositionState(
                stance=stance, since=work.date, conditions=conditions
            )
            if before != stance:
                changes.append(
                    Change(what=f"position {party} on {target}", before=before, after=stance)
                )
        return changes

    def mutate_fact(self, work: Work, event: SetFact | ClearFact) -> list[Change]:
        holds = event.fact in work.facts
        if isinstance(event, SetFact) and not holds:
            work.facts[event.fact] = work.date
            work.touch(f"fact:{event.fact}")
            return [Change(what=f"fact {event.fact}", before="false", after="true")]
        if isinstance(event, ClearFact) and holds:
            del work.facts[event.fact]
            work.touch(f"fact:{event.fact}")
            return [Change(what=f"fact {event.fact}", before="true", after="false")]
        return []

    def mutate_relation(self, work: Work, event: SetRelation) -> list[Change]:
        key = relation_key(event.source, event.relation, event.target)
        label = f"relation {event.source} {event.relation.value} {event.target}"
        if event.active and key not in work.relations:
            work.relations[key] = work.date
            work.touch("rel")
            return [Change(what=label, before="no", after="yes")]
        if not event.active and key in work.relations:
            del work.relations[key]
            work.touch("rel")
            return [Change(what=label, before="yes", after="no")]
        return []

    def mutate_deadline(self, work: Work, event: DeadlineEvent) -> list[Change]:
        d_id = event.deadline
        ds = work.deadlines[d_id]
        spec = self.engine.deadlines[d_id]
        label = f"deadline {d_id}"
        work.touch(f"deadline:{d_id}")
        if isinstance(event, SetDeadline):
            new = self.clock.activate(spec, event.due)
            work.deadlines[d_id] = new
            return [Change(what=label, before=ds.status.value, after=new.status.value)]
        if isinstance(event, ExtendDeadline):
            to = event.to.last_day
            missed = ds.status is DeadlineStatus.missed
            record = Extension(
                on=work.date,
                by=tuple(event.by),
                from_due=ds.due,
                to_due=to,
                after_expiry=missed or (ds.due is not None and work.date > ds.due),
                event=event.id,
            )
            status = DeadlineStatus.pending if missed else ds.status
            work.deadlines[d_id] = ds.model_copy(
                update={
                    "due": to,
                    "status": status,
                    "resolved_on": None,
                    "extensions": (*ds.extensions, record),
                }
            )
            changes = [Change(what=f"{label} due", before=str(ds.due), after=str(to))]
            if status != ds.status:
                changes.append(Change(what=label, before=ds.status.value, after=status.value))
            return changes
        if isinstance(event, DropDeadline):
            if event.nonbinding:
                work.deadlines[d_id] = ds.model_copy(update={"binding": False})
                return [Change(what=f"{label} binding", before="yes", after="no")]
            work.deadlines[d_id] = ds.model_copy(
                update={"status": DeadlineStatus.dropped, "resolved_on": work.date}
            )
            return [Change(what=label, before=ds.status.value, after="dropped")]
        enforced = isinstance(event, EnforceDeadline)
        status = DeadlineStatus.enforced if enforced else DeadlineStatus.waived
        work.deadlines[d_id] = ds.model_copy(update={"status": status, "resolved_on": work.date})
        if enforced and spec.consequence is not None:
            for effect in spec.consequence.effects:
                self.engine.apply_effect(work, effect, cause=d_id)
        return [Change(what=label, before=ds.status.value, after=status.value)]
