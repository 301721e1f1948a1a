"""The mutable working copy of a state while one step is computed, and the view that
conditions read. Private: the engine freezes the result into a new ``State``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from negotiation.model._base import construct
from negotiation.model.attribution import Attribution
from negotiation.model.events import Event, describe
from negotiation.model.parties import relation_key
from negotiation.model.positions import position_key
from negotiation.model.state import State
from negotiation.model.trace import Change, EntryKind, TraceEntry


def entry(**values: Any) -> TraceEntry:
    """A trace entry from values the engine made (every field given; not re-validated)."""
    return construct(TraceEntry, values)


class Work:
    """A mutable copy of a State, plus the trace entries written so far in this step."""

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
        # what changed in this step, as conditions.reads() keys; None: treat everything
        # as changed (a state the engine did not settle itself, e.g. the initial one)
        self.touched: set[str] | None = set()

    def touch(self, key: str) -> None:
        if self.touched is not None:
            self.touched.add(key)

    def finish(self) -> tuple[TraceEntry, ...]:
        """Number the entries written in this step, in order, after the state's last."""
        base = self.step - len(self.entries)
        self.entries = [
            e if e.seq == base + i + 1 else e.model_copy(update={"seq": base + i + 1})
            for i, e in enumerate(self.entries)
        ]
        return tuple(self.entries)

    def freeze(self) -> State:
        return construct(
            State,
            {
                "date": self.date,
                "closed": self.closed,
                "documents": self.documents,
                "positions": self.positions,
                "relations": self.relations,
                "facts": self.facts,
                "deadlines": self.deadlines,
                "rules": self.rules,
                "step": self.step,
            },
        )

    def system(
        self,
        kind: EntryKind,
        ref: str,
        summary: str,
        changes: Sequence[Change] = (),
        reasons: Sequence[str] = (),
        attribution: Attribution | None = None,
        assumption: str | None = None,
    ) -> None:
        """Record what the clock or a rule did (not an event)."""
        self.step += 1
        self.entries.append(
            entry(
                seq=self.step,
                date=self.date,
                date_display=self.date.isoformat(),
                kind=kind,
                ref=ref,
                event_kind=None,
                summary=summary,
                by=(),
                attribution=attribution,
                assumption=assumption,
                changes=tuple(changes),
                reasons=tuple(reasons),
                fired=(),
                cause=None,
            )
        )

    def event_entry(
        self,
        kind: EntryKind,
        event: Event,
        changes: Sequence[Change] = (),
        reasons: Sequence[str] = (),
        cause: str | None = None,
    ) -> TraceEntry:
        """An entry for an event (not yet appended)."""
        self.step += 1
        shown = event.date.display() if event.date is not None else self.date.isoformat()
        return entry(
            seq=self.step,
            date=self.date,
            date_display=shown,
            kind=kind,
            ref=event.id,
            event_kind=event.kind,
            summary=event.summary or describe(event),
            by=tuple(event.by),
            attribution=event.attribution,
            assumption=event.assumption,
            changes=tuple(changes),
            reasons=tuple(reasons),
            fired=(),
            cause=cause,
        )


class ReadIndex:
    """Which conditions read which ``conditions.reads`` keys, to find the ones a set of
    changed keys can affect."""

    def __init__(self, reads: dict[str, frozenset[str]]) -> None:
        self.by_key: dict[str, set[str]] = {}
        for owner, keys in reads.items():
            for key in keys:
                self.by_key.setdefault(key, set()).add(owner)

    def affected(self, touched: set[str]) -> set[str]:
        out: set[str] = set()
        for key in touched:
            out |= self.by_key.get(key, set())
        return out


class View:
    """``conditions.Facts`` over a working or frozen state."""

    def __init__(self, required: Mapping[str, list[str] | None], work: Work | State) -> None:
        self.required = required
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

    def fact_since(self, fact: str) -> dt.date | bool | None:
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
        return self.required.get(document)
