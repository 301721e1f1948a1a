"""Role play: the student takes one party's decisions; everyone else follows the script.

``PlaySession`` is an immutable value. ``begin`` runs the script up to the first thing
the student must answer; ``answer`` takes one line and runs on to the next. What happens
on the way is appended to ``log`` (the renderer shows what is new). A session keeps a
pointer to the one before the last answer, so ``back`` is a pointer, not a recomputation.

The script: other parties' scripted events are applied in order; one that the
student's path has made illegal (``Engine.check`` gives reasons) is skipped and logged,
with whether the record had it. The clock stops on every day a deadline falls due or a
window opens (``script.advance_to``). A ``when`` decision point of the student's party
is offered the first time its condition holds.

Answers at a decision: a number (the listed option), ``scripted``, ``pass``, or a move
in the move grammar by the student's party; at a prediction: a choice, its number,
``same`` or ``skip``. Always: ``state``, ``why MOVE``, ``back`` (or ``undo``), ``help``,
``quit``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Literal

from negotiation.model.decisions import DecisionPoint
from negotiation.model.errors import MoveError
from negotiation.model.state import State
from negotiation.model.trace import TraceEntry
from negotiation.runtime.engine import Engine
from negotiation.runtime.notation import format_move, parse_move
from negotiation.teach.choices import (
    Option,
    StudentDecision,
    actors,
    decide,
    decide_point,
    is_decision,
    point_is_mine,
    student_event,
)
from negotiation.teach.predict import Question, actual, question_for
from negotiation.teach.script import Frame, ScriptItem, advance_to, agenda, end_day, recorded_frames

LogKind = Literal["clock", "script", "skipped", "choice", "pass", "prediction", "end"]
Reply = Literal["", "help", "state", "why", "error", "back", "quit"]


@dataclass(frozen=True)
class LogEntry:
    """One line of the session's log, with the trace entries it wrote."""

    day: dt.date
    kind: LogKind
    text: str
    entries: tuple[TraceEntry, ...] = ()
    reasons: tuple[str, ...] = ()
    item: int | None = None


@dataclass(frozen=True)
class Chosen:
    """What will be applied for the current item: the script, the student's option."""

    option: Option
    item: ScriptItem | None
    point: DecisionPoint | None = None
    by_student: bool = False


@dataclass(frozen=True)
class PlaySession:
    engine: Engine
    party: str
    branch: str | None
    end: dt.date
    predict: bool
    items: tuple[ScriptItem, ...]
    recorded: tuple[Frame, ...]
    state: State
    cursor: int = 0
    log: tuple[LogEntry, ...] = ()
    decision: StudentDecision | None = None
    question: Question | None = None
    chosen: Chosen | None = None
    taken: frozenset[str] = frozenset()
    right: int = 0
    asked: int = 0
    finished: bool = False
    quit: bool = False
    reply: Reply = ""
    notice: str = ""
    parent: PlaySession | None = None

    # -- starting ------------------------------------------------------------------------
    @classmethod
    def begin(
        cls,
        engine: Engine,
        party: str,
        branch: str | None = None,
        until: dt.date | None = None,
        predict: bool = False,
    ) -> PlaySession:
        known = [p.id for p in engine.scenario.parties]
        if party not in known:
            raise MoveError(f"unknown party {party!r} (parties: {', '.join(known)})")
        end = end_day(engine, branch, until)
        session = cls(
            engine=engine,
            party=party,
            branch=branch,
            end=end,
            predict=predict,
            items=tuple(i for i in agenda(engine, branch) if i.day <= end),
            recorded=recorded_frames(engine, branch, until),
            state=engine.initial_state(),
        )
        return session.run()

    @property
    def decisions_ahead(self) -> int:
        """How many scripted decisions of the student's party lie ahead."""
        ahead = self.items[self.cursor :]
        return sum(is_decision(self.engine, self.party, i) for i in ahead)

    def recorded_outcome(self, index: int) -> str | None:
        """``event`` or ``blocked``: what the record did with agenda item ``index``."""
        for f in self.recorded:
            if f.item is not None and f.item.index == index and f.entry is not None:
                return f.entry.kind
        return None

    # -- answering -----------------------------------------------------------------------
    def answer(self, line: str) -> PlaySession:
        """One line from the student: the next session (``reply``/``notice`` say what to
        show besides the new log lines)."""
        text = line.strip()
        word, _, rest = text.partition(" ")
        word = word.lower()
        plain = replace(self, reply="", notice="")
        if self.finished:
            return replace(plain, reply="error", notice="the session has ended")
        if word in ("h", "help", "?"):
            return replace(plain, reply="help")
        if word in ("q", "quit", "exit"):
            return replace(plain, quit=True, reply="quit")
        if word == "state":
            return replace(plain, reply="state")
        if word in ("w", "why"):
            return plain.why(rest.strip())
        if word in ("b", "back", "undo"):
            if self.parent is None:
                return replace(plain, reply="error", notice="nothing to go back to")
            return replace(self.parent, reply="back", notice="")
        if self.question is not None:
            return plain.predicted(text)
        return plain.choose(text)

    def why(self, text: str) -> PlaySession:
        try:
            event = parse_move(text, self.engine.scenario, self.state.date)
        except MoveError as e:
            return replace(self, reply="error", notice=f"why: {e}")
        reasons = self.engine.check(self.state, event)
        verdict = "BLOCKED" if reasons else "ALLOWED"
        lines = [f"{verdict}: {format_move(event)} on {self.state.date}"]
        lines += [f"  - {r}" for r in reasons]
        return replace(self, reply="why", notice="\n".join(lines))

    def choose(self, text: str) -> PlaySession:
        decision = self.decision
        assert decision is not None
        option = self._option(decision, text)
        if isinstance(option, str):
            return replace(self, reply="error", notice=option)
        chosen = Chosen(option, decision.item, decision.point, by_student=True)
        nxt = replace(self, decision=None, parent=self)
        first = option.events[0] if option.events else None
        if self.predict and first is not None:
            q = question_for(self.engine, self.state, first)
            if q is not None:
                return replace(nxt, question=q, chosen=chosen)
        return nxt.apply(chosen).run()

    def _option(self, decision: StudentDecision, text: str) -> Option | str:
        """The option an answer names, or why it names none."""
        word = text.lower()
        if word.isdigit():
            n = int(word)
            if 1 <= n <= len(decision.options):
                return decision.options[n - 1]
            return f"choose 1 to {len(decision.options)}"
        if word in ("scripted", "script"):
            if decision.scripted is None:
                return "there is no scripted move here; choose an option"
            if decision.scripted.reasons:
                return "the scripted move is blocked: " + "; ".join(decision.scripted.reasons)
            return decision.scripted
        if word in ("p", "pass"):
            if not decision.allow_pass:
                return "this decision point does not allow passing"
            return next(o for o in decision.options if o.kind == "pass")
        if not text:
            return "choose an option (a number), 'scripted', 'pass' or type a move"
        try:
            event = parse_move(text, self.engine.scenario, self.state.date)
        except MoveError as e:
            return str(e)
        mine = actors(self.engine, self.party)
        if not set(event.by) <= mine:
            return f"you play {self.party}; that move is by {', '.join(event.by)}"
        reasons = self.engine.check(self.state, event)
        if reasons:
            return "blocked: " + "; ".join(reasons)
        return Option("move", format_move(event), (event,))

    def predicted(self, text: str) -> PlaySession:
        q, chosen = self.question, self.chosen
        assert q is not None
        assert chosen is not None
        guess: str | None = None
        if text.lower() not in ("", "skip"):
            guess = q.read(text)
            if guess is None:
                return replace(
                    self, reply="error", notice="one of: " + ", ".join(q.choices) + ", or same"
                )
        nxt = replace(self, question=None, chosen=None, parent=self).apply(chosen)
        truth = actual(q, nxt.state)
        subject = f"{q.subject} {q.target}"
        if guess is None:
            line = f"prediction skipped: {subject} is now {truth}"
            skipped = LogEntry(nxt.state.date, "prediction", line)
            return replace(nxt, log=(*nxt.log, skipped)).run()
        ok = guess == truth
        mark = "right" if ok else "not quite"
        line = f"you predicted {subject}: {guess}; it is {truth} ({mark})"
        scored = replace(
            nxt,
            right=nxt.right + ok,
            asked=nxt.asked + 1,
            log=(*nxt.log, LogEntry(nxt.state.date, "prediction", line)),
        )
        return scored.run()

    # -- running the script ----------------------------------------------------------------
    def apply(self, chosen: Chosen) -> PlaySession:
        """Apply what was chosen for the current item (or ``when`` decision point)."""
        option, item = chosen.option, chosen.item
        index = item.index if item is not None else None
        state, log = self.state, list(self.log)
        if option.kind == "pass":
            what = item.label if item is not None else (chosen.point.id if chosen.point else "")
            log.append(LogEntry(state.date, "pass", f"you pass ({what})", item=index))
        kind: LogKind = "choice" if chosen.by_student else "script"
        for event in option.events:
            if not chosen.by_student and item is not None:
                reasons = self.engine.check(state, event)
                if reasons:
                    log.append(self._skipped(item, state, reasons))
                    break
            mine = event if option.kind == "scripted" else student_event(event, state.date)
            result = self.engine.apply(state, mine)
            log.append(LogEntry(state.date, kind, result.entry.summary, tuple(result.entries),
                                item=index))
            state = result.state
        taken = self.taken
        if chosen.point is not None and chosen.point.when is not None:
            taken = taken | {chosen.point.id}
        cursor = self.cursor + 1 if item is not None else self.cursor
        return replace(self, state=state, log=tuple(log), cursor=cursor, taken=taken)

    def _skipped(self, item: ScriptItem, state: State, reasons: list[str]) -> LogEntry:
        event = item.event
        assert event is not None
        had = self.recorded_outcome(item.index)
        why = (
            "it was blocked in the record too"
            if had == "blocked"
            else "your path made it illegal (the record has it)"
        )
        text = f"skipped: {event.summary or item.label} ({why})"
        return LogEntry(state.date, "skipped", text, reasons=tuple(reasons), item=item.index)

    def run(self) -> PlaySession:
        """Follow the script until the student must answer, or the end."""
        s = self
        while True:
            point = s._when_due()
            if point is not None:
                return replace(s, decision=decide_point(s.engine, s.state, s.party, point))
            if s.cursor >= len(s.items):
                return s._close()
            item = s.items[s.cursor]
            s = s._clock(item.day)
            if is_decision(s.engine, s.party, item):
                return replace(s, decision=decide(s.engine, s.state, s.party, item))
            if item.event is None:  # another party's decision point: the record takes none
                s = replace(s, cursor=s.cursor + 1)
                continue
            chosen = Chosen(Option("scripted", item.label, (item.event,)), item)
            if s.predict and not s.engine.check(s.state, item.event):
                q = question_for(s.engine, s.state, item.event)
                if q is not None:
                    return replace(s, question=q, chosen=chosen)
            s = s.apply(chosen)

    def _clock(self, day: dt.date, close: bool = False) -> PlaySession:
        state, log = self.state, list(self.log)
        for stop in advance_to(self.engine, state, day, close):
            for e in stop.entries:
                log.append(LogEntry(e.date, "clock", e.summary, (e,)))
            state = stop.state
        return replace(self, state=state, log=tuple(log))

    def _close(self) -> PlaySession:
        s = self._clock(self.end, close=True)
        line = LogEntry(s.state.date, "end", f"the session ends at the close of {self.end}")
        return replace(s, finished=True, log=(*s.log, line))

    def _when_due(self) -> DecisionPoint | None:
        mine = actors(self.engine, self.party)
        for point in self.engine.scenario.decisions:
            if point.when is None or point.id in self.taken:
                continue
            if point_is_mine(point, mine) and self.engine.evaluate(point.when, self.state):
                return point
        return None

    @property
    def entries(self) -> tuple[TraceEntry, ...]:
        """The student's path as trace entries, in order."""
        return tuple(e for line in self.log for e in line.entries)
