"""The script a teaching session follows, and the recorded path through it.

The *agenda* is the scenario's timeline (or a branch's) with its dated decision points,
in the engine's total order: (date, priority, events before decision points of the same
date and priority, declaration order). A session may run past the scenario's horizon
(``until``): the agenda then includes the scripted events dated after it.

``advance_to`` moves a state to a day the way ``Engine.run`` does, but one stop at a
time: it closes the current day, then arrives at and closes every checkpoint (due
dates, window openings, cut-offs) before the day, so that what the clock does (a
deadline missed, a window opening) is a step of its own that a session can show.

Everything here is pure: states in, states and trace entries out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from negotiation.model.decisions import DecisionPoint
from negotiation.model.events import Event
from negotiation.model.state import State
from negotiation.model.trace import TraceEntry
from negotiation.runtime.engine import Engine, StepResult

FrameKind = Literal["start", "clock", "event", "end"]


@dataclass(frozen=True)
class ScriptItem:
    """One scripted item: an event, or a dated decision point."""

    index: int
    day: dt.date
    event: Event | None = None
    decision: DecisionPoint | None = None

    @property
    def label(self) -> str:
        if self.event is not None:
            return self.event.id or f"event {self.index + 1}"
        assert self.decision is not None
        return self.decision.id


@dataclass(frozen=True)
class Frame:
    """One step of a recorded path: what was applied (an item, or the clock), the
    entries it wrote, and the states before and after it."""

    index: int
    kind: FrameKind
    before: State
    state: State
    entries: tuple[TraceEntry, ...] = ()
    item: ScriptItem | None = None

    @property
    def date(self) -> dt.date:
        return self.state.date

    @property
    def entry(self) -> TraceEntry | None:
        """The item's own entry (for an event frame), else None."""
        if self.item is None or self.item.event is None:
            return None
        return next((e for e in self.entries if e.kind in ("event", "blocked")), None)


@dataclass(frozen=True)
class Stop:
    """What the clock did on the way to a day: the state after, and its entries."""

    state: State
    entries: tuple[TraceEntry, ...]


def agenda(engine: Engine, branch: str | None) -> tuple[ScriptItem, ...]:
    """The scripted items of a timeline, in the engine's total order."""
    keyed: list[tuple[dt.date, int, int, int, Event | None, DecisionPoint | None]] = []
    for i, e in enumerate(engine.timeline(branch)):
        day = e.date.sort_date if e.date is not None else dt.date.min
        keyed.append((day, e.priority, 0, i, e, None))
    for i, dp in enumerate(engine.scenario.decisions):
        if dp.at is not None:
            keyed.append((dp.at.sort_date, dp.priority, 1, i, None, dp))
    keyed.sort(key=lambda t: t[:4])
    return tuple(
        ScriptItem(index=n, day=t[0], event=t[4], decision=t[5]) for n, t in enumerate(keyed)
    )


def end_day(engine: Engine, branch: str | None, until: dt.date | None) -> dt.date:
    """The last day a session covers: ``until`` if given (it may pass the horizon),
    else the horizon, else the last scripted day."""
    if until is not None:
        return until
    horizon = engine.horizon(branch)
    if horizon is not None:
        return horizon
    start = engine.initial_state().date
    return max([start, *(i.day for i in agenda(engine, branch) if i.day != dt.date.min)])


def advance_to(engine: Engine, state: State, day: dt.date, close: bool = False) -> list[Stop]:
    """Move the clock to ``day`` (closing it too if ``close``), one stop per day on which
    the clock did something. Stops that wrote nothing are left out, except that the
    returned list's last stop (if any) always holds the final state."""
    stops: list[Stop] = []
    final = state

    def take(step: tuple[State, tuple[TraceEntry, ...]] | None) -> None:
        nonlocal final
        if step is None:
            return
        final = step[0]
        if step[1]:
            stops.append(Stop(step[0], step[1]))

    if day > final.date and not final.closed:
        take(_step(engine.advance(final, final.date, close=True)))
    while True:
        ahead = sorted(c for c in engine.checkpoints(final) if final.date < c < day)
        if not ahead:
            break
        take(_step(engine.advance(final, ahead[0], close=True)))
    if day > final.date or (close and not final.closed):
        take(_step(engine.advance(final, day, close=close)))
    if final is not state and (not stops or stops[-1].state is not final):
        stops.append(Stop(final, ()))
    return stops


def _step(result: StepResult | None) -> tuple[State, tuple[TraceEntry, ...]] | None:
    return None if result is None else (result.state, tuple(result.entries))


def recorded_frames(
    engine: Engine, branch: str | None = None, until: dt.date | None = None
) -> tuple[Frame, ...]:
    """The recorded path, frame by frame: the start, every scripted event up to the end
    day (dated decision points are not taken: the record is the script), every stop of
    the clock in between, and the close of the end day."""
    end = end_day(engine, branch, until)
    state = engine.initial_state()
    frames: list[Frame] = [Frame(0, "start", state, state)]

    def add(
        kind: FrameKind,
        before: State,
        after: State,
        entries: tuple[TraceEntry, ...],
        item: ScriptItem | None = None,
    ) -> None:
        frames.append(Frame(len(frames), kind, before, after, entries, item))

    for item in agenda(engine, branch):
        if item.event is None or item.day > end:
            continue
        for stop in advance_to(engine, state, item.day):
            if stop.entries:
                add("clock", state, stop.state, stop.entries)
            state = stop.state
        result = engine.apply(state, item.event)
        add("event", state, result.state, tuple(result.entries), item)
        state = result.state
    closing = advance_to(engine, state, end, close=True)
    for stop in closing:
        if stop.entries:
            add("clock", state, stop.state, stop.entries)
        state = stop.state
    add("end", frames[-1].state, state, ())
    return tuple(frames)
