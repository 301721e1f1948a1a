"""The compiled space's vocabulary: tuple aliases, slot indices, deadline statuses, the
errors, and the compiled pieces (ops, deadline and rule infos, free moves, decisions,
agenda items) the other modules build and run."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from negotiation import conditions as cond
from negotiation.model.dates import FuzzyDate
from negotiation.model.deadlines import Deadline, DeadlineStatus
from negotiation.model.decisions import DecisionPoint
from negotiation.model.events import Event
from negotiation.model.positions import Stance
from negotiation.model.rules import Rule
from negotiation.model.trace import Change
from negotiation.runtime.compiled._record import History

S = tuple[Any, ...]
W = list[Any]
Code = tuple[str, int]
"""An edge of the search: what was done (``event``, ``alt``, ``move``, ...) and its index."""
Pred = Callable[[Sequence[Any]], bool]
Children = list[tuple[Code, S]]
Reasons = Callable[[W], list[str]]
"""Every reason an op is blocked in a working list (empty: allowed)."""
Before = dict[int, Any]
"""The slots an op writes (and the date), as they were before it."""
Describe = Callable[[Before, W, History], tuple[list[Change], list[str]]]
"""What an applied op changed, from the working list before and after it: the changes and
notes of its trace entry; it also writes the history the tuple does not carry."""
Pick = Callable[[list[float]], int]
"""Draws an index from weights (``Steps.choose``)."""
Decided = tuple[int, str, int, int | None, tuple[str, ...], str | None]
"""An extension decided later, pending in a deadline's slot: (cut-off day, condition, due
day if it holds, due day if not (None: the due date stays), by, event id)."""
DeadlineSlot = tuple[str, int | None, int | None, bool, bool, Decided | None]

ROOT, CURSOR, TAKEN, DATE, CLOSED, FIRST_DOC = 0, 1, 2, 3, 4, 5
ABSENT = -1
UNDATED = 0
UNKNOWN = -2
"""A fact slot: false, true since an unknown day, unknown (else: true since that day)."""

PENDING = DeadlineStatus.pending.value
OPEN = DeadlineStatus.open.value
WAITING = DeadlineStatus.waiting.value
INACTIVE = DeadlineStatus.inactive.value
MISSED = DeadlineStatus.missed.value
DROPPED = DeadlineStatus.dropped.value
LIVE = frozenset({WAITING, PENDING, OPEN})
ACCEPTS = Stance.accepts.value
STANCE_MOVES = (Stance.supports, Stance.supports_with_conditions, Stance.opposes,
                Stance.undecided)

_ORIGIN = FuzzyDate.of(dt.date(2000, 1, 1))  # placeholder date of free moves compiled once
_MOVE_CODES: list[Code] = []


def _move_codes(n: int) -> list[Code]:
    """The codes ("move", 0), ..., ("move", n - 1), made once."""
    while len(_MOVE_CODES) < n:
        _MOVE_CODES.append(("move", len(_MOVE_CODES)))
    return _MOVE_CODES


class NotCompilableError(Exception):
    """The scenario uses something the compiled space cannot lay out (a search's space has
    fixed position slots)."""


class _RuleLoopError(Exception):
    """Rules did not settle (the engine raises RuleLoopError: the node is stuck)."""


# -- compiled pieces --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Only:
    """An event's ``if`` (``holds`` True) or ``unless`` (``holds`` False) condition."""

    test: Pred
    node: cond.Node
    holds: bool


def _no_reasons(w: W) -> list[str]:
    return []


def _no_changes(before: Before, after: W, h: History) -> tuple[list[Change], list[str]]:
    return [], []


@dataclass(slots=True)
class Op:
    """One event, compiled: ``blocked(w)`` says whether it is refused; ``reasons(w)``
    says why (computed only when asked); ``mutate(w)`` changes the working list;
    ``effects`` are consequences applied after it (an enforced deadline's), caused by
    ``cause``; ``describe`` gives its trace entry's changes and notes; ``writes`` are the
    slots it may change (None: any, through its effects)."""

    blocked: Callable[[W], bool]
    mutate: Callable[[W], None]
    event_id: str | None = None
    writes: frozenset[int] | None = frozenset()
    settles: bool = True  # whether settling after it can change anything (set later)
    legal_as_candidate: bool = False
    """Never blocked where ``candidate_moves`` offers it (an unguarded lifecycle move
    offered only from states the table allows; a stance any stance may follow)."""
    event: Event | None = None
    reasons: Reasons = _no_reasons
    describe: Describe = _no_changes
    effects: list[Op] = field(default_factory=list)
    cause: str | None = None
    only: tuple[Only, ...] = ()
    """The event's ``if`` / ``unless``: when one fails, the event is skipped."""
    plain: bool = False
    """Performing it is only ``mutate``: no effects, no deadline anchored on it (set
    with ``settles``)."""
    touched: set[int] | None = None
    """The slots settling after it looks at (``Settle.touched_by``; set with
    ``settles``)."""
    sets: tuple[int, Callable[[Any], Any]] | None = None
    """(slot, f) when ``mutate(w)`` is ``w[slot] = f(w[slot])``: a free move's child
    slot, kept with its candidates (``Steps._doc_candidates``)."""


Candidate = tuple[Op, int, Any]
"""A candidate free move, and the slot and value performing it sets when that is all it
does (its ``sets``, where ``plain``, never blocked where offered and not settling); else
slot -1."""


@dataclass(slots=True)
class DeadlineInfo:
    slot: int
    spec: Deadline
    window: bool
    sunset: bool
    option: bool
    milestone: bool
    requirement: Pred | None
    anchor: Pred | None
    anchor_event: str | None
    extension: Pred | None
    cutoff: int | None
    extended_due: int | None
    effects: list[Op] = field(default_factory=list)


@dataclass(slots=True)
class RuleInfo:
    slot: int
    test: Pred
    each: bool
    spec: Rule
    effects: list[Op] = field(default_factory=list)


@dataclass(slots=True)
class DocMoves:
    """One party's candidate moves on one document."""

    slot: int
    doc_id: str
    absorbing: frozenset[str]
    by_state: dict[str, list[Op]]
    stance_slot: int
    stances: list[tuple[str, Op]]
    kept: dict[tuple[int, str | None], list[Candidate]] = field(default_factory=dict)
    """The candidate moves by (sub-state, stance slot): ``Steps._free_moves``."""


@dataclass(slots=True)
class DeadlineMoves:
    """A deadline setter's candidate moves."""

    slot: int
    enforce: Op | None
    waive: Op
    drop: Op
    set: Op


@dataclass(slots=True)
class Decision:
    spec: DecisionPoint
    alternatives: list[list[Op]]
    free: list[tuple[list[DocMoves], list[DeadlineMoves]]]
    is_free: bool
    allow_pass: bool


@dataclass(slots=True)
class Item:
    day: int  # the agenda day (ordinal; 0 for an undated event)
    event_day: int | None  # the event's own day (None: undated, applies when met)
    op: Op | None = None
    decision: Decision | None = None


@dataclass(slots=True)
class RootInfo:
    agenda: list[Item]
    end: int


def _ord(day: dt.date | None) -> int | None:
    return day.toordinal() if day is not None else None


def _never(w: Sequence[Any]) -> bool:
    return False


def _always(w: W) -> bool:
    return True


def _nothing(w: W) -> None:
    return None
