"""The trace: what happened, date by date, and why."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Literal, Protocol, overload

from pydantic import GetCoreSchemaHandler
from pydantic_core import core_schema

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


class Unbuilt(Protocol):
    """A trace entry a run wrote down but has not built yet (the runtime's recorder
    keeps its facts; the words and the pydantic object are made when it is read)."""

    def build(self) -> TraceEntry: ...


class Entries(Sequence[TraceEntry]):
    """A trace's entries, each built into a ``TraceEntry`` when it is first read.

    A run writes its entries down as compact records; a trace that nobody reads (a
    search, a benchmark, a check of expectations alone) never words them. Reading an
    entry (index, iteration, ``len`` aside) builds it once and keeps it. Equal to a
    tuple of the same entries; dumped (``model_dump``, JSON) as that tuple is."""

    __slots__ = ("_items",)

    def __init__(self, items: Iterable[TraceEntry | Unbuilt] = ()) -> None:
        self._items: list[TraceEntry | Unbuilt] = list(items)

    def __len__(self) -> int:
        return len(self._items)

    def _at(self, i: int) -> TraceEntry:
        item = self._items[i]
        if isinstance(item, TraceEntry):
            return item
        entry = self._items[i] = item.build()
        return entry

    @overload
    def __getitem__(self, i: int) -> TraceEntry: ...
    @overload
    def __getitem__(self, i: slice) -> tuple[TraceEntry, ...]: ...
    def __getitem__(self, i: int | slice) -> TraceEntry | tuple[TraceEntry, ...]:
        if isinstance(i, slice):
            return tuple(self._at(j) for j in range(*i.indices(len(self._items))))
        return self._at(i)

    def __iter__(self) -> Iterator[TraceEntry]:
        at = self._at
        for i in range(len(self._items)):
            yield at(i)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Entries | tuple):
            return tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return repr(tuple(self))

    def __reduce__(self) -> tuple[Any, ...]:
        return Entries, (tuple(self),)

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        entries = handler.generate_schema(tuple[TraceEntry, ...])
        return core_schema.union_schema(
            [core_schema.is_instance_schema(cls),
             core_schema.no_info_after_validator_function(cls, entries)],
            serialization=core_schema.plain_serializer_function_ser_schema(
                tuple, return_schema=entries
            ),
        )


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
    entries: Entries
    """Built when read (``Entries``); a tuple of ``TraceEntry`` is accepted too."""
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
