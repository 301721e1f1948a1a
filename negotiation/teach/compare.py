"""The student's path beside the recorded one: day by day, and by outcome.

``compare`` takes the recorded frames and a finished (or stopped) role play and gives
plain data: for every day on which either path did something, the lines of each; then
every deadline's outcome (status, due date, the day it was resolved) on both paths, the
documents' final states, and any other difference in the final states (positions,
relations, facts). A ``changed`` flag marks what the student's choices altered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from negotiation.model.deadlines import LIVE_STATUSES
from negotiation.model.state import DeadlineState, State
from negotiation.model.trace import TraceEntry
from negotiation.teach.play import LogEntry, PlaySession
from negotiation.teach.script import Frame


@dataclass(frozen=True)
class ComparedDay:
    """One day: what the record did, what the student's path did."""

    day: dt.date
    recorded: tuple[str, ...]
    yours: tuple[str, ...]

    @property
    def same(self) -> bool:
        return self.recorded == self.yours


@dataclass(frozen=True)
class ComparedOutcome:
    """One thing at the end: its value on the recorded path and on the student's."""

    what: str
    recorded: str
    yours: str

    @property
    def changed(self) -> bool:
        return self.recorded != self.yours


@dataclass(frozen=True)
class Comparison:
    end: dt.date
    days: tuple[ComparedDay, ...]
    deadlines: tuple[ComparedOutcome, ...]
    documents: tuple[ComparedOutcome, ...]
    others: tuple[ComparedOutcome, ...]
    right: int = 0
    asked: int = 0

    @property
    def changed(self) -> tuple[ComparedOutcome, ...]:
        return tuple(o for o in (*self.deadlines, *self.documents, *self.others) if o.changed)


def entry_line(e: TraceEntry) -> str:
    """A trace entry as one short line."""
    if e.kind == "blocked":
        return f"BLOCKED {e.summary}"
    if e.kind == "event":
        return e.summary
    if e.changes:
        changes = "; ".join(c.display().removeprefix("deadline ") for c in e.changes)
        return f"{e.kind.upper()} {changes}"
    return f"{e.kind.upper()} {e.summary}"


def _log_lines(line: LogEntry) -> list[str]:
    if line.kind in ("skipped", "pass"):
        return [line.text.upper()[:1] + line.text[1:]]
    if line.kind in ("prediction", "end"):
        return []
    return [entry_line(e) for e in line.entries]


def deadline_outcome(ds: DeadlineState, day: dt.date) -> str:
    """A deadline's outcome as words: ``met on 2025-12-10 (due 2025-12-25)``."""
    due = f"due {ds.due}" if ds.due is not None else "no due date yet"
    if ds.status in LIVE_STATUSES:
        left = f", {(ds.due - day).days} days left" if ds.due is not None else ""
        return f"{ds.status.value} ({due}{left})"
    if ds.resolved_on is not None:
        return f"{ds.status.value} on {ds.resolved_on} ({due})"
    return f"{ds.status.value} ({due})"


def _flat(state: State) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, pos in sorted(state.positions.items()):
        party, target = key.split("|", 1)
        out[f"position {party} on {target}"] = pos.stance
    for key in sorted(state.relations):
        source, kind, target = key.split("|")
        out[f"relation {source} {kind} {target}"] = "yes"
    for fact in sorted(state.facts):
        out[f"fact {fact}"] = "true"
    for doc_id, d in sorted(state.documents.items()):
        out[f"document {doc_id} signed by"] = ", ".join(d.signed_by) or "-"
        out[f"document {doc_id} ratified by"] = ", ".join(d.ratified_by) or "-"
    return out


def _others(a: State, b: State) -> list[ComparedOutcome]:
    fa, fb = _flat(a), _flat(b)
    default = {k: ("no" if k.startswith("relation ") else "unknown") for k in fa | fb}
    default |= {k: "false" for k in fa | fb if k.startswith("fact ")}
    return [
        ComparedOutcome(k, fa.get(k, default[k]), fb.get(k, default[k]))
        for k in dict.fromkeys([*fa, *fb])
        if fa.get(k, default[k]) != fb.get(k, default[k])
    ]


def compare(recorded: tuple[Frame, ...], session: PlaySession) -> Comparison:
    """The recorded path and the student's, day by day and by outcome."""
    theirs: dict[dt.date, list[str]] = {}
    for frame in recorded:
        for e in frame.entries:
            theirs.setdefault(e.date, []).append(entry_line(e))
    yours: dict[dt.date, list[str]] = {}
    for line in session.log:
        for text in _log_lines(line):
            yours.setdefault(line.day, []).append(text)
    days = tuple(
        ComparedDay(d, tuple(theirs.get(d, ())), tuple(yours.get(d, ())))
        for d in sorted(theirs.keys() | yours.keys())
    )
    a, b = recorded[-1].state, session.state
    deadlines = tuple(
        ComparedOutcome(
            d_id, deadline_outcome(ds, a.date), deadline_outcome(b.deadlines[d_id], b.date)
        )
        for d_id, ds in a.deadlines.items()
    )
    documents = tuple(
        ComparedOutcome(doc_id, d.state, b.documents[doc_id].state)
        for doc_id, d in a.documents.items()
    )
    return Comparison(
        end=session.end,
        days=days,
        deadlines=deadlines,
        documents=documents,
        others=tuple(_others(a, b)),
        right=session.right,
        asked=session.asked,
    )
