"""Step-through: walk a recorded path frame by frame, forwards and back.

``StepSession`` is an immutable value over the precomputed frames of the recorded path
(``script.recorded_frames``); moving is changing an index, so "back" and "jump" are
pointers to earlier (or later) snapshots and nothing is recomputed. ``handle`` takes one
command line and gives the next session and a reply for the renderer.

Commands (first word, case-insensitive; an empty line is ``next``)::

    next | n            the next frame
    back | b            the previous frame
    jump | j DATE       the first frame of DATE (YYYY-MM-DD); on a day with none, the
                        last frame before it
    state | s           the whole state at the current frame
    why | w MOVE        would MOVE be allowed now? (the engine's check, move grammar)
    help | h | ?        the commands
    quit | q            end the session
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Literal

from negotiation.model.dates import parse_day
from negotiation.model.deadlines import LIVE_STATUSES
from negotiation.model.errors import MoveError
from negotiation.model.state import State
from negotiation.runtime.engine import Engine
from negotiation.runtime.notation import format_move, parse_move
from negotiation.teach.script import Frame, recorded_frames

HELP = (
    ("next, n", "show the next step (an empty line does the same)"),
    ("back, b", "go back one step"),
    ("jump, j DATE", "go to the first step of DATE (YYYY-MM-DD), or the last before it"),
    ("state, s", "show the whole state at this step"),
    ("why, w MOVE", "would MOVE be allowed here? e.g. 'why ukraine signs twenty_point_plan'"),
    ("help, h", "this list"),
    ("quit, q", "end the session"),
)

ReplyKind = Literal["frame", "state", "why", "help", "note", "error", "quit"]


@dataclass(frozen=True)
class Ahead:
    """A live deadline seen from a day: its status, due date and the days left."""

    deadline: str
    status: str
    due: dt.date | None
    days_left: int | None
    opens: dt.date | None = None


@dataclass(frozen=True)
class Reply:
    """What a command gives back, for the renderer: ``kind`` says which fields matter."""

    kind: ReplyKind
    frame: Frame | None = None
    ahead: tuple[Ahead, ...] = ()
    message: str = ""
    move: str = ""
    reasons: tuple[str, ...] = ()


def deadlines_ahead(state: State) -> tuple[Ahead, ...]:
    """The deadlines still live in ``state`` (pending, open or waiting), nearest first."""
    out = []
    for d_id, ds in state.deadlines.items():
        if ds.status not in LIVE_STATUSES:
            continue
        left = (ds.due - state.date).days if ds.due is not None else None
        out.append(Ahead(d_id, ds.status.value, ds.due, left, ds.opens))
    return tuple(sorted(out, key=lambda a: (a.due is None, a.due or dt.date.min, a.deadline)))


@dataclass(frozen=True)
class StepSession:
    """A step-through over the recorded path of one timeline."""

    engine: Engine
    frames: tuple[Frame, ...]
    index: int = 0
    branch: str | None = None
    finished: bool = False

    @classmethod
    def start(
        cls, engine: Engine, branch: str | None = None, until: dt.date | None = None
    ) -> StepSession:
        return cls(engine, recorded_frames(engine, branch, until), 0, branch)

    @property
    def frame(self) -> Frame:
        return self.frames[self.index]

    @property
    def total(self) -> int:
        return len(self.frames)

    def show(self) -> Reply:
        """The current frame, with the deadlines ahead of it."""
        return Reply("frame", self.frame, deadlines_ahead(self.frame.state))

    def go(self, index: int) -> tuple[StepSession, Reply]:
        moved = replace(self, index=index)
        return moved, moved.show()

    # -- commands ------------------------------------------------------------------------
    def handle(self, line: str) -> tuple[StepSession, Reply]:
        """One command line: the next session and the reply to show."""
        word, _, rest = line.strip().partition(" ")
        word, rest = word.lower(), rest.strip()
        if word in ("", "n", "next"):
            if self.index + 1 >= self.total:
                return self, Reply("note", message="at the last step; 'back' or 'quit'")
            return self.go(self.index + 1)
        if word in ("b", "back"):
            if self.index == 0:
                return self, Reply("note", message="at the first step; nothing before it")
            return self.go(self.index - 1)
        if word in ("j", "jump"):
            return self.jump(rest)
        if word in ("s", "state"):
            return self, Reply("state", self.frame)
        if word in ("w", "why"):
            return self, self.why(rest)
        if word in ("h", "help", "?"):
            return self, Reply("help")
        if word in ("q", "quit", "exit"):
            return replace(self, finished=True), Reply("quit")
        return self, Reply("error", message=f"unknown command {word!r}; 'help' lists them")

    def jump(self, text: str) -> tuple[StepSession, Reply]:
        try:
            day = parse_day(text)
        except ValueError as e:
            return self, Reply("error", message=f"jump: {e}")
        first = self.frames[0].date
        if day < first:
            return self, Reply("error", message=f"jump: {day} is before the start ({first})")
        that_day = [i for i, f in enumerate(self.frames) if f.date == day]
        if that_day:  # the first event of the day: 'next' walks through the rest of it
            return self.go(that_day[0])
        index = max(i for i, f in enumerate(self.frames) if f.date <= day or i == 0)
        moved, reply = self.go(index)
        last = self.frames[-1].date
        if day > last:
            note = f"{day} is after the end ({last}); at the last step"
        else:
            note = f"nothing happened on {day}; at the last step before it ({moved.frame.date})"
        return moved, replace(reply, message=note)

    def why(self, text: str) -> Reply:
        if not text:
            return Reply(
                "error", message="why: which move? e.g. 'why ukraine signs twenty_point_plan'"
            )
        state = self.frame.state
        try:
            event = parse_move(text, self.engine.scenario, state.date)
        except MoveError as e:
            return Reply("error", message=f"why: {e}")
        reasons = self.engine.check(state, event)
        return Reply("why", self.frame, move=format_move(event), reasons=tuple(reasons))
