"""What a student may do at a decision point: the options, legal and blocked.

A decision point of the party the student plays is

* a scripted event of that party (one it takes part in, that the move grammar can
  write): the options are the scripted move, every other legal move of the party
  (``decisions.legal_moves``) and passing; or
* a decision point of the scenario (``decisions``) that is the party's: a free one
  whose ``parties`` include it, or one whose alternatives' events are its acts. The
  options are its alternatives, the party's legal moves if it is free, and passing if
  it allows it.

Every option is checked with ``Engine.check`` in the state where the decision is taken;
blocked ones keep their reasons so the student sees why. Meetings, statements and
requests are records, not decisions: they follow the script.

A classroom seat's legal moves in words (``SeatChoice``) are kept by a ``ChoiceCache`` its
group owns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from negotiation.model.attribution import Attribution, ClaimStatus, SourceKind
from negotiation.model.dates import FuzzyDate
from negotiation.model.decisions import DecisionPoint
from negotiation.model.errors import MoveError
from negotiation.model.events import Event, Sign
from negotiation.model.state import State
from negotiation.runtime.compiled._base import Op
from negotiation.runtime.engine import Engine
from negotiation.runtime.legal import candidate_moves, legal_moves
from negotiation.runtime.notation import format_move
from negotiation.teach.script import ScriptItem

OptionKind = Literal["scripted", "move", "alternative", "pass"]

STUDENT = Attribution(
    kind=SourceKind.assumption,
    status=ClaimStatus.claimed,
    note="the student's choice in role play; not a recorded event",
)


@dataclass(frozen=True)
class Option:
    """One thing the student may do: its label, its events (none: pass), and why it is
    blocked (empty: it is legal)."""

    kind: OptionKind
    label: str
    events: tuple[Event, ...] = ()
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class StudentDecision:
    """A decision the student takes: where, what the script did, and the options."""

    day: dt.date
    title: str
    item: ScriptItem | None
    point: DecisionPoint | None
    scripted: Option | None
    options: tuple[Option, ...]
    blocked: tuple[Option, ...]
    allow_pass: bool = True


CHOICES_KEPT = 1024
"""How many (state, seat) answers a ``ChoiceCache`` keeps, the least recently used out."""


@dataclass(frozen=True)
class SeatChoice:
    """A legal move of a seat: its words, and what it is about (a document or a
    deadline), for grouping."""

    label: str
    about: str


class ChoiceCache:
    """The legal choices of seats (``choices``) in the states of one engine, kept by
    (the encoded state, the seat): at most ``most``, the least recently used out.

    A classroom shows every seat its legal moves on every page load, and groups of one
    scenario often stand in the same state (every group on its first day, a pass that
    leaves the state as it was). The groups own the cache (``Group.open`` makes one, or
    takes the one a classroom keeps beside the engine for all its groups), so it lives
    as long as they or the engine do; nothing is kept at module level."""

    def __init__(self, engine: Engine, most: int = CHOICES_KEPT) -> None:
        if most < 1:
            raise ValueError(f"ChoiceCache keeps at least one answer, not {most}")
        self.engine = engine
        self.most = most
        self._kept: dict[tuple[tuple[object, ...], str], tuple[SeatChoice, ...]] = {}
        self.tables: Any = None
        """The seats at the engine's bargaining tables, per party, made once when first
        asked (``teach.bargaining.table_menus``: the package lists of the classroom's
        student page)."""

    def __len__(self) -> int:
        return len(self._kept)

    def choices(self, state: State, seat: str) -> tuple[SeatChoice, ...]:
        """``runtime.legal.legal_moves``'s answer for the seat's party in ``state``, in
        words: computed with the state encoded once (not once per candidate), and kept
        by the encoded state (the runtime's whole semantic state, which legal moves
        depend on alone)."""
        runtime = self.engine.runtime
        w, _ = runtime.encode_state(state)
        key = (tuple(w), seat)
        kept = self._kept.pop(key, None)
        if kept is None:
            width = runtime.width
            candidates = candidate_moves(self.engine, state, [seat])
            compiled = [self._compiled(event) for event in candidates]
            if runtime.width != width:  # an op gave new positions slots: encode again,
                w, _ = runtime.encode_state(state)
                key = (tuple(w), seat)  # as the next call will
            kept = tuple(choice for op, choice in compiled if not op.reasons(list(w)))
            if len(self._kept) >= self.most:
                del self._kept[next(iter(self._kept))]
        self._kept[key] = kept  # the most recently used last
        return kept

    def _compiled(self, event: Event) -> tuple[Op, SeatChoice]:
        """A candidate move's op (kept by the runtime: a candidate of one day is built
        again for every state of the day) and its words."""
        op = self.engine.runtime.op_of(event)  # may give the positions it names slots
        about = getattr(event, "document", None) or getattr(event, "deadline", None) or ""
        return op, SeatChoice(move_text(event), str(about))


def actors(engine: Engine, party: str) -> set[str]:
    """The party and its bodies (a parliament acts for the party the student plays)."""
    found = next((p for p in engine.scenario.parties if p.id == party), None)
    bodies = {f"{party}.{b.id}" for b in found.bodies} if found is not None else set()
    return {party, *bodies}


def move_text(event: Event) -> str:
    """The move-grammar line of an event, or its summary when it has none."""
    try:
        return format_move(event)
    except MoveError:
        return event.summary or event.kind


def is_decision(engine: Engine, party: str, item: ScriptItem) -> bool:
    """Whether a scripted item is a decision of ``party``."""
    mine = actors(engine, party)
    if item.event is not None:
        if not mine & set(item.event.by):
            return False
        try:
            format_move(item.event)
        except MoveError:
            return False
        return True
    return item.decision is not None and point_is_mine(item.decision, mine)


def point_is_mine(point: DecisionPoint, mine: set[str]) -> bool:
    if point.free:
        return bool(mine & set(point.parties))
    return any(mine & set(e.by) for a in point.alternatives for e in a.events)


def student_event(event: Event, day: dt.date) -> Event:
    """An event the student chose, dated on the day and attributed to the role play."""
    summary = f"(your move) {move_text(event)}"
    return event.model_copy(
        update={"date": FuzzyDate.of(day), "summary": summary, "attribution": STUDENT}
    )


def _checked(engine: Engine, state: State, option: Option) -> Option:
    """The option with every reason it is blocked (its events applied in order)."""
    current = state
    reasons: list[str] = []
    for event in option.events:
        found = engine.check(current, event)
        if found:
            reasons += found
            break
        current = engine.apply(current, event).state
    return Option(option.kind, option.label, option.events, tuple(reasons))


def decide(engine: Engine, state: State, party: str, item: ScriptItem) -> StudentDecision:
    """The decision at a scripted item (the state is already at its day)."""
    if item.event is not None:
        scripted = _checked(engine, state, Option("scripted", move_text(item.event), (item.event,)))
        title = item.event.summary or move_text(item.event)
        return _decision(engine, state, party, title, item, None, scripted, [], True)
    assert item.decision is not None
    return decide_point(engine, state, party, item.decision, item)


def decide_point(
    engine: Engine, state: State, party: str, point: DecisionPoint, item: ScriptItem | None = None
) -> StudentDecision:
    """The decision at a decision point of the scenario."""
    day = FuzzyDate.of(state.date)
    alternatives = [
        _checked(
            engine,
            state,
            Option(
                "alternative",
                a.id + (f": {a.summary}" if a.summary else ""),
                tuple(e.model_copy(update={"date": day}) for e in a.events),
            ),
        )
        for a in point.alternatives
    ]
    title = point.summary or f"decision point {point.id}"
    return _decision(engine, state, party, title, item, point, None, alternatives, point.allow_pass)


def _signatures(engine: Engine, state: State, party: str) -> list[Option]:
    """Signing each open document, when the engine blocks it: students ask "why can't
    we just sign?", and the reasons (lifecycle, guards) are the lesson."""
    out = []
    day = FuzzyDate.of(state.date)
    for doc in engine.scenario.documents:
        lifecycle = engine.lifecycles[doc.lifecycle]
        if state.documents[doc.id].state in lifecycle.absorbing or "sign" not in lifecycle.triggers:
            continue
        event = Sign(date=day, by=[party], document=doc.id)
        reasons = engine.check(state, event)
        if reasons:
            out.append(Option("move", move_text(event), (event,), tuple(reasons)))
    return out


def _decision(
    engine: Engine,
    state: State,
    party: str,
    title: str,
    item: ScriptItem | None,
    point: DecisionPoint | None,
    scripted: Option | None,
    alternatives: list[Option],
    allow_pass: bool,
) -> StudentDecision:
    first = [scripted] if scripted is not None else []
    options = [o for o in [*first, *alternatives] if not o.reasons]
    blocked = [o for o in [*first, *alternatives] if o.reasons]
    if point is None or point.free:
        taken = {move_text(e) for o in first for e in o.events}
        moves = legal_moves(engine, state, [party])
        options += [
            Option("move", move_text(e), (e,)) for e in moves.legal if move_text(e) not in taken
        ]
        blocked += [
            Option("move", move_text(e), (e,), reasons)
            for e, reasons in moves.blocked
            if move_text(e) not in taken
        ]
        listed = {o.label for o in [*options, *blocked]}
        blocked += [o for o in _signatures(engine, state, party) if o.label not in listed]
    if allow_pass:
        options.append(Option("pass", "pass (do nothing here)"))
    return StudentDecision(
        state.date, title, item, point, scripted, tuple(options), tuple(blocked), allow_pass
    )
