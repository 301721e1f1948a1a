"""Turns: parties that move inside a run, reading the engine's state as they go.

A ``Turns`` is handed to ``Engine.run``. Before each event of the timeline the engine
asks it for the day of its next turn (showing it the state so far); when that day has
come (it is before the event's day, or the timeline is done and it is within the
horizon) the engine moves the clock
to it (the day's own events are applied first; the day is not closed) and asks for the
move, giving a ``TurnView`` of the working state. The move is an ordinary event, checked
and applied like any other; its trace entry goes back to ``Turns.seen`` (a refused move
is a ``blocked`` entry with its reasons). ``None`` for a day ends the turns.

A turn never changes the state by itself: only its event, through the runtime's ops.
What a ``Turns`` reads is what the scenario's conditions read (the ``TurnView``): the
day, the offer on the table, a deadline's due date (extensions included), whether a
condition holds, a document's state, whether a fact holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Protocol

from negotiation import conditions as cond
from negotiation.model.events import Event
from negotiation.model.trace import TraceEntry
from negotiation.runtime.compiled import Runtime
from negotiation.runtime.compiled._base import ABSENT, CLOSED, DATE


class TurnView:
    """A read-only view of a working state, for a party deciding its move."""

    __slots__ = ("_rt", "_w")

    def __init__(self, rt: Runtime, w: Sequence[Any]) -> None:
        self._rt = rt
        self._w = w

    @property
    def today(self) -> dt.date:
        return dt.date.fromordinal(self._w[DATE])

    def offer(self, document: str) -> tuple[str, tuple[tuple[str, str], ...]] | None:
        """The offer on the table of ``document``: (who made it, its (point, option text)
        items), or None."""
        pending: tuple[str, tuple[tuple[str, str], ...]] | None
        pending = self._rt.subs.items[self._w[self._rt.doc_slot[document]]].offer
        return pending

    def state(self, document: str) -> str:
        """The document's lifecycle state."""
        state: str = self._rt.subs.items[self._w[self._rt.doc_slot[document]]].state
        return state

    def final(self, document: str) -> bool:
        """Whether the document is in a final state of its lifecycle."""
        return self.state(document) in self._rt.absorbing[document]

    def due(self, deadline: str) -> dt.date | None:
        """The deadline's due date as it stands (extensions included), or None."""
        due = self._w[self._rt.dl_slot[deadline]][1]
        return None if due is None else dt.date.fromordinal(due)

    def fact(self, fact: str) -> bool:
        """Whether the fact holds."""
        slot = self._rt.fact_slot.get(fact)
        return slot is not None and self._w[slot] != ABSENT

    def holds(self, node: cond.Node) -> bool:
        """A (parsed) condition's truth value."""
        return bool(self._rt.pred(node)(self._w))

    def after(self, events: Sequence[Event]) -> TurnView:
        """A view of what ``events`` would give, applied on this view's day and settled
        (a closed day reopened for them): a supposition, such as an agreement, that
        leaves this view as it is. An event the runtime refuses changes nothing."""
        rt = self._rt
        w = list(self._w)
        w[CLOSED] = False
        for event in events:
            op = rt.op_of(event)  # may give a new position a slot at the end
            if len(w) < rt.width:
                w.extend([None] * (rt.width - len(w)))
            rt.apply_top(w, op)
        return TurnView(rt, w)


class Turns(Protocol):
    """Parties that move inside a run (see the module docstring)."""

    def next_day(self, view: TurnView) -> dt.date | None:
        """The day of the next turn, seen from the state so far; None when there are
        no more."""
        ...

    def move(self, view: TurnView) -> Event | None:
        """The move of the turn due on ``view.today``; None ends the turns."""
        ...

    def seen(self, entry: TraceEntry) -> None:
        """The engine's entry for the move just made (``blocked`` if it was refused)."""
        ...


__all__ = ["TurnView", "Turns"]
