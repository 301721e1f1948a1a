"""The trace: what happened, date by date, and why."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from negotiation.model._base import Frozen, ReprArgs, Shown, counted
from negotiation.model.attribution import Attribution
from negotiation.model.state import State

EntryKind = Literal[
    "event", "blocked", "deadline", "extension", "window", "rule", "skipped", "beyond_horizon",
    "participation",
]


class Change(Frozen):
    """One thing that changed: ``what`` (a readable path), ``before`` and ``after``."""

    what: str
    before: str | None = None
    after: str | None = None

    def display(self) -> str:
        return f"{self.what}: {self.before or '-'} -> {self.after or '-'}"


class TraceEntry(Frozen):
    """One line of the trace.

    ``kind`` is ``event`` (applied), ``blocked`` (refused; nothing changed, ``reasons``
    says why), ``deadline`` (met, missed, expired, enforced, ...), ``extension``,
    ``window`` (anchored or opened), ``rule`` (a reactive rule fired), ``skipped`` or
    ``beyond_horizon``. ``cause`` names the event or rule that led to it.
    """

    seq: int
    date: dt.date
    date_display: str
    kind: EntryKind
    ref: str | None = None
    event_kind: str | None = None
    summary: str
    by: tuple[str, ...] = ()
    attribution: Attribution | None = None
    assumption: str | None = None
    changes: tuple[Change, ...] = ()
    reasons: tuple[str, ...] = ()
    fired: tuple[str, ...] = ()
    cause: str | None = None


class ExpectationResult(Frozen):
    at: dt.date
    that: str
    ok: bool
    reasons: tuple[str, ...] = ()
    summary: str | None = None


class InvariantViolation(Frozen):
    """The first moment a run broke one of the scenario's invariants."""

    invariant: str
    date: dt.date
    seq: int
    condition: str
    reasons: tuple[str, ...] = ()


class Trace(Frozen):
    """A whole run: the entries, the final state, the expectations checked and the
    invariants broken (each at its first violation)."""

    scenario: str
    branch: str | None = None
    start: dt.date
    horizon: dt.date | None = None
    entries: tuple[TraceEntry, ...]
    final: State
    expectations: tuple[ExpectationResult, ...] = ()
    violations: tuple[InvariantViolation, ...] = ()

    @property
    def ok(self) -> bool:
        """True when every expectation was met and no invariant was broken."""
        return all(e.ok for e in self.expectations) and not self.violations

    def __repr_args__(self) -> ReprArgs:
        """A short ``repr`` (a whole trace's would be kilobytes): ``Trace(scenario='x',
        branch=None, 42 entries, 2025-11-20..2025-12-12, ok=True)``."""
        yield "scenario", self.scenario
        yield "branch", self.branch
        yield None, counted(len(self.entries), "entry")
        yield None, Shown(f"{self.start}..{self.final.date}")
        yield "ok", self.ok

    def history(self, what_prefix: str) -> list[tuple[dt.date, Change]]:
        """Every change whose ``what`` starts with a prefix, e.g. ``position ukraine``."""
        return [
            (e.date, c) for e in self.entries for c in e.changes if c.what.startswith(what_prefix)
        ]
