"""What a run records beside the tuple state: its history and its trace entries.

The tuple state carries what the semantics read. A run that a user or a renderer looks
at also needs what no rule reads: the step counter, version labels, the days stances
and relations were taken, the conditions of a stance, each deadline's anchor, extension
history and resolution day, and how often each rule fired. ``History`` holds these;
a ``Recorder`` holds a history and the trace entries written since it was made. The
search passes no recorder, and so pays for none of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from negotiation.model._base import construct
from negotiation.model.attribution import Attribution
from negotiation.model.events import Event, describe
from negotiation.model.state import Extension
from negotiation.model.trace import Change, EntryKind, TraceEntry


@dataclass
class DeadlineHistory:
    """What a deadline's slot does not carry."""

    anchor: dt.date | None = None
    extensions: tuple[Extension, ...] = ()
    resolved_on: dt.date | None = None


@dataclass
class History:
    """Everything of a ``State`` that the tuple state does not carry."""

    step: int = 0
    versions: dict[str, str | None] = field(default_factory=dict)
    positions: dict[str, tuple[dt.date | None, tuple[str, ...]]] = field(default_factory=dict)
    """since-day and conditions of each recorded position"""
    relations: dict[str, dt.date | None] = field(default_factory=dict)
    """since-day of each relation that holds"""
    deadlines: dict[str, DeadlineHistory] = field(default_factory=dict)
    fired: dict[str, int] = field(default_factory=dict)
    """how often each rule fired"""
    shared: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)
    """one copy of each equal value the trace entries hold (strings, tuples, changes),
    shared by the copies of this history: a long run repeats the same few thousand
    (a 100k-event run kept ~40 MB of duplicates otherwise)"""

    def copy(self) -> History:
        return History(
            self.step,
            dict(self.versions),
            dict(self.positions),
            dict(self.relations),
            {k: DeadlineHistory(v.anchor, v.extensions, v.resolved_on)
             for k, v in self.deadlines.items()},
            dict(self.fired),
            self.shared,
        )

    def one(self, value: Any) -> Any:
        """The history's copy of ``value`` (a string or a tuple of them), kept from now on."""
        got = self.shared.get(value)
        if got is None:
            if len(self.shared) >= SHARED_MAX:
                self.shared.clear()
            got = self.shared[value] = value
        return got

    def changes(self, changes: Sequence[Change]) -> tuple[Change, ...]:
        """``changes`` as a tuple of the history's copies of equal changes."""
        if not changes:
            return ()
        shared = self.shared
        out = []
        for c in changes:
            d = c.__dict__
            key = (Change, d["what"], d["before"], d["after"])
            got = shared.get(key)
            if got is None:
                if len(shared) >= SHARED_MAX:
                    shared.clear()
                got = shared[key] = c
            out.append(got)
        return tuple(out)


SHARED_MAX = 1 << 16
"""How many distinct values a history shares before it starts again (bounds its memory)."""


def change(*, what: str, before: str | None, after: str | None) -> Change:
    """One change of a trace entry, from values the runtime made (not re-validated)."""
    return construct(Change, {"what": what, "before": before, "after": after})


def _entry(**values: Any) -> TraceEntry:
    """A trace entry from values the runtime made (every field given; not re-validated)."""
    return construct(TraceEntry, values)


class Recorder:
    """A history and the entries written since the recorder was made.

    ``fired`` collects, for the top-level event being applied, the ids of the deadlines
    and rules that settling moved (the event entry's ``fired``)."""

    def __init__(self, history: History) -> None:
        self.h = history
        self.entries: list[TraceEntry] = []

    def system(
        self,
        date: dt.date,
        kind: EntryKind,
        ref: str,
        summary: str,
        changes: Sequence[Change] = (),
        reasons: Sequence[str] = (),
        attribution: Attribution | None = None,
        assumption: str | None = None,
    ) -> None:
        """Record what the clock or a rule did (not an event)."""
        h = self.h
        h.step += 1
        self.entries.append(_entry(
            seq=h.step, date=date, date_display=h.one(date.isoformat()), kind=kind, ref=ref,
            event_kind=None, summary=h.one(summary), by=(), attribution=attribution,
            assumption=assumption, changes=h.changes(changes),
            reasons=h.one(tuple(reasons)) if reasons else (), fired=(), cause=None,
        ))

    def event(
        self,
        date: dt.date,
        kind: EntryKind,
        event: Event,
        changes: Sequence[Change] = (),
        reasons: Sequence[str] = (),
        cause: str | None = None,
    ) -> TraceEntry:
        """An entry for an event (not yet placed among the entries)."""
        h = self.h
        h.step += 1
        shown = event.date.display() if event.date is not None else date.isoformat()
        return _entry(
            seq=h.step, date=date, date_display=h.one(shown), kind=kind, ref=event.id,
            event_kind=event.kind, summary=h.one(event.summary or describe(event)),
            by=h.one(tuple(event.by)) if event.by else (), attribution=event.attribution,
            assumption=event.assumption, changes=h.changes(changes),
            reasons=h.one(tuple(reasons)) if reasons else (), fired=(), cause=cause,
        )

    def late(self, today: dt.date, day: dt.date, event: Event) -> TraceEntry:
        """The entry of an event refused as late: dated ``day``, before ``today`` or on
        it once it is closed. The state, step counter included, does not change."""
        why = (f"dated {day}, before the current date {today}" if day < today
               else f"{day} has already been closed")
        entry = self.event(today, "blocked", event, reasons=(why,))
        self.h.step -= 1
        return entry

    def finish(self) -> tuple[TraceEntry, ...]:
        """Number the entries in order, after the history's step before them (an event's
        entry is placed before what its consequences wrote, so it took a later number)."""
        base = self.h.step - len(self.entries)
        self.entries = [
            e if e.seq == base + i + 1 else e.model_copy(update={"seq": base + i + 1})
            for i, e in enumerate(self.entries)
        ]
        return tuple(self.entries)
