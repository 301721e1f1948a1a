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


def _one(shared: dict[Any, Any], value: Any) -> Any:
    """``shared``'s copy of ``value`` (``History.one``)."""
    got = shared.get(value)
    if got is None:
        if len(shared) >= SHARED_MAX:
            shared.clear()
        got = shared[value] = value
    return got


class Pending:
    """A trace entry as a run writes it down: its facts, not yet its words.

    ``build`` makes the ``TraceEntry``: an event's summary (``describe``), its shown
    date, who made it, taken from the event when the entry is read (``model.trace.
    Entries``), so that a run nobody reads pays for none of it. ``event`` is None for
    what the clock or a rule did (``summary`` and ``attribution`` are then given)."""

    __slots__ = (
        "assumption",
        "attribution",
        "cause",
        "changes",
        "date",
        "event",
        "fired",
        "kind",
        "reasons",
        "ref",
        "seq",
        "shared",
        "summary",
    )

    def __init__(
        self, seq: int, date: dt.date, kind: EntryKind, ref: str | None, event: Event | None,
        summary: str | None, changes: tuple[Change, ...], reasons: tuple[str, ...],
        cause: str | None, attribution: Attribution | None, assumption: str | None,
        shared: dict[Any, Any],
    ) -> None:
        self.seq = seq
        self.date = date
        self.kind = kind
        self.ref = ref
        self.event = event
        self.summary = summary
        self.changes = changes
        self.reasons = reasons
        self.fired: tuple[str, ...] = ()
        self.cause = cause
        self.attribution = attribution
        self.assumption = assumption
        self.shared = shared

    def build(self) -> TraceEntry:
        """The ``TraceEntry`` (equal values shared with the run's other entries)."""
        shared = self.shared
        event = self.event
        if event is None:
            return _entry(
                seq=self.seq, date=self.date, date_display=_one(shared, self.date.isoformat()),
                kind=self.kind, ref=self.ref, event_kind=None,
                summary=_one(shared, self.summary), by=(), attribution=self.attribution,
                assumption=self.assumption, changes=self.changes, reasons=self.reasons,
                fired=self.fired, cause=self.cause,
            )
        shown = event.date.display() if event.date is not None else self.date.isoformat()
        return _entry(
            seq=self.seq, date=self.date, date_display=_one(shared, shown), kind=self.kind,
            ref=event.id, event_kind=event.kind,
            summary=_one(shared, event.summary or describe(event)),
            by=_one(shared, tuple(event.by)) if event.by else (),
            attribution=event.attribution, assumption=event.assumption, changes=self.changes,
            reasons=self.reasons, fired=self.fired, cause=self.cause,
        )


class Recorder:
    """A history and the entries written since the recorder was made (``Pending``:
    built into ``TraceEntry`` objects by ``finish``, or later by whoever reads them).

    An event entry's ``fired`` is set, for the top-level event being applied, to the
    ids of the deadlines and rules that settling moved."""

    def __init__(self, history: History) -> None:
        self.h = history
        self.entries: list[Pending] = []

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
        self.entries.append(Pending(
            h.step, date, kind, ref, None, summary, h.changes(changes),
            h.one(tuple(reasons)) if reasons else (), None, attribution, assumption, h.shared,
        ))

    def event(
        self,
        date: dt.date,
        kind: EntryKind,
        event: Event,
        changes: Sequence[Change] = (),
        reasons: Sequence[str] = (),
        cause: str | None = None,
    ) -> Pending:
        """An entry for an event (not yet placed among the entries)."""
        h = self.h
        h.step += 1
        return Pending(
            h.step, date, kind, event.id, event, None, h.changes(changes),
            h.one(tuple(reasons)) if reasons else (), cause, None, None, h.shared,
        )

    def late(self, today: dt.date, day: dt.date, event: Event) -> TraceEntry:
        """The entry of an event refused as late: dated ``day``, before ``today`` or on
        it once it is closed. The state, step counter included, does not change."""
        why = (f"dated {day}, before the current date {today}" if day < today
               else f"{day} has already been closed")
        entry = self.event(today, "blocked", event, reasons=(why,))
        self.h.step -= 1
        return entry.build()

    def pending(self) -> list[Pending]:
        """The entries, numbered in order after the history's step before them (an
        event's entry is placed before what its consequences wrote, so it took a later
        number); not built."""
        base = self.h.step - len(self.entries)
        for i, e in enumerate(self.entries, base + 1):
            e.seq = i
        return self.entries

    def finish(self) -> tuple[TraceEntry, ...]:
        """The entries, numbered (``pending``) and built."""
        return tuple(e.build() for e in self.pending())
